using System.Globalization;
using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Terminal;

/// <summary>
/// How the terminal writes the register's data for a clerk: Japanese labels, 和暦 dates (1.1.9),
/// except a foreign resident's 生年月日 and 在留期間の満了の日, which are written in 西暦.
/// </summary>
public static partial class Views
{
    /// <summary>Items that a foreign resident's record gives in 西暦 (1.1.9, 法30条の45).</summary>
    private static readonly HashSet<string> WesternItemsOfForeignResidents = new(StringComparer.Ordinal) { "生年月日", "在留期間の満了の日", "満了日" };

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d{4})-(\d{2})-(\d{2})")]
    private static partial System.Text.RegularExpressions.Regex IsoDate();

    /// <summary>"1985年6月15日", "1985年（月日不詳）": a date in 西暦, for the items of foreign residents that take it.</summary>
    public static string WesternDate(int year, int month, int day) =>
        year == 0 ? "不詳"
        : month > 0 && day > 0 ? $"{year}年{month}月{day}日"
        : month > 0 ? $"{year}年{month}月（日不詳）"
        : $"{year}年（月日不詳）";

    /// <summary>A date item of a resident as the rule of 1.1.9 writes it for this resident.</summary>
    public static string DateOf(string item, int year, int month, int day, bool foreign) =>
        foreign && WesternItemsOfForeignResidents.Contains(item) ? WesternDate(year, month, day) : PartialDate(year, month, day);

    /// <summary>A value of the 異動履歴 (the register keeps dates as yyyy-MM-dd, alone or within a value): every date written as 1.1.9 asks.</summary>
    public static string HistoryValue(string item, string value, bool foreign) =>
        IsoDate().Replace(value, m => DateOf(item, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), foreign));

    public static string Date(Google.Type.Date? d) =>
        d is null || d.Year == 0 ? "" : Wareki.Format(new DateOnly(d.Year, d.Month, d.Day));

    public static string Date(DateOnly d) => Wareki.Format(d);

    /// <summary>A date whose month or day may be unknown: "昭和60年6月15日", "昭和60年（月日不詳）".</summary>
    public static string PartialDate(int year, int month, int day)
    {
        if (year == 0)
        {
            return "不詳";
        }
        if (month > 0 && day > 0)
        {
            return Wareki.Format(new DateOnly(year, month, day));
        }
        var yearPart = Wareki.FormatYear(new DateOnly(year, month > 0 ? month : 12, month > 0 ? DateTime.DaysInMonth(year, month) : 31));
        return month > 0 ? $"{yearPart}{month}月（日不詳）" : $"{yearPart}（月日不詳）";
    }

    public static string PartialDate(PartialDate? d) => d is null ? "" : PartialDate(d.Year, d.Month, d.Day);

    public static string Sex(Sex sex) => sex switch
    {
        Contracts.Residents.V1.Sex.Male => "男",
        Contracts.Residents.V1.Sex.Female => "女",
        _ => "",
    };

    public static string Name(PersonName? n) =>
        n is null ? "" : $"{n.Family} {n.Given}".Trim() + (n.FamilyKana.Length + n.GivenKana.Length > 0 ? $"（{$"{n.FamilyKana} {n.GivenKana}".Trim()}）" : "");

    public static string Address(Address? a)
    {
        if (a is null)
        {
            return "";
        }
        if (a.FreeText.Length > 0 && a.Town.Length == 0)
        {
            return $"{a.Country}{a.Prefecture}{a.City}{a.FreeText}".Trim();
        }
        var chome = a.Chome > 0 ? $"{a.Chome}丁目" : "";
        var line = $"{a.Prefecture}{a.City}{a.Town}{chome}{a.Banchi}";
        return a.Katagaki.Length > 0 ? $"{line}　{a.Katagaki}" : line;
    }

    /// <summary>The number at the end of a resource name ("tenants/132136/residents/000012" → "000012").</summary>
    public static string Id(string name) => name.Length == 0 ? "" : name[(name.LastIndexOf('/') + 1)..];

    private static bool IsForeign(Resident r) => r.Kind == ResidentKind.Foreign;

    private static string BirthDate(Resident r) =>
        r.BirthDate is null ? "" : DateOf("生年月日", r.BirthDate.Year, r.BirthDate.Month, r.BirthDate.Day, IsForeign(r));

    public static void ResidentRow(Screen s, int index, Resident r) =>
        s.Line($"{index,3}  {r.ResidentNumber}  {Name(r.PersonName)}  {BirthDate(r)}  {Sex(r.Sex)}  {Address(r.Address)}{(r.Status == ResidentStatus.Removed ? "  【除票】" : "")}");

    public static void Resident(Screen s, Resident r)
    {
        s.Line($"【住民票】 宛名番号 {r.ResidentNumber}　履歴番号 {r.HistoryNumber}{(r.Status == ResidentStatus.Removed ? "　【除票】" : "")}");
        Item(s, "氏名", Name(r.PersonName));
        Item(s, "生年月日", BirthDate(r));
        Item(s, "性別", Sex(r.Sex));
        Item(s, "世帯番号", Id(r.Household));
        Item(s, "続柄", r.Relationship);
        Item(s, "住所", Address(r.Address));
        Item(s, "住民となった日", Date(r.BecameResidentOn));
        Item(s, "住所を定めた日", Date(r.AddressSetOn));
        Item(s, "届出日", Date(r.NotifiedOn));
        Item(s, "従前の住所", Address(r.PreviousAddress));
        if (r.Domicile is { } d && d.Address.Length > 0)
        {
            Item(s, "本籍", d.Address);
            Item(s, "筆頭者", d.HeadName);
        }
        if (r.OldSurname is { Surname.Length: > 0 } o)
        {
            Item(s, "旧氏", $"{o.Surname}（{o.SurnameKana}）");
        }
        if (r.CommonName is { Name.Length: > 0 } c)
        {
            Item(s, "通称", $"{c.Name}（{c.NameKana}）");
        }
        if (r.Foreign is { Nationality.Length: > 0 } f)
        {
            Item(s, "国籍・地域", f.Nationality);
            Item(s, "在留資格", f.ResidenceStatus);
            Item(s, "在留期間", f.PeriodOfStay);
            Item(s, "満了日", f.StayExpiresOn is { } expires ? DateOf("満了日", expires.Year, expires.Month, expires.Day, IsForeign(r)) : "");
        }
        Item(s, "住民票コード", r.ResidentCode);
        Item(s, "個人番号", r.IndividualNumber);
        if (r.Removal is { Reason.Length: > 0 } rm)
        {
            Item(s, "消除", $"{rm.Reason} {Date(rm.OccurredOn)} {Address(rm.Destination)}".Trim());
        }
        if (r.Suppressed)
        {
            s.Line("  ※ この住民には抑止（支援措置を含む）が設定されています。");
        }
        foreach (var n in r.Notices)
        {
            s.Line($"  ※ {n}");
        }
    }

    public static void Household(Screen s, Household h)
    {
        s.Line($"【世帯】 世帯番号 {h.HouseholdNumber}　世帯主 {Name(h.HeadName)}　住所 {Address(h.Address)}");
        var i = 1;
        foreach (var m in h.Members)
        {
            s.Line($"{i++,3}  {m.ResidentNumber}  {m.Relationship,-4}  {Name(m.PersonName)}  {BirthDate(m)}  {Sex(m.Sex)}");
        }
        foreach (var m in h.RemovedMembers)
        {
            s.Line($"     {m.ResidentNumber}  {m.Relationship,-4}  {Name(m.PersonName)}  【除票】{m.Removal?.Reason}");
        }
    }

    public static void History(Screen s, IEnumerable<IdouRecord> idou, bool foreign)
    {
        s.Line("【異動履歴】");
        foreach (var i in idou)
        {
            // The date named by what the 異動 was made on (届出日, 申出日, 戸籍届出・通知日, 通知日, 請求日).
            var notified = i.NotifiedOn is null || i.NotifiedOn.Year == 0 ? "" : $"（{(i.NotifiedOnLabel.Length > 0 ? i.NotifiedOnLabel : "届出日")} {Date(i.NotifiedOn)}）";
            var place = i.Place.Length > 0 ? $"{i.Place} " : "";
            s.Line($"  {Date(i.OccurredOn)}  {i.Reason}{notified}  職員 {i.Staff}  {place}端末 {i.Terminal}  履歴番号 {i.HistoryNumber}"
                + (i.AcknowledgedAlerts.Count > 0 ? $"  確認済アラート {string.Join(',', i.AcknowledgedAlerts)}" : ""));
            if (i.Note.Length > 0)
            {
                s.Line($"      留意事項: {i.Note}");
            }
            foreach (var c in i.Changes)
            {
                s.Line($"      {c.Item}: {HistoryValue(c.Item, c.Before, foreign)} → {HistoryValue(c.Item, c.After, foreign)}");
            }
        }
    }

    /// <summary>A refusal as 11.1 asks: the item at fault, the reason and what to do.</summary>
    public static void Problem(Screen s, CallProblem p)
    {
        var head = p.Kind switch
        {
            ProblemKind.AlertsToAcknowledge => "■ アラート（確認が必要です）",
            ProblemKind.Unavailable => "■ 接続できません",
            ProblemKind.SignInRequired => "■ サインインが必要です",
            ProblemKind.NotPermitted => "■ 権限がありません",
            _ => "■ エラー（登録できません）",
        };
        s.Line($"{head}  [{p.Reason}]");
        s.Line($"  {p.Message}");
        foreach (var f in p.Fields)
        {
            s.Line($"  ・{(f.Label.Length > 0 ? f.Label : f.Field)}: {f.Description}");
        }
        foreach (var a in p.Alerts)
        {
            s.Line($"  ・{a.Code}: {a.Message}");
        }
        if (p.RequestId.Length > 0 && p.Kind == ProblemKind.Unavailable)
        {
            s.Line($"  受付番号 {p.RequestId}（再送しても二重に記録されません）");
        }
    }

    public static string Suppression(Suppression s)
    {
        var processes = string.Join("・", s.Processes.Select(p => p switch
        {
            SuppressedProcess.Idou => "異動",
            SuppressedProcess.Issuance => "発行",
            SuppressedProcess.Inquiry => "照会",
            _ => "",
        }));
        var category = s.Category switch
        {
            SuppressionCategory.SupportMeasure => "支援措置",
            SuppressionCategory.ExclusiveControl => "排他制御",
            _ => "その他",
        };
        var level = s.Level == SuppressionLevel.Alert ? "アラート" : "エラー";
        return $"{category}（{processes}、{level}）{s.Reason}";
    }

    public static string Kind(CertificateKind kind) => kind switch
    {
        CertificateKind.ResidentCopy => "住民票の写し",
        CertificateKind.ItemCertificate => "住民票記載事項証明書",
        CertificateKind.RemovedResidentCopy => "住民票の除票の写し",
        CertificateKind.RemovedItemCertificate => "住民票除票記載事項証明書",
        CertificateKind.MoveOutCertificate => "転出証明書",
        _ => "",
    };

    private static void Item(Screen s, string label, string value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            s.Line($"  {label}{new string('　', Math.Max(1, 7 - label.Length))}{value}");
        }
    }

    public static string Yen(int fee) => fee.ToString("N0", CultureInfo.InvariantCulture) + "円";

    /// <summary>A job's kind as staff name it.</summary>
    public static string JobKindText(Contracts.Jobs.V1.JobKind kind) => kind switch
    {
        Contracts.Jobs.V1.JobKind.RandomExtraction => "9.6 無作為抽出",
        Contracts.Jobs.V1.JobKind.CsConsistency => "7.1.1.2 整合性確認",
        Contracts.Jobs.V1.JobKind.AddressBulkChange => "9.7 住所一括変更",
        Contracts.Jobs.V1.JobKind.InspectionCopy => "9.5 閲覧用写し",
        Contracts.Jobs.V1.JobKind.RemovedRecordsArchive => "9.3 除票用データベースへの移行",
        Contracts.Jobs.V1.JobKind.SuppressionList => "9.2 抑止対象者一覧",
        Contracts.Jobs.V1.JobKind.Retention => "保存期間を経過した記録の削除",
        Contracts.Jobs.V1.JobKind.AnnualReport => "6.1 住民基本台帳関係年報",
        _ => kind.ToString(),
    };
}
