using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Storage.PostgreSql;

/// <summary>PostgreSQL: the server database our own tests run against.</summary>
public sealed class PostgreSqlStorageProvider : IStorageProvider
{
    public string Name => "postgresql";

    public void Configure(DbContextOptionsBuilder builder, string connectionString, string? historyTable = null) =>
        builder.UseNpgsql(connectionString, o =>
        {
            o.MigrationsAssembly(typeof(PostgreSqlStorageProvider).Assembly.GetName().Name);
            if (historyTable is not null)
            {
                o.MigrationsHistoryTable(historyTable);
            }
        });

    public string? OrdinalCollation => "C";

    /// <summary>The schema each archive table is made in when none is configured.</summary>
    public const string ArchiveSchema = "srs_archive";

    /// <summary>The register's database, its tables in the schema srs_archive (the search path names it first).</summary>
    public string? DefaultArchiveConnectionString(string registerConnectionString) =>
        new NpgsqlConnectionStringBuilder(registerConnectionString) { SearchPath = ArchiveSchema }.ConnectionString;

    /// <summary>Server, database and the first schema of the search path (where unqualified tables are).</summary>
    public string StoreIdentity(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var schema = builder.SearchPath?.Split(',')[0].Trim() is { Length: > 0 } first ? first : "public";
        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}/{schema}";
    }

    /// <summary>The first schema of the search path is where the archive's migrations make its tables: it is made if missing.</summary>
    public async Task PrepareArchiveAsync(string archiveConnectionString, CancellationToken cancellationToken)
    {
        var schema = new NpgsqlConnectionStringBuilder(archiveConnectionString).SearchPath?.Split(',')[0].Trim();
        if (string.IsNullOrEmpty(schema) || schema == "public")
        {
            return;
        }
        await using var connection = new NpgsqlConnection(archiveConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task LockAuditChainAsync(SrsDbContext db, string tenant, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"srs-audit-" + tenant}))", cancellationToken);

    public Task LockRequestAsync(SrsDbContext db, string tenant, string requestId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"srs-request-" + tenant + "/" + requestId}))", cancellationToken);

    public bool IsTransient(Exception exception) => StorageFaults.FindDbException(exception) switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };
}

/// <summary>Lets `dotnet ef migrations add` build the model for PostgreSQL.</summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<SrsDbContext>
{
    public SrsDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SrsDbContext>();
        new PostgreSqlStorageProvider().Configure(builder, "Host=localhost;Database=srs_design");
        return new SrsDbContext(builder.Options, new CallerContext());
    }
}

/// <summary>Lets `dotnet ef migrations add --context StaffDbContext` build the staff store's model.</summary>
public sealed class PostgreSqlStaffDesignTimeFactory : IDesignTimeDbContextFactory<SharedResidentSystem.Core.Staff.StaffDbContext>
{
    public SharedResidentSystem.Core.Staff.StaffDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SharedResidentSystem.Core.Staff.StaffDbContext>();
        new PostgreSqlStorageProvider().Configure(builder, "Host=localhost;Database=srs_design", SharedResidentSystem.Core.Staff.StaffDbContext.HistoryTable);
        return new SharedResidentSystem.Core.Staff.StaffDbContext(builder.Options);
    }
}
