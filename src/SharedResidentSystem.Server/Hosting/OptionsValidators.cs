using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Security;

namespace SharedResidentSystem.Server.Hosting;

/// <summary>
/// One validator per options section, run once before anything listens: each failure names
/// its key ("Server:Port: …") so an operator knows what to mend. The host stops at the first
/// section that fails.
/// </summary>
public abstract class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = Problems(options).Select(p => $"{section}:{p.Key}: {p.Message}").ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="ConfigurationProblemException"/> for the first problem.</summary>
    public void ThrowIfInvalid(TOptions options)
    {
        foreach (var (key, message) in Problems(options))
        {
            throw new ConfigurationProblemException($"{section}:{key}", message);
        }
    }

    protected abstract IEnumerable<(string Key, string Message)> Problems(TOptions options);
}

public sealed class ServerOptionsValidator() : SectionValidator<ServerOptions>(ServerOptions.Section)
{
    protected override IEnumerable<(string Key, string Message)> Problems(ServerOptions options)
    {
        if (!System.Net.IPAddress.TryParse(options.Host, out _))
        {
            yield return ("Host", $"'{options.Host}' はIPアドレスではありません。");
        }
        if (options.Port is < 0 or > 65535)
        {
            yield return ("Port", $"'{options.Port}' はポート番号 (0-65535) ではありません。");
        }
        if (options.CounterPort is < 0 or > 65535)
        {
            yield return ("CounterPort", $"'{options.CounterPort}' はポート番号 (0-65535、0 は使わない) ではありません。");
        }
        else if (options.CounterPort != 0 && options.CounterPort == options.Port)
        {
            yield return ("CounterPort", "窓口 (ブラウザ) のポートは gRPC のポート (Server:Port) とは別にしてください。");
        }
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            yield return ("DataDirectory", "データの置き場所を指定してください。");
        }
        if (string.IsNullOrWhiteSpace(options.TenantsDirectory))
        {
            yield return ("TenantsDirectory", "団体設定の置き場所を指定してください。");
        }
        if (options.ConfigRefreshSeconds is < 1 or > 3600)
        {
            yield return ("ConfigRefreshSeconds", "1から3600秒までで指定してください。");
        }
        if (options.HealthRefreshSeconds is < 1 or > 300)
        {
            yield return ("HealthRefreshSeconds", "1から300秒までで指定してください。");
        }
        foreach (var (key, value) in new[] { ("ConcurrentCallsPerStaff", options.ConcurrentCallsPerStaff), ("ConcurrentCallsPerTerminal", options.ConcurrentCallsPerTerminal), ("ConcurrentCallsPerCity", options.ConcurrentCallsPerCity) })
        {
            if (value is < 1 or > 100_000)
            {
                yield return (key, "1から100000までで指定してください。");
            }
        }
        if (options.MaxPageBytes is < 4096 or > 64 * 1024 * 1024)
        {
            yield return ("MaxPageBytes", "4096から67108864バイトまでで指定してください。");
        }
        if (options.AuthenticationFailuresPerMinute is < 1 or > 1_000_000)
        {
            yield return ("AuthenticationFailuresPerMinute", "1から1000000までで指定してください。");
        }
        if (!string.IsNullOrWhiteSpace(options.CertificatePath) && !File.Exists(options.CertificatePath))
        {
            yield return ("CertificatePath", $"証明書ファイル '{options.CertificatePath}' がありません。");
        }
    }
}

public sealed class StorageOptionsValidator() : SectionValidator<StorageOptions>(StorageOptions.Section)
{
    public static readonly IReadOnlyList<string> Providers = ["sqlite", "postgresql", "sqlserver"];

