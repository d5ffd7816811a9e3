using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Storage.SqlServer;

/// <summary>SQL Server: the cities' production database.</summary>
public sealed class SqlServerStorageProvider : IStorageProvider
{
    private const int UniqueIndexViolation = 2601;
    private const int PrimaryKeyViolation = 2627;
    private const int Deadlock = 1205;

    public string Name => "sqlserver";

    public void Configure(DbContextOptionsBuilder builder, string connectionString, string? historyTable = null) =>
        builder.UseSqlServer(connectionString, o =>
        {
            o.MigrationsAssembly(typeof(SqlServerStorageProvider).Assembly.GetName().Name);
            if (historyTable is not null)
            {
                o.MigrationsHistoryTable(historyTable);
            }
        });

    public string? OrdinalCollation => "Latin1_General_100_BIN2";

    public Task LockAuditChainAsync(SrsDbContext db, string tenant, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"EXEC sp_getapplock @Resource = {"srs-audit-" + tenant}, @LockMode = 'Exclusive', @LockOwner = 'Transaction'", cancellationToken);

    public Task LockRequestAsync(SrsDbContext db, string tenant, string requestId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"EXEC sp_getapplock @Resource = {"srs-request-" + tenant + "/" + requestId}, @LockMode = 'Exclusive', @LockOwner = 'Transaction'", cancellationToken);

    public bool IsTransient(Exception exception) => StorageFaults.FindDbException(exception) switch
    {
        SqlException sql => sql.IsTransient || sql.Number is UniqueIndexViolation or PrimaryKeyViolation or Deadlock,
        _ => false,
    };
}

/// <summary>Lets `dotnet ef migrations add` build the model for SQL Server.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SrsDbContext>
{
    public SrsDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SrsDbContext>();
        new SqlServerStorageProvider().Configure(builder, "Server=localhost;Database=srs_design;Trusted_Connection=True;TrustServerCertificate=True");
        return new SrsDbContext(builder.Options, new CallerContext());
    }
}

/// <summary>Lets `dotnet ef migrations add --context StaffDbContext` build the staff store's model.</summary>
public sealed class SqlServerStaffDesignTimeFactory : IDesignTimeDbContextFactory<SharedResidentSystem.Core.Staff.StaffDbContext>
{
    public SharedResidentSystem.Core.Staff.StaffDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SharedResidentSystem.Core.Staff.StaffDbContext>();
        new SqlServerStorageProvider().Configure(builder, "Server=localhost;Database=srs_design;Trusted_Connection=True;TrustServerCertificate=True", SharedResidentSystem.Core.Staff.StaffDbContext.HistoryTable);
        return new SharedResidentSystem.Core.Staff.StaffDbContext(builder.Options);
    }
}
