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
    }
}

public sealed class AuthOptionsValidator() : SectionValidator<AuthOptions>(AuthOptions.Section)
{
    protected override IEnumerable<(string Key, string Message)> Problems(AuthOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            yield break;
        }
        string? problem = null;
        try
        {
            SigningKeys.FromBase64(options.SigningKey);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            problem = "32バイト以上の鍵をBase64で指定してください。";
        }
        if (problem is not null)
        {
            yield return ("SigningKey", problem);
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