    protected override IEnumerable<(string Key, string Message)> Problems(StorageOptions options)
    {
        var provider = options.Provider?.Trim().ToLowerInvariant() ?? "";
        if (!Providers.Contains(provider))
        {
            yield return ("Provider", $"'{options.Provider}' は使えません。{string.Join(", ", Providers)} のいずれかを指定してください。");
        }
        else if (provider != "sqlite" && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            yield return ("ConnectionString", $"{provider} には接続文字列が必要です。");
        }
        if (provider == "sqlserver" && string.IsNullOrWhiteSpace(options.ArchiveConnectionString))
        {
            yield return ("ArchiveConnectionString", "sqlserver には除票用データベースの接続文字列が必要です。");
        }
    }
}

public sealed class AuthOptionsValidator() : SectionValidator<AuthOptions>(AuthOptions.Section)
{
    protected override IEnumerable<(string Key, string Message)> Problems(AuthOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey) && !IsSigningKey(options.SigningKey))
        {
            yield return ("SigningKey", "32バイト以上の鍵をBase64で指定してください。");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Issuers.Count; i++)
        {
            var issuer = options.Issuers[i];
            var key = $"Issuers:{i}";
            if (!Uri.TryCreate(issuer.Issuer, UriKind.Absolute, out _))
            {
                yield return ($"{key}:Issuer", $"'{issuer.Issuer}' は発行者のURIではありません。");
            }
            else if (!seen.Add(issuer.Issuer))
            {
                yield return ($"{key}:Issuer", $"発行者 '{issuer.Issuer}' が二度設定されています。");
            }
            if (!string.IsNullOrWhiteSpace(issuer.MetadataAddress) && !Uri.TryCreate(issuer.MetadataAddress, UriKind.Absolute, out _))
            {
                yield return ($"{key}:MetadataAddress", $"'{issuer.MetadataAddress}' はURIではありません。");
            }
            if (string.IsNullOrWhiteSpace(issuer.Audience))
            {
                yield return ($"{key}:Audience", "トークンの audience を指定してください。");
            }
            if (issuer.Cities.Count == 0)
            {
                yield return ($"{key}:Cities", "この発行者が署名できる団体コード (共同利用の運用者は *) を指定してください。");
            }
            foreach (var city in issuer.Cities.Where(c => c != SrsClaims.JointSystem && !Core.Numbers.CheckDigits.IsValidLocalGovernmentCode(c)))
            {
                yield return ($"{key}:Cities", $"'{city}' は団体コードではありません。");
            }
            if (issuer.Claims.Tenant.Length == 0 && issuer.Cities.Count != 1)
            {
                yield return ($"{key}:Claims:Tenant", "団体を表すクレームがない発行者は、Cities に一つの団体だけを指定してください。");
            }
            if (string.IsNullOrWhiteSpace(issuer.Claims.Staff))
            {
                yield return ($"{key}:Claims:Staff", "職員IDを表すクレームを指定してください。");
            }
            foreach (var (setting, value, low, high) in new[] { ("ClockSkewSeconds", issuer.ClockSkewSeconds, 0, 600), ("KeyRefreshMinutes", issuer.KeyRefreshMinutes, 1, 1440), ("KeyRefetchSeconds", issuer.KeyRefetchSeconds, 1, 3600) })
            {
                if (value < low || value > high)
                {
                    yield return ($"{key}:{setting}", $"{low}から{high}までで指定してください。");
                }
            }
        }
        var signIn = options.SignIn;
        if (!string.IsNullOrWhiteSpace(signIn.Issuer) && !Uri.TryCreate(signIn.Issuer, UriKind.Absolute, out _))
        {
            yield return ("SignIn:Issuer", $"'{signIn.Issuer}' は発行者のURIではありません。");
        }
        foreach (var (setting, value, low, high) in new[]
        {
            ("AccessTokenMinutes", signIn.AccessTokenMinutes, 1, 60), ("RefreshTokenHours", signIn.RefreshTokenHours, 1, 24), ("KeyRotationDays", signIn.KeyRotationDays, 1, 365),
            ("MaxFailedAttempts", signIn.MaxFailedAttempts, 1, 20), ("LockoutMinutes", signIn.LockoutMinutes, 1, 1440), ("PasswordMinLength", signIn.PasswordMinLength, 8, 128),
        })
        {
            if (value < low || value > high)
            {
                yield return ($"SignIn:{setting}", $"{low}から{high}までで指定してください。");
            }
        }
        if (!string.IsNullOrWhiteSpace(signIn.DemoStaffFile) && !File.Exists(signIn.DemoStaffFile))
        {
            yield return ("SignIn:DemoStaffFile", $"'{signIn.DemoStaffFile}' がありません。");
        }
        for (var i = 0; i < signIn.BrowserRedirectUris.Count; i++)
        {
            if (!Uri.TryCreate(signIn.BrowserRedirectUris[i], UriKind.Absolute, out _))
            {
                yield return ($"SignIn:BrowserRedirectUris:{i}", $"'{signIn.BrowserRedirectUris[i]}' はURIではありません。");
            }
        }
    }

    private static bool IsSigningKey(string base64)
    {
        try
        {
            SigningKeys.FromBase64(base64);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }
}

