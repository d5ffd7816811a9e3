using SharedResidentSystem.Core.Residents;

namespace SharedResidentSystem.Core.Certificates;

/// <summary>The certificates of 5.1 and 4.1.3.0.3.</summary>
public enum CertificateKind
{
    /// <summary>住民票の写し</summary>
    ResidentCopy = 1,
    /// <summary>住民票記載事項証明書</summary>
    ItemCertificate = 2,
    /// <summary>住民票の除票の写し</summary>
    RemovedResidentCopy = 3,
    /// <summary>住民票除票記載事項証明書</summary>
    RemovedItemCertificate = 4,
    /// <summary>転出証明書</summary>
    MoveOutCertificate = 5,
}

/// <summary>世帯連記式 (up to four persons a page) or 個人票 (one person a page).</summary>
public enum CertificateLayout
{
    Household = 1,
    Individual = 2,
}

/// <summary>Who asks (住民基本台帳法 12条, 12条の2, 12条の3, 15条の4).</summary>
public enum RequesterCategory
{
    /// <summary>本人・同一世帯員 (12条)</summary>
    SelfOrHousehold = 1,
    /// <summary>代理人 with 委任状 (12条)</summary>
    Agent = 2,
    /// <summary>第三者 (12条の3 第1項)</summary>
    ThirdParty = 3,
    /// <summary>特定事務受任者 (12条の3 第2項)</summary>
    SpecifiedProfessional = 4,
    /// <summary>国・地方公共団体の機関 (12条の2, 公用)</summary>
    Official = 5,
}

/// <summary>The purpose a third party states (12条の3 第1項 各号).</summary>
public enum ThirdPartyPurpose
{
    Unspecified = 0,
    /// <summary>自己の権利行使・義務履行</summary>
    RightsOrDuties = 1,
    /// <summary>国又は地方公共団体の機関への提出</summary>
    SubmissionToAuthority = 2,
    /// <summary>その他正当な理由</summary>
    OtherLegitimate = 3,
}

/// <summary>
/// Items that are printed only on special request (5.1, 法12条5項) or, on a 記載事項証明書,
/// only when chosen. Basic items (氏名, 生年月日, 性別, 住所 with 方書) are always printed.
/// </summary>
public enum CertificateItem
{
    /// <summary>世帯主・続柄</summary>
    HeadAndRelationship = 1,
    /// <summary>本籍・筆頭者</summary>
    Domicile = 2,
    /// <summary>住民票コード</summary>
    ResidentCode = 3,
    /// <summary>個人番号</summary>
    IndividualNumber = 4,
    /// <summary>国籍・地域, 30条45区分, 在留資格, 在留期間等, 満了日, 在留カード等番号</summary>
    ForeignItems = 5,
    /// <summary>住民となった年月日, 住所を定めた年月日, 届出日, 前住所 (記載事項証明書 only; a 写し always has them)</summary>
    Dates = 6,
    /// <summary>旧氏・通称 (記載事項証明書 only; a 写し always has them)</summary>
    OtherNames = 7,
}

/// <summary>The requester as the clerk recorded them, with the identity check done.</summary>
public sealed record RequesterInfo(
    RequesterCategory Category,
    string Name,
    string NameKana,
    PartialDateValue? BirthDate,
    string Address,
    string IdentityCheck)
{
    /// <summary>The requester's own record, for 本人・同一世帯員.</summary>
    public string ResidentNumber { get; init; } = "";
    public ThirdPartyPurpose Purpose { get; init; }
    /// <summary>The purpose in the requester's words; for items beyond the basic ones, why they are needed.</summary>
    public string PurposeDetail { get; init; } = "";
    /// <summary>代理人: a 委任状 was presented, and whom it is from.</summary>
    public bool PowerOfAttorney { get; init; }
    public string PrincipalName { get; init; } = "";
    /// <summary>公用: the requesting body and the law that lets it use 個人番号 or 住民票コード.</summary>
    public string Agency { get; init; } = "";
    public string LegalBasis { get; init; } = "";
    /// <summary>特定事務受任者: 資格 (弁護士 …) and 登録番号.</summary>
    public string Qualification { get; init; } = "";
    public string RegistrationNumber { get; init; } = "";
}

/// <summary>What a clerk asks to be issued.</summary>
public sealed record CertificateRequest(
    CertificateKind Kind,
    string HouseholdNumber,
    IReadOnlyList<string> ResidentNumbers,
    CertificateLayout Layout,
    bool IncludeHistory,
    IReadOnlySet<CertificateItem> Items,
    RequesterInfo Requester,
    int Copies,
    string PrinterId)
{
    /// <summary>5.3 フリガナ (where the city has switched the option on).</summary>
    public bool Furigana { get; init; }
    /// <summary>5.7 「公用」 mark.</summary>
    public bool OfficialUse { get; init; }
    /// <summary>転出証明書の再交付 (4.1.3.0.3).</summary>
    public bool Reissue { get; init; }
    /// <summary>改製原住民票 (1.1.4): the 住民票 as it stood before its last 改製, with the history before it.</summary>
    public bool RemadeOriginal { get; init; }
    /// <summary>1.1.4#4: print the history of a 特別な事由 too (left out by default).</summary>
    public bool IncludeSpecialHistory { get; init; }
    public IReadOnlyCollection<string> AcknowledgedAlerts { get; init; } = [];
}

