using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>What an operator asks: the whole new document, based on the version with <see cref="Etag"/>.</summary>
public sealed record ConfigChangeRequest(string Code, string Document, string Etag, DateOnly? EffectiveFrom, string Reason);

/// <summary>
/// The version a change created and what it changed on its effective date; <paramref name="Dates"/>
/// has what it does on that date and on each later date of the timeline, and <paramref name="Versions"/>
/// every version it created (one per date on which something changes).
/// </summary>
public sealed record ConfigChangeResult(TenantConfigSnapshot Version, IReadOnlyList<ConfigChange> Changes, IReadOnlyList<DatedConfigChange> Dates, IReadOnlyList<TenantConfigSnapshot> Versions);

/// <summary>What a change would do, without doing it: the version it is based on and its effect on each date.</summary>
public sealed record ConfigChangePreview(TenantConfigVersion Base, IReadOnlyList<ConfigChange> Edits, IReadOnlyList<DatedConfigChange> Dates);

/// <summary>
/// The rules of changing a city's configuration: the document must be valid as a whole, it
/// must be based on a version still on the city's timeline (etag: the one in effect today or
/// one waiting for a later date), it cannot take effect in the past, and it creates new
/// versions (who, when, why, from when) composed by date with the versions waiting for later
/// dates (<see cref="ConfigTimeline"/>); nothing is ever changed in place. Runs inside the
/// caller's transaction, scoped to the city being changed.
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
        // Which versions there are (no documents); then the documents of those not loaded yet
        // only, city by city: a change of one city reads one document, not every city's.
        var keys = await db.TenantConfigVersions.IgnoreQueryFilters().AsNoTracking()
            .Select(v => new { v.TenantCode, v.Version, v.DocumentHash }).ToListAsync(cancellationToken);
        var snapshots = new List<TenantConfigSnapshot>(keys.Count);
        var missing = new HashSet<(string, int)>();
        foreach (var key in keys)
        {
            var cached = known?.Versions(key.TenantCode).FirstOrDefault(v => v.Version == key.Version && v.Hash == key.DocumentHash);
            if (cached is not null)
            {
                snapshots.Add(cached);
            }
            else
            {
                missing.Add((key.TenantCode, key.Version));
            }
        }
        var cities = missing.Select(m => m.Item1).Distinct().ToList();
        var rows = cities.Count == 0 ? [] : await db.TenantConfigVersions.IgnoreQueryFilters().AsNoTracking()
            .Where(v => cities.Contains(v.TenantCode)).ToListAsync(cancellationToken);
        foreach (var row in rows.Where(r => missing.Contains((r.TenantCode, r.Version))))
        {
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

    /// <summary>
    /// What changes whenever a version is added (versions are only ever appended): how many there
    /// are and when the last was recorded. Read by every instance each refresh interval, in place
    /// of the versions themselves.
    /// </summary>
    public static async Task<(int Count, DateTime? Last)> MarkerAsync(SrsDbContext db, CancellationToken cancellationToken)
    {
        var versions = db.TenantConfigVersions.IgnoreQueryFilters().AsNoTracking();
        return (await versions.CountAsync(cancellationToken), await versions.MaxAsync(v => (DateTime?)v.RecordedAt, cancellationToken));
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
        var first = Add(request, definition, 1, author);
        var from = first.EffectiveFrom;
        var changes = ConfigDiff.Compare("", request.Document);
        return new ConfigChangeResult(first, changes, [new DatedConfigChange(from, 0, request.Document, changes, [])], [first]);
    }

    /// <summary>
    /// What applying <paramref name="document"/> would do on each date from <paramref name="effectiveFrom"/>
    /// (default today). The base is the version with <paramref name="etag"/>, or, without one, the
    /// version in effect on the effective date.
    /// </summary>
    public async Task<ConfigChangePreview> PreviewAsync(string document, string? etag, DateOnly? effectiveFrom, CancellationToken cancellationToken)
    {
        var rows = await db.TenantConfigVersions.AsNoTracking().OrderBy(v => v.Version).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            throw DomainException.NotFound("団体", "name");
        }
        var today = JapanTime.Today(time);
        var from = effectiveFrom ?? today;
        var baseRow = string.IsNullOrEmpty(etag) ? ConfigTimeline.InEffect(rows, from) : ConfigTimeline.Base(rows, etag, today) ?? throw Stale(rows);
        return new ConfigChangePreview(baseRow, ConfigDiff.Compare(baseRow.Document, document), ConfigTimeline.Plan(rows, baseRow.Document, document, from));
    }

    /// <summary>Applies a change of an existing city's configuration: a new version on its date and on each later date it changes.</summary>
    public async Task<ConfigChangeResult> ApplyAsync(ConfigChangeRequest request, string author, CancellationToken cancellationToken)
    {
        Check(request, create: false);
        await provider.LockAuditChainAsync(db, request.Code, cancellationToken);
        var rows = await db.TenantConfigVersions.AsNoTracking().OrderBy(v => v.Version).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            throw DomainException.NotFound("団体", "name");
        }
        var today = JapanTime.Today(time);
        var effectiveFrom = request.EffectiveFrom ?? today;
        var baseRow = ConfigTimeline.Base(rows, request.Etag, today) ?? throw Stale(rows);
        var plan = ConfigTimeline.Plan(rows, baseRow.Document, request.Document, effectiveFrom).Where(d => d.Changes.Count > 0).ToList();
        if (plan.Count == 0)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ConfigUnchanged, "どの日の設定も変わりません。適用するものがありません。",
                [new FieldViolation("document", "変更がありません。")]);
        }
        // Each composed document must be valid on its own: a change must not break a version waiting for a later date.
        var problems = plan.SelectMany(d => TenantConfigDocument.Read(d.Document).Problems.Select(p => new FieldViolation(p.Path, $"{d.From:yyyy-MM-dd} からの版: {p.Code}: {p.Message}"))).ToList();
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.ConfigInvalid,
                $"この変更を {string.Join("・", plan.Select(d => d.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))} の版に合わせると誤りが {problems.Count} 件あります。何も適用していません。", problems);
        }
        // 1.3.3: a 住所コード once given keeps its meaning: a 町字 keeps its code in every version, and no code is given to another 町字.
        var codes = CodeConflicts(rows.Select(r => r.Document).Concat(plan.Select(d => d.Document)));
        if (codes.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.ConfigInvalid, $"町字コードの変更・再利用が {codes.Count} 件あります。何も適用していません。", codes);
        }
        var version = rows[^1].Version;
        var created = plan.Select(d => Add(request with { Document = d.Document, EffectiveFrom = d.From }, TenantConfigDocument.Read(d.Document).Definition!, ++version, author)).ToList();
        return new ConfigChangeResult(created[0], plan[0].Changes, plan, created);
    }

    /// <summary>Towns whose code differs between versions, and codes given to two towns over the versions.</summary>
    private static List<FieldViolation> CodeConflicts(IEnumerable<string> documents)
    {
        var codeOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var townOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<FieldViolation>();
        foreach (var town in documents.Select(d => TenantConfigDocument.Read(d).Definition).OfType<TenantDefinition>().SelectMany(d => d.Towns))
        {
            if (codeOf.TryGetValue(town.Name, out var code) && code != town.Code)
            {
                problems.Add(new FieldViolation("$.towns", $"町字「{town.Name}」の町字コードは {code} です ({town.Code} には変えられません: 住所コードの意味が変わります)。"));
            }
            else if (townOf.TryGetValue(town.Code, out var other) && other != town.Name)
            {
                problems.Add(new FieldViolation("$.towns", $"町字コード {town.Code} は町字「{other}」のものです (「{town.Name}」には使えません)。"));
            }
            codeOf.TryAdd(town.Name, town.Code);
            townOf.TryAdd(town.Code, town.Name);
        }
        return [.. problems.DistinctBy(p => p.Description)];
    }

    private static DomainException Stale(IReadOnlyList<TenantConfigVersion> rows) =>
        new(ErrorKind.Aborted, ErrorReasons.StaleEtag,
            $"元にした版は、もう今日以降の設定にありません (最新は版 {rows[^1].Version})。今の版を取得し、差分を確認してから適用してください。",
            [new FieldViolation("etag", "今日以降の設定にある版の etag ではありません。")]);

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

    private TenantConfigSnapshot Add(ConfigChangeRequest request, TenantDefinition definition, int version, string author)
    {
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
        return ToSnapshot(row, definition);
    }
}
