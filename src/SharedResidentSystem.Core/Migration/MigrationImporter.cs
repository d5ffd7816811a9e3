using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Migration;

/// <summary>
/// Reads a city's migration files into its empty register: every file is checked first, and
/// nothing is written when anything is wrong (each problem names the file, the line, the item
/// and the rule, in Japanese); otherwise every row is added in one transaction, with the search
/// readings and keys made again from the names. The city is the one the context is limited to.
/// </summary>
public static class MigrationImporter
{
    public sealed record Problem(string File, int Line, string Item, string Rule);

    public sealed record Result(IReadOnlyList<Problem> Problems, IReadOnlyDictionary<string, long> Rows)
    {
        public bool Imported => Problems.Count == 0;
    }

    public static async Task<Result> ImportAsync(SrsDbContext db, MigrationLayout layout, string directory, CancellationToken cancellationToken)
    {
        var tenant = db.CurrentTenant ?? throw new InvalidOperationException("The import needs the city's context.");
        var problems = new List<Problem>();
        var rows = new Dictionary<string, List<object>>(StringComparer.Ordinal);
        foreach (var file in layout.Files)
        {
            var entity = db.Model.GetEntityTypes().Single(e => !e.IsOwned() && e.ClrType.Name == file.Entity);
            if (await AnyAsync(db, entity, cancellationToken))
            {
                problems.Add(new Problem(file.File, 0, "", $"移行先の団体 {tenant} に {file.Title} が既にあります。空の団体にだけ取り込めます。"));
            }
            var path = Path.Combine(directory, file.File);
            if (!File.Exists(path))
            {
                problems.Add(new Problem(file.File, 0, "", "ファイルがありません。"));
                continue;
            }
            rows[file.File] = Read(path, file, entity, tenant, problems);
        }
        if (problems.Count > 0)
        {
            return new Result(problems, new Dictionary<string, long>());
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (_, list) in rows)
        {
            foreach (var row in list)
            {
                db.Add(row);
                if (row is PersonVersion person)
                {
                    PersonMapping.RefreshSearchKeys(person);
                    db.PersonSearchKeys.AddRange(PersonMapping.SearchKeys(person).Select(key => new PersonSearchKey
                    {
                        TenantCode = tenant, Key = key, ResidentNumber = person.ResidentNumber, HistoryNumber = person.HistoryNumber,
                    }));
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        await transaction.CommitAsync(cancellationToken);
        return new Result([], rows.ToDictionary(r => r.Key, r => (long)r.Value.Count, StringComparer.Ordinal));
    }

    private static List<object> Read(string path, LayoutFile file, IEntityType entity, string tenant, List<Problem> problems)
    {
        var rows = new List<object>();
        using var stream = File.OpenRead(path);
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true });
        var expected = file.Items.Select(i => i.Name).ToArray();
        if (!csv.Headers.SequenceEqual(expected))
        {
            problems.Add(new Problem(file.File, 1, "", $"見出しが移行レイアウトと違います（{string.Join(",", expected.Take(5))}… の順で {expected.Length} 項目）。"));
            return rows;
        }
        var writers = file.Items.Select(i => Writer(entity, i)).ToArray();
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (csv.FieldCount != expected.Length)
            {
                problems.Add(new Problem(file.File, line, "", $"項目の数が {csv.FieldCount} です（{expected.Length} 項目）。"));
                continue;
            }
            var row = Activator.CreateInstance(entity.ClrType)!;
            ((ITenantOwned)row).TenantCode = tenant;
            for (var i = 0; i < writers.Length; i++)
            {
                var rule = writers[i](row, csv.GetString(i));
                if (rule is not null)
                {
                    problems.Add(new Problem(file.File, line, file.Items[i].Name, rule));
                }
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Sets one item of a row from its text; answers the rule it breaks, or null.</summary>
    private static Func<object, string, string?> Writer(IEntityType entity, LayoutItem item)
    {
        var dot = item.Source.IndexOf('.', StringComparison.Ordinal);
        var owner = dot < 0 ? null : entity.FindNavigation(item.Source[..dot])!;
        var property = owner is null ? entity.FindProperty(item.Source)! : owner.TargetEntityType.FindProperty(item.Source[(dot + 1)..])!;
        var info = property.PropertyInfo!;
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

    private static Task<bool> AnyAsync(SrsDbContext db, IEntityType entity, CancellationToken cancellationToken) =>
        MigrationExporter.Set(db, entity).AnyAsync(cancellationToken);
}
