using System.Globalization;
using System.Text;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Certificates;

/// <summary>
/// Builds a certificate's content from the register: which items of which persons, in the
/// order of 5.2, as they are printed (和暦 for Japanese residents' dates, 西暦 for foreign
/// residents' birth and expiry dates, 方書 always, フリガナ when asked, 5.3), with the 認証文
/// and the 認証者 in office on the day of issue (1.3.9, 5.6).
/// </summary>
public static class CertificateComposer
{
    /// <summary>Persons a page: 世帯連記式 up to four (two when the history is printed), 個人票 one.</summary>
    public static int PersonsPerPage(CertificateLayout layout, bool history) =>
        layout == CertificateLayout.Individual ? 1 : history ? 2 : 4;

    public const string RemadeOriginalTitle = "改製原住民票の写し";

    /// <summary>The date of the 改製 that ended this (pre-改製) version, from the person's history.</summary>
    private static DateOnly? RemadeAfter(PersonVersion p, IReadOnlyDictionary<string, IReadOnlyList<IdouView>> history) =>
        history.TryGetValue(p.ResidentNumber, out var h)
            ? h.Where(x => x.Idou.State == IdouState.Final && x.Idou.Reason == Registration.IdouReasons.Remaking && x.HistoryNumber > p.HistoryNumber)
                .Select(x => (DateOnly?)x.Idou.OccurredOn).FirstOrDefault()
            : null;

    public static string Title(CertificateKind kind) => kind switch
    {
        CertificateKind.ResidentCopy => "住民票の写し",
        CertificateKind.ItemCertificate => "住民票記載事項証明書",
        CertificateKind.RemovedResidentCopy => "住民票の除票の写し",
        CertificateKind.RemovedItemCertificate => "住民票除票記載事項証明書",
        _ => "転出証明書",
    };

    public static string ConfigKey(CertificateKind kind) => kind switch
    {
        CertificateKind.ResidentCopy => CertificateKinds.ResidentCopy,
        CertificateKind.ItemCertificate => CertificateKinds.ItemCertificate,
        CertificateKind.RemovedResidentCopy => CertificateKinds.RemovedResidentCopy,
        CertificateKind.RemovedItemCertificate => CertificateKinds.RemovedItemCertificate,
        _ => CertificateKinds.MoveOutCertificate,
    };

    public static CertificateContent Compose(
        CertificateRequest request,
        IReadOnlySet<CertificateItem> items,
        IReadOnlyList<PersonVersion> persons,
        PersonVersion? head,
        IReadOnlyDictionary<string, IReadOnlyList<IdouView>> history,
        TenantDefinition city,
        Authenticator authenticator,
        DateOnly issuedOn)
    {
        var removed = request.Kind is CertificateKind.RemovedResidentCopy or CertificateKind.RemovedItemCertificate;
        var moveOut = request.Kind == CertificateKind.MoveOutCertificate;
        var household = new List<CertificateField>();
        var layoutHousehold = request.Layout == CertificateLayout.Household;
        if (layoutHousehold && persons.Count > 0)
        {
            household.Add(new CertificateField("address", "住所", AddressText(persons[0].Address)));
            if (items.Contains(CertificateItem.HeadAndRelationship))
            {
                household.Add(new CertificateField("head", "世帯主", head is null ? "" : NameText(head, request.Furigana)));
            }
        }
        var printed = persons.Select(p => new CertificatePerson(
            p.ResidentNumber,
            Fields(p, head, items, request, removed, moveOut, !layoutHousehold),
            request.IncludeHistory && history.TryGetValue(p.ResidentNumber, out var h) ? HistoryLines(h, request) : [])).ToList();

        var perPage = PersonsPerPage(request.Layout, request.IncludeHistory);
        var pages = Enumerable.Range(0, Math.Max(1, (printed.Count + perPage - 1) / perPage))
            .Select(page => (IReadOnlyList<int>)Enumerable.Range(page * perPage, Math.Min(perPage, printed.Count - (page * perPage))).ToList())
            .ToList();
        var notes = new List<string>();
        if (request.Requester.Category == RequesterCategory.Agent && items.Contains(CertificateItem.IndividualNumber) && !moveOut)
        {
            notes.Add("個人番号が記載されているため、この証明書は住民票上の住所あてに郵送します。");
        }
        if (moveOut && request.Reissue)
        {
            notes.Add("再交付");
        }
        if (moveOut && persons.Any(p => p.SpecialMoveOut))
        {
            // 4.1.3.0.4: a 転出証明書 printed for a 特例転出 (none is needed) says so.
            notes.Add(SpecialMoveOutNote);
        }
        if (request.RemadeOriginal)
        {
            // 1.1.4#3: the 改製 and its date, on the 改製原住民票.
            var remadeOn = persons.Select(p => RemadeAfter(p, history)).OfType<DateOnly>().Distinct().Order().ToList();
            notes.Add($"この住民票は{string.Join("、", remadeOn.Select(Wareki.Format))}に改製されました（改製原住民票）。");
        }
        var settings = city.Certificates[ConfigKey(request.Kind)];
        var title = authenticator.Title.StartsWith(city.Prefecture, StringComparison.Ordinal) ? authenticator.Title : city.Prefecture + authenticator.Title;
        return new CertificateContent(request.Kind, request.RemadeOriginal ? RemadeOriginalTitle : Title(request.Kind), household, printed, pages, settings.AuthText, title, authenticator.Name,
            authenticator.SealKey, issuedOn, Wareki.Format(issuedOn))
        {
            OfficialUse = request.OfficialUse,
            Reissue = request.Reissue,
            Notes = notes,
        };
    }

