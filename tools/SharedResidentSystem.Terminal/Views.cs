using System.Globalization;
using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Terminal;

/// <summary>
/// The terminal's screens of the register's data: a record, a household, the 異動履歴, a refusal,
/// line by line; each value written as <see cref="Shown"/> writes it on every terminal.
/// </summary>
public static partial class Views
{
    private static bool IsForeign(Resident r) => r.Kind == ResidentKind.Foreign;

    private static string BirthDate(Resident r) =>
        r.BirthDate is null ? "" : Shown.DateOf("生年月日", r.BirthDate.Year, r.BirthDate.Month, r.BirthDate.Day, IsForeign(r));

    public static void ResidentRow(Screen s, int index, Resident r) =>
        s.Line($"{index,3}  {r.ResidentNumber}  {Shown.Name(r.PersonName)}  {BirthDate(r)}  {Shown.Sex(r.Sex)}  {Shown.Address(r.Address)}{(r.Status == ResidentStatus.Removed ? "  【除票】" : "")}");

    public static void Resident(Screen s, Resident r)
    {
        s.Line($"【住民票】 宛名番号 {r.ResidentNumber}　履歴番号 {r.HistoryNumber}{(r.Status == ResidentStatus.Removed ? "　【除票】" : "")}");
        Item(s, "氏名", Shown.Name(r.PersonName));
        Item(s, "生年月日", BirthDate(r));
        Item(s, "性別", Shown.Sex(r.Sex));
        Item(s, "世帯番号", Shown.Id(r.Household));
        Item(s, "続柄", r.Relationship);
        Item(s, "住所", Shown.Address(r.Address));
        Item(s, "住民となった日", Shown.Date(r.BecameResidentOn));
        Item(s, "住所を定めた日", Shown.Date(r.AddressSetOn));
        Item(s, "届出日", Shown.Date(r.NotifiedOn));
        Item(s, "従前の住所", Shown.Address(r.PreviousAddress));
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
            Item(s, "満了日", f.StayExpiresOn is { } expires ? Shown.DateOf("満了日", expires.Year, expires.Month, expires.Day, IsForeign(r)) : "");
        }
        Item(s, "住民票コード", r.ResidentCode);
        Item(s, "個人番号", r.IndividualNumber);
        if (r.Removal is { Reason.Length: > 0 } rm)
        {
            Item(s, "消除", $"{rm.Reason} {Shown.Date(rm.OccurredOn)} {Shown.Address(rm.Destination)}".Trim());
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
        s.Line($"【世帯】 世帯番号 {h.HouseholdNumber}　世帯主 {Shown.Name(h.HeadName)}　住所 {Shown.Address(h.Address)}");
        var i = 1;
        foreach (var m in h.Members)
        {
            s.Line($"{i++,3}  {m.ResidentNumber}  {m.Relationship,-4}  {Shown.Name(m.PersonName)}  {BirthDate(m)}  {Shown.Sex(m.Sex)}");
        }
        foreach (var m in h.RemovedMembers)
        {
            s.Line($"     {m.ResidentNumber}  {m.Relationship,-4}  {Shown.Name(m.PersonName)}  【除票】{m.Removal?.Reason}");
        }
    }

    public static void History(Screen s, IEnumerable<IdouRecord> idou, bool foreign)
    {
        s.Line("【異動履歴】");
        foreach (var i in idou)
        {
            // The date named by what the 異動 was made on (届出日, 申出日, 戸籍届出・通知日, 通知日, 請求日).
            var notified = i.NotifiedOn is null || i.NotifiedOn.Year == 0 ? "" : $"（{(i.NotifiedOnLabel.Length > 0 ? i.NotifiedOnLabel : "届出日")} {Shown.Date(i.NotifiedOn)}）";
            var place = i.Place.Length > 0 ? $"{i.Place} " : "";
            s.Line($"  {Shown.Date(i.OccurredOn)}  {i.Reason}{notified}  職員 {i.Staff}  {place}端末 {i.Terminal}  履歴番号 {i.HistoryNumber}"
                + (i.AcknowledgedAlerts.Count > 0 ? $"  確認済アラート {string.Join(',', i.AcknowledgedAlerts)}" : ""));
            if (i.Note.Length > 0)
            {
                s.Line($"      留意事項: {i.Note}");
            }
            foreach (var c in i.Changes)
            {
                s.Line($"      {c.Item}: {Shown.HistoryValue(c.Item, c.Before, foreign)} → {Shown.HistoryValue(c.Item, c.After, foreign)}");
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

    private static void Item(Screen s, string label, string value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            s.Line($"  {label}{new string('　', Math.Max(1, 7 - label.Length))}{value}");
        }
    }
}
