using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Server.Tenancy;

/// <summary>The caller's own city and the configuration version in effect.</summary>
public sealed class TenantGrpcService(CallerContext callers, TenantDirectory tenants, TimeProvider time) : TenantService.TenantServiceBase
{
    public override Task<Tenant> GetTenant(GetTenantRequest request, ServerCallContext context)
    {
        var caller = callers.Required;
        var name = request.Name;
        if (!(string.IsNullOrEmpty(name) || name == "tenants/-"))
        {
            if (!TenantResourceNames.TryParseTenant(name, out var code))
            {
                throw DomainException.Invalid(ErrorReasons.InvalidResourceName, "name", "name は tenants/{団体コード} の形式で指定してください。");
            }
            if (code != caller.TenantCode)
            {
                throw DomainException.NotFound("団体", "name");
            }
        }
        var today = JapanTime.Today(time);
        var version = tenants.SnapshotAt(caller.TenantCode, today)!;
        var tenant = version.Definition;
        return Task.FromResult(new Tenant
        {
            Name = tenant.ResourceName,
            Code = tenant.Code,
            DisplayName = tenant.Name,
            DisplayNameKana = tenant.NameKana,
            Prefecture = tenant.Prefecture,
            ConfigVersion = version.Version,
            ConfigEffectiveFrom = version.EffectiveFrom == DateOnly.MinValue ? null : Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(JapanTime.EndOfDayUtc(version.EffectiveFrom.AddDays(-1))),
            Etag = version.Hash,
        });
    }
}
