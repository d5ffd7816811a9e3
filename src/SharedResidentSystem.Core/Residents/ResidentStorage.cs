using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

// How residents (one row per version), their search keys and メモ are stored. The storage model is one namespace (EF names its
// entities by CLR name, and every migration with them); its files stand beside their features.
namespace SharedResidentSystem.Core.Storage;

/// <summary>住民の状態</summary>
public enum ResidentState
{
    Active = 1,
    Removed = 2,
}

/// <summary>住民種別</summary>
public enum ResidentKind
{
    Japanese = 1,
    Foreign = 2,
}

/// <summary>
/// 住民票の履歴: one full snapshot of a person, keyed by 宛名番号 + 履歴番号 (1.2.1). Every item
/// is a column; household items are held by each person. Never updated or deleted.
/// </summary>
public sealed class PersonVersion : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    /// <summary>宛名番号</summary>
    public string ResidentNumber { get; set; } = "";
    /// <summary>履歴番号 (1, 2, ...)</summary>
    public int HistoryNumber { get; set; }
    public long IdouId { get; set; }
    /// <summary>The date from which this version holds (異動日; for a planned 転出, the 処理日).</summary>
    public DateOnly ValidFrom { get; set; }
    /// <summary>処理日時 (UTC) when this version was recorded</summary>
    public DateTime RecordedAt { get; set; }
    public ResidentKind Kind { get; set; } = ResidentKind.Japanese;
    public string FamilyName { get; set; } = "";
    public string GivenName { get; set; } = "";
    public string FamilyKana { get; set; } = "";
    public string GivenKana { get; set; } = "";
    public bool KanaConfirmed { get; set; }
    /// <summary>氏名（アルファベット） of a foreign resident</summary>
    public string AlphabetName { get; set; } = "";
    /// <summary>旧氏 and its reading</summary>
    public string OldSurname { get; set; } = "";
    public string OldSurnameKana { get; set; } = "";
    /// <summary>旧氏のフリガナ確認フラグ (1.1.18)</summary>
    public bool OldSurnameKanaConfirmed { get; set; }
    /// <summary>通称 and its reading, with when and where it was recorded or deleted</summary>
    public string CommonName { get; set; } = "";
    public string CommonNameKana { get; set; } = "";
    /// <summary>通称のフリガナ確認フラグ (1.1.18)</summary>
    public bool CommonNameKanaConfirmed { get; set; }
    public DateOnly? CommonNameRecordedOn { get; set; }
    public string CommonNameRecordedBy { get; set; } = "";
    public DateOnly? CommonNameDeletedOn { get; set; }
    public string CommonNameDeletedBy { get; set; } = "";
    public int BirthYear { get; set; }
    public int BirthMonth { get; set; }
    public int BirthDay { get; set; }
    public int Sex { get; set; }
    /// <summary>世帯番号</summary>
    public string HouseholdNumber { get; set; } = "";
    /// <summary>続柄</summary>
    public string Relationship { get; set; } = "";
    /// <summary>本籍 (Japanese residents)</summary>
    public string Domicile { get; set; } = "";
    /// <summary>筆頭者</summary>
    public string DomicileHead { get; set; } = "";
    public StoredAddress Address { get; set; } = new();
    public StoredAddress PreviousAddress { get; set; } = new();
    /// <summary>住民となった年月日 (外国人住民となった年月日 for foreign residents)</summary>
    public DateOnly? BecameResidentOn { get; set; }
    public DateOnly? AddressSetOn { get; set; }
    public DateOnly? NotifiedOn { get; set; }
    /// <summary>個人番号 (12 digits)</summary>
    public string IndividualNumber { get; set; } = "";
    /// <summary>住民票コード (11 digits)</summary>
    public string ResidentCode { get; set; } = "";
    /// <summary>選挙人名簿への登録の有無</summary>
    public bool OnElectoralRoll { get; set; }
    public bool NationalHealthInsurance { get; set; }
    public DateOnly? NationalHealthInsuranceFrom { get; set; }
    public DateOnly? NationalHealthInsuranceUntil { get; set; }
    public bool LateElderlyMedical { get; set; }
    public DateOnly? LateElderlyMedicalFrom { get; set; }
    public DateOnly? LateElderlyMedicalUntil { get; set; }
    public bool LongTermCare { get; set; }
    public DateOnly? LongTermCareFrom { get; set; }
    public DateOnly? LongTermCareUntil { get; set; }
    public bool NationalPension { get; set; }
    public string BasicPensionNumber { get; set; } = "";
    /// <summary>国民年金の種別 (1号, 3号, 任意 ...)</summary>
    public string NationalPensionKind { get; set; } = "";
    public DateOnly? NationalPensionKindChangedOn { get; set; }
    public DateOnly? NationalPensionFrom { get; set; }
    public DateOnly? NationalPensionUntil { get; set; }
    /// <summary>児童手当の受給開始・終了年月 (yyyy-MM)</summary>
    public string ChildAllowanceFrom { get; set; } = "";
    public string ChildAllowanceUntil { get; set; } = "";
    /// <summary>住基カード又は個人番号カードの保有の有無 (7.2.2, as the card system reports it)</summary>
    public bool CardHeld { get; set; }
    /// <summary>成年被後見人の該当有無 (1.1.1, 9.4#1): data of the record, never printed on a certificate nor listed (9.4#3)</summary>
    public bool AdultWard { get; set; }
    /// <summary>国籍・地域 (foreign residents)</summary>
    public string Nationality { get; set; } = "";
    /// <summary>法第30条の45の区分</summary>
    public int ForeignCategory { get; set; }
    /// <summary>在留資格</summary>
    public string ResidenceStatus { get; set; } = "";
    /// <summary>在留期間</summary>
    public string PeriodOfStay { get; set; } = "";
    /// <summary>在留期間の満了の日 (Western calendar)</summary>
    public DateOnly? StayExpiresOn { get; set; }
    /// <summary>在留カード等の番号</summary>
    public string ResidenceCardNumber { get; set; } = "";
    /// <summary>旧外登法による登録年月日 (1.1.2): the 外国人登録 of a person registered before 2012; none when not held (不詳, 1.1.8#4)</summary>
    public DateOnly? FormerAlienRegistrationOn { get; set; }
    public ResidentState State { get; set; }
    /// <summary>消除事由 (国内転出, 国外転出, 死亡 ...)</summary>
    public string RemovalReason { get; set; } = "";
    /// <summary>事由の生じた年月日 (転出予定年月日 for a 転出)</summary>
    public DateOnly? RemovalOn { get; set; }
    /// <summary>転出先住所（予定）</summary>
    public StoredAddress Destination { get; set; } = new();
    /// <summary>特例転出 (4.1.3.0.4): the 転出証明書情報 went to the CS instead of a 転出証明書</summary>
    public bool SpecialMoveOut { get; set; }
    /// <summary>転入通知日 (4.1.3.1.1)</summary>
    public DateOnly? MoveInNoticeOn { get; set; }
    /// <summary>改製 (1.1.4#3): the date of the last 改製 of this 住民票 (原票); null when never 改製</summary>
    public DateOnly? RemadeOn { get; set; }
    /// <summary>転出年月日（確定）</summary>
    public DateOnly? MoveOutConfirmedOn { get; set; }
    /// <summary>転出先住所（確定）</summary>
    public StoredAddress ConfirmedDestination { get; set; } = new();
    /// <summary>最終登録住所地 (4.1.1.4)</summary>
    public StoredAddress LastRegisteredAddress { get; set; } = new();
    /// <summary>Folded reading of the full name for loose kana search.</summary>
    public string SearchKana { get; set; } = "";
    /// <summary>Folded reading of the given name alone (名のみ検索).</summary>
    public string SearchGivenKana { get; set; } = "";
    /// <summary>Folded written name for kanji search.</summary>
    public string SearchName { get; set; } = "";
    /// <summary>Opaque concurrency token of this version.</summary>
    public string ETag { get; set; } = "";
}

/// <summary>
/// 検索キー: one folded name of one version (reading or written form of the name, 旧氏, 通称,
/// alphabet name), so that current and past names are found through one index.
/// </summary>
public sealed class PersonSearchKey : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public string Key { get; set; } = "";
    public string ResidentNumber { get; set; } = "";
    public int HistoryNumber { get; set; }
}

/// <summary>メモ (1.1.15): one version of a note on a resident (append-only; a deletion is a version).</summary>
public sealed class MemoVersion : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long MemoId { get; set; }
    public int Version { get; set; }
    public string ResidentNumber { get; set; } = "";
    public string Text { get; set; } = "";
    public bool Deleted { get; set; }
    public string StaffId { get; set; } = "";
    public DateTime At { get; set; }
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
            a.HasIndex(x => x.AddressCode);
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
        address.Property(a => a.AddressCode).HasColumnName(prefix + "AddressCode").HasMaxLength(11);
        address.Property(a => a.LotCode).HasColumnName(prefix + "LotCode").HasMaxLength(20);
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
