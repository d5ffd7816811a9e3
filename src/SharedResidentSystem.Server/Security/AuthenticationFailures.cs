using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Security;

/// <summary>
/// A token that fails validation is logged in the access log of the city it names (10.2:
/// 認証に失敗したアクセス), with the staff and terminal it claims. A token that names no member
/// city, or cannot be read at all, has no chain to go into and is only refused.
/// </summary>
public static class AuthenticationFailures
{
    public static async Task LogAsync(AuthenticationFailedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(header[prefix.Length..].Trim());
        }
        catch (ArgumentException)
        {
            return;
        }
        var tenant = token.TryGetPayloadValue<string>(SrsClaims.Tenant, out var t) ? t : "";
        var services = context.HttpContext.RequestServices;
        if (services.GetRequiredService<TenantDirectory>().Find(tenant) is null)
        {
            return;
        }
        var staff = token.TryGetPayloadValue<string>(SrsClaims.Staff, out var s) ? s : "";
        var terminal = token.TryGetPayloadValue<string>(SrsClaims.Terminal, out var term) ? term : "";
        var claimed = new Caller(tenant, staff, terminal, new HashSet<string>());
        var reason = context.Exception.GetType().Name;
        await services.GetRequiredService<BatchedAccessLog>().AppendAsync(claimed,
            new AccessRecord(context.Request.Path, [], false, AuditQueries.AuthenticationFailed, reason), context.HttpContext.RequestAborted);
    }
}
