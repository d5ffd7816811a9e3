using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

/// <summary>届出人</summary>
public sealed record NotifierValue(string Name, string Relation);

/// <summary>What every 異動 carries: its date (and the proto field that holds it), 届出日, 届出人, acknowledged alerts.</summary>
public sealed record IdouHeader(string DateField, DateOnly? Date, DateOnly? NotificationDate, NotifierValue Notifier, IReadOnlyList<string> AcknowledgedAlerts)
{
    /// <summary>What a 職権 異動 was made on (<see cref="IdouBasis.Chosen"/>; empty: the city's own finding); other 異動 have their reason's.</summary>
    public string Basis { get; init; } = "";
}

/// <summary>A resident a 異動 acts on, with the etag the clerk saw (empty: not checked).</summary>
public sealed record ResidentRefValue(string ResidentNumber, string ETag);

/// <summary>Where moving residents go: an existing household (or a new one), and their 続柄 there by 宛名番号.</summary>
public sealed record PlacementValue(string? HouseholdNumber, IReadOnlyDictionary<string, string> Relationships);

/// <summary>Items a 修正 may change (null: unchanged).</summary>
public sealed record CorrectionValues(
    PersonNameValue? Name,
    PartialDateValue? BirthDate,
    SexValue? Sex,
    string? Katagaki,
    DomicileValue? Domicile,
    EntitlementsValue? Entitlements)
{
    public string? Relationship { get; init; }
    public (string Surname, string Kana, bool KanaConfirmed)? OldSurname { get; init; }
    public (string Name, string Kana, bool KanaConfirmed)? CommonName { get; init; }
    public string? IndividualNumber { get; init; }
    public string? ResidentCode { get; init; }
    public ForeignValue? Foreign { get; init; }
    public DateOnly? BecameResidentOn { get; init; }
    public DateOnly? AddressSetOn { get; init; }
}

/// <summary>How a 異動 is entered (4.0.8).</summary>
public enum IdouEntryMode
{
    /// <summary>Recorded now (refused when the city reserves its 異動事由 for 審査・決裁).</summary>
    Direct,
    /// <summary>仮登録: checked like any other, kept for a supervisor's 決裁, not recorded.</summary>
    Provisional,
    /// <summary>本登録 of a kept 仮登録 by a supervisor.</summary>
    Approval,
    /// <summary>
    /// Recorded by a job's 本処理 (9.7 住所一括変更): its 仮処理 was the check and its start by a
    /// supervisor the 決裁, so a city's 審査・決裁 rule does not hold each 異動 again.
    /// </summary>
    Batch,
}

/// <summary>How a 異動 is entered, and for a 本登録 which 仮登録 it records (its own lock does not block it).</summary>
public sealed record IdouEntry(IdouEntryMode Mode, long? ApprovingPendingId = null)
{
    public static readonly IdouEntry Direct = new(IdouEntryMode.Direct);
    public static readonly IdouEntry Provisional = new(IdouEntryMode.Provisional);
    public static readonly IdouEntry Batch = new(IdouEntryMode.Batch);

    public static IdouEntry Approving(long pendingId) => new(IdouEntryMode.Approval, pendingId);
}

/// <summary>What a 異動 recorded.</summary>
public sealed record IdouResult(long IdouId, string Reason, string HouseholdNumber, IReadOnlyList<PersonVersion> Persons, IReadOnlyList<string> Households);

/// <summary>One before/after line of a 異動 (異動履歴照会).</summary>
public sealed record ChangeSummary(string ResidentNumber, string Item, string? Before, string? After);
