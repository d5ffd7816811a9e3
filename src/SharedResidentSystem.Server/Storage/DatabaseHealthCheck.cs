using Microsoft.Extensions.Diagnostics.HealthChecks;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Storage;

/// <summary>grpc.health.v1 reports SERVING only while the database answers.</summary>
public sealed class DatabaseHealthCheck(SrsDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("database reachable")
                : HealthCheckResult.Unhealthy("database unreachable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database unreachable", e);
        }
    }
}
