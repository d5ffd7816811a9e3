using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

// How 抑止 and 支援措置 are stored. The storage model is one namespace (EF names its
// entities by CLR name, and every migration with them); its files stand beside their features.
namespace SharedResidentSystem.Core.Storage;

/// <summary>The processes a 抑止 applies to (flags).</summary>
[Flags]
public enum SuppressedProcesses
{
    None = 0,
    Idou = 1,
    Issuance = 2,
    Inquiry = 4,
}

/// <summary>抑止レベル</summary>
public enum SuppressionLevel
{
    Error = 1,
    Alert = 2,
}

/// <summary>抑止の種類</summary>
public enum SuppressionCategory
{
    SupportMeasure = 1,
    ExclusiveControl = 2,
    Other = 3,
}

/// <summary>抑止 (3.1) on one resident or one household.</summary>
public sealed class Suppression : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>宛名番号 (empty when on a household)</summary>
    public string ResidentNumber { get; set; } = "";
    /// <summary>世帯番号 (empty when on a resident)</summary>
    public string HouseholdNumber { get; set; } = "";
    public SuppressedProcesses Processes { get; set; }
    public SuppressionLevel Level { get; set; }
    public SuppressionCategory Category { get; set; }
    public string Reason { get; set; } = "";
    public DateOnly StartsOn { get; set; }
    /// <summary>For information: passing it does not end the 抑止 (3.1).</summary>
    public DateOnly? EndsOn { get; set; }
    public bool Active { get; set; }
    public long? SupportMeasureId { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? LiftedAt { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>一時解除 of a 抑止 until a set time (append-only).</summary>
public sealed class SuppressionRelease : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    public long SuppressionId { get; set; }
    public string ReleasedBy { get; set; } = "";
    /// <summary>Only this clerk may act while released (empty: everyone).</summary>
    public string ForStaff { get; set; } = "";
    public DateTime ReleasedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public string Reason { get; set; } = "";
}

/// <summary>支援措置の状態</summary>
public enum SupportMeasureState
{
    Active = 1,
    Ended = 2,
}

/// <summary>支援措置 (1.1.16, 3.4). Lists are kept as JSON: they are read and written whole.</summary>
public sealed class SupportMeasure : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>申出者の宛名番号</summary>
    public string ApplicantResidentNumber { get; set; } = "";
    public string Contact { get; set; } = "";
    /// <summary>併せて支援措置を求める者 (JSON)</summary>
    public string CoProtected { get; set; } = "[]";
    /// <summary>加害者 (JSON)</summary>
    public string Perpetrators { get; set; } = "[]";
    /// <summary>支援を求められている事務, comma separated</summary>
    public string Services { get; set; } = "";
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public bool Provisional { get; set; }
    public DateOnly? ProvisionalFrom { get; set; }
    public SupportMeasureState State { get; set; }
    public DateOnly? EndedOn { get; set; }
    public string EndReason { get; set; } = "";
    /// <summary>Every period, the first and each extension (JSON).</summary>
    public string Periods { get; set; } = "[]";
    /// <summary>転送情報 (1.1.16): where the 申出書 was sent on, or whence it came (JSON).</summary>
    public string Transfer { get; set; } = "{}";
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}

internal sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.HouseholdNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.CreatedBy).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.CreatedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.ResidentNumber });
        builder.HasIndex(e => new { e.TenantCode, e.HouseholdNumber });
    }
}

internal sealed class SuppressionReleaseConfiguration : IEntityTypeConfiguration<SuppressionRelease>
{
    public void Configure(EntityTypeBuilder<SuppressionRelease> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.ReleasedBy).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.ForStaff).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.ReleasedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ExpiresAt).HasConversion(ColumnSizes.Utc);
        builder.HasIndex(e => new { e.TenantCode, e.SuppressionId });
    }
}

internal sealed class SupportMeasureConfiguration : IEntityTypeConfiguration<SupportMeasure>
{
    public void Configure(EntityTypeBuilder<SupportMeasure> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.ApplicantResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.Contact).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.Services).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.EndReason).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.CreatedBy).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.CreatedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.State });
    }
}
