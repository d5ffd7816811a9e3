using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Analytics;

/// <summary>
/// The EUC copies (10.1) of each city: {DataDirectory}/euc/{city}/{job}/, one Parquet file per
/// table of the source (and one per access-table item it holds apart), with manifest.json; the
/// file "current" names the newest finished copy. A copy is built beside the others and named
/// current only when whole, so an extraction never reads a half-made one; the copy before it is
/// kept for extractions still reading it, older ones are deleted.
/// </summary>
public sealed class EucSnapshots(IOptions<ServerOptions> options)
{
    public const string ManifestFile = "manifest.json";
    private const string CurrentFile = "current";

    /// <summary>One item of a table: as the layout gives it, with the file part it is kept in ("" the table's own, else the access-table item that hides it).</summary>
    public sealed record Item(string Name, string Type, int Digits, bool Gaiji, string Code, string Part);

    public sealed record Table(string Name, string Title, string Entity, long Rows, IReadOnlyList<Item> Items, string? PersonKey, string? HistoryKey, string? StateKey)
    {
        /// <summary>The file a part of the table is kept in.</summary>
        public string File(string part) => part.Length == 0 ? $"{Name}.parquet" : $"{Name}.{part}.parquet";

        public IEnumerable<string> Parts => Items.Select(i => i.Part).Distinct();
    }

    /// <summary>A finished copy: when the register was read, by which job, and its tables.</summary>
    public sealed record Manifest(DateTime TakenAt, long Job, IReadOnlyList<Table> Tables, IReadOnlyList<string> Withheld);

    /// <summary>A copy ready to read: its folder and manifest.</summary>
    public sealed record Snapshot(string Folder, Manifest Manifest);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string CityFolder(string tenant) => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "euc", tenant);

    /// <summary>The folder a job builds its copy in.</summary>
    public string Building(string tenant, long job) => Path.Combine(CityFolder(tenant), job.ToString("D6", CultureInfo.InvariantCulture) + ".building");

    /// <summary>The city's newest finished copy, or null when none has been made.</summary>
    public Snapshot? Current(string tenant)
    {
        var pointer = Path.Combine(CityFolder(tenant), CurrentFile);
        if (!File.Exists(pointer))
        {
            return null;
        }
        var folder = Path.Combine(CityFolder(tenant), File.ReadAllText(pointer).Trim());
        var manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(Path.Combine(folder, ManifestFile)), Json)!;
        return new Snapshot(folder, manifest);
    }

    /// <summary>
    /// Makes the tables of a migration export (CSV, UTF-8, the layout's files) into the copy's
    /// Parquet files, each column typed as its item's データ型 (日時 as 日本時間), the withheld items
    /// left out and the hidden ones in their own files; <paramref name="only"/> one file of the layout.
    /// </summary>
    public static IReadOnlyList<Table> Convert(MigrationLayout layout, string csvFolder, string folder, string? only = null)
    {
        var tables = new List<Table>();
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, "SET threads = 1");
        foreach (var file in layout.Files.Where(f => EucData.Entities.Contains(f.Entity) && (only is null || f.Id == only)))
        {
            var items = file.Items.Where(i => EucData.Included(file, i))
                .Select(i => new Item(i.Name, i.Type, i.Digits, i.Gaiji, i.Code ?? "", EucData.HiddenBy(i))).ToList();
            var table = new Table(EucData.TableName(file), file.Title, file.Entity, 0, items,
                file.Items.FirstOrDefault(i => i.Source == "ResidentNumber")?.Name, file.Entity == "PersonVersion" ? file.Items.FirstOrDefault(i => i.Source == "HistoryNumber")?.Name : null,
                file.Entity == "PersonVersion" ? file.Items.FirstOrDefault(i => i.Source == "State")?.Name : null);
            var csv = Literal(Path.Combine(csvFolder, file.File));
            foreach (var part in table.Parts)
            {
                var columns = items.Where(i => i.Part == part).Select(i => $"{Expression(i)} AS {Core.Analytics.WizardSql.Quote(i.Name)}");
                Execute(connection, $"COPY (SELECT {string.Join(", ", columns)} FROM read_csv({csv}, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', " +
                    $"parallel = false)) TO {Literal(Path.Combine(folder, table.File(part)))} (FORMAT parquet, COMPRESSION zstd)");
            }
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM read_parquet({Literal(Path.Combine(folder, table.File(table.Parts.First())))})";
            tables.Add(table with { Rows = System.Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) });
        }
        return tables;
    }

    /// <summary>A text column of the export as its item's type: the export's forms (1/0, yyyy-MM-dd, ISO UTC) read, 日時 moved to 日本時間.</summary>
    private static string Expression(Item item)
    {
        var column = Core.Analytics.WizardSql.Quote(item.Name);
        return item.Type switch
        {
            "日時" => $"CAST(substr({column}, 1, 26) AS TIMESTAMP) + INTERVAL 9 HOUR",
            "真偽" => $"CASE {column} WHEN '1' THEN true WHEN '0' THEN false END",
            _ when EucData.ColumnType(item.Type) is var type && type != "VARCHAR" => $"CAST({column} AS {type})",
            _ => column,
        };
    }

    /// <summary>Names a finished copy current (its manifest written first), then deletes all but it and the one before (and what failed jobs left).</summary>
    public void Publish(string tenant, long job, Manifest manifest)
    {
        var building = Building(tenant, job);
        File.WriteAllText(Path.Combine(building, ManifestFile), JsonSerializer.Serialize(manifest, Json));
        var name = job.ToString("D6", CultureInfo.InvariantCulture);
        var finished = Path.Combine(CityFolder(tenant), name);
        if (Directory.Exists(finished))
        {
            Directory.Delete(finished, recursive: true);
        }
        Directory.Move(building, finished);
        var pointer = Path.Combine(CityFolder(tenant), CurrentFile);
        var previous = File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : "";
        File.WriteAllText(pointer + ".new", name);
        File.Move(pointer + ".new", pointer, overwrite: true);
        foreach (var old in Directory.EnumerateDirectories(CityFolder(tenant)))
        {
            var folder = Path.GetFileName(old);
            // One copy of a city is made at a time: another building folder is a failed or cancelled job's (its export holds personal data).
            if (folder != name && folder != previous)
            {
                Directory.Delete(old, recursive: true);
            }
        }
    }

    internal static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A path or text as a SQL string literal.</summary>
    internal static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