public sealed class AuditOptionsValidator() : SectionValidator<AuditOptions>(AuditOptions.Section)
{
    protected override IEnumerable<(string Key, string Message)> Problems(AuditOptions options)
    {
        if (options.CheckpointMinutes is < 1 or > 1440)
        {
            yield return ("CheckpointMinutes", "1から1440分までで指定してください。");
        }
        if (!string.IsNullOrWhiteSpace(options.CheckpointKey) && !IsCheckpointKey(options.CheckpointKey))
        {
            yield return ("CheckpointKey", "32バイト以上の鍵をBase64で指定してください。");
        }
        for (var i = 0; i < options.PreviousCheckpointKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.PreviousCheckpointKeys[i]) || !IsCheckpointKey(options.PreviousCheckpointKeys[i]))
            {
                yield return ($"PreviousCheckpointKeys:{i}", "以前のチェックポイント鍵 (32バイト以上) をBase64で指定してください。");
            }
        }
    }

    /// <summary>Whether the checkpoint store would take this key (the store's own rule).</summary>
    private static bool IsCheckpointKey(string base64)
    {
        try
        {
            Core.Audit.CheckpointStore.LoadOrCreateKey(base64, "");
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }
}

public sealed class TelemetryOptionsValidator(ServerOptions server) : SectionValidator<TelemetryOptions>(TelemetryOptions.Section)
{
    public static readonly IReadOnlyList<string> Protocols = ["grpc", "http/protobuf"];

    protected override IEnumerable<(string Key, string Message)> Problems(TelemetryOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            yield return ("ServiceName", "送信するサービス名を指定してください。");
        }
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            && (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            yield return ("OtlpEndpoint", $"'{options.OtlpEndpoint}' は http(s) の URI ではありません。");
        }
        if (!Protocols.Contains(options.OtlpProtocol))
        {
            yield return ("OtlpProtocol", $"'{options.OtlpProtocol}' は使えません。{string.Join(", ", Protocols)} のいずれかを指定してください。");
        }
        if (options.ExportIntervalMilliseconds is < 100 or > 600_000)
        {
            yield return ("ExportIntervalMilliseconds", "100から600000ミリ秒までで指定してください。");
        }
        if (options.PrometheusPort is < 0 or > 65535)
        {
            yield return ("PrometheusPort", $"'{options.PrometheusPort}' はポート番号 (0-65535、0 は使わない) ではありません。");
        }
        else if (options.PrometheusPort != 0 && (options.PrometheusPort == server.Port || options.PrometheusPort == server.CounterPort))
        {
            yield return ("PrometheusPort", "メトリクスのポートは gRPC・窓口のポート (Server:Port, Server:CounterPort) とは別にしてください。");
        }
    }
}
