namespace SharedResidentSystem.Core.Tenancy;

/// <summary>
/// A town (町字) of a city's address dictionary (1.3.3) with its reading, its code (the 大字 of
/// the 住所コード), its 丁目, its 住居表示・地番 master (1.3.2) and 方書 (1.3.4).
/// </summary>
public sealed record TownEntry(string Name, string PostalCode)
{
    /// <summary>読み (hiragana), for 住所カナ入力.</summary>
    public string Kana { get; init; } = "";

    /// <summary>3 digits: the 大字 part of the 11-digit 住所コード; fixed once given.</summary>
    public string Code { get; init; } = "000";

    public LotNumbering Numbering { get; init; } = LotNumbering.None;

    /// <summary>街区符号 with 住居番号 (住居表示) or 本番 with 枝番 (地番).</summary>
    public IReadOnlyList<BlockEntry> Blocks { get; init; } = [];

    /// <summary>特殊地番 (無番地, 地先 …) accepted as written.</summary>
    public IReadOnlyList<string> SpecialLots { get; init; } = [];

    /// <summary>First and last 丁目; null when the 町字 has no 丁目 list (any 0-99 accepted).</summary>
    public (int From, int To)? Chome { get; init; }

    public IReadOnlyList<string> Buildings { get; init; } = [];
}

/// <summary>A printer at a terminal (its name is printed in the 発行番号, 5.5).</summary>
public sealed record PrinterEntry(string Id, string Name);

/// <summary>An input terminal (1.3.1); its id is the terminal claim of a staff member's token.</summary>
public sealed record TerminalEntry(string Id, string Name, IReadOnlyList<PrinterEntry> Printers);

/// <summary>An input place (本庁, 支所, 出張所) with its terminals (1.3.1).</summary>
public sealed record OfficeEntry(string Id, string Name, string Address, IReadOnlyList<TerminalEntry> Terminals);

public enum AuthenticatorRole
{
    /// <summary>市区町村長</summary>
    Mayor,
    /// <summary>職務代理者</summary>
    Deputy,
}

/// <summary>認証者 (1.3.9): title and name in office for a period, with the 公印 used (1.3.7).</summary>
public sealed record Authenticator(AuthenticatorRole Role, string Title, string Name, DateOnly From, DateOnly? Until, string SealKey)
{
    public bool InOffice(DateOnly date) => From <= date && (Until is null || date <= Until);
}

/// <summary>The certificate kinds a city configures (認証文, fee).</summary>
public static class CertificateKinds
{
    public const string ResidentCopy = "residentCopy";
    public const string ItemCertificate = "itemCertificate";
    public const string RemovedResidentCopy = "removedResidentCopy";
    public const string RemovedItemCertificate = "removedItemCertificate";
    public const string MoveOutCertificate = "moveOutCertificate";

    public static readonly IReadOnlyList<string> All = [ResidentCopy, ItemCertificate, RemovedResidentCopy, RemovedItemCertificate, MoveOutCertificate];
}

/// <summary>What a city prints and charges for one certificate kind.</summary>
public sealed record CertificateSettings(string AuthText, int Fee);

/// <summary>A unit (所属) or user of the access table (10.3) with what it may do and what it may not see (10.4).</summary>
public sealed record AccessGrant(string Id, string Name, IReadOnlySet<string> Functions, IReadOnlySet<string> HiddenItems)
{
    public string Unit { get; init; } = "";
    public DateOnly? From { get; init; }
    public DateOnly? Until { get; init; }
}

/// <summary>The city's access table (10.3-10.4): per organisation unit and per user, never per rank.</summary>
public sealed record AccessPolicy(IReadOnlyList<AccessGrant> Units, IReadOnlyList<AccessGrant> Users);

/// <summary>What a linked system receives (7.2.3, 7.2.4).</summary>
public enum LinkedSystemKind
{
    /// <summary>宛名連携 (7.2.3): 全件, then every 異動 and every 抑止 or 支援措置 change (3.2).</summary>
    Atena,

    /// <summary>戸籍附票システム (7.2.4): address changes of the city's 本籍人 only.</summary>
    FamilyRegisterAnnex,

    /// <summary>
    /// 団体内統合宛名システム (7.1.2.3): what 宛名連携 gives, with the 個人番号 always among its items,
    /// so that it can keep the 中間サーバー's 副本 (住民票関係情報) up to date; it sends nothing back.
    /// </summary>
    IntegratedAtena,
}

