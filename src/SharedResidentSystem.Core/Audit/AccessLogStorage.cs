using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

// How the access log is stored. The storage model is one namespace (EF names its
// entities by CLR name, and every migration with them); its files stand beside their features.
namespace SharedResidentSystem.Core.Storage;

/// <summary>アクセスログ: one entry of the per-city, hash-chained access log (10.2).</summary>
public sealed class AccessLogEntry : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Sequence { get; set; }
    public DateTime At { get; set; }
    public string StaffId { get; set; } = "";
    public string Roles { get; set; } = "";
    public string TerminalId { get; set; } = "";
    /// <summary>The function used (gRPC method).</summary>
    public string Function { get; set; } = "";
    /// <summary>宛名番号 of the persons concerned, comma separated.</summary>
    public string Targets { get; set; } = "";
    public bool TouchedIndividualNumber { get; set; }
    /// <summary>OK, or the reason it was refused.</summary>
    public string Outcome { get; set; } = "";
    public string Detail { get; set; } = "";
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";
}

internal sealed class AccessLogEntryConfiguration : IEntityTypeConfiguration<AccessLogEntry>
{
    public void Configure(EntityTypeBuilder<AccessLogEntry> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Sequence });
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Roles).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.TerminalId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Function).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.Outcome).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.PreviousHash).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Hash).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.At).HasConversion(ColumnSizes.Utc);
        builder.HasIndex(e => new { e.TenantCode, e.At });
        builder.HasIndex(e => new { e.TenantCode, e.StaffId });
    }
}
