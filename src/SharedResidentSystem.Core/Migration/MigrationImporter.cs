using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Migration;

/// <summary>How an import runs: checked only, skipping invalid households, resuming, in batches of how many rows.</summary>
public sealed record ImportOptions
{
    /// <summary>Check every file and report, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The operator's choice: a problem in a row that belongs to a household leaves that
    /// household out (every version of its members and every row about them) instead of
    /// stopping the import; the households left out are listed.
    /// </summary>
    public bool SkipInvalidHouseholds { get; init; }

    /// <summary>Go on with an import that stopped (a crash): the rows already stored are not added again.</summary>
    public bool Resume { get; init; }

    /// <summary>The files' form (CSV or XML).</summary>
    public MigrationFormat Format { get; init; }

    /// <summary>The files' encoding; with Shift_JIS the 外字 table beside them maps the user-defined codes back.</summary>
    public MigrationEncoding Encoding { get; init; }

    /// <summary>Rows added per commit; each commit is a checkpoint a resumed import starts after.</summary>
    public int BatchRows { get; init; } = 5000;

    /// <summary>Called as the import goes: stage (検査 / 取込), file, rows done, rows of the file.</summary>
    public Action<ImportProgress>? Progress { get; init; }

    /// <summary>
    /// The engine: each batch waits for its turn to write where the engine has one writer at a
    /// time, and is tried again whole after a transient fault.
    /// </summary>
    public IStorageProvider? Storage { get; init; }

    /// <summary>The 除票用データベース (9.3): an import fills a city whose archive is empty too.</summary>
    public SrsDbContext? Archive { get; init; }
}

/// <summary>Where an import is: 検査 (checking) or 取込 (writing), which file, how many rows of how many.</summary>
public sealed record ImportProgress(string Stage, string File, long Done, long Total);

/// <summary>
/// Reads a city's migration files into its empty register. First every file is read and
/// checked — header, number of items, each value's form, digits and code, keys not repeated —
/// and every problem names the file, the line, the item and the rule in Japanese; nothing is
/// written when anything is wrong, unless the operator chose to leave invalid households out.
/// Then the files are read again and their rows added in batches, each batch one commit with
/// the search readings and keys made again, so that memory stays flat and an import that stops
/// is resumed after its last commit. The city is the one the context is limited to.
/// </summary>
public static class MigrationImporter
{
    public const string CheckStage = "検査";
    public const string WriteStage = "取込";

    public sealed record Problem(string File, int Line, string Item, string Rule, string Household = "");

    public sealed record Result(IReadOnlyList<Problem> Problems, IReadOnlyDictionary<string, long> Rows,
        IReadOnlyList<string> SkippedHouseholds, long SkippedRows, bool Written)
    {
        /// <summary>The rows are in the register (not a dry run, and nothing stopped it).</summary>
        public bool Imported => Written;
    }

    public static Task<Result> ImportAsync(SrsDbContext db, MigrationLayout layout, string directory, CancellationToken cancellationToken) =>
        ImportAsync(db, layout, directory, new ImportOptions(), cancellationToken);

