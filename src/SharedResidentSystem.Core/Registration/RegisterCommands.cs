using SharedResidentSystem.Core.Residents;

namespace SharedResidentSystem.Core.Registration;

/// <summary>届出人</summary>
public sealed record NotifierValue(string Name, string Relation);

/// <summary>One person of a 転入.</summary>
public sealed record MoveInMemberValue(PersonNameValue? Name, PartialDateValue? BirthDate, SexValue Sex, string Relationship);

/// <summary>転入 (国内): a household moves into the city.</summary>
public sealed record MoveInCommand(
    DateOnly? MoveDate,
    DateOnly? NotificationDate,
    NotifierValue Notifier,
    AddressValue Address,
    AddressValue PreviousAddress,
    IReadOnlyList<MoveInMemberValue> Members);

/// <summary>Items a 軽微な修正 may change.</summary>
public sealed record CorrectionValues(PersonNameValue? Name, PartialDateValue? BirthDate, SexValue? Sex, string? Katagaki);

/// <summary>軽微な修正 of one resident, against the version the clerk saw (etag).</summary>
public sealed record CorrectionCommand(
    string ResidentNumber,
    string ETag,
    CorrectionValues Values,
    DateOnly? CorrectionDate,
    DateOnly? NotificationDate,
    string Reason);

/// <summary>What a 異動 recorded.</summary>
public sealed record IdouResult(long IdouId, string HouseholdNumber, IReadOnlyList<Storage.PersonVersion> Persons);
