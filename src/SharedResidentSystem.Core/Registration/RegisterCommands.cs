using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

/// <summary>届出人</summary>
public sealed record NotifierValue(string Name, string Relation);

/// <summary>What every 異動 carries: its date (and the proto field that holds it), 届出日, 届出人, acknowledged alerts.</summary>
public sealed record IdouHeader(string DateField, DateOnly? Date, DateOnly? NotificationDate, NotifierValue Notifier, IReadOnlyList<string> AcknowledgedAlerts);

/// <summary>A resident a 異動 acts on, with the etag the clerk saw (empty: not checked).</summary>
public sealed record ResidentRefValue(string ResidentNumber, string ETag);

/// <summary>Where moving residents go: an existing household (or a new one), and their 続柄 there by 宛名番号.</summary>
public sealed record PlacementValue(string? HouseholdNumber, IReadOnlyDictionary<string, string> Relationships);

/// <summary>転入 (国内 or 国外転入等) into a new household or an existing one.</summary>
public sealed record MoveInCommand(
    IdouHeader Header,
    AddressValue Address,
    AddressValue PreviousAddress,
    IReadOnlyList<PersonEntryValue> Members,
    bool FromAbroad,
    string? JoinHousehold);

/// <summary>転出 on a planned date (which may be after today).</summary>
public sealed record MoveOutCommand(IdouHeader Header, IReadOnlyList<ResidentRefValue> Residents, AddressValue Destination, bool Abroad);

/// <summary>転居 within the city.</summary>
public sealed record AddressChangeCommand(IdouHeader Header, IReadOnlyList<ResidentRefValue> Residents, AddressValue Address, PlacementValue? Placement);

/// <summary>出生 into a household of the city.</summary>
public sealed record BirthCommand(IdouHeader Header, PersonEntryValue Child, string HouseholdNumber);

/// <summary>死亡</summary>
public sealed record DeathCommand(IdouHeader Header, ResidentRefValue Resident);

/// <summary>世帯分離, 世帯合併, 世帯変更</summary>
public enum HouseholdChangeKind
{
    Unspecified = 0,
    Split = 1,
    Merge = 2,
    Change = 3,
}

/// <summary>世帯分離 / 世帯合併 / 世帯変更 at the same address.</summary>
public sealed record HouseholdChangeCommand(IdouHeader Header, HouseholdChangeKind Kind, IReadOnlyList<ResidentRefValue> Residents, PlacementValue Placement);

/// <summary>世帯主変更 with every other member's 続柄 set anew.</summary>
public sealed record HeadChangeCommand(IdouHeader Header, string HouseholdNumber, ResidentRefValue NewHead, IReadOnlyDictionary<string, string> Relationships);

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
    public (string Surname, string Kana)? OldSurname { get; init; }
    public (string Name, string Kana)? CommonName { get; init; }
    public string? IndividualNumber { get; init; }
    public string? ResidentCode { get; init; }
    public ForeignValue? Foreign { get; init; }
    public DateOnly? BecameResidentOn { get; init; }
    public DateOnly? AddressSetOn { get; init; }
}

/// <summary>軽微な修正 of one resident, against the version the clerk saw (etag).</summary>
public sealed record CorrectionCommand(
    string ResidentNumber,
    string ETag,
    CorrectionValues Values,
    DateOnly? CorrectionDate,
    DateOnly? NotificationDate,
    string Reason);

/// <summary>A 修正 of 1.2.2 (職権修正, 誤記修正, 旧氏, 通称, 個人番号, 住民票コード) of one resident.</summary>
public sealed record AmendmentCommand(
    string Reason,
    string ResidentNumber,
    string ETag,
    CorrectionValues Values,
    DateOnly? AmendmentDate,
    DateOnly? NotificationDate,
    string Note,
    IReadOnlyList<string> AcknowledgedAlerts);

/// <summary>職権記載: like a 転入 in its items, with its own reason.</summary>
public sealed record OfficialEntryCommand(string Reason, MoveInCommand Entry, string Note)
{
    /// <summary>未届転入 (4.1.1.4)</summary>
    public bool UnreportedMoveIn { get; init; }

    /// <summary>最終登録住所地 (4.1.1.4)</summary>
    public Residents.AddressValue LastRegisteredAddress { get; init; } = Residents.AddressValue.Empty;
}

/// <summary>職権消除 of some residents.</summary>
public sealed record OfficialRemovalCommand(string Reason, IdouHeader Header, IReadOnlyList<ResidentRefValue> Residents, string Note);

/// <summary>異動の取消し of one 異動 (all its residents, or some).</summary>
public sealed record CancellationCommand(IdouHeader Header, long IdouId, IReadOnlyList<ResidentRefValue> Residents, string Note);

/// <summary>What a 異動 recorded.</summary>
public sealed record IdouResult(long IdouId, string Reason, string HouseholdNumber, IReadOnlyList<PersonVersion> Persons, IReadOnlyList<string> Households);

/// <summary>One before/after line of a 異動 (異動履歴照会).</summary>
public sealed record ChangeSummary(string ResidentNumber, string Item, string? Before, string? After);