    /// <summary>Printed on a 転出証明書 of a 特例転出 (4.1.3.0.4).</summary>
    public const string SpecialMoveOutNote = "特例による転出処理済";

    private static List<CertificateField> Fields(PersonVersion p, PersonVersion? head, IReadOnlySet<CertificateItem> items, CertificateRequest request, bool removed, bool moveOut, bool withAddress)
    {
        var foreign = p.Kind == ResidentKind.Foreign;
        var f = new List<CertificateField> { new("name", "氏名", NameText(p, request.Furigana)) };
        if (items.Contains(CertificateItem.OtherNames))
        {
            if (p.OldSurname.Length > 0)
            {
                f.Add(new("old_surname", "旧氏", p.OldSurname + Furigana(p.OldSurnameKana, request.Furigana)));
            }
            if (foreign && p.CommonName.Length > 0)
            {
                f.Add(new("common_name", "通称", p.CommonName + Furigana(p.CommonNameKana, request.Furigana)));
            }
        }
        f.Add(new("birth_date", "生年月日", PartialDate(p.BirthYear, p.BirthMonth, p.BirthDay, western: foreign)));
        f.Add(new("sex", "性別", p.Sex switch { 1 => "男", 2 => "女", _ => "" }));
        if (items.Contains(CertificateItem.HeadAndRelationship))
        {
            if (withAddress || moveOut)
            {
                f.Add(new("head", "世帯主", head is null ? "" : NameText(head, request.Furigana)));
            }
            f.Add(new("relationship", "続柄", p.Relationship));
        }
        if (withAddress || moveOut)
        {
            f.Add(new("address", "住所", AddressText(p.Address)));
        }
        if (items.Contains(CertificateItem.Dates))
        {
            f.Add(new("became_resident_on", foreign ? "外国人住民となった年月日" : "住民となった年月日", Date(p.BecameResidentOn)));
            var notified = p.NotifiedOn is { } n ? $" ({Wareki.Format(n)}届出)" : "";
            f.Add(new("address_set_on", "住所を定めた年月日", Date(p.AddressSetOn) + notified));
            if (p.PreviousAddress.IsEmpty() is false)
            {
                f.Add(new("previous_address", "従前の住所", AddressText(p.PreviousAddress)));
            }
        }
        if (items.Contains(CertificateItem.Domicile) && !foreign)
        {
            f.Add(new("domicile", "本籍", p.Domicile));
            f.Add(new("domicile_head", "筆頭者", p.DomicileHead));
        }
        if (items.Contains(CertificateItem.ForeignItems) && foreign)
        {
            f.Add(new("nationality", "国籍・地域", p.Nationality));
            f.Add(new("foreign_category", "法第30条の45に規定する区分", ForeignCategoryText(p.ForeignCategory)));
            if (p.ResidenceStatus.Length > 0)
            {
                f.Add(new("residence_status", "在留資格", p.ResidenceStatus));
                f.Add(new("period_of_stay", "在留期間等", p.PeriodOfStay));
                f.Add(new("stay_expires_on", "在留期間等の満了の日", p.StayExpiresOn is { } e ? Western(e) : ""));
            }
            f.Add(new("residence_card_number", "在留カード等の番号", p.ResidenceCardNumber));
        }
        if (items.Contains(CertificateItem.ResidentCode))
        {
            f.Add(new("resident_code", "住民票コード", p.ResidentCode));
        }
        if (items.Contains(CertificateItem.IndividualNumber))
        {
            f.Add(new("individual_number", "個人番号", p.IndividualNumber));
        }
        if (removed)
        {
            f.Add(new("removal", "消除", $"{Date(p.RemovalOn)} {p.RemovalReason}".Trim()));
            if (!p.ConfirmedDestination.IsEmpty() || !p.Destination.IsEmpty())
            {
                f.Add(new("destination", "転出先", AddressText(p.ConfirmedDestination.IsEmpty() ? p.Destination : p.ConfirmedDestination)));
            }
        }
        if (moveOut)
        {
            f.Add(new("destination", "転出先", AddressText(p.Destination)));
            f.Add(new("move_out_on", "転出予定年月日", Date(p.RemovalOn)));
        }
        return f;
    }

