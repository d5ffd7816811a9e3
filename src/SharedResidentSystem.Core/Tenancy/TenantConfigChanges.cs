using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>What an operator asks: the whole new document, based on the version with <see cref="Etag"/>.</summary>
public sealed record ConfigChangeRequest(string Code, string Document, string Etag, DateOnly? EffectiveFrom, string Reason);

/// <summary>The version a change created and what it changed.</summary>
public sealed record ConfigChangeResult(TenantConfigSnapshot Version, IReadOnlyList<ConfigChange> Changes);

/// <summary>
/// The rules of changing a city's configuration: the document must be valid as a whole, it
/// must be based on the latest version (etag), it cannot take effect in the past, and it
/// creates a new version (who, when, why, from when); nothing is ever changed in place.
/// Runs inside the caller's transaction, scoped to the city being changed.
/// </summary>
public sealed class TenantConfigChanges(SrsDbContext db, IStorageProvider provider, TimeProvider time)
{
    public const int MaxReasonLength = 400;

    /// <summary>
    /// Reads every version of every city (for the directory); parses each document once. A
    /// stored version the current schema no longer accepts is left out and reported in
    /// <paramref name="skipped"/> (start-up then records the city's seed as a new version).
    /// </summary>
    public static async Task<List<TenantConfigSnapshot>> LoadAllAsync(SrsDbContext db, TenantDirectory? known, CancellationToken cancellationToken, List<string>? skipped = null)
    {
        var rows = await db.TenantConfigVersions.IgnoreQueryFilters().AsNoTracking().ToListAsync(cancellationToken);
        var snapshots = new List<TenantConfigSnapshot>(rows.Count);
        foreach (var row in rows)
        {
            var cached = known?.Versions(row.TenantCode).FirstOrDefault(v => v.Version == row.Version && v.Hash == row.DocumentHash);
            if (cached is not null)
            {
                snapshots.Add(cached);
                continue;
            }
            var read = TenantConfigDocument.Read(row.Document);
            if (read.Definition is null)
            {
                skipped?.Add($"tenant {row.TenantCode} version {row.Version}: {string.Join("; ", read.Problems)}");
                continue;
            }
            snapshots.Add(ToSnapshot(row, read.Definition));
        }
        return snapshots;
    }

    public static TenantConfigSnapshot ToSnapshot(TenantConfigVersion row, TenantDefinition definition) =>
        new(row.TenantCode, row.Version, row.EffectiveFrom, definition, row.DocumentHash, row.Author, row.Reason, row.RecordedAt);

    /// <summary>Checks a document without applying it (every problem, with its path).</summary>
    public static ConfigReadResult Validate(string document, string? expectedCode)
    {
        var read = TenantConfigDocument.Read(document);
        if (read.Definition is { } definition && expectedCode is not null && definition.Code != expectedCode)
        {
            return new ConfigReadResult(null, [new ConfigProblem("$.code", "tenant", $"団体コード '{definition.Code}' は対象の団体 '{expectedCode}' と一致しません。")]);
        }
        return read;
    }

    /// <summary>Adds a new city: its first version. The current scope must be that city's.</summary>
    public async Task<ConfigChangeResult> CreateAsync(ConfigChangeRequest request, string author, CancellationToken cancellationToken)
    {
        var definition = Check(request, create: true);
        await provider.LockAuditChainAsync(db, request.Code, cancellationToken);
        if (await db.TenantConfigVersions.AnyAsync(cancellationToken))
        {
            throw new DomainException(ErrorKind.AlreadyExists, ErrorReasons.TenantExists, $"団体 {request.Code} は既に利用団体です。設定の変更は apply で行ってください。",
                [new FieldViolation("$.code", "既に登録されています。")]);
        }
        return Add(request, definition, 1, author, "", cancellationToken);
    }

    /// <summary>Applies a new version of an existing city's configuration.</summary>
    public async Task<ConfigChangeResult> ApplyAsync(ConfigChangeRequest request, string author, CancellationToken cancellationToken)
    {
        var definition = Check(request, create: false);
        await provider.LockAuditChainAsync(db, request.Code, cancellationToken);
        var latest = await db.TenantConfigVersions.AsNoTracking().OrderByDescending(v => v.Version).FirstOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound("団体", "name");
        if (!string.Equals(request.Etag, latest.DocumentHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException(ErrorKind.Aborted, ErrorReasons.StaleEtag,
                $"設定はこの間に版 {latest.Version} に変更されています。最新の版を取得し、差分を確認してから適用してください。",
                [new FieldViolation("etag", "最新の版の etag ではありません。")]);
        }
        var effectiveFrom = request.EffectiveFrom ?? JapanTime.Today(time);
        if (latest.DocumentHash == TenantConfigDocument.Hash(request.Document) && latest.EffectiveFrom <= effectiveFrom)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ConfigUnchanged, "最新の版と同じ内容です。適用するものがありません。",
                [new FieldViolation("document", "変更がありません。")]);
        }
        return Add(request, definition, latest.Version + 1, author, latest.Document, cancellationToken);
    }

    private TenantDefinition Check(ConfigChangeRequest request, bool create)
    {
        var read = Validate(request.Document, request.Code);
        if (read.Definition is null)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.ConfigInvalid,
                $"設定に誤りが {read.Problems.Count} 件あります。何も適用していません。",
                read.Problems.Select(p => new FieldViolation(p.Path, $"{p.Code}: {p.Message}")).ToList());
        }
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxReasonLength)
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", $"変更の理由を入力してください ({MaxReasonLength}文字以内)。");
        }
        var today = JapanTime.Today(time);
        if (!create && request.EffectiveFrom is { } from && from < today)
        {
            throw DomainException.Invalid(ErrorReasons.ConfigEffectiveInPast, "effective_from",
                $"適用開始日 {from:yyyy-MM-dd} は過去です。設定は今日 ({today:yyyy-MM-dd}) 以降からしか適用できません。");
        }
        return read.Definition;
    }

    private ConfigChangeResult Add(ConfigChangeRequest request, TenantDefinition definition, int version, string author, string previousDocument, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        var row = new TenantConfigVersion
        {
            TenantCode = request.Code,
            Version = version,
            EffectiveFrom = request.EffectiveFrom ?? JapanTime.Today(time),
            Document = request.Document,
            DocumentHash = TenantConfigDocument.Hash(request.Document),
            Author = author,
            Reason = request.Reason.Trim(),
            RecordedAt = time.GetUtcNow().UtcDateTime,
        };
        db.TenantConfigVersions.Add(row);
        return new ConfigChangeResult(ToSnapshot(row, definition), ConfigDiff.Compare(previousDocument, request.Document));
    }
}
