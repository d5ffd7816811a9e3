using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Server.Common;

/// <summary>
/// The city a request names ("tenants/{code}"; empty or "tenants/-": the caller's own), if the
/// caller may act on it: a city's staff their own only, an operator of the joint system any (and
/// must name one). Another city, or one that does not exist, is NOT_FOUND alike.
/// </summary>
public static class TenantTargets
{
    public static string Resolve(Caller caller, string name, string field, Func<string, bool> exists)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim() == "tenants/-")
        {
            return caller.IsJointOperator
                ? throw DomainException.Invalid(ErrorReasons.InvalidResourceName, field, "共同利用システムの運用者は団体を tenants/{団体コード} で指定してください。")
                : caller.TenantCode;
        }
        if (!TenantResourceNames.TryParseTenant(name.Trim(), out var code))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidResourceName, field, $"{field} は tenants/{{団体コード}} の形式で指定してください。");
        }
        if ((!caller.IsJointOperator && code != caller.TenantCode) || !exists(code))
        {
            throw DomainException.NotFound("団体", field);
        }
        return code;
    }
}
