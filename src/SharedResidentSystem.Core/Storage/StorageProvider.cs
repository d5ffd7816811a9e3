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

    void Configure(DbContextOptionsBuilder builder, string connectionString);

    /// <summary>
    /// True for a fault that a fresh attempt of the whole transaction may not meet again:
    /// a dropped connection, a deadlock, a busy database, or a lost race on a unique key.
    /// </summary>
    bool IsTransient(Exception exception);

    /// <summary>Work to do once after migrations (e.g. journal mode).</summary>
    Task PrepareAsync(SrsDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;
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
