using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Migration;

/// <summary>
/// Writes one city's register as the layout's migration files (CSV, UTF-8, CRLF, a header of
/// the items' names): every row of each file's entity in key order, read as a stream (memory
/// stays flat), each value in its item's form; and the code table the coded items use. The
/// city is the one the context is limited to.
/// </summary>
public static class MigrationExporter
{
    public sealed record ExportedFile(string File, long Rows);

    public static IReadOnlyList<ExportedFile> Export(SrsDbContext db, MigrationLayout layout, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<ExportedFile>();
        foreach (var file in layout.Files)
        {
            var entity = db.Model.GetEntityTypes().Single(e => !e.IsOwned() && e.ClrType.Name == file.Entity);
            var readers = file.Items.Select(i => Reader(entity, i)).ToArray();
            using var stream = File.Create(Path.Combine(directory, file.File));
            using var csv = CsvWriter.Create(stream);
            csv.WriteHeader([.. file.Items.Select(i => i.Name)]);
            long rows = 0;
            var fields = new string[readers.Length];
            foreach (var row in Rows(db, entity))
            {
                for (var i = 0; i < readers.Length; i++)
                {
                    fields[i] = readers[i](row);
                }
                csv.WriteRecord(fields);
                rows++;
            }
            csv.Flush();
            written.Add(new ExportedFile(file.File, rows));
        }
        using (var codes = File.Create(Path.Combine(directory, layout.CodeListFile)))
        {
            var list = new MigrationCodes(layout);
            list.Write(codes);
            written.Add(new ExportedFile(layout.CodeListFile, list.Entries().LongCount()));
        }
        return written;
    }

    /// <summary>The entity's rows of the city, in key order, streamed.</summary>
    private static System.Collections.IEnumerable Rows(SrsDbContext db, IEntityType entity)
    {
        var set = Set(db, entity);
        var query = set.Expression;
        var first = true;
        foreach (var key in entity.FindPrimaryKey()!.Properties)
        {
            var parameter = Expression.Parameter(entity.ClrType, "e");
            var selector = Expression.Lambda(Expression.Property(parameter, key.PropertyInfo!), parameter);
            query = Expression.Call(typeof(Queryable), first ? nameof(Queryable.OrderBy) : nameof(Queryable.ThenBy), [entity.ClrType, key.ClrType], query, Expression.Quote(selector));
            first = false;
        }
        var ordered = set.Provider.CreateQuery(query);
        var noTracking = typeof(EntityFrameworkQueryableExtensions).GetMethod(nameof(EntityFrameworkQueryableExtensions.AsNoTracking))!.MakeGenericMethod(entity.ClrType);
        return (System.Collections.IEnumerable)noTracking.Invoke(null, [ordered])!;
    }

    /// <summary>The city's rows of one stored entity (the context's tenant filter applies).</summary>
    internal static IQueryable<object> Set(SrsDbContext db, IEntityType entity) =>
        (IQueryable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!.MakeGenericMethod(entity.ClrType).Invoke(db, null)!;

    /// <summary>Reads one item of a row as the layout writes it.</summary>
    private static Func<object, string> Reader(IEntityType entity, LayoutItem item)
    {
        var dot = item.Source.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            var property = entity.FindProperty(item.Source)!.PropertyInfo!;
            return row => Format(property.GetValue(row), item.Type);
        }
        var owner = entity.FindNavigation(item.Source[..dot])!.PropertyInfo!;
        var inner = entity.FindNavigation(item.Source[..dot])!.TargetEntityType.FindProperty(item.Source[(dot + 1)..])!.PropertyInfo!;
        return row => owner.GetValue(row) is { } value ? Format(inner.GetValue(value), item.Type) : "";
    }

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
