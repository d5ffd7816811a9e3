using Microsoft.Extensions.Diagnostics.HealthChecks;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Storage;

/// <summary>
/// grpc.health.v1 reports SERVING only while the database answers. The check runs in the
/// background (the health publisher, every Server:HealthRefreshSeconds); the health service
/// answers from its last result.
/// </summary>
public sealed class DatabaseHealthCheck(SrsDbContext db, DatabaseHealth health, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        bool reachable;
        Exception? failure = null;
        try
        {
            reachable = await db.Database.CanConnectAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Past the publisher's time limit: unreachable as far as anyone waiting can tell.
            health.Checked(false, time.GetUtcNow());
            throw;
        }
        catch (Exception e)
        {
            (reachable, failure) = (false, e);
        }
        health.Checked(reachable, time.GetUtcNow());
        return reachable ? HealthCheckResult.Healthy("database reachable") : HealthCheckResult.Unhealthy("database unreachable", failure);
    }
}

/// <summary>What the last background check found: how many checks ran, when, and whether the database answered.</summary>
public sealed class DatabaseHealth
{
    private long _checks;
    private int _reachable = -1;

    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>null until the first check has run.</summary>
    public bool? Reachable => Volatile.Read(ref _reachable) switch { -1 => null, 0 => false, _ => true };

    public DateTimeOffset? LastChecked { get; private set; }

    internal void Checked(bool reachable, DateTimeOffset at)
    {
        LastChecked = at;
        Volatile.Write(ref _reachable, reachable ? 1 : 0);
        Interlocked.Increment(ref _checks);
    }
}
