using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Storage.Sqlite;

/// <summary>SQLite: the embedded default, a file under the data directory.</summary>
public sealed class SqliteStorageProvider : IStorageProvider, IDisposable
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int PrimaryKeyViolation = 1555;
    private const int UniqueViolation = 2067;

    public string Name => "sqlite";

    public void Configure(DbContextOptionsBuilder builder, string connectionString, string? historyTable = null) =>
        builder.UseSqlite(connectionString, o =>
        {
            o.MigrationsAssembly(typeof(SqliteStorageProvider).Assembly.GetName().Name);
            if (historyTable is not null)
            {
                o.MigrationsHistoryTable(historyTable);
            }
        });

    // A deferred transaction (what Microsoft.Data.Sqlite begins for ReadUncommitted): its first
    // read fixes the snapshot the write-ahead log keeps for it, and no writer waits for it.
    public System.Data.IsolationLevel ReadSnapshot => System.Data.IsolationLevel.ReadUncommitted;

    public bool IsTransient(Exception exception) =>
        StorageFaults.FindDbException(exception) is SqliteException e && (e.SqliteErrorCode is Busy or Locked || e.SqliteExtendedErrorCode is PrimaryKeyViolation or UniqueViolation);

    // One writer at a time per process; SQLite would otherwise let writers poll for the lock.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        return new Release(_writer);
    }

    public void Dispose() => _writer.Dispose();

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }

    /// <summary>A file beside the register's: srs.db → srs-archive.db.</summary>
    public string? DefaultArchiveConnectionString(string registerConnectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(registerConnectionString);
        var file = builder.DataSource;
        builder.DataSource = Path.Combine(Path.GetDirectoryName(file) ?? "", Path.GetFileNameWithoutExtension(file) + "-archive" + Path.GetExtension(file));
        return builder.ConnectionString;
    }

    /// <summary>The file, by its full path.</summary>
    public string StoreIdentity(string connectionString) =>
        Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource);

    public async Task PrepareAsync(SrsDbContext db, CancellationToken cancellationToken)
    {
        // Write-ahead logging lets readers go on while one writer commits.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}

/// <summary>Lets `dotnet ef migrations add` build the model for SQLite.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SrsDbContext>
{
    public SrsDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SrsDbContext>();
        new SqliteStorageProvider().Configure(builder, "Data Source=design-time.db");
        return new SrsDbContext(builder.Options, new CallerContext());
    }
}

/// <summary>Lets `dotnet ef migrations add --context StaffDbContext` build the staff store's model.</summary>
public sealed class SqliteStaffDesignTimeFactory : IDesignTimeDbContextFactory<SharedResidentSystem.Core.Staff.StaffDbContext>
{
    public SharedResidentSystem.Core.Staff.StaffDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SharedResidentSystem.Core.Staff.StaffDbContext>();
        new SqliteStorageProvider().Configure(builder, "Data Source=design-time.db", SharedResidentSystem.Core.Staff.StaffDbContext.HistoryTable);
        return new SharedResidentSystem.Core.Staff.StaffDbContext(builder.Options);
    }
}
