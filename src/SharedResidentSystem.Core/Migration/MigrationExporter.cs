using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Migration;

/// <summary>
/// Writes one city's register as the layout's migration files (CSV, UTF-8, CRLF, a header of
/// the items' names): every row of each file's entity in key order, read as a stream (memory
/// stays flat), each value in its item's form; and the code table the coded items use. The
/// city is the one the context is limited to.
/// </summary>
/// <summary>The character encoding of a set of migration files.</summary>
public enum MigrationEncoding
{
    /// <summary>UTF-8 without a byte order mark: every character as it is.</summary>
    Utf8,

    /// <summary>Shift_JIS (CP932), with 外字 given user-defined codes and listed (<see cref="GaijiTable"/>).</summary>
    ShiftJis,
}

public static class MigrationExporter
{
    public sealed record ExportedFile(string File, long Rows);

    /// <summary>
    /// Writes the files. <paramref name="snapshot"/>: the isolation that gives every file the
    /// same moment of the register (one read transaction over all of them) without holding
    /// writers back — the storage provider's <see cref="IStorageProvider.ReadSnapshot"/>.
    /// </summary>
    /// <param name="archive">
    /// The 除票用データベース (9.3): its 除票 go out with the register's, each file in one key order
    /// (a file is the register's rows and the archive's merged; a copy the archive kept of a person
    /// the register holds again is left out), so that what goes out does not depend on where a
    /// 除票 is kept.
    /// </param>
    public static IReadOnlyList<ExportedFile> Export(SrsDbContext db, MigrationLayout layout, string directory, IsolationLevel snapshot = IsolationLevel.RepeatableRead,
        MigrationEncoding encoding = MigrationEncoding.Utf8, MigrationFormat format = MigrationFormat.Csv, SrsDbContext? archive = null)
    {
        var gaiji = encoding == MigrationEncoding.ShiftJis ? new GaijiTable() : null;
        var tenant = db.CurrentTenant ?? throw new InvalidOperationException("The export needs the city's context.");
        Directory.CreateDirectory(directory);
        var written = new List<ExportedFile>();
        db.Database.OpenConnection();
        archive?.Database.OpenConnection();
        try
        {
            using var transaction = db.Database.BeginTransaction(snapshot);
            using var archived = archive?.Database.BeginTransaction(snapshot);
            foreach (var file in layout.Files)
            {
                var entity = db.Model.GetEntityTypes().Single(e => !e.IsOwned() && e.ClrType.Name == file.Entity);
                var name = MigrationRows.FileName(file, format);
                using var stream = File.Create(Path.Combine(directory, name));
                using var rows = MigrationRows.Writer(stream, file, format, gaiji);
                written.Add(new ExportedFile(name, WriteFile(db, ArchivedEntities.Contains(entity.ClrType) ? archive : null, entity, file, tenant, rows, gaiji)));
            }
            archived?.Commit();
            transaction.Commit();
        }
        finally
        {
            archive?.Database.CloseConnection();
            db.Database.CloseConnection();
        }
        using (var codes = File.Create(Path.Combine(directory, layout.CodeListFile)))
        {
            var list = new MigrationCodes(layout);
            using var csv = Writer(codes, gaiji);
            list.Write(csv, text => gaiji?.Map(text) ?? text);
            written.Add(new ExportedFile(layout.CodeListFile, list.Entries().LongCount()));
        }
        if (gaiji is not null)
        {
            using var list = File.Create(Path.Combine(directory, layout.GaijiListFile));
            gaiji.Write(list);
            written.Add(new ExportedFile(layout.GaijiListFile, gaiji.Count));
        }
        return written;
    }

    /// <summary>The entities a 除票 moved to the 除票用データベース is made of (Jobs/RemovedRecordsArchiving).</summary>
    private static readonly HashSet<Type> ArchivedEntities = [typeof(PersonVersion), typeof(PersonSearchKey), typeof(Idou)];

    /// <summary>
    /// One file: the city's rows of the entity in key order, read with a plain data reader over
    /// the mapped columns (a city is millions of values; materialising entities would be the
    /// cost), each value as the model holds it (the column's converter applied) in its item's form;
    /// with <paramref name="archive"/>, its rows merged in by key (the register's row where both hold one).
    /// </summary>
    private static long WriteFile(SrsDbContext db, SrsDbContext? archive, IEntityType entity, LayoutFile file, string tenant, IRowWriter csv, GaijiTable? gaiji)
    {
        csv.Header([.. file.Items.Select(i => gaiji?.Map(i.Name) ?? i.Name)]);
        var rows = Read(db, entity, file, tenant, gaiji);
        if (archive is not null)
        {
            rows = Merge(rows, Read(archive, entity, file, tenant, gaiji));
        }
        long written = 0;
        foreach (var (_, fields) in rows)
        {
            csv.Row(fields);
            written++;
        }
        return written;
    }

