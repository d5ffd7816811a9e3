using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

// How a city's configuration versions are stored. The storage model is one namespace (EF names its
// entities by CLR name, and every migration with them); its files stand beside their features.
namespace SharedResidentSystem.Core.Storage;

/// <summary>団体設定の版: one version of a city's configuration document.</summary>
public sealed class TenantConfigVersion : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public int Version { get; set; }
    public DateOnly EffectiveFrom { get; set; }
    public string Document { get; set; } = "";
    public string DocumentHash { get; set; } = "";
    public string Author { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTime RecordedAt { get; set; }
}

internal sealed class TenantConfigVersionConfiguration : IEntityTypeConfiguration<TenantConfigVersion>
{
    public void Configure(EntityTypeBuilder<TenantConfigVersion> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Version });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.DocumentHash).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Author).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.RecordedAt).HasConversion(ColumnSizes.Utc);
    }
}
