using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Security;

namespace SharedResidentSystem.Core.Storage;

/// <summary>
/// Where the 除票用データベース (9.3) is: options of a register context of the same engine and model
/// over its own connection (a database of its own, or a schema of the register's database).
/// </summary>
public sealed record ArchiveLocation(DbContextOptions<SrsDbContext> Options, string ConnectionString);

/// <summary>
/// The 除票用データベース (9.3) of one call: a register context over the archive, limited to the
/// caller's city like the register's own. It holds the 除票 the 除票移行 job moved there (every
/// version of each, their search keys and the 異動 that made them) until their retention ends;
/// reads of the register fall back to it (Residents/ResidentQueries), writes never reach it.
/// </summary>
public sealed class RemovedRecordsArchive(ArchiveLocation location, CallerContext caller) : IDisposable, IAsyncDisposable
{
    private SrsDbContext? _db;

    public SrsDbContext Db => _db ??= new SrsDbContext(location.Options, caller);

    /// <summary>Whether the archive holds the resident (a 除票 moved there).</summary>
    public Task<bool> HoldsAsync(string residentNumber, CancellationToken cancellationToken) =>
        Db.PersonVersions.AsNoTracking().AnyAsync(p => p.ResidentNumber == residentNumber, cancellationToken);

    public void Dispose() => _db?.Dispose();

    public ValueTask DisposeAsync() => _db?.DisposeAsync() ?? ValueTask.CompletedTask;
}
