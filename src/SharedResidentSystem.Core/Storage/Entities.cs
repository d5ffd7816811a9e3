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
    /// <summary>Alert codes the clerk acknowledged for this 異動 (11.1), comma separated.</summary>
    public string AcknowledgedAlerts { get; set; } = "";
    /// <summary>Free text the clerk gave (修正の理由 and the like).</summary>
    public string Note { get; set; } = "";
    /// <summary>Before/after of each item changed, as JSON, for 異動履歴照会.</summary>
    public string Summary { get; set; } = "";
}

/// <summary>仮登録の状態 (4.0.8)</summary>
public enum PendingState
{
    Pending = 1,
    Approved = 2,
    Discarded = 3,
}

/// <summary>
/// 仮登録: a checked 異動 that waits for 決裁. It holds the request as entered; 本登録 runs it
/// then, so the register itself only ever holds 本登録 data.
/// </summary>
public sealed class PendingIdou : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>The call it was entered with (RecordMoveIn, ...).</summary>
    public string Kind { get; set; } = "";
    /// <summary>異動事由 it will be recorded with.</summary>
    public string Reason { get; set; } = "";
    /// <summary>Full name of the request message type.</summary>
    public string RequestType { get; set; } = "";
    public byte[] Request { get; set; } = [];
    /// <summary>The response a 本登録 would have given when it was entered (4.0.9 確認).</summary>
    public byte[] Preview { get; set; } = [];
    /// <summary>Residents (r:宛名番号) and households (h:世帯番号) it locks, as ",r:1,h:2,".</summary>
    public string Targets { get; set; } = "";
    public PendingState State { get; set; }
    public string StaffId { get; set; } = "";
    public string TerminalId { get; set; } = "";
    public DateTime EnteredAt { get; set; }
    /// <summary>The 異動 its 本登録 recorded.</summary>
    public long? IdouId { get; set; }
    /// <summary>Set anew by the application on every change.</summary>
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>The processes a 抑止 applies to (flags).</summary>
[Flags]
public enum SuppressedProcesses
{
    None = 0,
    Idou = 1,
    Issuance = 2,
    Inquiry = 4,
}

/// <summary>抑止レベル</summary>
public enum SuppressionLevel
{
    Error = 1,
    Alert = 2,
}

/// <summary>抑止の種類</summary>
public enum SuppressionCategory
{
    SupportMeasure = 1,
    ExclusiveControl = 2,
    Other = 3,
}

/// <summary>抑止 (3.1) on one resident or one household.</summary>
public sealed class Suppression : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>宛名番号 (empty when on a household)</summary>
    public string ResidentNumber { get; set; } = "";
    /// <summary>世帯番号 (empty when on a resident)</summary>
    public string HouseholdNumber { get; set; } = "";
    public SuppressedProcesses Processes { get; set; }
    public SuppressionLevel Level { get; set; }
    public SuppressionCategory Category { get; set; }
    public string Reason { get; set; } = "";
    public DateOnly StartsOn { get; set; }
    /// <summary>For information: passing it does not end the 抑止 (3.1).</summary>
    public DateOnly? EndsOn { get; set; }
    public bool Active { get; set; }
    public long? SupportMeasureId { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? LiftedAt { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>一時解除 of a 抑止 until a set time (append-only).</summary>
public sealed class SuppressionRelease : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    public long SuppressionId { get; set; }
    public string ReleasedBy { get; set; } = "";
    /// <summary>Only this clerk may act while released (empty: everyone).</summary>
    public string ForStaff { get; set; } = "";
    public DateTime ReleasedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public string Reason { get; set; } = "";
}

/// <summary>支援措置の状態</summary>
public enum SupportMeasureState
{
    Active = 1,
    Ended = 2,
}

/// <summary>支援措置 (1.1.16, 3.4). Lists are kept as JSON: they are read and written whole.</summary>
public sealed class SupportMeasure : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>申出者の宛名番号</summary>
    public string ApplicantResidentNumber { get; set; } = "";
    public string Contact { get; set; } = "";
    /// <summary>併せて支援措置を求める者 (JSON)</summary>
    public string CoProtected { get; set; } = "[]";
    /// <summary>加害者 (JSON)</summary>
    public string Perpetrators { get; set; } = "[]";
    /// <summary>支援を求められている事務, comma separated</summary>
    public string Services { get; set; } = "";
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public bool Provisional { get; set; }
    public DateOnly? ProvisionalFrom { get; set; }
    public SupportMeasureState State { get; set; }
    public DateOnly? EndedOn { get; set; }
    public string EndReason { get; set; } = "";
    /// <summary>Every period, the first and each extension (JSON).</summary>
    public string Periods { get; set; } = "[]";
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>住民票コードの蓄積 (4.3.1): one code obtained from the CS, free or given to a resident.</summary>
public sealed class ResidentCodeStock : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public string Code { get; set; } = "";
    public DateTime ImportedAt { get; set; }
    /// <summary>宛名番号 it was given to (empty while free)</summary>
    public string AssignedTo { get; set; } = "";
    public DateTime? AssignedAt { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}

/// <summary>State of a notice for another system.</summary>
public enum OutboxState
{
    Pending = 1,
    Sent = 2,
    Failed = 3,
}

/// <summary>A notice for another system (入管 市町村通知 ...), written in the 異動's transaction.</summary>
public sealed class OutboxMessage : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    public string Topic { get; set; } = "";
    public long IdouId { get; set; }
    public string ResidentNumber { get; set; } = "";
    /// <summary>住基法・入管法 or 住基法 (for 入管)</summary>
    public string Category { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateOnly NotBefore { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public OutboxState State { get; set; }
    public string Result { get; set; } = "";
    public Guid ConcurrencyStamp { get; set; }
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
    /// <summary>通称 and its reading, with when and where it was recorded or deleted</summary>
    public string CommonName { get; set; } = "";
    public string CommonNameKana { get; set; } = "";
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
    public ResidentState State { get; set; }
    /// <summary>消除事由 (国内転出, 国外転出, 死亡 ...)</summary>
    public string RemovalReason { get; set; } = "";
    /// <summary>事由の生じた年月日 (転出予定年月日 for a 転出)</summary>
    public DateOnly? RemovalOn { get; set; }
    /// <summary>転出先住所（予定）</summary>
    public StoredAddress Destination { get; set; } = new();
    /// <summary>転入通知日 (4.1.3.1.1)</summary>
    public DateOnly? MoveInNoticeOn { get; set; }
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
