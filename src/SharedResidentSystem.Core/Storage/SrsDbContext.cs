using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Security;

namespace SharedResidentSystem.Core.Storage;

/// <summary>
/// The one EF model of the register, shared by every provider. Every tenant-owned set is
/// filtered by the caller's city by construction, and every write is checked to stay in it.
/// </summary>
public sealed class SrsDbContext(DbContextOptions<SrsDbContext> options, CallerContext caller) : DbContext(options)
{
    /// <summary>Entities the application only ever appends (no update, no delete).</summary>
    private static readonly HashSet<Type> AppendOnly =
        [typeof(PersonVersion), typeof(PersonSearchKey), typeof(AccessLogEntry), typeof(IdempotencyRecord), typeof(TenantConfigVersion), typeof(SuppressionRelease), typeof(MemoVersion),
         typeof(Issuance), typeof(IssuedCopy), typeof(IssuanceDisposal), typeof(PersonalNotice)];

    public DbSet<TenantConfigVersion> TenantConfigVersions => Set<TenantConfigVersion>();
    public DbSet<NumberSequence> NumberSequences => Set<NumberSequence>();
    public DbSet<Idou> Idous => Set<Idou>();
    public DbSet<PersonVersion> PersonVersions => Set<PersonVersion>();

    /// <summary>Each person's current version (the highest 履歴番号), as one query the caller narrows further.</summary>
    public IQueryable<PersonVersion> CurrentVersions =>
        PersonVersions.Where(p => !PersonVersions.Any(o => o.ResidentNumber == p.ResidentNumber && o.HistoryNumber > p.HistoryNumber));
    public DbSet<PersonSearchKey> PersonSearchKeys => Set<PersonSearchKey>();
    public DbSet<PendingIdou> PendingIdous => Set<PendingIdou>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<CsInboundMessage> CsInbound => Set<CsInboundMessage>();
    public DbSet<Cs.DeliveryDesignation> DeliveryDesignations => Set<Cs.DeliveryDesignation>();
    public DbSet<Jobs.JobRecord> Jobs => Set<Jobs.JobRecord>();
    public DbSet<Jobs.JobItem> JobItems => Set<Jobs.JobItem>();
    public DbSet<MemoVersion> Memos => Set<MemoVersion>();
    public DbSet<ResidentCodeStock> ResidentCodeStock => Set<ResidentCodeStock>();
    public DbSet<SuppressionRelease> SuppressionReleases => Set<SuppressionRelease>();
    public DbSet<SupportMeasure> SupportMeasures => Set<SupportMeasure>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<AccessLogEntry> AccessLog => Set<AccessLogEntry>();
    public DbSet<Issuance> Issuances => Set<Issuance>();
    public DbSet<IssuedCopy> IssuedCopies => Set<IssuedCopy>();
    public DbSet<IssuanceDisposal> IssuanceDisposals => Set<IssuanceDisposal>();
    public DbSet<PersonalNoticeRegistration> PersonalNoticeRegistrations => Set<PersonalNoticeRegistration>();
    public DbSet<PersonalNotice> PersonalNotices => Set<PersonalNotice>();

    /// <summary>The city every query is limited to; null (no caller) matches nothing.</summary>
    public string? CurrentTenant => caller.TenantCode;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SrsDbContext).Assembly);
        // Every tenant-owned entity is filtered by the caller's city, found by its marker: a new
        // entity cannot be forgotten (a test fails for an entity that is not tenant-owned).
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => !e.IsOwned() && typeof(ITenantOwned).IsAssignableFrom(e.ClrType)).ToList())
        {
            FilterByTenantMethod.MakeGenericMethod(entity.ClrType).Invoke(this, [modelBuilder]);
        }
        // Search keys are compared by code point so that a prefix is an index range on every engine.
        var ordinal = Database.ProviderName switch
        {
            "Npgsql.EntityFrameworkCore.PostgreSQL" => "C",
            "Microsoft.EntityFrameworkCore.SqlServer" => "Latin1_General_100_BIN2",
            _ => null,
        };
        if (ordinal is not null)
        {
            modelBuilder.Entity<PersonSearchKey>().Property(e => e.Key).UseCollation(ordinal);
            modelBuilder.Entity<PersonVersion>().Property(e => e.SearchKana).UseCollation(ordinal);
            modelBuilder.Entity<PersonVersion>().Property(e => e.SearchGivenKana).UseCollation(ordinal);
            modelBuilder.Entity<PersonVersion>().Property(e => e.SearchName).UseCollation(ordinal);
        }
    }

    private static readonly System.Reflection.MethodInfo FilterByTenantMethod =
        typeof(SrsDbContext).GetMethod(nameof(FilterByTenant), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;

    private void FilterByTenant<T>(ModelBuilder modelBuilder) where T : class, ITenantOwned =>
        modelBuilder.Entity<T>().HasQueryFilter(e => e.TenantCode == CurrentTenant);

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.AddInterceptors(CommitEvents.Instance);

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var counted = GuardWrites();
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        Saved(counted);
        return saved;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var counted = GuardWrites();
        var saved = base.SaveChanges(acceptAllChangesOnSuccess);
        Saved(counted);
        return saved;
    }

    /// <summary>Entities saved in the transaction under way, counted in the metrics once it commits (<see cref="CommitEvents"/>).</summary>
    private readonly List<object> _uncommitted = [];

    private void Saved(List<object> counted)
    {
        _uncommitted.AddRange(counted);
        if (Database.CurrentTransaction is null)
        {
            // Saved without a transaction of the caller's: durable now.
            Committed();
        }
    }

    internal void Committed()
    {
        Telemetry.SrsTelemetry.Committed(_uncommitted);
        _uncommitted.Clear();
    }

    internal void RolledBack() => _uncommitted.Clear();

    /// <summary>Checks every pending write; returns the added entities the metrics count.</summary>
    private List<object> GuardWrites()
    {
        var counted = new List<object>();
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }
            if (entry.State == EntityState.Added && entry.Entity is Idou or Issuance)
            {
                counted.Add(entry.Entity);
            }
            if (entry.Entity is ITenantOwned owned && caller.TenantCode is { } tenant && owned.TenantCode != tenant)
            {
                throw new InvalidOperationException($"A write for tenant {owned.TenantCode} was attempted in a scope of tenant {tenant}.");
            }
            if (entry.State is EntityState.Modified or EntityState.Deleted && AppendOnly.Contains(entry.Metadata.ClrType))
            {
                throw new InvalidOperationException($"{entry.Metadata.ClrType.Name} is append-only.");
            }
        }
        return counted;
    }
}

/// <summary>
/// Tells the context when its transaction ends, so that what it saved is counted only once
/// durable: a rolled-back or abandoned transaction (a retried write) counts nothing.
/// </summary>
internal sealed class CommitEvents : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
{
    public static readonly CommitEvents Instance = new();

    public override System.Data.Common.DbTransaction TransactionStarted(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData, System.Data.Common.DbTransaction result)
    {
        (eventData.Context as SrsDbContext)?.RolledBack();
        return result;
    }

    public override ValueTask<System.Data.Common.DbTransaction> TransactionStartedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData, System.Data.Common.DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        (eventData.Context as SrsDbContext)?.RolledBack();
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData) =>
        (eventData.Context as SrsDbContext)?.Committed();

    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as SrsDbContext)?.Committed();
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData) =>
        (eventData.Context as SrsDbContext)?.RolledBack();

    public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as SrsDbContext)?.RolledBack();
        return Task.CompletedTask;
    }
}
