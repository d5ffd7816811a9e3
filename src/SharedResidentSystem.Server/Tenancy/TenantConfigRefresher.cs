using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Tenancy;

/// <summary>
/// Keeps the directory of cities and configuration versions in step with the database: at
/// start, right after a change made through this instance, and every few seconds for
/// changes made through another instance.
/// </summary>
public sealed partial class TenantConfigRefresher(IServiceScopeFactory scopes, TenantDirectory directory, IOptions<ServerOptions> options, ILogger<TenantConfigRefresher> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            var skipped = new List<string>();
            directory.Replace(await TenantConfigChanges.LoadAllAsync(db, directory, cancellationToken, skipped));
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