    public static async Task<Result> ImportAsync(SrsDbContext db, MigrationLayout layout, string directory, ImportOptions options, CancellationToken cancellationToken)
    {
        var tenant = db.CurrentTenant ?? throw new InvalidOperationException("The import needs the city's context.");
        var plans = layout.Files.Select(f => new FilePlan(f, db.Model.GetEntityTypes().Single(e => !e.IsOwned() && e.ClrType.Name == f.Entity), directory, options.Format)).ToList();
        var check = new CheckState(new MigrationCodes(layout), options.SkipInvalidHouseholds);
        var text = TextOf(layout, directory, options.Encoding, options.Format, check.Blocking);
        foreach (var plan in plans)
        {
            plan.Stored = await MigrationExporter.Set(db, plan.Entity).LongCountAsync(cancellationToken);
            if (plan.Stored > 0 && !options.Resume)
            {
                check.Blocking.Add(new Problem(plan.Name, 0, "", $"移行先の団体 {tenant} に {plan.File.Title} が既にあります。空の団体にだけ取り込めます（止まった取込みを続けるときは再開を指定します）。"));
            }
            if (!File.Exists(plan.Path))
            {
                check.Blocking.Add(new Problem(plan.Name, 0, "", "ファイルがありません。"));
                continue;
            }
            Check(plan, tenant, check, text, options.Progress, cancellationToken);
        }
        if (options.Archive is { } archive && !options.Resume && await archive.PersonVersions.AnyAsync(cancellationToken))
        {
            check.Blocking.Add(new Problem(plans[0].Name, 0, "", $"移行先の団体 {tenant} の除票用データベースに除票が既にあります。空の団体にだけ取り込めます。"));
        }
        var skippedHouseholds = check.Skipped();
        var problems = check.Blocking.Concat(check.ByHousehold).ToList();
        if (check.Blocking.Count > 0 || (check.ByHousehold.Count > 0 && !options.SkipInvalidHouseholds) || options.DryRun)
        {
            return new Result(problems, plans.ToDictionary(p => p.Name, p => p.Rows, StringComparer.Ordinal), skippedHouseholds, 0, false);
        }

        var skippedResidents = check.SkippedResidents(skippedHouseholds);
        var written = new Dictionary<string, long>(StringComparer.Ordinal);
        long skippedRows = 0;
        foreach (var plan in plans)
        {
            var (rows, skipped) = await WriteAsync(db, plan, tenant, skippedResidents, skippedHouseholds.ToHashSet(StringComparer.Ordinal), text, options, cancellationToken);
            written[plan.Name] = rows;
            skippedRows += skipped;
        }
        return new Result(problems, written, skippedHouseholds, skippedRows, true);
    }