    /// <summary>
    /// The 異動 lines of one person: from their last 改製 on (a 改製原住民票: those before it), and
    /// without a 特別な事由's unless asked (1.1.4#4).
    /// </summary>
    private static List<string> HistoryLines(IReadOnlyList<IdouView> history, CertificateRequest request)
    {
        var final = history.Where(h => h.Idou.State == IdouState.Final).ToList();
        var remakings = final.Where(h => h.Idou.Reason == Registration.IdouReasons.Remaking).Select(h => h.HistoryNumber).Order().ToList();
        IEnumerable<IdouView> shown = final;
        if (remakings.Count > 0)
        {
            // The 改製原住民票 of the last 改製 is the 原票 it ended: from the 改製 before it (if any) on.
            var from = remakings.Count > 1 ? remakings[^2] : 0;
            shown = request.RemadeOriginal ? final.Where(h => h.HistoryNumber >= from && h.HistoryNumber < remakings[^1]) : final.Where(h => h.HistoryNumber >= remakings[^1]);
        }
        return Lines(shown.Where(h => request.IncludeSpecialHistory || h.Idou.SpecialReason.Length == 0));
    }

    private static List<string> Lines(IEnumerable<IdouView> history) =>
        history
            .Select(h =>
            {
                var notified = h.Idou.NotifiedOn is { } n ? $" ({Wareki.Format(n)}届出)" : "";
                var changes = h.Changes.Where(c => c.Item is "住所" or "世帯主" or "続柄" or "氏名").Select(c => $"{c.Item}: {c.After}");
                var detail = string.Join(" / ", changes);
                return $"{Wareki.Format(h.Idou.OccurredOn)} {h.Idou.Reason}{notified}{(detail.Length > 0 ? " " + detail : "")}";
            })
            .ToList();

    /// <summary>氏名 as printed: 氏　名 (foreign residents: alphabet name, then the kanji name).</summary>
    public static string NameText(PersonVersion p, bool furigana)
    {
        var written = $"{p.FamilyName}　{p.GivenName}".Trim('　');
        var name = p.Kind == ResidentKind.Foreign && p.AlphabetName.Length > 0
            ? (written.Length > 0 ? $"{p.AlphabetName}　{written}" : p.AlphabetName)
            : written;
        var kana = $"{p.FamilyKana}　{p.GivenKana}".Trim('　');
        return name + Furigana(kana, furigana);
    }

    private static string Furigana(string kana, bool on) => on && kana.Length > 0 ? $"　（{ToKatakana(kana)}）" : "";

    public static string ToKatakana(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is >= '\u3041' and <= '\u3096' ? (char)(c + 0x60) : c);
        }
        return builder.ToString();
    }

    public static string AddressText(StoredAddress a)
    {
        if (a.FreeText.Length > 0 || a.Country.Length > 0)
        {
            return string.Join('　', new[] { a.Country, a.Prefecture + a.City, a.FreeText }.Where(x => x.Length > 0));
        }
        var chome = a.Chome > 0 ? KanjiNumber(a.Chome) + "丁目" : "";
        var main = $"{a.Prefecture}{a.City}{a.Town}{chome}{a.Banchi}";
        return a.Katagaki.Length > 0 ? $"{main}　{a.Katagaki}" : main;
    }

    private static bool IsEmpty(this StoredAddress a) =>
        a.Prefecture.Length == 0 && a.City.Length == 0 && a.Town.Length == 0 && a.Banchi.Length == 0 && a.FreeText.Length == 0 && a.Country.Length == 0;

    /// <summary>1 → 一, 12 → 十二, 20 → 二十 (丁目 as the address is written).</summary>
    public static string KanjiNumber(int n)
    {
        const string digits = "〇一二三四五六七八九";
        if (n is < 1 or > 99)
        {
            return n.ToString(CultureInfo.InvariantCulture);
        }
        var tens = n / 10;
        var ones = n % 10;
        return (tens switch { 0 => "", 1 => "十", _ => digits[tens] + "十" }) + (ones == 0 ? "" : digits[ones].ToString());
    }

    private static string Date(DateOnly? date) => date is { } d ? Wareki.Format(d) : "";

    private static string Western(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";

    /// <summary>A date that may be partly unknown (不詳).</summary>
    public static string PartialDate(int year, int month, int day, bool western)
    {
        if (year == 0)
        {
            return "不詳";
        }
        if (month > 0 && day > 0)
        {
            var date = new DateOnly(year, month, day);
            return western ? Western(date) : Wareki.Format(date);
        }
        var yearText = western ? $"{year}年" : Wareki.FormatYear(new DateOnly(year, month > 0 ? month : 12, month > 0 ? 1 : 31));
        return month > 0 ? $"{yearText}{month}月 日不詳" : $"{yearText} 月日不詳";
    }

    private static string ForeignCategoryText(int category) => category switch
    {
        1 => "中長期在留者",
        2 => "特別永住者",
        3 => "一時庇護許可者",
        4 => "仮滞在許可者",
        5 => "出生又は国籍喪失による経過滞在者",
        _ => "",
    };
}
