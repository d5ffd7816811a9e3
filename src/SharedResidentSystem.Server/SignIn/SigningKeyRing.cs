using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace SharedResidentSystem.Server.SignIn;

/// <summary>
/// The sign-in service's signing keys, one self-signed RSA certificate per file in a directory
/// every instance shares. The newest key signs (the one valid longest); every key not yet
/// expired verifies, so a token signed before a rotation stays good until it expires. A key is
/// made when there is none and when the newest is older than the rotation period (checked every
/// minute), or at once when an operator rotates. An instance that meets a key ID it does not know
/// reads the directory again, so keys made by another instance are known without a restart.
/// </summary>
public sealed partial class SigningKeyRing : BackgroundService, IOptionsChangeTokenSource<OpenIddictServerOptions>, IConfigureOptions<OpenIddictServerOptions>
{
    private const string Pattern = "signing-*.pfx";

    private readonly string _directory;
    private readonly TimeSpan _rotation;
    private readonly TimeSpan _overlap;
    private readonly TimeProvider _time;
    private readonly ILogger<SigningKeyRing> _logger;
    private readonly Lock _gate = new();
    private volatile List<SigningKey> _keys = [];
    private CancellationTokenSource _changed = new();
    private DateTimeOffset _lastUnknownReload = DateTimeOffset.MinValue;

    /// <param name="rotation">How long a key signs before the next is made.</param>
    /// <param name="overlap">How long a replaced key goes on verifying (the longest lifetime of a token it signed).</param>
    public SigningKeyRing(string directory, TimeSpan rotation, TimeSpan overlap, TimeProvider time, ILogger<SigningKeyRing> logger)
    {
        _directory = directory;
        _rotation = rotation;
        _overlap = overlap;
        _time = time;
        _logger = logger;
        Directory.CreateDirectory(directory);
        Reload();
        if (Newest is null || Newest.Created + _rotation <= time.GetUtcNow())
        {
            Create();
        }
    }

    public sealed record SigningKey(X509SecurityKey SecurityKey, DateTimeOffset Created, DateTimeOffset Expires)
    {
        public string KeyId => SecurityKey.KeyId;
    }

    /// <summary>The keys that verify, newest first (the first signs).</summary>
    public IReadOnlyList<SigningKey> Keys => _keys;

    private SigningKey? Newest => _keys.Count == 0 ? null : _keys[0];

    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    /// <summary>OpenIddict signs with the newest key and accepts all (it prefers the certificate valid longest).</summary>
    public void Configure(OpenIddictServerOptions options)
    {
        foreach (var key in _keys)
        {
            options.SigningCredentials.Add(new SigningCredentials(key.SecurityKey, SecurityAlgorithms.RsaSha256));
        }
    }

    /// <summary>The keys that may have signed a token with <paramref name="keyId"/>; an unknown ID reads the directory again (at most every 10 s).</summary>
    public IEnumerable<SecurityKey> Resolve(string? keyId)
    {
        var now = _time.GetUtcNow();
        var keys = _keys;
        if (keyId is not null && keys.All(k => k.KeyId != keyId) && now - _lastUnknownReload > TimeSpan.FromSeconds(10))
        {
            _lastUnknownReload = now;
            Reload();
            keys = _keys;
        }
        return keys.Where(k => k.Expires > now && (keyId is null || k.KeyId == keyId)).Select(k => k.SecurityKey);
    }

    /// <summary>Makes a new signing key now (an operator's rotation); the previous keys keep verifying until they expire.</summary>
    public SigningKey Rotate() => Create();

    private SigningKey Create()
    {
        var now = _time.GetUtcNow();
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=SharedResidentSystem sign-in", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now + _rotation + _overlap);
        var path = Path.Combine(_directory, $"signing-{now.UtcDateTime:yyyyMMddHHmmssfff}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(2))}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Reload();
        var created = _keys.First(k => k.SecurityKey.Certificate.Thumbprint == certificate.Thumbprint);
        LogKeyMade(_logger, created.KeyId, created.Expires);
        return created;
    }

    /// <summary>Reads the directory; a change of keys rebuilds OpenIddict's options.</summary>
    public void Reload()
    {
        var now = _time.GetUtcNow();
        var keys = new List<SigningKey>();
        foreach (var file in Directory.EnumerateFiles(_directory, Pattern))
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(file, null, X509KeyStorageFlags.EphemeralKeySet);
            }
            catch (CryptographicException e)
            {
                LogUnreadable(_logger, file, e.Message);
                continue;
            }
            var expires = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (expires <= now || !certificate.HasPrivateKey)
            {
                certificate.Dispose();
                continue;
            }
            var created = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero).AddHours(1);
            keys.Add(new SigningKey(new X509SecurityKey(certificate), created, expires));
        }
        keys.Sort((a, b) => b.Expires.CompareTo(a.Expires));
        lock (_gate)
        {
            var before = _keys.Select(k => k.KeyId).ToHashSet(StringComparer.Ordinal);
            _keys = keys;
            if (!before.SetEquals(keys.Select(k => k.KeyId)))
            {
                var changed = _changed;
                _changed = new CancellationTokenSource();
                changed.Cancel();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The directory is looked at every minute of real time; whether a key is old enough to
        // replace is judged on the server's clock (which tests move by days at once).
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Reload();
            if (Newest is null || Newest.Created + _rotation <= _time.GetUtcNow())
            {
                Create();
            }
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Sign-in signing key {KeyId} made; it verifies until {Expires}.")]
    private static partial void LogKeyMade(ILogger logger, string keyId, DateTimeOffset expires);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Signing key file {File} cannot be read and is ignored: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string file, string problem);
}
