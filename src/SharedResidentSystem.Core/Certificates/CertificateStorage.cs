using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

// How the certificate ledger and 本人通知 are stored. The storage model is one namespace (EF names its
// entities by CLR name, and every migration with them); its files stand beside their features.
namespace SharedResidentSystem.Core.Storage;

/// <summary>
/// 交付履歴 (1.3.8, 2.2.2): one request at the counter, issued or refused, with who asked,
/// for whom, what was printed and the fee. Append-only; a wrongly issued certificate is
/// recorded as disposed in <see cref="IssuanceDisposal"/>, never edited or deleted.
/// </summary>
public sealed class Issuance : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    public DateTime IssuedAt { get; set; }
    public DateOnly IssuedOn { get; set; }
    public string StaffId { get; set; } = "";
    public string TerminalId { get; set; } = "";
    /// <summary>交付場所 and 端末名 as configured that day.</summary>
    public string OfficeName { get; set; } = "";
    public string TerminalName { get; set; } = "";
    public string PrinterId { get; set; } = "";
    public string PrinterName { get; set; } = "";
    /// <summary>The certificate kind (e.g. ResidentCopy).</summary>
    public string Kind { get; set; } = "";
    public string Layout { get; set; } = "";
    public bool IncludeHistory { get; set; }
    public string RequesterCategory { get; set; } = "";
    public string RequesterName { get; set; } = "";
    /// <summary>Purpose, identity check, 委任状, agency, qualification … as JSON.</summary>
    public string RequesterDetail { get; set; } = "";
    /// <summary>宛名番号 of the persons on the certificate, comma separated.</summary>
    public string Residents { get; set; } = "";
    /// <summary>The optional items printed (記載事項), comma separated.</summary>
    public string Items { get; set; } = "";
    public bool IndividualNumberPrinted { get; set; }
    public bool ResidentCodePrinted { get; set; }
    public int Copies { get; set; }
    /// <summary>枚数 of one copy.</summary>
    public int Pages { get; set; }
    public int Fee { get; set; }
    public bool OfficialUse { get; set; }
    public bool Reissue { get; set; }
    /// <summary>Counter, or post to the resident's registered address (個人番号 to an agent).</summary>
    public string Delivery { get; set; } = "";
    /// <summary>ISSUED, or the reason it was refused.</summary>
    public string Outcome { get; set; } = "";
    public string OutcomeMessage { get; set; } = "";
    /// <summary>The configuration version in effect that day.</summary>
    public int ConfigVersion { get; set; }
    /// <summary>Fields that did not fit (5.8), as JSON.</summary>
    public string Overflows { get; set; } = "";
    /// <summary>The certificate as data (what was printed), as JSON.</summary>
    public string Content { get; set; } = "";
}

/// <summary>One copy of an issuance: its 発行番号, verification code and the exact PDF handed over.</summary>
public sealed class IssuedCopy : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long IssuanceId { get; set; }
    public int CopyNumber { get; set; }
    public string IssueNumber { get; set; } = "";
    /// <summary>The short code printed (and in the QR); unique across the joint system.</summary>
    public string VerificationCode { get; set; } = "";
    /// <summary>SHA-256 of the PDF.</summary>
    public string ContentHash { get; set; } = "";
    public byte[] Pdf { get; set; } = [];
}

/// <summary>処分情報 (1.3.8): a certificate issued in error and destroyed.</summary>
public sealed class IssuanceDisposal : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long IssuanceId { get; set; }
    public DateTime DisposedAt { get; set; }
    public string StaffId { get; set; } = "";
    public string Reason { get; set; } = "";
}

/// <summary>本人通知 登録 (8.1.1): a resident asks to be told when a third party or an agent obtains their certificate.</summary>
public sealed class PersonalNoticeRegistration : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    public string ResidentNumber { get; set; } = "";
    /// <summary>Where the notice goes (the registered address unless another is given).</summary>
    public string SendTo { get; set; } = "";
    public DateOnly RegisteredOn { get; set; }
    public DateOnly ExpiresOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    public string StaffId { get; set; } = "";
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>本人通知 (8.1.3): one notification owed to a registered resident after an issuance.</summary>
public sealed class PersonalNotice : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    public long RegistrationId { get; set; }
    public long IssuanceId { get; set; }
    public string ResidentNumber { get; set; } = "";
    public DateOnly IssuedOn { get; set; }
    public string RequesterCategory { get; set; } = "";
    public string Kind { get; set; } = "";
    public int Copies { get; set; }
    public DateTime RecordedAt { get; set; }
}

internal sealed class IssuanceConfiguration : IEntityTypeConfiguration<Issuance>
{
    public void Configure(EntityTypeBuilder<Issuance> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.IssuedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.TerminalId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.OfficeName).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.TerminalName).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.PrinterId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.PrinterName).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.Kind).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Layout).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.RequesterCategory).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.RequesterName).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.Items).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.Delivery).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Outcome).HasMaxLength(ColumnSizes.Short);
        builder.HasIndex(e => new { e.TenantCode, e.IssuedOn });
    }
}

internal sealed class IssuedCopyConfiguration : IEntityTypeConfiguration<IssuedCopy>
{
    public void Configure(EntityTypeBuilder<IssuedCopy> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.IssuanceId, e.CopyNumber });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.IssueNumber).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.VerificationCode).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.ContentHash).HasMaxLength(ColumnSizes.Short);
        // Verification looks a code up across the joint system, so it is unique there.
        builder.HasIndex(e => e.VerificationCode).IsUnique();
    }
}

internal sealed class IssuanceDisposalConfiguration : IEntityTypeConfiguration<IssuanceDisposal>
{
    public void Configure(EntityTypeBuilder<IssuanceDisposal> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.IssuanceId });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.DisposedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Text);
    }
}

internal sealed class PersonalNoticeRegistrationConfiguration : IEntityTypeConfiguration<PersonalNoticeRegistration>
{
    public void Configure(EntityTypeBuilder<PersonalNoticeRegistration> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.SendTo).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.ResidentNumber });
    }
}

internal sealed class PersonalNoticeConfiguration : IEntityTypeConfiguration<PersonalNotice>
{
    public void Configure(EntityTypeBuilder<PersonalNotice> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.RequesterCategory).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Kind).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.RecordedAt).HasConversion(ColumnSizes.Utc);
        builder.HasIndex(e => new { e.TenantCode, e.ResidentNumber });
    }
}
