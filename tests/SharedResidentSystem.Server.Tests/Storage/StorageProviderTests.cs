using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Storage.PostgreSql;
using SharedResidentSystem.Storage.Sqlite;
using SharedResidentSystem.Storage.SqlServer;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Storage;

public class StorageProviderTests
{
    public static TheoryData<string> ProviderNames => ["sqlite", "postgresql", "sqlserver"];

    [Theory]
    [MemberData(nameof(ProviderNames))]
    public void Each_provider_has_migrations_that_match_the_model(string name)
    {
        var provider = Provider(name);
        var options = new DbContextOptionsBuilder<SrsDbContext>();
        provider.Configure(options, name switch
        {
            "sqlite" => "Data Source=:memory:",
            "postgresql" => "Host=127.0.0.1;Database=unused",
            _ => "Server=127.0.0.1;Database=unused;TrustServerCertificate=True",
        });
        using var db = new SrsDbContext(options.Options, new CallerContext());
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"the {name} migrations are behind the model: add a migration");
    }

    /// <summary>
    /// The upgrade path an operator takes with a database the server may not migrate itself
    /// (SQL Server above all, which no test here can start): every provider's migrations of both
    /// stores generate one idempotent script, which creates every table of the model. Written to
    /// artifacts/migration-scripts for the operator (docs/operations.md).
    /// </summary>
    [Theory]
    [MemberData(nameof(ProviderNames))]
    public void Each_providers_migrations_generate_an_idempotent_script_of_the_whole_model(string name)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "migration-scripts");
        Directory.CreateDirectory(folder);
        DbContext[] stores = name switch
        {
            "sqlite" => [new SqliteDesignTimeFactory().CreateDbContext([]), new SqliteStaffDesignTimeFactory().CreateDbContext([])],
            "postgresql" => [new PostgreSqlDesignTimeFactory().CreateDbContext([]), new PostgreSqlStaffDesignTimeFactory().CreateDbContext([])],
            _ => [new SqlServerDesignTimeFactory().CreateDbContext([]), new SqlServerStaffDesignTimeFactory().CreateDbContext([])],
        };
        foreach (var db in stores)
        {
            using (db)
            {
                var migrator = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>(db);
                // SQLite cannot test for an applied migration inside a script: its script is the plain one.
                var script = migrator.GenerateScript(options: name == "sqlite"
                    ? Microsoft.EntityFrameworkCore.Migrations.MigrationsSqlGenerationOptions.Default
                    : Microsoft.EntityFrameworkCore.Migrations.MigrationsSqlGenerationOptions.Idempotent);
                foreach (var table in db.Model.GetEntityTypes().Where(e => !e.IsOwned() && e.GetTableName() is not null).Select(e => e.GetTableName()!).Distinct())
                {
                    Assert.Matches($"CREATE TABLE [^\\n]*{System.Text.RegularExpressions.Regex.Escape(table)}", script);
                }
                foreach (var migration in db.Database.GetMigrations())
                {
                    Assert.Contains(migration, script, StringComparison.Ordinal);
                }
                File.WriteAllText(Path.Combine(folder, $"{name}-{db.GetType().Name}.sql"), script);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ProviderNames))]
    public void Every_entity_is_owned_by_a_city_and_filtered_by_the_callers_city(string name)
    {
        var options = new DbContextOptionsBuilder<SrsDbContext>();
        Provider(name).Configure(options, name switch
        {
            "sqlite" => "Data Source=:memory:",
            "postgresql" => "Host=127.0.0.1;Database=unused",
            _ => "Server=127.0.0.1;Database=unused;TrustServerCertificate=True",
        });
        using var db = new SrsDbContext(options.Options, new CallerContext());
        var entities = db.Model.GetEntityTypes().Where(e => !e.IsOwned()).ToList();
        Assert.Contains(entities, e => e.ClrType == typeof(AccessLogEntry));
        // An entity without the marker would be shared by every city: none may escape.
        Assert.All(entities, e => Assert.True(typeof(ITenantOwned).IsAssignableFrom(e.ClrType), $"{e.ClrType.Name} is not tenant-owned"));
        Assert.All(entities, e => Assert.Contains("CurrentTenant", Assert.Single(e.GetDeclaredQueryFilters()).Expression!.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transient_fault_is_retried_as_a_whole_and_a_lasting_one_is_not()
    {
        var file = Path.Combine(RepositoryPaths.NewTempDirectory("srs-retry"), "retry.db");
        var provider = new SqliteStorageProvider();
        var options = new DbContextOptionsBuilder<SrsDbContext>();
        provider.Configure(options, $"Data Source={file}");
        var callers = new CallerContext();
        callers.Set(new Caller("132225", "t", "t", new HashSet<string>()));
        await using var db = new SrsDbContext(options.Options, callers);
        await db.Database.MigrateAsync();
        var transaction = new RegisterTransaction(db, provider);

        var attempts = 0;
        var value = await transaction.RunAsync(async ct =>
        {
            attempts++;
            await new NumberIssuer(db).NextAsync("132225", "retry-test", ct);
            if (attempts < 3)
            {
                throw new SqliteException("database is locked", 5);
            }
            return attempts;
        }, CancellationToken.None);
        Assert.Equal(3, value);
        // Only the successful attempt's change was committed.
        Assert.Equal(2, (await db.NumberSequences.SingleAsync(s => s.Kind == "retry-test")).Next);

        var lasting = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => transaction.RunAsync<int>(_ =>
        {
            lasting++;
            throw new InvalidOperationException("not transient");
        }, CancellationToken.None));
        Assert.Equal(1, lasting);
    }

    [Fact]
    public void Unique_violations_and_busy_databases_are_transient_and_other_faults_are_not()
    {
        var sqlite = new SqliteStorageProvider();
        Assert.True(sqlite.IsTransient(new DbUpdateException("x", new SqliteException("busy", 5))));
        Assert.True(sqlite.IsTransient(new DbUpdateException("x", new SqliteException("unique", 19, 2067))));
        Assert.False(sqlite.IsTransient(new DbUpdateException("x", new SqliteException("not null", 19, 1299))));
        Assert.False(sqlite.IsTransient(new InvalidOperationException()));
        Assert.True(new PostgreSqlStorageProvider().IsTransient(new DbUpdateException("x", new Npgsql.PostgresException("dup", "ERROR", "ERROR", "23505"))));
        Assert.False(new PostgreSqlStorageProvider().IsTransient(new DbUpdateException("x", new Npgsql.PostgresException("null", "ERROR", "ERROR", "23502"))));
        Assert.False(new SqlServerStorageProvider().IsTransient(new InvalidOperationException()));
    }

    private static IStorageProvider Provider(string name) => name switch
    {
        "sqlite" => new SqliteStorageProvider(),
        "postgresql" => new PostgreSqlStorageProvider(),
        _ => new SqlServerStorageProvider(),
    };
}
