using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Server.Storage;

/// <summary>
/// Before the server listens: apply the provider's migrations, then record each city's
/// configuration file as a new configuration version when it differs from the last one.
/// </summary>
public static class StorageStartup
{
    public static async Task InitializeStorageAsync(this IHost app, CancellationToken cancellationToken)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
        var provider = scope.ServiceProvider.GetRequiredService<IStorageProvider>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        await db.Database.MigrateAsync(cancellationToken);
        await provider.PrepareAsync(db, cancellationToken);
        foreach (var tenant in scope.ServiceProvider.GetRequiredService<TenantDirectory>().All)
        {
            await RecordConfigurationAsync(app.Services, tenant, time, cancellationToken);
        }
    }

    private static async Task RecordConfigurationAsync(IServiceProvider services, TenantDefinition tenant, TimeProvider time, CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant.Code, "system", "startup", new HashSet<string>()));
        var transaction = scope.ServiceProvider.GetRequiredService<RegisterTransaction>();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(tenant.Document)));
        await transaction.RunAsync(async ct =>
        {
            var latest = await transaction.Db.TenantConfigVersions.OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
            if (latest?.DocumentHash == hash)
            {
                return false;
            }
            transaction.Db.TenantConfigVersions.Add(new TenantConfigVersion
            {
                TenantCode = tenant.Code,
                Version = (latest?.Version ?? 0) + 1,
                EffectiveFrom = tenant.EffectiveFrom,
                Document = tenant.Document,
                DocumentHash = hash,
                Author = "config-file",
                Reason = $"loaded from {Path.GetFileName(tenant.SourceFile)}",
                RecordedAt = time.GetUtcNow().UtcDateTime,
            });
            return true;
        }, cancellationToken);
    }
}
