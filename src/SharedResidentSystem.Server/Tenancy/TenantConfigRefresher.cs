using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Tenancy;

/// <summary>
/// Keeps the directory of cities and configuration versions in step with the database: at
/// start, right after a change made through this instance, and every few seconds for
/// changes made through another instance (seen by the change marker, not by reading every version).
/// </summary>
public sealed partial class TenantConfigRefresher(IServiceScopeFactory scopes, TenantDirectory directory, IOptions<ServerOptions> options, ILogger<TenantConfigRefresher> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (int Count, DateTime? Last)? _marker;
    private long _loads;

    /// <summary>How many times the versions were read (the change marker moved, or at start).</summary>
    public long Loads => Interlocked.Read(ref _loads);

    /// <summary>
    /// Reads the change marker; only when it moved (a version was added through any instance)
    /// are the versions read, and of those only the documents not loaded yet.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            var marker = await TenantConfigChanges.MarkerAsync(db, cancellationToken);
            if (marker == _marker)
            {
                return;
            }
            var skipped = new List<string>();
            directory.Replace(await TenantConfigChanges.LoadAllAsync(db, directory, cancellationToken, skipped));
            _marker = marker;
            Interlocked.Increment(ref _loads);
            foreach (var version in skipped)
            {
                LogVersionSkipped(logger, version);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ConfigRefreshSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The versions already loaded stay in effect; the next tick tries again.
                LogReloadFailed(logger, e);
            }
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "A stored configuration version is not valid under the current schema and is not used: {Version}")]
    private static partial void LogVersionSkipped(ILogger logger, string version);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Reloading the cities' configuration failed; the loaded versions stay in effect.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
