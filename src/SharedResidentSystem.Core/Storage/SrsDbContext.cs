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

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardWrites();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardWrites();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void GuardWrites()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
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
    }
}
