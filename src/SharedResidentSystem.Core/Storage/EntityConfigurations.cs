using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SharedResidentSystem.Core.Storage;

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

internal sealed class IdouConfiguration : IEntityTypeConfiguration<Idou>
{
    public void Configure(EntityTypeBuilder<Idou> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Category).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.NotifierName).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.NotifierRelation).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.TerminalId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.RequestId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Note).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.AcknowledgedAlerts).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.RecordedAt).HasConversion(ColumnSizes.Utc);
        builder.HasIndex(e => new { e.TenantCode, e.RequestId }).IsUnique();
    }
}

internal sealed class PersonVersionConfiguration : IEntityTypeConfiguration<PersonVersion>
{
    public void Configure(EntityTypeBuilder<PersonVersion> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.ResidentNumber, e.HistoryNumber });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.HouseholdNumber).HasMaxLength(ColumnSizes.Number);
        foreach (var name in new[]
        {
            nameof(PersonVersion.FamilyName), nameof(PersonVersion.GivenName), nameof(PersonVersion.FamilyKana), nameof(PersonVersion.GivenKana),
            nameof(PersonVersion.AlphabetName), nameof(PersonVersion.OldSurname), nameof(PersonVersion.OldSurnameKana),
            nameof(PersonVersion.CommonName), nameof(PersonVersion.CommonNameKana), nameof(PersonVersion.DomicileHead),
        })
        {
            builder.Property(name).HasMaxLength(ColumnSizes.Name);
        }
        foreach (var name in new[]
        {
            nameof(PersonVersion.Relationship), nameof(PersonVersion.CommonNameRecordedBy), nameof(PersonVersion.CommonNameDeletedBy),
            nameof(PersonVersion.BasicPensionNumber), nameof(PersonVersion.NationalPensionKind), nameof(PersonVersion.Nationality),
            nameof(PersonVersion.ResidenceStatus), nameof(PersonVersion.PeriodOfStay), nameof(PersonVersion.RemovalReason), nameof(PersonVersion.ETag),
        })
        {
            builder.Property(name).HasMaxLength(ColumnSizes.Short);
        }
        builder.Property(e => e.Domicile).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.IndividualNumber).HasMaxLength(12);
        builder.Property(e => e.ResidentCode).HasMaxLength(11);
        builder.Property(e => e.ResidenceCardNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.ChildAllowanceFrom).HasMaxLength(7);
        builder.Property(e => e.ChildAllowanceUntil).HasMaxLength(7);
        builder.Property(e => e.SearchKana).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.SearchGivenKana).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.SearchName).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.RecordedAt).HasConversion(ColumnSizes.Utc);
        builder.OwnsOne(e => e.Address, a =>
        {
            ConfigureAddress(a, "Address");
            a.HasIndex(x => x.Town);
        });
        builder.OwnsOne(e => e.PreviousAddress, a => ConfigureAddress(a, "PreviousAddress"));
        builder.OwnsOne(e => e.Destination, a => ConfigureAddress(a, "Destination"));
        builder.OwnsOne(e => e.ConfirmedDestination, a => ConfigureAddress(a, "ConfirmedDestination"));
        builder.OwnsOne(e => e.LastRegisteredAddress, a => ConfigureAddress(a, "LastRegisteredAddress"));
        builder.HasIndex(e => new { e.TenantCode, e.SearchKana });
        builder.HasIndex(e => new { e.TenantCode, e.SearchGivenKana });
        builder.HasIndex(e => new { e.TenantCode, e.SearchName });
        builder.HasIndex(e => new { e.TenantCode, e.HouseholdNumber });
        builder.HasIndex(e => new { e.TenantCode, e.IdouId });
        builder.HasIndex(e => new { e.TenantCode, e.IndividualNumber });
        builder.HasIndex(e => new { e.TenantCode, e.ResidentCode });
        builder.HasIndex(e => new { e.TenantCode, e.ResidenceCardNumber });
        builder.HasIndex(e => new { e.TenantCode, e.BirthYear, e.BirthMonth, e.BirthDay });
    }

    private static void ConfigureAddress(OwnedNavigationBuilder<PersonVersion, StoredAddress> address, string prefix)
    {
        address.Property(a => a.Prefecture).HasColumnName(prefix + "Prefecture").HasMaxLength(ColumnSizes.Short);
        address.Property(a => a.City).HasColumnName(prefix + "City").HasMaxLength(ColumnSizes.Short);
        address.Property(a => a.Town).HasColumnName(prefix + "Town").HasMaxLength(ColumnSizes.Short);
        address.Property(a => a.Chome).HasColumnName(prefix + "Chome");
        address.Property(a => a.Banchi).HasColumnName(prefix + "Banchi").HasMaxLength(ColumnSizes.Short);
        address.Property(a => a.Katagaki).HasColumnName(prefix + "Katagaki").HasMaxLength(ColumnSizes.Name);
        address.Property(a => a.PostalCode).HasColumnName(prefix + "PostalCode").HasMaxLength(8);
        address.Property(a => a.LocalGovernmentCode).HasColumnName(prefix + "LocalGovernmentCode").HasMaxLength(ColumnSizes.Tenant);
        address.Property(a => a.FreeText).HasColumnName(prefix + "FreeText").HasMaxLength(ColumnSizes.Text);
        address.Property(a => a.Country).HasColumnName(prefix + "Country").HasMaxLength(ColumnSizes.Short);
    }
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

internal sealed class ResidentCodeStockConfiguration : IEntityTypeConfiguration<ResidentCodeStock>
{
    public void Configure(EntityTypeBuilder<ResidentCodeStock> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Code });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Code).HasMaxLength(11);
        builder.Property(e => e.AssignedTo).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.ImportedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.AssignedTo });
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Topic).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.Category).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Result).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.CreatedAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.Topic, e.State, e.NotBefore });
    }
}

internal sealed class MemoVersionConfiguration : IEntityTypeConfiguration<MemoVersion>
{
    public void Configure(EntityTypeBuilder<MemoVersion> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.MemoId, e.Version });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
        builder.Property(e => e.Text).HasMaxLength(2000);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.At).HasConversion(ColumnSizes.Utc);
        builder.HasIndex(e => new { e.TenantCode, e.ResidentNumber });
    }
}

internal sealed class PendingIdouConfiguration : IEntityTypeConfiguration<PendingIdou>
{
    public void Configure(EntityTypeBuilder<PendingIdou> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Kind).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.RequestType).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.TerminalId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.EnteredAt).HasConversion(ColumnSizes.Utc);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantCode, e.State });
    }
}

internal sealed class PersonSearchKeyConfiguration : IEntityTypeConfiguration<PersonSearchKey>
{
    public void Configure(EntityTypeBuilder<PersonSearchKey> builder)
    {
        builder.HasKey(e => new { e.TenantCode, e.Key, e.ResidentNumber, e.HistoryNumber });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Key).HasMaxLength(ColumnSizes.Name);
        builder.Property(e => e.ResidentNumber).HasMaxLength(ColumnSizes.Number);
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
