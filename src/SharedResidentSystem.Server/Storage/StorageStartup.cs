using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Tenancy;

namespace SharedResidentSystem.Server.Storage;

/// <summary>
/// Before the server listens: apply the provider's migrations, record the seed document of
/// each city the database does not know yet as its first configuration version, then load
/// every version into the directory. Once a city exists, the database is the truth: a seed
/// file that differs is reported, never applied (changes go through the operators' tool).
/// </summary>
public static partial class StorageStartup
{
    public const string SeedFunction = "/srs.tenancy.v1.TenantAdminService/SeedTenant";

    public static async Task InitializeStorageAsync(this IHost app, CancellationToken cancellationToken)
    {
        var migrate = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.MigrateOnStart;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            var provider = scope.ServiceProvider.GetRequiredService<IStorageProvider>();
            await MigrateOrCheckAsync(db, migrate, "register", cancellationToken);
            await provider.PrepareAsync(db, cancellationToken);
            // The 除票用データベース (9.3) has the register's schema, migrated with it.
            if (migrate)
            {
                await provider.PrepareArchiveAsync(scope.ServiceProvider.GetRequiredService<ArchiveLocation>().ConnectionString, cancellationToken);
            }
            var archive = scope.ServiceProvider.GetRequiredService<RemovedRecordsArchive>().Db;
            await MigrateOrCheckAsync(archive, migrate, "archive", cancellationToken);
            await provider.PrepareAsync(archive, cancellationToken);
        }
        if (app.Services.GetService<SignIn.SignInSettings>() is not null)
        {
            await SignIn.SignInHosting.InitializeSignInAsync(app.Services, migrate, cancellationToken);
        }
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageStartup));
        foreach (var seed in app.Services.GetRequiredService<IReadOnlyList<SeedDocument>>())
        {
            await SeedAsync(app.Services, seed, logger, cancellationToken);
        }
        await app.Services.GetRequiredService<TenantConfigRefresher>().RefreshAsync(cancellationToken);
    }

    /// <summary>
    /// Applies the store's migrations, or (Storage:MigrateOnStart off) only checks that none is
    /// missing: one that is stops the start, naming the store and the migrations its bundle applies.
    /// </summary>
    public static async Task MigrateOrCheckAsync(DbContext db, bool migrate, string store, CancellationToken cancellationToken)
    {
        if (migrate)
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new Hosting.ConfigurationProblemException($"{StorageOptions.Section}:MigrateOnStart",
                $"{store} のデータベースに未適用のマイグレーションがあります ({string.Join(", ", pending)})。移行バンドル (srs-migrate-{store}) で更新してから起動してください (docs/operations.md)。");
        }
    }

    private static async Task SeedAsync(IServiceProvider services, SeedDocument seed, ILogger logger, CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var caller = new Caller(seed.Definition.Code, "system", "startup", new HashSet<string> { Roles.Operator });
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(caller);
        var transaction = scope.ServiceProvider.GetRequiredService<RegisterTransaction>();
        var changes = scope.ServiceProvider.GetRequiredService<TenantConfigChanges>();
        var log = scope.ServiceProvider.GetRequiredService<AccessLogWriter>();
        var file = Path.GetFileName(seed.SourceFile);
        var latest = await transaction.RunAsync(async ct =>
        {
            var current = await transaction.Db.TenantConfigVersions.AsNoTracking().OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
            if (current is not null && TenantConfigDocument.Read(current.Document).IsValid)
            {
                return current;
            }
            // A new city, or one whose latest version an older release wrote and the current
            // schema no longer accepts: the seed becomes its next version, from today.
            var result = current is null
                ? await changes.CreateAsync(new ConfigChangeRequest(seed.Definition.Code, seed.Definition.Document, "", null, $"初期設定 ({file})"), "config-file", ct)
                : await changes.ApplyAsync(new ConfigChangeRequest(seed.Definition.Code, seed.Definition.Document, current.DocumentHash, null,
                    $"版 {current.Version} は現在のスキーマに適合しないため {file} で置き換え"), "config-file", ct);
            await log.AppendAsync(caller, new AccessRecord(SeedFunction, [], false, AccessLogWriter.Ok, ConfigAudit.Describe(result)), ct);
            return null;
        }, cancellationToken);
        if (latest is not null && latest.DocumentHash != TenantConfigDocument.Hash(seed.Definition.Document))
        {
            LogSeedDiffers(logger, seed.SourceFile, seed.Definition.Code, latest.Version);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning,
        Message = "Seed file {File} differs from the applied configuration of {Tenant} (version {Version}); the database version stays in effect. Use srs-admin diff/apply to change a city's configuration.")]
    private static partial void LogSeedDiffers(ILogger logger, string file, string tenant, int version);
}