    /// <summary>The city's rows of the entity in key order: each row's key and its items' values in their forms.</summary>
    private static IEnumerable<(object?[] Key, string[] Fields)> Read(SrsDbContext db, IEntityType entity, LayoutFile file, string tenant, GaijiTable? gaiji)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = file.Items.Select(i => Property(entity, i.Source)).ToArray();
        var keys = entity.FindPrimaryKey()!.Properties.ToArray();
        var readers = properties.Concat(keys).Select(ValueReader).ToArray();
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandTimeout = 0;
        var tenantColumn = entity.FindProperty(nameof(ITenantOwned.TenantCode))!;
        command.CommandText = $"SELECT {string.Join(", ", properties.Concat(keys).Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))} " +
            $"FROM {sql.DelimitIdentifier(table.Name, table.Schema)} WHERE {sql.DelimitIdentifier(tenantColumn.GetColumnName(table)!)} = @tenant " +
            $"ORDER BY {string.Join(", ", keys.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))}";
        command.Parameters.Add(tenantColumn.GetRelationalTypeMapping().CreateParameter(command, "tenant", tenant));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var fields = new string[properties.Length];
            for (var i = 0; i < properties.Length; i++)
            {
                fields[i] = Format(readers[i](reader, i), file.Items[i].Type);
                if (gaiji is not null)
                {
                    fields[i] = gaiji.Map(fields[i]);
                }
            }
            var key = new object?[keys.Length];
            for (var k = 0; k < keys.Length; k++)
            {
                key[k] = readers[properties.Length + k](reader, properties.Length + k);
            }
            yield return (key, fields);
        }
    }

    /// <summary>Two row streams in key order as one; where both hold a key, the first's row.</summary>
    private static IEnumerable<(object?[] Key, string[] Fields)> Merge(IEnumerable<(object?[] Key, string[] Fields)> first, IEnumerable<(object?[] Key, string[] Fields)> second)
    {
        using var a = first.GetEnumerator();
        using var b = second.GetEnumerator();
        var hasA = a.MoveNext();
        var hasB = b.MoveNext();
        while (hasA || hasB)
        {
            var order = !hasB ? -1 : !hasA ? 1 : CompareKeys(a.Current.Key, b.Current.Key);
            if (order <= 0)
            {
                yield return a.Current;
                hasB = order == 0 ? b.MoveNext() : hasB;
                hasA = a.MoveNext();
            }
            else
            {
                yield return b.Current;
                hasB = b.MoveNext();
            }
        }
    }

    /// <summary>Keys compared as the engines order them: text by code point, numbers by value.</summary>
    internal static int CompareKeys(object?[] x, object?[] y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var order = (x[i], y[i]) switch
            {
                (string s, string t) => CompareCodePoints(s, t),
                var (u, v) => Comparer<object?>.Default.Compare(u, v),
            };
            if (order != 0)
            {
                return order;
            }
        }
        return 0;
    }

    private static int CompareCodePoints(string s, string t)
    {
        var (i, j) = (0, 0);
        while (i < s.Length && j < t.Length)
        {
            var u = char.IsSurrogatePair(s, i) ? char.ConvertToUtf32(s[i], s[i + 1]) : s[i];
            var v = char.IsSurrogatePair(t, j) ? char.ConvertToUtf32(t[j], t[j + 1]) : t[j];
            if (u != v)
            {
                return u.CompareTo(v);
            }
            i += char.IsSurrogatePair(s, i) ? 2 : 1;
            j += char.IsSurrogatePair(t, j) ? 2 : 1;
        }
        return (s.Length - i).CompareTo(t.Length - j);
    }

    /// <summary>A CSV writer in the files' encoding: UTF-8 as CsvHelper writes it, or CP932 (外字 already mapped).</summary>
    internal static CsvWriter Writer(Stream stream, GaijiTable? gaiji) =>
        gaiji is null ? CsvWriter.Create(stream) : CsvWriter.Create(new StreamWriter(stream, GaijiTable.Cp932));

    /// <summary>The stored property an item's source names ("Town", or "Address.Town" of an owned value).</summary>
    internal static IProperty Property(IEntityType entity, string source)
    {
        var dot = source.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? entity.FindProperty(source)! : entity.FindNavigation(source[..dot])!.TargetEntityType.FindProperty(source[(dot + 1)..])!;
    }

    private static readonly MethodInfo GetFieldValue = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFieldValue))!;

    /// <summary>Reads a column as the model holds its value: the provider's type read, the mapping's converter applied; null for NULL.</summary>
    private static Func<DbDataReader, int, object?> ValueReader(IProperty property)
    {
        var converter = property.GetTypeMapping().Converter;
        var read = converter?.ProviderClrType ?? property.ClrType;
        read = Nullable.GetUnderlyingType(read) ?? read;
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var ordinal = Expression.Parameter(typeof(int), "ordinal");
        var get = Expression.Lambda<Func<DbDataReader, int, object?>>(
            Expression.Convert(Expression.Call(reader, GetFieldValue.MakeGenericMethod(read), ordinal), typeof(object)), reader, ordinal).Compile();
        return converter is null
            ? (r, i) => r.IsDBNull(i) ? null : get(r, i)
            : (r, i) => r.IsDBNull(i) ? null : converter.ConvertFromProvider(get(r, i));
    }

    /// <summary>The city's rows of one stored entity (the context's tenant filter applies).</summary>
    internal static IQueryable<object> Set(SrsDbContext db, IEntityType entity) =>
        (IQueryable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!.MakeGenericMethod(entity.ClrType).Invoke(db, null)!;

    /// <summary>A stored value in its item's form (the importer reads the same forms back).</summary>
    public static string Format(object? value, string type) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "1" : "0",
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        Guid id => id.ToString("D"),
        byte[] bytes => Convert.ToBase64String(bytes),
        Enum code => Convert.ToInt32(code, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"No form for {value.GetType().Name} ({type})."),
    };

    /// <summary>The encoding of the files (UTF-8 without a byte order mark, as CsvHelper writes them).</summary>
    public static Encoding Encoding => new UTF8Encoding(false);
}