/// <summary>One printed item: a stable key, the label and the text as printed.</summary>
public sealed record CertificateField(string Key, string Label, string Value);

/// <summary>One person on a certificate, with their items and (when asked) their history.</summary>
public sealed record CertificatePerson(string ResidentNumber, IReadOnlyList<CertificateField> Fields, IReadOnlyList<string> History);

/// <summary>
/// A certificate as data: what the PDF prints and what a terminal that prints for itself
/// receives. Pages list the persons on each page.
/// </summary>
public sealed record CertificateContent(
    CertificateKind Kind,
    string Title,
    IReadOnlyList<CertificateField> HouseholdFields,
    IReadOnlyList<CertificatePerson> Persons,
    IReadOnlyList<IReadOnlyList<int>> Pages,
    string AuthText,
    string AuthenticatorTitle,
    string AuthenticatorName,
    string SealKey,
    DateOnly IssuedOn,
    string IssuedOnText)
{
    public bool OfficialUse { get; init; }
    public bool Reissue { get; init; }
    public bool Preview { get; init; }
    /// <summary>Lines printed above the 認証文 (e.g. 個人番号 delivery by post, 転出予定).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>What is printed in each copy's 発行番号 (5.5), and the copy's verification code.</summary>
public sealed record CopyStamp(string IssueNumberPrefix, int Serial, string VerificationCode)
{
    /// <summary>"20200502 ●●市 本庁1 プリンタ001 011 1/2".</summary>
    public string IssueNumber(int page, int pages) => $"{IssueNumberPrefix} {Serial:000} {page}/{pages}";
}

/// <summary>A field that did not fit (5.8): printed smaller, cut at the limit or left blank.</summary>
public sealed record Overflow(int Page, string ResidentNumber, string Key, string Handling);

/// <summary>One rendered copy.</summary>
public sealed record RenderedCopy(byte[] Pdf, int Pages, IReadOnlyList<Overflow> Overflows);

/// <summary>How 5.8 handles a value that does not fit even at the smallest type.</summary>
public enum OverflowHandling
{
    /// <summary>Print as much as fits (限界まで出力).</summary>
    Truncate,
    /// <summary>Leave the field blank (空白で出力).</summary>
    Blank,
}

/// <summary>Turns certificate content into a PDF (implemented outside the domain).</summary>
public interface ICertificateRenderer
{
    RenderedCopy Render(CertificateContent content, CopyStamp? stamp, byte[]? seal, OverflowHandling overflow);

    /// <summary>A one-page letter (本人通知, 8.1.3).</summary>
    byte[] RenderLetter(LetterContent letter);

    /// <summary>Letters in one PDF, a page each (9.7's 通知 to every household).</summary>
    byte[] RenderLetters(IReadOnlyList<LetterContent> letters);

    /// <summary>A list (9.5 閲覧用写し): a table over as many pages as it needs.</summary>
    byte[] RenderTable(TableContent table);

    /// <summary>宛名シール (9.6#2): sheets of labels.</summary>
    byte[] RenderLabels(IReadOnlyList<LabelContent> labels);

    /// <summary>A report of charts and tables (the cities' indicators): a page per section.</summary>
    byte[] RenderReport(ReportContent report);
}

/// <summary>A report: its title, a line under it, and its sections.</summary>
public sealed record ReportContent(string Title, string Subtitle, IReadOnlyList<ReportSection> Sections, DateOnly Date);

/// <summary>A section of a report: a heading, a note, a chart and a table under it.</summary>
public sealed record ReportSection(string Heading, string Note, ChartContent Chart, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>A bar chart: its unit, the categories along it (months) and a series per bar of each (a city).</summary>
public sealed record ChartContent(string Unit, IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Series);

public sealed record ChartSeries(string Name, IReadOnlyList<double> Values);

/// <summary>A list to print: title, a line under it, the columns (relative widths) and the rows.</summary>
public sealed record TableContent(string Title, string Subtitle, IReadOnlyList<string> Headers, IReadOnlyList<float> Widths, IReadOnlyList<IReadOnlyList<string>> Rows, DateOnly Date);

/// <summary>One 宛名シール: 郵便番号, the address (a line or two) and the name (printed with 様).</summary>
public sealed record LabelContent(string PostalCode, IReadOnlyList<string> AddressLines, string Name, DateOnly Date);