    /// <summary>Writes the problems as a report for people (CSV with a byte order mark, CRLF; opens in Excel as Japanese).</summary>
    public static void WriteReport(IEnumerable<Problem> problems, Stream stream)
    {
        using var csv = CsvWriter.Create(stream, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape });
        csv.WriteHeader(["ファイル", "行", "項目", "規則", "世帯番号"]);
        foreach (var problem in problems)
        {
            csv.WriteRecord([problem.File, problem.Line.ToString(CultureInfo.InvariantCulture), problem.Item, problem.Rule, problem.Household]);
        }
        csv.Flush();
    }

    /// <summary>One file of the layout, its stored entity and how its rows are read.</summary>
    private sealed class FilePlan
    {
        public FilePlan(LayoutFile file, IEntityType entity, string directory, MigrationFormat format)
        {
            File = file;
            Entity = entity;
            Name = MigrationRows.FileName(file, format);
            Path = System.IO.Path.Combine(directory, Name);
            Writers = file.Items.Select(i => Writer(entity, i)).ToArray();
            Key = entity.FindPrimaryKey()!.Properties.Select(p => p.PropertyInfo!).ToArray();
            Resident = entity.ClrType.GetProperty(nameof(PersonVersion.ResidentNumber)) ?? entity.ClrType.GetProperty("ApplicantResidentNumber");
            Household = entity.ClrType.GetProperty(nameof(PersonVersion.HouseholdNumber));
        }

        public LayoutFile File { get; }
        public string Name { get; }
        public IEntityType Entity { get; }
        public string Path { get; }
        public Func<object, string, string?>[] Writers { get; }
        public PropertyInfo[] Key { get; }
        public PropertyInfo? Resident { get; }
        public PropertyInfo? Household { get; }
        public long Stored { get; set; }
        public long Rows { get; set; }

        public string? ResidentOf(object row) => Resident?.GetValue(row) as string is { Length: > 0 } number ? number : null;

        public string? HouseholdOf(object row) => Household?.GetValue(row) as string is { Length: > 0 } number ? number : null;

        public object[] KeyOf(object row) => [.. Key.Select(p => p.GetValue(row)!)];
    }

    /// <summary>What the check has found so far, and who belongs to which household (for leaving households out).</summary>
    private sealed class CheckState(MigrationCodes codes, bool byHousehold)
    {
        public MigrationCodes Codes { get; } = codes;
        public List<Problem> Blocking { get; } = [];
        public List<Problem> ByHousehold { get; } = [];
        public Dictionary<string, HashSet<string>> HouseholdsOf { get; } = new(StringComparer.Ordinal);
        public bool TrackHouseholds { get; } = byHousehold;

        public void Add(Problem problem, FilePlan plan, object row)
        {
            var household = plan.HouseholdOf(row) ?? (plan.ResidentOf(row) is { } resident && HouseholdsOf.TryGetValue(resident, out var households) ? households.Min(StringComparer.Ordinal) : null);
            if (household is null)
            {
                Blocking.Add(problem);
            }
            else
            {
                ByHousehold.Add(problem with { Household = household });
            }
        }

        /// <summary>
        /// The households left out: those with a problem, and with them every household one of
        /// their members ever belonged to (a person is never split across the cut).
        /// </summary>
        public List<string> Skipped()
        {
            var skipped = ByHousehold.Select(p => p.Household).ToHashSet(StringComparer.Ordinal);
            var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (resident, households) in HouseholdsOf)
            {
                foreach (var household in households)
                {
                    (members.TryGetValue(household, out var list) ? list : members[household] = []).Add(resident);
                }
            }
            var pending = new Queue<string>(skipped);
            while (pending.TryDequeue(out var household))
            {
                foreach (var resident in members.GetValueOrDefault(household) ?? [])
                {
                    foreach (var other in HouseholdsOf[resident].Where(skipped.Add))
                    {
                        pending.Enqueue(other);
                    }
                }
            }
            return [.. skipped.Order(StringComparer.Ordinal)];
        }

        public HashSet<string> SkippedResidents(IReadOnlyCollection<string> households)
        {
            var set = households.ToHashSet(StringComparer.Ordinal);
            return HouseholdsOf.Where(r => r.Value.Overlaps(set)).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>How the files' text is read: its encoding, and the 外字 table that maps user-defined codes back.</summary>
    private sealed record FileText(System.Text.Encoding Encoding, GaijiTable? Gaiji, MigrationFormat Format)
    {
        public IRowReader Reader(Stream stream) => MigrationRows.Reader(stream, Format, Encoding);

        public (string Text, string? Problem) Value(string raw) => Gaiji is null ? (raw, null) : Gaiji.Unmap(raw);
    }

    private static FileText TextOf(MigrationLayout layout, string directory, MigrationEncoding encoding, MigrationFormat format, List<Problem> problems)
    {
        if (encoding == MigrationEncoding.Utf8)
        {
            return new FileText(MigrationExporter.Encoding, null, format);
        }
        var path = Path.Combine(directory, layout.GaijiListFile);
        if (!File.Exists(path))
        {
            return new FileText(GaijiTable.Cp932, new GaijiTable(), format);
        }
        try
        {
            using var stream = File.OpenRead(path);
            return new FileText(GaijiTable.Cp932, GaijiTable.Read(stream), format);
        }
        catch (FormatException e)
        {
            problems.Add(new Problem(layout.GaijiListFile, 0, "", e.Message));
            return new FileText(GaijiTable.Cp932, new GaijiTable(), format);
        }
    }

    private static void Check(FilePlan plan, string tenant, CheckState state, FileText text, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            CheckRows(plan, tenant, state, text, progress, cancellationToken);
        }
        catch (System.Text.DecoderFallbackException)
        {
            state.Blocking.Add(new Problem(plan.Name, 0, "", $"{text.Encoding.WebName} として読めないバイトがあります。"));
        }
        catch (System.Xml.XmlException e)
        {
            state.Blocking.Add(new Problem(plan.Name, e.LineNumber, "", $"XML として読めません：{e.Message}"));
        }
    }

    private static void CheckRows(FilePlan plan, string tenant, CheckState state, FileText text, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        using var stream = File.OpenRead(plan.Path);
        using var csv = text.Reader(stream);
        var file = plan.File;
        var expected = file.Items.Select(i => i.Name).ToArray();
        if (csv.Headers is { } headers && !headers.Select(h => text.Value(h).Text).SequenceEqual(expected))
        {
            state.Blocking.Add(new Problem(plan.Name, 1, "", $"見出しが移行レイアウトと違います（{string.Join(",", expected.Take(5))}… の順で {expected.Length} 項目）。"));
            return;
        }
        var keys = new HashSet<(long, long)>();
        var stored = file.Items.Select(i => StoredType(plan.Entity, i)).ToArray();
        var isPerson = plan.Entity.ClrType == typeof(PersonVersion);
        long rows = 0;
        while (csv.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = csv.Line;
            rows++;
            if (csv.FieldCount != expected.Length || csv.RowProblem is not null)
            {
                state.Blocking.Add(new Problem(plan.Name, line, "", csv.RowProblem ?? $"項目の数が {csv.FieldCount} です（{expected.Length} 項目）。"));
                continue;
            }
            var row = NewRow(plan, tenant);
            var found = new List<Problem>();
            for (var i = 0; i < plan.Writers.Length; i++)
            {
                var (value, unlisted) = text.Value(csv.Get(i));
                if ((unlisted ?? plan.Writers[i](row, value) ?? state.Codes.Check(file.Items[i], value, stored[i])) is { } rule)
                {
                    found.Add(new Problem(plan.Name, line, file.Items[i].Name, rule));
                }
            }
            if (isPerson && state.TrackHouseholds && plan.ResidentOf(row) is { } resident && plan.HouseholdOf(row) is { } household)
            {
                (state.HouseholdsOf.TryGetValue(resident, out var households) ? households : state.HouseholdsOf[resident] = new(StringComparer.Ordinal)).Add(household);
            }
            if (found.Count == 0 && !keys.Add(KeyHash(plan.KeyOf(row))))
            {
                found.Add(new Problem(plan.Name, line, string.Join("・", plan.Key.Select(k => file.Items.FirstOrDefault(i => i.Source == k.Name)?.Name ?? k.Name)), "キーが前の行と同じです（同じ行が二度あります）。"));
            }
            foreach (var problem in found)
            {
                state.Add(problem, plan, row);
            }
            if (rows % 10000 == 0)
            {
                progress?.Invoke(new ImportProgress(CheckStage, plan.Name, rows, 0));
            }
        }
        plan.Rows = rows;
        progress?.Invoke(new ImportProgress(CheckStage, plan.Name, rows, rows));
    }

    private static async Task<(long Rows, long Skipped)> WriteAsync(SrsDbContext db, FilePlan plan, string tenant,
        HashSet<string> skippedResidents, HashSet<string> skippedHouseholds, FileText text, ImportOptions options, CancellationToken cancellationToken)
    {
        using var stream = File.OpenRead(plan.Path);
        using var csv = text.Reader(stream);
        long kept = 0, skipped = 0;
        object? last = null;
        var batch = new List<object>(options.BatchRows);
        var retry = options.Storage is null ? null : RegisterTransaction.BuildPipeline(options.Storage, TimeProvider.System);
        var writers = new RowWriters(db);
        while (csv.Read())
        {
            var row = NewRow(plan, tenant);
            for (var i = 0; i < plan.Writers.Length; i++)
            {
                plan.Writers[i](row, text.Value(csv.Get(i)).Text);
            }
            if ((plan.ResidentOf(row) is { } resident && skippedResidents.Contains(resident))
                || (plan.HouseholdOf(row) is { } household && skippedHouseholds.Contains(household)))
            {
                skipped++;
                continue;
            }
            kept++;
            if (kept <= plan.Stored)
            {
                last = row;
                continue;
            }
            if (kept == plan.Stored + 1 && plan.Stored > 0)
            {
                await CheckResumeAsync(db, plan, last!, row, cancellationToken);
            }
            batch.Add(row);
            if (batch.Count >= options.BatchRows)
            {
                await CommitAsync(db, batch, tenant, options.Storage, retry, writers, cancellationToken);
                options.Progress?.Invoke(new ImportProgress(WriteStage, plan.Name, kept, plan.Rows));
            }
        }
        if (kept == plan.Stored && plan.Stored > 0)
        {
            await CheckResumeAsync(db, plan, last!, null, cancellationToken);
        }
        if (kept < plan.Stored)
        {
            throw new MigrationResumeException($"{plan.Name}: 団体に {plan.Stored} 行ありますが、ファイルには {kept} 行しかありません。同じファイルで再開してください。");
        }
        await CommitAsync(db, batch, tenant, options.Storage, retry, writers, cancellationToken);
        options.Progress?.Invoke(new ImportProgress(WriteStage, plan.Name, kept, plan.Rows));
        return (kept, skipped);
    }

    /// <summary>
    /// A resumed file goes on after the rows already stored only when the stored rows are this
    /// file's first rows: the last of them is in the register, the next is not.
    /// </summary>
    private static async Task CheckResumeAsync(SrsDbContext db, FilePlan plan, object last, object? next, CancellationToken cancellationToken)
    {
        var lastStored = await db.FindAsync(plan.Entity.ClrType, plan.KeyOf(last), cancellationToken) is not null;
        var nextStored = next is not null && await db.FindAsync(plan.Entity.ClrType, plan.KeyOf(next), cancellationToken) is not null;
        db.ChangeTracker.Clear();
        if (!lastStored || nextStored)
        {
            throw new MigrationResumeException($"{plan.Name}: 団体にある {plan.Stored} 行がファイルの最初の {plan.Stored} 行と一致しません。止まったときと同じファイルで再開してください。");
        }
    }

    /// <summary>
    /// One batch, one commit (a checkpoint): the rows and the search keys of the persons among
    /// them, written with prepared INSERTs (an import fills an empty city; the change tracker
    /// would only cost), in the engine's writer turn, tried again whole after a transient fault.
    /// </summary>
    private static async Task CommitAsync(SrsDbContext db, List<object> batch, string tenant, IStorageProvider? storage,
        Polly.ResiliencePipeline? retry, RowWriters writers, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var keys = new List<object>();
        foreach (var person in batch.OfType<PersonVersion>())
        {
            PersonMapping.RefreshSearchKeys(person);
            keys.AddRange(PersonMapping.SearchKeys(person).Select(key => new PersonSearchKey
            {
                TenantCode = tenant, Key = key, ResidentNumber = person.ResidentNumber, HistoryNumber = person.HistoryNumber,
            }));
        }
        async ValueTask Once(CancellationToken ct)
        {
            using var turn = storage is null ? null : await storage.EnterWriteAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                var connection = db.Database.GetDbConnection();
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await writers.For(batch[0].GetType()).WriteAsync(connection, transaction, batch, ct);
                if (keys.Count > 0)
                {
                    await writers.For(typeof(PersonSearchKey)).WriteAsync(connection, transaction, keys, ct);
                }
                await transaction.CommitAsync(ct);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        if (retry is null)
        {
            await Once(cancellationToken);
        }
        else
        {
            await retry.ExecuteAsync(Once, cancellationToken);
        }
        batch.Clear();
    }

    /// <summary>The import's writers, one per stored entity, made once.</summary>
    private sealed class RowWriters(SrsDbContext db)
    {
        private readonly Dictionary<Type, BulkRowWriter> _made = [];

        public BulkRowWriter For(Type type) =>
            _made.TryGetValue(type, out var writer) ? writer : _made[type] = new BulkRowWriter(db, db.Model.FindEntityType(type)!);
    }

    private static object NewRow(FilePlan plan, string tenant)
    {
        var row = Activator.CreateInstance(plan.Entity.ClrType)!;
        ((ITenantOwned)row).TenantCode = tenant;
        return row;
    }

    private static (long, long) KeyHash(object[] key)
    {
        var text = string.Join('\u001f', key.Select(k => MigrationExporter.Format(k, "")));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return (BitConverter.ToInt64(hash[..8]), BitConverter.ToInt64(hash[8..16]));
    }

    private static Type StoredType(IEntityType entity, LayoutItem item) => MigrationExporter.Property(entity, item.Source).ClrType;

    /// <summary>Sets one item of a row from its text; answers the rule it breaks, or null.</summary>
    private static Func<object, string, string?> Writer(IEntityType entity, LayoutItem item)
    {
        var dot = item.Source.IndexOf('.', StringComparison.Ordinal);
        var owner = dot < 0 ? null : entity.FindNavigation(item.Source[..dot])!;
        var info = MigrationExporter.Property(entity, item.Source).PropertyInfo!;
        return (row, text) =>
        {
            var (value, rule) = Parse(text, item, info.PropertyType);
            if (rule is not null)
            {
                return rule;
            }
            var target = owner is null ? row : owner.PropertyInfo!.GetValue(row) ?? CreateOwned(owner, row);
            info.SetValue(target, value);
            return null;
        };
    }

    private static object CreateOwned(INavigation owner, object row)
    {
        var created = Activator.CreateInstance(owner.TargetEntityType.ClrType)!;
        owner.PropertyInfo!.SetValue(row, created);
        return created;
    }

    /// <summary>The stored value of one item's text, or the rule it breaks.</summary>
    public static (object? Value, string? Rule) Parse(string text, LayoutItem item, Type stored)
    {
        var target = Nullable.GetUnderlyingType(stored) ?? stored;
        var nullable = Nullable.GetUnderlyingType(stored) is not null;
        if (text.Length == 0 && target != typeof(string) && target != typeof(byte[]))
        {
            return nullable ? (null, null) : (null, "値がありません。");
        }
        if (item.Digits > 0 && text.Length > item.Digits && item.Type is "文字" or "数字")
        {
            return (null, $"{item.Digits} 桁を超えています（{text.Length} 桁）。");
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return (null, "NUL 文字があります。");
        }
        var invariant = CultureInfo.InvariantCulture;
        switch (item.Type)
        {
            case "文字":
                return (text, null);
            case "数字":
                return text.All(char.IsAsciiDigit) ? (text, null) : (null, "数字以外の文字があります。");
            case "整数":
            case "区分":
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var number))
                {
                    return (null, "整数ではありません。");
                }
                return target.IsEnum ? (Enum.ToObject(target, number), null)
                    : target == typeof(int) ? (number is >= int.MinValue and <= int.MaxValue ? ((int)number, null) : (null, "値が大きすぎます。"))
                    : (number, null);
            case "日付":
                return DateOnly.TryParseExact(text, "yyyy-MM-dd", invariant, DateTimeStyles.None, out var date) ? (date, null) : (null, "日付（yyyy-MM-dd）ではありません。");
            case "日時":
                return DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
                    ? (DateTime.SpecifyKind(time, DateTimeKind.Utc), null) : (null, "日時（yyyy-MM-ddTHH:mm:ss.fffffffZ）ではありません。");
            case "真偽":
                return text switch { "1" => (true, null), "0" => (false, null), _ => (null, "1 か 0 ではありません。") };
            case "識別子":
                return Guid.TryParseExact(text, "D", out var id) ? (id, null) : (null, "識別子（UUID）ではありません。");
            case "バイナリ":
                var bytes = new byte[text.Length];
                return Convert.TryFromBase64String(text, bytes, out var written) ? (bytes[..written], null) : (null, "base64 ではありません。");
            default:
                return (null, $"型 {item.Type} は読めません。");
        }
    }
}

/// <summary>A resumed import whose files are not the ones the stopped import stored.</summary>
public sealed class MigrationResumeException(string message) : Exception(message);
