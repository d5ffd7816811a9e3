namespace SharedResidentSystem.Core.Storage;

/// <summary>Anything stored for one city; the tenant code leads every key.</summary>
public interface ITenantOwned
{
    string TenantCode { get; set; }
}

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

/// <summary>採番: the next serial of one kind of number in one city.</summary>
public sealed class NumberSequence : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public string Kind { get; set; } = "";
    public long Next { get; set; }
    /// <summary>Set anew by the application on every change (SQLite cannot generate row versions).</summary>
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>異動の状態</summary>
public enum IdouState
{
    Provisional = 1,
    Final = 2,
    Cancelled = 3,
}

/// <summary>異動: one change to the register, the unit of every write.</summary>
public sealed class Idou : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>記載 / 消除 / 修正 (1.2.2)</summary>
    public string Category { get; set; } = "";
    /// <summary>異動事由 (e.g. 国内転入, 軽微な修正)</summary>
    public string Reason { get; set; } = "";
    /// <summary>異動日</summary>
    public DateOnly OccurredOn { get; set; }
    /// <summary>届出日</summary>
    public DateOnly? NotifiedOn { get; set; }
    /// <summary>処理日時 (UTC)</summary>
    public DateTime RecordedAt { get; set; }
    public string NotifierName { get; set; } = "";
    public string NotifierRelation { get; set; } = "";
    public string StaffId { get; set; } = "";
    public string TerminalId { get; set; } = "";
    public string RequestId { get; set; } = "";
    public IdouState State { get; set; }
    public long? CancelsIdouId { get; set; }
    /// <summary>Free text the clerk gave (修正の理由 and the like).</summary>
    public string Note { get; set; } = "";
    /// <summary>Before/after of each item changed, as JSON, for 異動履歴照会.</summary>
    public string Summary { get; set; } = "";
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
}

/// <summary>住民の状態</summary>
public enum ResidentState
{
    Active = 1,
    Removed = 2,
}

/// <summary>
/// 住民票の履歴: one full snapshot of a person, keyed by 宛名番号 + 履歴番号. Never updated or
/// deleted; the current person is the newest version.
/// </summary>
public sealed class PersonVersion : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    /// <summary>宛名番号</summary>
    public string ResidentNumber { get; set; } = "";
    /// <summary>履歴番号 (1, 2, ...)</summary>
    public int HistoryNumber { get; set; }
    public long IdouId { get; set; }
    /// <summary>異動日 from which this version holds</summary>
    public DateOnly ValidFrom { get; set; }
    /// <summary>処理日時 (UTC) when this version was recorded</summary>
    public DateTime RecordedAt { get; set; }
    public string FamilyName { get; set; } = "";
    public string GivenName { get; set; } = "";
    public string FamilyKana { get; set; } = "";
    public string GivenKana { get; set; } = "";
    public bool KanaConfirmed { get; set; }
    public int BirthYear { get; set; }
    public int BirthMonth { get; set; }
    public int BirthDay { get; set; }
    public int Sex { get; set; }
    /// <summary>世帯番号</summary>
    public string HouseholdNumber { get; set; } = "";
    /// <summary>続柄</summary>
    public string Relationship { get; set; } = "";
    public StoredAddress Address { get; set; } = new();
    public StoredAddress PreviousAddress { get; set; } = new();
    public DateOnly? BecameResidentOn { get; set; }
    public DateOnly? AddressSetOn { get; set; }
    public DateOnly? NotifiedOn { get; set; }
    public ResidentState State { get; set; }
    /// <summary>Folded reading for loose kana search.</summary>
    public string SearchKana { get; set; } = "";
    /// <summary>Folded written name for kanji search.</summary>
    public string SearchName { get; set; } = "";
    /// <summary>Opaque concurrency token of this version.</summary>
    public string ETag { get; set; } = "";
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
