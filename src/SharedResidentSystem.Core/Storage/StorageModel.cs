using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

// The storage model shared by every feature: the tenant marker, the address as stored, number sequences and the idempotency record. The storage model is one namespace (EF names its
// entities by CLR name, and every migration with them); its files stand beside their features.
namespace SharedResidentSystem.Core.Storage;

/// <summary>Anything stored for one city; the tenant code leads every key.</summary>
public interface ITenantOwned
{
    string TenantCode { get; set; }
}

/// <summary>An address as stored (owned by the version that holds it).</summary>
public sealed class StoredAddress
{
    public string Prefecture { get; set; } = "";
    public string City { get; set; } = "";
    public string Town { get; set; } = "";
    public int Chome { get; set; }
    public string Banchi { get; set; } = "";
    public string Katagaki { get; set; } = "";
    public string PostalCode { get; set; } = "";
    public string LocalGovernmentCode { get; set; } = "";
    public string FreeText { get; set; } = "";
    public string Country { get; set; } = "";
    /// <summary>住所コード (1.3.3): 11 digits for an address in the city, else empty.</summary>
    public string AddressCode { get; set; } = "";
    /// <summary>番地・枝番・号・部屋番号 as numbers for sorting (1.3.2): 20 digits, else empty.</summary>
    public string LotCode { get; set; } = "";
}

/// <summary>採番: the next serial of one kind of number in one city.</summary>
public sealed class NumberSequence : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public string Kind { get; set; } = "";
    public long Next { get; set; }
    /// <summary>Set anew by the application on every change (SQLite cannot generate row versions).</summary>
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>A stored first answer to a mutating request (retries are safe).</summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public string RequestId { get; set; } = "";
    public string Method { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public byte[] Response { get; set; } = [];
    public DateTime RecordedAt { get; set; }
}

internal static class ColumnSizes
{
    public const int Tenant = 6;
    public const int Number = 20;
    public const int Short = 64;
    public const int Name = 200;
    public const int Text = 400;

    /// <summary>Times are stored as UTC and read back as UTC on every provider.</summary>
    public static readonly ValueConverter<DateTime, DateTime> Utc =
        new(v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

internal sealed class NumberSequenceConfiguration : IEntityTypeConfiguration<NumberSequence>
{
    public void Configure(EntityTypeBuilder<NumberSequence> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Kind });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Kind).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.RequestId });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.RequestId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Method).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.RequestHash).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.RecordedAt).HasConversion(ColumnSizes.Utc);
    }
}
