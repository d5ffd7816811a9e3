using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace SharedResidentSystem.Core.Storage;

/// <summary>
/// One database engine: how to configure the model for it (with its own migrations
/// assembly) and which of its faults are worth retrying.
/// </summary>
public interface IStorageProvider
{
    /// <summary>The name used in configuration (Storage:Provider).</summary>
    string Name { get; }

    /// <summary>
    /// Configures a context for this engine with migrations from the provider's assembly;
    /// <paramref name="historyTable"/> names the migrations history table of a context other
    /// than the register's (the staff store keeps its own).
    /// </summary>
    void Configure(DbContextOptionsBuilder builder, string connectionString, string? historyTable = null);

    /// <summary>
    /// True for a fault that a fresh attempt of the whole transaction may not meet again:
    /// a dropped connection, a deadlock, a busy database, or a lost race on a unique key.
    /// </summary>
    bool IsTransient(Exception exception);

    /// <summary>
    /// The isolation of a long read that must see one moment of the register across many
    /// statements (a migration export) without holding writers back.
    /// </summary>
    System.Data.IsolationLevel ReadSnapshot => System.Data.IsolationLevel.RepeatableRead;

    /// <summary>Work to do once after migrations (e.g. journal mode).</summary>
    Task PrepareAsync(SrsDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Waits for this process's turn to write, where the engine allows one writer at a time
    /// (SQLite): a fair queue instead of the engine's busy polling. Dispose to release.
    /// </summary>
    ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable>(NoLock.Instance);

    /// <summary>
    /// Serialises appends to one city's access-log chain until the transaction ends, so that
    /// two writers never read the same head.
    /// </summary>
    Task LockAuditChainAsync(SrsDbContext db, string tenant, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Serialises the writes of one request_id until the transaction ends, wherever they run:
    /// a request sent to two instances at once is decided by the first, and the second, let in
    /// after it committed, finds its answer. (One process with SQLite has one writer at a time.)
    /// </summary>
    Task LockRequestAsync(SrsDbContext db, string tenant, string requestId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Collation that orders search keys by code point (null: the column default does).</summary>
    string? OrdinalCollation => null;

    /// <summary>
    /// Where the 除票用データベース (9.3) is when none is configured, from the register's
    /// connection string: null when this engine needs it configured.
    /// </summary>
    string? DefaultArchiveConnectionString(string registerConnectionString) => null;

    /// <summary>What names one store (database and schema): two connections with the same identity reach the same tables.</summary>
    string StoreIdentity(string connectionString) => connectionString;

    /// <summary>What the archive's migrations need first (the schema its connection names).</summary>
    Task PrepareArchiveAsync(string archiveConnectionString, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A lock that is no lock.</summary>
public sealed class NoLock : IDisposable
{
    public static readonly NoLock Instance = new();

    public void Dispose()
    {
    }
}

/// <summary>Shared helpers for providers.</summary>
public static class StorageFaults
{
    /// <summary>Walks the inner exceptions for the first database exception.</summary>
    public static DbException? FindDbException(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException db)
            {
                return db;
            }
        }
        return null;
    }
}
