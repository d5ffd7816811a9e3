using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Telemetry;

namespace SharedResidentSystem.Server.Common;

/// <summary>
/// Commits the access-log entries of reads in batches: each read waits until its entry is
/// durable (a response never leaves without it), while many reads share one commit. Entries
/// of writes do not come here; they commit in the write's own transaction.
/// </summary>
public sealed partial class BatchedAccessLog(IServiceScopeFactory scopes, IStorageProvider storage, ILogger<BatchedAccessLog> logger) : BackgroundService
{
    private const int MaxBatch = 512;

    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Pending(Caller Caller, AccessRecord Record, TaskCompletionSource Done);

    /// <summary>Returns once the entry is committed; throws when it could not be.</summary>
    public async Task AppendAsync(Caller caller, AccessRecord record, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_channel.Writer.TryWrite(new Pending(caller, record, done)))
        {
            throw new InvalidOperationException("The access log is closed; the server is stopping.");
        }
        // The caller may stop waiting, but the entry is still written: the read happened.
        await done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                await CommitAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Shutting down: write what is still queued, refuse what comes later.
        _channel.Writer.TryComplete();
        batch.Clear();
        while (reader.TryRead(out var item))
        {
            batch.Add(item);
        }
        if (batch.Count > 0)
        {
            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        // Every city's entries of the batch in one transaction (one durable commit however many
        // cities the reads came from), the chains taken in the order of their codes so that two
        // instances never wait on each other's.
        var tenants = batch.GroupBy(p => p.Caller.TenantCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.ToList())).ToList();
        if (tenants.Count > 1)
        {
            var together = await TryCommitAsync(tenants);
            if (together is null || storage.IsTransient(together))
            {
                foreach (var (_, entries) in tenants)
                {
                    Settle(entries, together);
                }
                return;
            }
            // Not the database but something in the batch: each city alone (and then each entry).
        }
        foreach (var tenant in batch.GroupBy(p => p.Caller.TenantCode))
        {
            var entries = tenant.ToList();
            var failure = await TryCommitAsync(tenant.Key, entries);
            if (failure is not null && entries.Count > 1 && !storage.IsTransient(failure))
            {
                // Not the database but something in the batch: each entry alone, so that one
                // entry that cannot be written never fails the reads of the others.
                foreach (var pending in entries)
                {
                    Settle([pending], await TryCommitAsync(tenant.Key, [pending]));
                }
                continue;
            }
            Settle(entries, failure);
        }
    }

    private void Settle(List<Pending> entries, Exception? failure)
    {
        if (failure is not null)
        {
            var withheld = WithheldException.Of(failure);
            LogFailed(logger, withheld, entries[0].Caller.TenantCode, entries.Count);
        }
        foreach (var pending in entries)
        {
            if (failure is null)
            {
                pending.Done.TrySetResult();
            }
            else
            {
                pending.Done.TrySetException(failure);
            }
        }
    }

    /// <summary>Commits the entries of one city in one transaction; the failure, or null.</summary>
    private Task<Exception?> TryCommitAsync(string tenant, List<Pending> entries) => TryCommitAsync([(tenant, entries)]);

    /// <summary>
    /// Commits the entries of the cities given in one transaction; the failure, or null. Each
    /// city's entries are written through a scope of that city (its query filter, its chain),
    /// the cities after the first joining the first one's connection and transaction.
    /// </summary>
    private async Task<Exception?> TryCommitAsync(List<(string Tenant, List<Pending> Entries)> tenants)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = "committed";
        try
        {
            using var scope = CityScope(tenants[0].Tenant);
            var transaction = scope.ServiceProvider.GetRequiredService<RegisterTransaction>();
            var writer = scope.ServiceProvider.GetRequiredService<AccessLogWriter>();
            await transaction.RunAsync(async ct =>
            {
                foreach (var pending in tenants[0].Entries)
                {
                    await writer.AppendAsync(pending.Caller, pending.Record, ct);
                }
                var database = transaction.Db.Database;
                foreach (var (tenant, entries) in tenants.Skip(1))
                {
                    using var joined = CityScope(tenant);
                    var db = joined.ServiceProvider.GetRequiredService<SrsDbContext>();
                    db.Database.SetDbConnection(database.GetDbConnection());
                    await db.Database.UseTransactionAsync(database.CurrentTransaction!.GetDbTransaction(), ct);
                    var cityWriter = joined.ServiceProvider.GetRequiredService<AccessLogWriter>();
                    foreach (var pending in entries)
                    {
                        await cityWriter.AppendAsync(pending.Caller, pending.Record, ct);
                    }
                    await db.SaveChangesAsync(ct);
                }
                return true;
            }, CancellationToken.None);
            return null;
        }
        catch (Exception e)
        {
            outcome = "failed";
            return e;
        }
        finally
        {
            var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            foreach (var (tenant, entries) in tenants)
            {
                var tags = new TagList { { "srs.city", tenant }, { "srs.outcome", outcome } };
                SrsTelemetry.AuditCommitDuration.Record(seconds, tags);
                SrsTelemetry.AuditCommitEntries.Record(entries.Count, tags);
            }
        }
    }

    private IServiceScope CityScope(string tenant)
    {
        var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant, "access-log", "server", new HashSet<string>()));
        return scope;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "Access-log entries of tenant {Tenant} could not be written ({Count}); their reads fail")]
    private static partial void LogFailed(ILogger logger, Exception exception, string tenant, int count);
}
