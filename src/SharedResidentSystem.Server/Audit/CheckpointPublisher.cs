using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Audit;

/// <summary>
/// Every few minutes (Audit:CheckpointMinutes), and when the server stops, writes the head of
/// every city's chain (and of the joint system's) into the <see cref="CheckpointStore"/> outside
/// the database, signed, when it has moved since the last one.
/// </summary>
public sealed partial class CheckpointPublisher(IServiceScopeFactory scopes, CheckpointStore store, TenantDirectory tenants, TimeProvider time,
    IOptions<AuditOptions> options, ILogger<CheckpointPublisher> logger) : BackgroundService
{
    private readonly Dictionary<string, long> _published = new(StringComparer.Ordinal);

    /// <summary>Writes a checkpoint for every chain whose head has moved; the number written.</summary>
    public async Task<int> PublishAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var tenant in tenants.Codes.Append(SrsClaims.JointSystem))
        {
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant, "checkpoint", "server", new HashSet<string>()));
            var head = await new AuditQueries(scope.ServiceProvider.GetRequiredService<SrsDbContext>()).HeadAsync(cancellationToken);
            if (head is null || _published.GetValueOrDefault(tenant) == head.Sequence)
            {
                continue;
            }
            await store.AppendAsync(store.Sign(tenant, head.Sequence, head.Hash, time.GetUtcNow().UtcDateTime), cancellationToken);
            _published[tenant] = head.Sequence;
            written++;
        }
        return written;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromMinutes(options.Value.CheckpointMinutes);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(every, stoppingToken);
                await PublishQuietlyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await PublishQuietlyAsync(CancellationToken.None);
    }

    private async Task PublishQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "Access-log checkpoints could not be written")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