/// <summary>
/// One of the city's other systems (7.2): what it receives, which items (its access table, as
/// 10.4 is for staff), and when — as they happen (リアルタイム) or gathered every few minutes
/// (準リアルタイム, at most 10).
/// </summary>
public sealed record LinkedSystem(string Id, string Name, LinkedSystemKind Kind, IReadOnlyList<string> Items)
{
    /// <summary>It receives every person and every change (宛名連携 and the 団体内統合宛名システム), not only the 本籍人's addresses.</summary>
    public bool ReceivesEveryone => Kind != LinkedSystemKind.FamilyRegisterAnnex;

    /// <summary>0: as they happen; otherwise the minutes between deliveries (1-10).</summary>
    public int IntervalMinutes { get; init; }

    /// <summary>The services whose state it reports to the register (他業務照会, 7.2.2: ServiceReports).</summary>
    public IReadOnlySet<string> Reports { get; init; } = new HashSet<string>();
}

/// <summary>Retention periods in years.</summary>
public sealed record RetentionSettings(int RemovedRecordsYears, int IssuanceLedgerYears, int AccessLogYears)
{
    /// <summary>9.3: a 除票 this many years after its 消除 moves to the 除票用データベース (at least 5).</summary>
    public int ArchiveAfterYears { get; init; } = 5;
}

/// <summary>When a 本人通知 (8.1.3) is produced.</summary>
public enum PersonalNoticeCondition
{
    Registered,
    RegisteredExceptSelf,
    AnyThirdPartyOrAgent,
}

