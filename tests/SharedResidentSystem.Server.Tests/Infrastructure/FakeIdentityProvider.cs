using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>
/// A city's own OpenID Connect issuer, as far as a resource server sees it: a discovery
/// document and a JWKS over real HTTP on this machine, keys that can be added (rotation), and
/// tokens signed with any of them.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    private static readonly string[] SigningAlgorithms = ["RS256"];

    private readonly WebApplication _app;
    private readonly List<RsaSecurityKey> _published = [];

    private FakeIdentityProvider(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";

    /// <summary>The key new tokens are signed with (the last added).</summary>
    public RsaSecurityKey Current => _published[^1];

    public IReadOnlyList<RsaSecurityKey> Published => _published;

    public static async Task<FakeIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var idp = new FakeIdentityProvider(app);
        idp.AddKey();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = idp.Issuer,
            ["jwks_uri"] = idp.Issuer + "/jwks",
            ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
        }));
        app.MapGet("/jwks", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = idp._published.ToArray().Select(k =>
            {
                var p = k.Rsa.ExportParameters(false);
                return new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = k.KeyId, ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) };
            }).ToArray(),
        }));
        await app.StartAsync();
        idp.Issuer = app.Urls.First().TrimEnd('/');
        return idp;
    }

    /// <summary>Publishes a new key; it signs the tokens minted from now on.</summary>
    public RsaSecurityKey AddKey()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N")[..12] };
        _published.Add(key);
        return key;
    }

    /// <summary>A token with <paramref name="claims"/>, issued at <paramref name="now"/>.</summary>
    public string Mint(IDictionary<string, object> claims, DateTimeOffset now, string audience = "srs", SecurityKey? key = null, string? issuer = null, TimeSpan? lifetime = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromMinutes(30))).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? Current, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
