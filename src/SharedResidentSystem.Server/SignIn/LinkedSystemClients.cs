using System.Security.Claims;
using System.Security.Cryptography;
using OpenIddict.Abstractions;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OAuthErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;

namespace SharedResidentSystem.Server.SignIn;

/// <summary>
/// The sign-in of a city's other systems (7.2): each linked system of a city's configuration may
/// be given a confidential client ("linked.{city}.{system}") whose secret an operator issues; the
/// system signs in with OAuth client credentials and gets a token for its city with the role
/// linked-system and its id as sub. A system the city no longer names signs in no more.
/// </summary>
public static class LinkedSystemClients
{
    private const string Prefix = "linked";

    public static string ClientId(string tenant, string system) => $"{Prefix}.{tenant}.{system}";

    /// <summary>A new secret: 32 random bytes, base64url.</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Makes the system's client, or gives it the new secret (the previous one stops working).</summary>
    public static async Task SaveAsync(IOpenIddictApplicationManager applications, string tenant, LinkedSystem system, string secret, CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId(tenant, system.Id),
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = $"{tenant} {system.Name}",
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        var existing = await applications.FindByClientIdAsync(descriptor.ClientId, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    /// <summary>
    /// The token of a client whose secret the sign-in has already checked: for a system its city
    /// names now; refused otherwise.
    /// </summary>
    public static StaffSignIn.Outcome SignIn(string? clientId, TenantDirectory tenants, SignInSettings settings)
    {
        var parts = (clientId ?? "").Split('.');
        var city = parts.Length == 3 && parts[0] == Prefix ? tenants.Find(parts[1]) : null;
        var system = city?.LinkedSystems.FirstOrDefault(s => s.Id == parts[2]);
        if (city is null || system is null)
        {
            return StaffSignIn.Outcome.Refused("この連携先システムは団体の設定 (linkedSystems) にありません。", OAuthErrors.InvalidClient);
        }
        var identity = new ClaimsIdentity("srs-sign-in", SrsClaims.Staff, SrsClaims.Role);
        identity.SetClaim(SrsClaims.Staff, system.Id);
        identity.SetClaim(SrsClaims.Tenant, city.Code);
        identity.SetClaims(SrsClaims.Role, [Roles.LinkedSystem]);
        identity.SetClaim(Claims.Name, system.Name);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetResources(settings.Audience);
        return new StaffSignIn.Outcome(principal, "", "");
    }
}
