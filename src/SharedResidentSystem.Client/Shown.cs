using System.Globalization;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Client;

/// <summary>
/// How the register's data is written for a clerk, on every terminal (the line terminal and the
/// browser counter): Japanese labels, 和暦 dates (1.1.9), except a foreign resident's 生年月日 and
/// 在留期間の満了の日, which are written in 西暦.
/// </summary>
public static partial class Shown
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

    public static string Yen(int fee) => fee.ToString("N0", CultureInfo.InvariantCulture) + "円";

    /// <summary>A moment as the city's clock shows it (日本時間): "2026-11-30 09:15:02"; "なし" when unset.</summary>
    public static string At(Google.Protobuf.WellKnownTypes.Timestamp? t) =>
        t is null ? "なし" : t.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A job's kind as staff name it, with the section of the standard it serves.</summary>
    public static string JobKind(Contracts.Jobs.V1.JobKind kind) => kind switch
    {
        Contracts.Jobs.V1.JobKind.RandomExtraction => "9.6 無作為抽出",
        Contracts.Jobs.V1.JobKind.CsConsistency => "7.1.1.2 整合性確認",
        Contracts.Jobs.V1.JobKind.AddressBulkChange => "9.7 住所一括変更",
        Contracts.Jobs.V1.JobKind.InspectionCopy => "9.5 閲覧用写し",
        Contracts.Jobs.V1.JobKind.RemovedRecordsArchive => "9.3 除票用データベースへの移行",
        Contracts.Jobs.V1.JobKind.SuppressionList => "9.2 抑止対象者一覧",
        Contracts.Jobs.V1.JobKind.Retention => "保存期間を経過した記録の削除",
        Contracts.Jobs.V1.JobKind.AnnualReport => "6.1 住民基本台帳関係年報",
        Contracts.Jobs.V1.JobKind.EucSnapshot => "EUC 用の写し",
        _ => kind.ToString(),
    };

    public static string JobState(Contracts.Jobs.V1.JobState state) => state switch
    {
        Contracts.Jobs.V1.JobState.Queued => "待機中",
        Contracts.Jobs.V1.JobState.Running => "実行中",
        Contracts.Jobs.V1.JobState.Succeeded => "正常終了",
        Contracts.Jobs.V1.JobState.Failed => "異常終了",
        Contracts.Jobs.V1.JobState.Cancelled => "取消し",
        _ => "",
    };

    /// <summary>The state of the CS link in one line (7.1): configured, reachable, and since when.</summary>
    public static string CsLink(Contracts.Registration.V1.CsLinkStatus s) =>
        !s.Configured ? "CS: 未設定（電文は送信待ちとして保存されます）"
        : s.Reachable ? $"CS: 接続中（最後の接続 {At(s.LastContactAt)}）"
        : $"CS: 接続できません（最後の失敗 {At(s.LastFailureAt)}、再接続を続けています）";
}
