using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Security;

/// <summary>
/// An issuer whose tokens this server accepts: a configured OpenID Connect issuer (keys from
/// its discovery document and JWKS), the sign-in service of this system (keys from the shared
/// key directory), or in Development the shared key of the development tool.
/// </summary>
public sealed record TrustedIssuer(IssuerOptions Options, bool AnyCity)
{
    /// <summary>Keys held by this system (its own sign-in, the development key); null: fetched from the issuer's metadata.</summary>
    public Func<IServiceProvider, string?, IEnumerable<SecurityKey>>? LocalKeys { get; init; }

    public bool MaySpeakFor(string tenant) =>
        AnyCity || Options.Cities.Contains(tenant, StringComparer.Ordinal);
}

/// <summary>
/// Bearer-token validation for every trusted issuer: one JwtBearer scheme each (issuer,
/// audience, lifetime with clock skew on the server's clock, signing keys that may rotate),
/// chosen by the token's "iss"; the issuer's claims are then mapped to the system's claims
/// (<see cref="SrsClaims"/>) as its configuration says, and a token naming a city its issuer
/// may not speak for is refused and logged like any other failed authentication.
/// </summary>
public static class TokenIssuers
{
    /// <summary>The default scheme: forwards to the scheme of the token's issuer.</summary>
    public const string Scheme = "srs";

    private static string SchemeOf(int index) => $"issuer-{index}";

    public static void AddTokenValidation(this IServiceCollection services, IReadOnlyList<TrustedIssuer> issuers)
    {
        var byIssuer = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < issuers.Count; i++)
        {
            byIssuer[issuers[i].Options.Issuer] = SchemeOf(i);
        }
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "bearer token of a trusted issuer", o => o.ForwardDefaultSelector = context =>
                IssuerOf(context) is { } issuer && byIssuer.TryGetValue(issuer, out var scheme) ? scheme : SchemeOf(0));
        for (var i = 0; i < issuers.Count; i++)
        {
            var trusted = issuers[i];
            var scheme = SchemeOf(i);
            authentication.AddJwtBearer(scheme, o => Configure(o, trusted));
            services.AddOptions<JwtBearerOptions>(scheme).Configure<TimeProvider, IServiceProvider>((o, time, provider) =>
            {
                // Lifetime on the server's clock (the one the rest of the system and the tests use).
                var skew = o.TokenValidationParameters.ClockSkew;
                o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, _) =>
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    return expires is { } end && end.ToUniversalTime() > now - skew && (notBefore is not { } start || start.ToUniversalTime() <= now + skew);
                };
                if (trusted.LocalKeys is { } keys)
                {
                    o.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, kid, _) => keys(provider, kid);
                }
            });
        }
    }

    private static void Configure(JwtBearerOptions o, TrustedIssuer trusted)
    {
        var issuer = trusted.Options;
        o.MapInboundClaims = false;
        if (trusted.LocalKeys is null)
        {
            o.MetadataAddress = string.IsNullOrWhiteSpace(issuer.MetadataAddress)
                ? issuer.Issuer.TrimEnd('/') + "/.well-known/openid-configuration"
                : issuer.MetadataAddress;
            o.RequireHttpsMetadata = issuer.RequireHttpsMetadata;
            o.AutomaticRefreshInterval = TimeSpan.FromMinutes(issuer.KeyRefreshMinutes);
            o.RefreshInterval = TimeSpan.FromSeconds(issuer.KeyRefetchSeconds);
            o.RefreshOnIssuerKeyNotFound = true;
        }
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidAudience = issuer.Audience,
            ClockSkew = TimeSpan.FromSeconds(issuer.ClockSkewSeconds),
            NameClaimType = SrsClaims.Staff,
            RoleClaimType = SrsClaims.Role,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
        o.Events = new JwtBearerEvents
        {
            OnAuthenticationFailed = AuthenticationFailures.OnTokenRejectedAsync,
            OnTokenValidated = context => MapClaimsAsync(context, trusted),
        };
    }

    /// <summary>The unverified "iss" of the bearer token, only to choose the scheme that verifies it.</summary>
    private static string? IssuerOf(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            return new JsonWebToken(header[prefix.Length..].Trim()).Issuer;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The verified token's claims in the system's names, as the issuer's configuration maps them.</summary>
    private static async Task MapClaimsAsync(TokenValidatedContext context, TrustedIssuer trusted)
    {
        var names = trusted.Options.Claims;
        var principal = context.Principal!;
        string Value(string claim) => claim.Length == 0 ? "" : principal.FindFirst(claim)?.Value ?? "";
        var tenant = names.Tenant.Length == 0 && trusted.Options.Cities.Count == 1 ? trusted.Options.Cities[0] : Value(names.Tenant);
        var staff = Value(names.Staff);
        var terminal = Value(names.Terminal);
        if (tenant.Length > 0 && !trusted.MaySpeakFor(tenant))
        {
            context.Fail($"issuer '{trusted.Options.Name}' may not sign for city {tenant}");
            await context.HttpContext.RequestServices.GetRequiredService<AuthenticationFailures>()
                .RecordAsync(context.HttpContext, tenant, staff, terminal, $"IssuerNotAllowedForCity ({trusted.Options.Name})");
            return;
        }
        var roleValues = trusted.Options.RoleValues;
        var roles = names.Role.Length == 0 ? [] : principal.FindAll(names.Role)
            .Select(c => roleValues.Count == 0 ? c.Value : roleValues.GetValueOrDefault(c.Value))
            .OfType<string>();
        var claims = new List<Claim>();
        void Add(string type, string value)
        {
            if (value.Length > 0)
            {
                claims.Add(new Claim(type, value));
            }
        }
        Add(SrsClaims.Tenant, tenant);
        Add(SrsClaims.Staff, staff);
        Add(SrsClaims.Terminal, terminal);
        Add(SrsClaims.Unit, Value(names.Unit));
        foreach (var role in roles.Distinct(StringComparer.Ordinal))
        {
            Add(SrsClaims.Role, role);
        }
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, context.Scheme.Name, SrsClaims.Staff, SrsClaims.Role));
    }
}