/// <summary>
/// 共同利用団体: one member city as one version of its configuration document describes it,
/// with the standard's defaults filled in. Everything that differs between cities lives
/// here, never in code.
/// </summary>
public sealed record TenantDefinition(
    string Code,
    string Name,
    string NameKana,
    string Prefecture,
    IReadOnlyList<TownEntry> Towns,
    string Document)
{
    public IReadOnlyList<OfficeEntry> Offices { get; init; } = [];

    /// <summary>Jobs started on a schedule (9.1).</summary>
    public IReadOnlyList<Jobs.JobSchedule> JobSchedules { get; init; } = [];

    /// <summary>地区 (1.3.5).</summary>
    public IReadOnlyList<DistrictEntry> Districts { get; init; } = [];

    public IReadOnlyList<Authenticator> Authenticators { get; init; } = [];

    /// <summary>電子公印 images (PNG) by key.</summary>
    public IReadOnlyDictionary<string, byte[]> Seals { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>認証文 and fee per certificate kind, defaults filled in.</summary>
    public IReadOnlyDictionary<string, CertificateSettings> Certificates { get; init; } = TenantDefaults.Certificates;

    /// <summary>Standard-option switches that are on, by section number.</summary>
    public IReadOnlySet<string> OptionsOn { get; init; } = TenantDefaults.OptionsOn;

    public PersonalNoticeCondition PersonalNoticeCondition { get; init; } = PersonalNoticeCondition.Registered;

    public int PersonalNoticeRegistrationYears { get; init; } = TenantDefaults.PersonalNoticeRegistrationYears;

    /// <summary>異動事由 that must go through 仮登録 and a supervisor's 決裁 in this city (4.0.8).</summary>
    public IReadOnlySet<string> ApprovalRequiredFor { get; init; } = new HashSet<string>();

    /// <summary>The access table; null when the city leaves it to the roles of the token.</summary>
    public AccessPolicy? Access { get; init; }

    public RetentionSettings Retention { get; init; } = TenantDefaults.Retention;

    /// <summary>
    /// 稼働日: the day the city began on this system (its register migrated in, 10.6); null when
    /// not stated. 6.1#3: statistics are made from that month on; earlier months are the old system's.
    /// </summary>
    public DateOnly? StartedOn { get; init; }

    /// <summary>7.1.1.1: linked to the CS by hand for a while; its messages wait in the outbox.</summary>
    public bool CsManual { get; init; }

    /// <summary>7.1.1.1: the city's conversions to 住基ネット統一文字 (character → 統一文字), beyond the basic set.</summary>
    public IReadOnlyDictionary<string, string> CsCharacters { get; init; } = new Dictionary<string, string>();

    /// <summary>7.2: the city's other systems that receive its register, by id.</summary>
    public IReadOnlyList<LinkedSystem> LinkedSystems { get; init; } = [];

    /// <summary>5.8: print an overflowing value up to the limit (true) or leave it blank (false).</summary>
    public bool OverflowTruncates { get; init; } = true;

    /// <summary>5.6: fixed wording printed by the seal, if any.</summary>
    public string SealNote { get; init; } = "";

    public string ResourceName => TenantResourceNames.Tenant(Code);

    public bool IsOn(string option) => OptionsOn.Contains(option);

    /// <summary>
    /// The 認証者 on <paramref name="date"/> (1.3.9): a 職務代理者 in their period, otherwise
    /// the mayor in office; null when the configuration names nobody for that day.
    /// </summary>
    public Authenticator? AuthenticatorOn(DateOnly date) =>
        Authenticators.FirstOrDefault(a => a.Role == AuthenticatorRole.Deputy && a.InOffice(date))
        ?? Authenticators.FirstOrDefault(a => a.Role == AuthenticatorRole.Mayor && a.InOffice(date));

    /// <summary>The office and terminal of a terminal id, or null when the city has not registered it.</summary>
    public (OfficeEntry Office, TerminalEntry Terminal)? FindTerminal(string terminalId)
    {
        foreach (var office in Offices)
        {
            var terminal = office.Terminals.FirstOrDefault(t => t.Id == terminalId);
            if (terminal is not null)
            {
                return (office, terminal);
            }
        }
        return null;
    }
}

/// <summary>The standard's defaults, used for everything a city's document leaves out.</summary>
public static class TenantDefaults
{
    public const int PersonalNoticeRegistrationYears = 3;

    public static readonly IReadOnlyDictionary<string, CertificateSettings> Certificates = new Dictionary<string, CertificateSettings>
    {
        [CertificateKinds.ResidentCopy] = new("この写しは、住民票の原本と相違ないことを証明する。", 300),
        [CertificateKinds.ItemCertificate] = new("上記のとおり住民票に記載されていることを証明する。", 300),
        [CertificateKinds.RemovedResidentCopy] = new("この写しは、住民票の除票の原本と相違ないことを証明する。", 300),
        [CertificateKinds.RemovedItemCertificate] = new("上記のとおり住民票の除票に記載されていることを証明する。", 300),
        [CertificateKinds.MoveOutCertificate] = new("上記のとおり転出の届出があったことを証明する。", 0),
    };

    /// <summary>Options this version can switch on; every other optional function must stay off.</summary>
    public static readonly IReadOnlySet<string> AvailableOptions = new HashSet<string>(StringComparer.Ordinal) { "2.1.2", "5.3", "8.1" };

    /// <summary>
    /// Options built into every search of this version and not switchable off: 異体字検索 is
    /// expected of this product (the search keys fold 辺・邊・邉 together).
    /// </summary>
    public static readonly IReadOnlySet<string> AlwaysOn = new HashSet<string>(StringComparer.Ordinal) { "2.1.2" };

    /// <summary>The options on when a city says nothing.</summary>
    public static readonly IReadOnlySet<string> OptionsOn = AlwaysOn;

    public static readonly RetentionSettings Retention = new(150, 5, 5);
}

/// <summary>Resource names under a tenant: tenants/{code}/...</summary>
public static class TenantResourceNames
{
    public const string Prefix = "tenants/";

    public static string Tenant(string code) => Prefix + code;

    public static string Resident(string tenant, string residentNumber) => $"{Prefix}{tenant}/residents/{residentNumber}";

    public static string Household(string tenant, string householdNumber) => $"{Prefix}{tenant}/households/{householdNumber}";

    public static string Idou(string tenant, long id) => $"{Prefix}{tenant}/idou/{id}";

    /// <summary>
    /// Splits "tenants/{code}/{collection}/{id}". Returns false for any other shape.
    /// </summary>
    public static bool TryParse(string? name, string collection, out string tenant, out string id)
    {
        tenant = id = "";
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        var parts = name.Split('/');
        if (parts.Length != 4 || parts[0] != "tenants" || parts[2] != collection || parts[1].Length == 0 || parts[3].Length == 0)
        {
            return false;
        }
        tenant = parts[1];
        id = parts[3];
        return true;
    }

    /// <summary>Parses "tenants/{code}"; false for any other shape.</summary>
    public static bool TryParseTenant(string? name, out string tenant)
    {
        tenant = "";
        if (name is null || !name.StartsWith(Prefix, StringComparison.Ordinal) || name.Length <= Prefix.Length || name.IndexOf('/', Prefix.Length) >= 0)
        {
            return false;
        }
        tenant = name[Prefix.Length..];
        return true;
    }
}
