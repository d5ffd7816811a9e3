using System.Data.Common;
using System.Diagnostics;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Benchmarks;

/// <summary>
/// srs-bench --migration: the loaded population (with its history and 除票) exported city by
/// city; then the same files imported into an empty database by the importer, and the same
/// rows inserted raw (one prepared INSERT per row, 5,000 rows a transaction, no checks) into
/// another empty database of the same engine: the importer's rate beside the raw rate, and
/// the process's peak memory while it imports.
/// </summary>
internal static class MigrationBench
{
    private const int RawBatch = 5000;

    public static async Task RunAsync(IServiceProvider services, IStorageProvider storage, string connection, string dataDir, IReadOnlyList<string> cities, int rounds)
    {
        var layout = MigrationLayout.Default();
        var folder = Path.Combine(dataDir, "migration-bench");
        long residents = 0, exportedRows = 0;
        // The first export of a process compiles the queries and getters: a warm-up into a folder of its own, not counted.
        foreach (var city in cities)
        {
            using var scope = services.CreateScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Operator(city));
            MigrationExporter.Export(scope.ServiceProvider.GetRequiredService<SrsDbContext>(), layout, Path.Combine(dataDir, "migration-warm-up", city), storage.ReadSnapshot);
        }
        Directory.Delete(Path.Combine(dataDir, "migration-warm-up"), recursive: true);
        var export = Stopwatch.StartNew();
        foreach (var city in cities)
        {
            using var scope = services.CreateScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Operator(city));
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            var files = MigrationExporter.Export(db, layout, Path.Combine(folder, city), storage.ReadSnapshot);
            exportedRows += files.Where(f => f.File != layout.CodeListFile).Sum(f => f.Rows);
        }
        export.Stop();
        foreach (var city in cities)
        {
            residents += File.ReadLines(Path.Combine(folder, city, "R01_住民.csv")).Skip(1).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).LongCount();
        }
        var personRows = cities.Sum(c => File.ReadLines(Path.Combine(folder, c, "R01_住民.csv")).LongCount() - 1);
        Console.WriteLine($"Export: {residents:N0} residents ({personRows:N0} person versions, {exportedRows:N0} rows in all) in {export.Elapsed.TotalSeconds:F1} s: " +
            $"{residents / export.Elapsed.TotalSeconds:N0} residents/s, {exportedRows / export.Elapsed.TotalSeconds:N0} rows/s.");
        Console.WriteLine();
        Console.WriteLine("| round | raw inserts rows/s | importer rows/s | importer / raw | importer peak working set | peak GC heap |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= rounds; round++)
        {
            var raw = await EmptyAsync(storage, connection, dataDir, $"raw{round}");
            var rawTime = Stopwatch.StartNew();
            long rawRows = 0;
            foreach (var city in cities)
            {
                rawRows += await RawInsertAsync(raw, layout, Path.Combine(folder, city), city);
            }
            rawTime.Stop();

            var target = await EmptyAsync(storage, connection, dataDir, $"import{round}");
            GC.Collect();
            using var sampler = new PeakSampler();
            var importTime = Stopwatch.StartNew();
            long importedRows = 0;
            foreach (var city in cities)
            {
                await using var db = new SrsDbContext(target, Callers(city));
                var result = await MigrationImporter.ImportAsync(db, layout, Path.Combine(folder, city), new ImportOptions { Storage = storage }, CancellationToken.None);
                if (!result.Imported)
                {
                    throw new InvalidOperationException(string.Join("\n", result.Problems.Take(10).Select(p => $"{p.File}:{p.Line} {p.Item} {p.Rule}")));
                }
                importedRows += result.Rows.Values.Sum();
            }
            importTime.Stop();
            var rawRate = rawRows / rawTime.Elapsed.TotalSeconds;
            var importRate = importedRows / importTime.Elapsed.TotalSeconds;
            Console.WriteLine($"| {round} | {rawRate:N0} ({rawRows:N0} rows, {rawTime.Elapsed.TotalSeconds:F1} s) | {importRate:N0} ({importedRows:N0} rows, {importTime.Elapsed.TotalSeconds:F1} s) | " +
                $"{importRate / rawRate:P0} | {sampler.PeakWorkingSet / 1048576:N0} MB | {sampler.PeakHeap / 1048576:N0} MB |");
            await DropAsync(storage, connection, raw);
            await DropAsync(storage, connection, target);
        }
        Directory.Delete(folder, recursive: true);
    }

    private static Caller Operator(string city) => new(city, "bench-migration", "bench", new HashSet<string> { Roles.Operator });

    private static CallerContext Callers(string city)
    {
        var callers = new CallerContext();
        callers.Set(Operator(city));
        return callers;
    }

    /// <summary>A new empty register of the same engine: a SQLite file, or a PostgreSQL database on the same cluster.</summary>
    private static async Task<DbContextOptions<SrsDbContext>> EmptyAsync(IStorageProvider storage, string connection, string dataDir, string name)
    {
        string cs;
        if (storage.Name == "sqlite")
        {
            cs = $"Data Source={Path.Combine(dataDir, name + ".db")}";
        }
        else
        {
            var admin = new Npgsql.NpgsqlConnectionStringBuilder(connection);
            var database = $"{admin.Database}_{name}";
            admin.Database = "postgres";
            await using (var server = new Npgsql.NpgsqlConnection(admin.ConnectionString))
            {
                await server.OpenAsync();
                await using var create = server.CreateCommand();
                create.CommandText = $"DROP DATABASE IF EXISTS \"{database}\"; CREATE DATABASE \"{database}\"";
                await create.ExecuteNonQueryAsync();
            }
            cs = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Database = database }.ConnectionString;
        }
        var builder = new DbContextOptionsBuilder<SrsDbContext>();
        storage.Configure(builder, cs);
        await using var db = new SrsDbContext(builder.Options, new CallerContext());
        await db.Database.MigrateAsync();
        await storage.PrepareAsync(db, CancellationToken.None);
        return builder.Options;
    }

    private static async Task DropAsync(IStorageProvider storage, string connection, DbContextOptions<SrsDbContext> options)
    {
        await using var db = new SrsDbContext(options, new CallerContext());
        if (storage.Name == "sqlite")
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
            {
                File.Delete(path);
            }
            return;
        }
        var database = new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database;
        Npgsql.NpgsqlConnection.ClearAllPools();
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Database = "postgres" };
        await using var server = new Npgsql.NpgsqlConnection(admin.ConnectionString);
        await server.OpenAsync();
        await using var drop = server.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{database}\"";
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The files' rows as plain INSERTs: the same values the importer reads, no checks, no search keys.</summary>
    private static async Task<long> RawInsertAsync(DbContextOptions<SrsDbContext> options, MigrationLayout layout, string folder, string city)
    {
        await using var db = new SrsDbContext(options, Callers(city));
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var sql = db.GetService<ISqlGenerationHelper>();
        long rows = 0;
        foreach (var file in layout.Files)
        {
            var entity = db.Model.GetEntityTypes().Single(e => !e.IsOwned() && e.ClrType.Name == file.Entity);
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var tenant = entity.FindProperty(nameof(ITenantOwned.TenantCode))!;
            var columns = new List<(IProperty Property, LayoutItem? Item)> { (tenant, null) };
            foreach (var item in file.Items)
            {
                var dot = item.Source.IndexOf('.', StringComparison.Ordinal);
                columns.Add((dot < 0 ? entity.FindProperty(item.Source)! : entity.FindNavigation(item.Source[..dot])!.TargetEntityType.FindProperty(item.Source[(dot + 1)..])!, item));
            }
            // Stored values no item carries (the search readings the importer makes again) get an empty value here.
            var carried = columns.Select(c => c.Property).ToHashSet();
            var derived = entity.GetProperties().Where(p => !p.IsShadowProperty() && !carried.Contains(p) && !p.IsNullable).ToList();
            columns.AddRange(derived.Select(p => (p, (LayoutItem?)null)));
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))}) " +
                $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
            using var stream = File.OpenRead(Path.Combine(folder, file.File));
            using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true });
            DbTransaction? transaction = null;
            var inBatch = 0;
            while (csv.Read())
            {
                transaction ??= await connection.BeginTransactionAsync();
                command.Transaction = transaction;
                command.Parameters.Clear();
                for (var i = 0; i < columns.Count; i++)
                {
                    var (property, item) = columns[i];
                    var value = item is not null ? MigrationImporter.Parse(csv.GetString(i - 1), item, property.ClrType).Value
                        : i == 0 ? city : property.ClrType == typeof(string) ? "" : Activator.CreateInstance(property.ClrType);
                    command.Parameters.Add(property.GetRelationalTypeMapping().CreateParameter(command, "p" + i, value, nullable: true));
                }
                await command.ExecuteNonQueryAsync();
                rows++;
                if (++inBatch == RawBatch)
                {
                    await transaction.CommitAsync();
                    await transaction.DisposeAsync();
                    transaction = null;
                    inBatch = 0;
                }
            }
            if (transaction is not null)
            {
                await transaction.CommitAsync();
                await transaction.DisposeAsync();
            }
        }
        return rows;
    }

    /// <summary>The process's peak working set and GC heap, sampled every 50 ms while it lives.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly ITimer _timer;
        private long _workingSet;
        private long _heap;

        // Sampling is real time: the system clock's timer.
        public PeakSampler() => _timer = TimeProvider.System.CreateTimer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));

        public long PeakWorkingSet => Interlocked.Read(ref _workingSet);

        public long PeakHeap => Interlocked.Read(ref _heap);

        private void Sample()
        {
            using var process = Process.GetCurrentProcess();
            Max(ref _workingSet, process.WorkingSet64);
            Max(ref _heap, GC.GetTotalMemory(false));
        }

        private static void Max(ref long peak, long value)
        {
            var seen = Interlocked.Read(ref peak);
            while (value > seen && Interlocked.CompareExchange(ref peak, value, seen) != seen)
            {
                seen = Interlocked.Read(ref peak);
            }
        }

        public void Dispose()
        {
            _timer.Dispose();
            Sample();
        }
    }
}
