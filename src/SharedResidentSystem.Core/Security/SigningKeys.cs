using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SharedResidentSystem.Core.Security;

/// <summary>
/// The symmetric key that signs and checks bearer tokens. Production configures it; for
/// development a random key is created once under the data directory.
/// </summary>
public static class SigningKeys
{
    public const string DevelopmentKeyFile = "dev-signing-key.txt";
    public const string Issuer = "srs";
    public const string Audience = "srs";

    public static SymmetricSecurityKey FromBase64(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length < 32)
        {
            throw new ArgumentException("署名鍵は32バイト以上が必要です。", nameof(base64));
        }
        return new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexString(SHA256.HashData(bytes))[..16] };
    }

    /// <summary>Reads the development key under <paramref name="dataDirectory"/>, creating it on first use.</summary>
    public static SymmetricSecurityKey LoadOrCreateDevelopmentKey(string dataDirectory) =>
        FromBase64(LoadOrCreateSecret(dataDirectory, DevelopmentKeyFile));

    /// <summary>
    /// The base64 text of a 32-byte secret kept in <paramref name="fileName"/> under
    /// <paramref name="dataDirectory"/> (owner-only), created on first use; when two processes
    /// start together, the one that wrote first wins and both use its secret.
    /// </summary>
    public static string LoadOrCreateSecret(string dataDirectory, string fileName)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, fileName);
        if (!File.Exists(path))
        {
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(stream);
                writer.Write(fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return File.ReadAllText(path).Trim();
    }

    /// <summary>Mints a token for <paramref name="caller"/>, valid for <paramref name="lifetime"/>.</summary>
    public static string Mint(SecurityKey key, Caller caller, TimeProvider time, TimeSpan lifetime)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [SrsClaims.Tenant] = caller.TenantCode,
            [SrsClaims.Staff] = caller.StaffId,
            [SrsClaims.Terminal] = caller.TerminalId,
            [SrsClaims.Role] = caller.Roles.Order(StringComparer.Ordinal).ToArray(),
        };
        if (caller.Unit.Length > 0)
        {
            claims[SrsClaims.Unit] = caller.Unit;
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(lifetime),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
