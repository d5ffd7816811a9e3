using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Counter.Forms;

namespace SharedResidentSystem.Counter.Services;

/// <summary>
/// The 転入届 as the clerk fills it in (4.1.1: the items of the paper form in its order), and
/// the request it becomes. Dates are typed as on the form (和暦 or 西暦).
/// </summary>
public sealed class MoveInForm
{
    public string Reason { get; set; } = "domestic";
    public string MoveDate { get; set; } = "";
    public string NotificationDate { get; set; } = "";
    public string NotifierName { get; set; } = "";
    public string NotifierRelation { get; set; } = "本人";
    /// <summary>The chosen place of the city's address master: "町字|丁目".</summary>
    public string Place { get; set; } = "";
    public string Banchi { get; set; } = "";
    public string Katagaki { get; set; } = "";
    public string PreviousAddress { get; set; } = "";
    public string PreviousCountry { get; set; } = "";
    public List<Member> Members { get; } = [new Member { Relationship = "世帯主" }];

    /// <summary>職権記載 (4.2.1.1) instead of a 転入届: its 事由, what it was made on and the 職権記録書.</summary>
    public bool Official { get; set; }
    public string OfficialReason { get; set; } = "";
    public string Basis { get; set; } = nameof(OfficialBasis.Unspecified);
    public string Note { get; set; } = "";
    /// <summary>未届転入 (4.1.1.4): the 従前の住所 is the latest unreported one.</summary>
    public bool UnreportedMoveIn { get; set; }
    public string LastRegisteredAddress { get; set; } = "";
    public string NationalityLostOn { get; set; } = "";

    /// <summary>The 事由 of a 職権記載.</summary>
    public static readonly IReadOnlyList<(string, string)> OfficialReasons =
    [
        ("", "選んでください"),
        (nameof(OfficialEntryReason.Official), "職権記載 (住所の設定、未届転入 など)"),
        (nameof(OfficialEntryReason.Naturalization), "職権記載（帰化等）: 帰化"),
        (nameof(OfficialEntryReason.NationalityAcquisition), "職権記載（帰化等）: 国籍取得"),
        (nameof(OfficialEntryReason.LossOfNationality), "職権記載（国籍喪失）: 外国人住民として"),
    ];

    /// <summary>What a 職権 異動 is made on; the 通知日 is read by it (申出日, 戸籍届出・通知日, 通知日).</summary>
    public static readonly IReadOnlyList<(string, string)> Bases =
    [
        (nameof(OfficialBasis.Unspecified), "市の調査 (実態調査など)"),
        (nameof(OfficialBasis.Application), "申出"),
        (nameof(OfficialBasis.FamilyRegister), "戸籍届出・戸籍通知"),
        (nameof(OfficialBasis.Notice), "他の機関からの通知"),
    ];

    public bool LossOfNationality => OfficialReason == nameof(OfficialEntryReason.LossOfNationality);

    public sealed class Member
    {
        public string Family { get; set; } = "";
        public string Given { get; set; } = "";
        public string FamilyKana { get; set; } = "";
        public string GivenKana { get; set; } = "";
        public string Birth { get; set; } = "";
        public string Sex { get; set; } = "";
        public string Relationship { get; set; } = "";
        public string Domicile { get; set; } = "";
        public string DomicileHead { get; set; } = "";
        public string IndividualNumber { get; set; } = "";

        /// <summary>"japanese" (日本人住民) or "foreign" (外国人住民, 法30条の45).</summary>
        public string Kind { get; set; } = "japanese";
        public string OldSurname { get; set; } = "";
        public string OldSurnameKana { get; set; } = "";
        public string AlphabetName { get; set; } = "";
        public string CommonName { get; set; } = "";
        public string CommonNameKana { get; set; } = "";
        public string Nationality { get; set; } = "";
        public string Category { get; set; } = "";
        public string ResidenceStatus { get; set; } = "";
        public string PeriodOfStay { get; set; } = "";
        public string StayExpiresOn { get; set; } = "";
        public string ResidenceCardNumber { get; set; } = "";
        /// <summary>住民票コード, carried from a 転出証明書 read at the counter (10.8); not typed.</summary>
        public string ResidentCode { get; set; } = "";
        /// <summary>再転入 (4.1.1.2): the 除票 this person comes back to ("tenants/{code}/residents/{宛名番号}").</summary>
        public string ReturningResident { get; set; } = "";

        public bool Foreign => Kind == "foreign";

        /// <summary>The person as the contract takes them; what cannot be read is an error under <paramref name="path"/>.</summary>
        public PersonEntry ToEntry(string path, FormErrors errors)
        {
            var entry = new PersonEntry
            {
                PersonName = new PersonName { Family = Family.Trim(), Given = Given.Trim(), FamilyKana = FamilyKana.Trim(), GivenKana = GivenKana.Trim() },
                BirthDate = Typed.PartialDate(Birth, path + ".birth_date", errors, required: true),
                Sex = Sex switch { "1" => Contracts.Residents.V1.Sex.Male, "2" => Contracts.Residents.V1.Sex.Female, _ => Contracts.Residents.V1.Sex.Unspecified },
                Relationship = Relationship.Trim(),
                Kind = Foreign ? ResidentKind.Foreign : ResidentKind.Japanese,
                IndividualNumber = IndividualNumber.Trim(),
                ReturningResident = ReturningResident,
                ResidentCode = ResidentCode,
            };
            if (Foreign)
            {
                entry.Foreign = new ForeignResidentItems
                {
                    Nationality = Nationality.Trim(),
                    Category = Enum.TryParse<ForeignResidentCategory>(Category, out var category) ? category : ForeignResidentCategory.Unspecified,
                    ResidenceStatus = ResidenceStatus.Trim(),
                    PeriodOfStay = PeriodOfStay.Trim(),
                    StayExpiresOn = Typed.Date(StayExpiresOn, path + ".foreign.stay_expires_on", errors, required: false),
                    ResidenceCardNumber = ResidenceCardNumber.Trim().ToUpperInvariant(),
                    AlphabetName = AlphabetName.Trim(),
                };
                entry.CommonName = CommonName.Trim();
                entry.CommonNameKana = CommonNameKana.Trim();
            }
            else
            {
                entry.Domicile = new Domicile { Address = Domicile.Trim(), HeadName = DomicileHead.Trim() };
                if (OldSurname.Trim().Length > 0 || OldSurnameKana.Trim().Length > 0)
                {
                    entry.OldSurname = new Contracts.Residents.V1.OldSurname { Surname = OldSurname.Trim(), SurnameKana = OldSurnameKana.Trim() };
                }
            }
            return entry;
        }
    }

    /// <summary>
    /// The form filled in from a 転入 read from a CSV at the counter (10.8): what the data gave,
    /// each date as a clerk would type it; what it did not give stays for the clerk to enter.
    /// </summary>
    public static MoveInForm From(RecordMoveInRequest r)
    {
        var form = new MoveInForm
        {
            Reason = r.Reason == MoveInReason.FromAbroad ? "abroad" : "domestic",
            MoveDate = Services.Typed.Prefill(r.MoveDate),
            NotificationDate = Services.Typed.Prefill(r.NotificationDate),
            NotifierName = r.Notifier?.Name is { Length: > 0 } notifier ? notifier : "",
            NotifierRelation = r.Notifier?.Relation is { Length: > 0 } relation ? relation : "本人",
            Place = r.Address is { Town.Length: > 0 } a ? Key(a) : "",
            Banchi = r.Address?.Banchi ?? "",
            Katagaki = r.Address?.Katagaki ?? "",
            PreviousCountry = r.PreviousAddress?.Country ?? "",
            PreviousAddress = r.PreviousAddress is { } p ? Shown.Address(new Address { Prefecture = p.Prefecture, City = p.City, Town = p.Town, Chome = p.Chome, Banchi = p.Banchi, FreeText = p.FreeText, Katagaki = p.Katagaki }) : "",
        };
        form.Members.Clear();
        foreach (var m in r.Members)
        {
            var foreign = m.Kind == ResidentKind.Foreign;
            var member = new Member
            {
                Kind = foreign ? "foreign" : "japanese",
                Family = m.PersonName?.Family ?? "", Given = m.PersonName?.Given ?? "",
                FamilyKana = m.PersonName?.FamilyKana ?? "", GivenKana = m.PersonName?.GivenKana ?? "",
                Birth = Services.Typed.Prefill(m.BirthDate, foreign),
                Sex = m.Sex switch { Contracts.Residents.V1.Sex.Male => "1", Contracts.Residents.V1.Sex.Female => "2", _ => "" },
                Relationship = m.Relationship,
                Domicile = m.Domicile?.Address ?? "", DomicileHead = m.Domicile?.HeadName ?? "",
                OldSurname = m.OldSurname?.Surname ?? "", OldSurnameKana = m.OldSurname?.SurnameKana ?? "",
                CommonName = m.CommonName, CommonNameKana = m.CommonNameKana,
                IndividualNumber = m.IndividualNumber,
                ResidentCode = m.ResidentCode,
            };
            if (m.Foreign is { } f)
            {
                (member.AlphabetName, member.Nationality, member.Category, member.ResidenceStatus, member.PeriodOfStay, member.ResidenceCardNumber) =
                    (f.AlphabetName, f.Nationality, f.Category == ForeignResidentCategory.Unspecified ? "" : f.Category.ToString(), f.ResidenceStatus, f.PeriodOfStay, f.ResidenceCardNumber);
                member.StayExpiresOn = f.StayExpiresOn is { Year: > 0 } e ? $"{e.Year:D4}-{e.Month:D2}-{e.Day:D2}" : "";
            }
            form.Members.Add(member);
        }
        if (form.Members.Count == 0)
        {
            form.Members.Add(new Member { Relationship = "世帯主" });
        }
        return form;
    }

    public static readonly IReadOnlyList<(string, string)> Kinds = [("japanese", "日本人住民"), ("foreign", "外国人住民")];

    /// <summary>法第30条の45の区分.</summary>
    public static readonly IReadOnlyList<(string, string)> ForeignCategories =
    [
        ("", "選んでください"),
        (nameof(ForeignResidentCategory.MidLongTerm), "中長期在留者"),
        (nameof(ForeignResidentCategory.SpecialPermanent), "特別永住者"),
        (nameof(ForeignResidentCategory.TemporaryRefuge), "一時庇護許可者"),
        (nameof(ForeignResidentCategory.ProvisionalStay), "仮滞在許可者"),
        (nameof(ForeignResidentCategory.Transitional), "出生又は国籍喪失による経過滞在者"),
    ];

    /// <summary>A person of a 届 on the confirmation screen: every item given, as it will be recorded (a foreign resident's dates in 西暦).</summary>
    public static IReadOnlyList<(string, string)> Rows(PersonEntry m)
    {
        var foreign = m.Kind == ResidentKind.Foreign;
        var rows = new List<(string, string)>
        {
            ("住民の種別", foreign ? "外国人住民" : "日本人住民"),
            ("氏名", Shown.Name(m.PersonName)),
            ("生年月日", m.BirthDate is { } b ? Shown.DateOf("生年月日", b.Year, b.Month, b.Day, foreign) : ""),
            ("性別", Shown.Sex(m.Sex)),
            ("続柄", m.Relationship),
        };
        if (foreign && m.Foreign is { } f)
        {
            rows.Add(("氏名（アルファベット）", f.AlphabetName));
            if (m.CommonName.Length > 0)
            {
                rows.Add(("通称", $"{m.CommonName}（{m.CommonNameKana}）"));
            }
            rows.Add(("国籍・地域", f.Nationality));
            rows.Add(("法第30条の45の区分", ForeignCategories.FirstOrDefault(c => c.Item1 == f.Category.ToString()).Item2 ?? ""));
            rows.Add(("在留資格", f.ResidenceStatus));
            rows.Add(("在留期間", f.PeriodOfStay));
            rows.Add(("在留期間の満了の日", f.StayExpiresOn is { } e ? Shown.DateOf("在留期間の満了の日", e.Year, e.Month, e.Day, true) : ""));
            rows.Add(("在留カード等の番号", f.ResidenceCardNumber));
        }
        else
        {
            rows.Add(("本籍", m.Domicile?.Address ?? ""));
            rows.Add(("筆頭者", m.Domicile?.HeadName ?? ""));
            if (m.OldSurname is { } old)
            {
                rows.Add(("旧氏", $"{old.Surname}（{old.SurnameKana}）"));
            }
        }
        rows.Add(("個人番号", m.IndividualNumber.Length == 0 ? "(なし)" : "入力あり (12桁)"));
        if (m.ResidentCode.Length > 0)
        {
            rows.Add(("住民票コード", m.ResidentCode));
        }
        if (m.ReturningResident.Length > 0)
        {
            rows.Add(("再転入", $"除票 {Shown.Id(m.ReturningResident)} の宛名番号・履歴を引き継ぎます"));
        }
        return rows;
    }

    /// <summary>The 続柄 offered as the clerk types (any other may be typed).</summary>
    public static readonly IReadOnlyList<string> Relationships = ["世帯主", "妻", "夫", "子", "父", "母", "孫", "兄", "姉", "弟", "妹", "祖父", "祖母", "同居人", "縁故者"];

    public static readonly IReadOnlyList<(string, string)> Sexes = [("", "選んでください"), ("1", "男"), ("2", "女")];

    public bool FromAbroad => Reason == "abroad";

    /// <summary>
    /// 4.0.10 (一括入力): a person added to the 届 starts with what the clerk has typed for the
    /// household — the 氏 and its reading of the 世帯主 (else of the person before), the 住民の種別,
    /// and the 本籍・筆頭者 of the person before (a Japanese resident's) — never the 旧氏.
    /// </summary>
    public Member NextMember()
    {
        var before = Members[^1];
        var head = Members.FirstOrDefault(m => m.Relationship.Trim() == "世帯主" && m.Family.Trim().Length > 0) ?? before;
        var next = new Member { Kind = before.Kind, Family = head.Family, FamilyKana = head.FamilyKana };
        if (!before.Foreign)
        {
            (next.Domicile, next.DomicileHead) = (before.Domicile, before.DomicileHead);
        }
        return next;
    }

    /// <summary>4.0.10#6: the names typed on this 届 (each person's, the 筆頭者, the 届出人), offered wherever a name is typed.</summary>
    public IEnumerable<string> TypedNames() =>
        Members.Select(m => $"{m.Family.Trim()} {m.Given.Trim()}".Trim()).Concat(Members.Select(m => m.DomicileHead.Trim())).Append(NotifierName.Trim())
            .Where(n => n.Length > 0).Distinct(StringComparer.Ordinal);

    /// <summary>4.0.10#7: the places typed on this 届 (the new address, the 従前の住所, each 本籍), offered wherever a place is typed.</summary>
    public IEnumerable<string> TypedPlaces(IReadOnlyList<AddressCandidate> places) =>
        new[] { places.FirstOrDefault(p => Key(p) == Place) is { } place ? Shown.Address(AddressAt(place, Banchi, "")) : "", PreviousAddress.Trim() }
            .Concat(Members.Select(m => m.Domicile.Trim()))
            .Where(p => p.Length > 0).Distinct(StringComparer.Ordinal);

    /// <summary>The request, or null with <paramref name="errors"/> filled when something typed cannot be read.</summary>
    public RecordMoveInRequest? Build(IReadOnlyList<AddressCandidate> places, FormErrors errors)
    {
        var request = new RecordMoveInRequest
        {
            Reason = FromAbroad ? MoveInReason.FromAbroad : MoveInReason.Domestic,
            MoveDate = Typed.Date(MoveDate, "move_date", errors, required: true),
            NotificationDate = Typed.Date(NotificationDate, "notification_date", errors, required: true),
            Notifier = new Notifier { Name = NotifierName.Trim(), Relation = NotifierRelation.Trim() },
            PreviousAddress = FromAbroad ? new Address { Country = PreviousCountry.Trim(), FreeText = PreviousAddress.Trim() } : new Address { FreeText = PreviousAddress.Trim() },
        };
        request.Address = PlaceAddress(places, errors);
        request.Members.AddRange(Entries(errors));
        return errors.Count == 0 ? request : null;
    }

    /// <summary>The 職権記載 (4.2.1.1), or null with <paramref name="errors"/> filled; the 申出人 and 従前の住所 only when given.</summary>
    public RecordOfficialEntryRequest? BuildOfficial(IReadOnlyList<AddressCandidate> places, FormErrors errors)
    {
        var request = new RecordOfficialEntryRequest
        {
            Reason = Enum.TryParse<OfficialEntryReason>(OfficialReason, out var reason) ? reason : OfficialEntryReason.Unspecified,
            Basis = Enum.TryParse<OfficialBasis>(Basis, out var basis) ? basis : OfficialBasis.Unspecified,
            EntryDate = Typed.Date(MoveDate, "entry_date", errors, required: true),
            NotificationDate = Typed.Date(NotificationDate, "notification_date", errors, required: true),
            Address = PlaceAddress(places, errors),
            Note = Note.Trim(),
            UnreportedMoveIn = UnreportedMoveIn,
        };
        if (request.Reason == OfficialEntryReason.Unspecified)
        {
            errors.Add("reason", "職権記載の事由を選んでください。");
        }
        if (request.Note.Length == 0)
        {
            errors.Add("note", "職権記録書の記載事項を入力してください。");
        }
        if (NotifierName.Trim().Length > 0)
        {
            request.Notifier = new Notifier { Name = NotifierName.Trim(), Relation = NotifierRelation.Trim() };
        }
        if (PreviousAddress.Trim().Length > 0 || PreviousCountry.Trim().Length > 0)
        {
            request.PreviousAddress = new Address { Country = PreviousCountry.Trim(), FreeText = PreviousAddress.Trim() };
        }
        if (UnreportedMoveIn && LastRegisteredAddress.Trim().Length > 0)
        {
            request.LastRegisteredAddress = new Address { FreeText = LastRegisteredAddress.Trim() };
        }
        if (LossOfNationality)
        {
            request.NationalityLostOn = Typed.Date(NationalityLostOn, "nationality_lost_on", errors, required: false);
        }
        request.Members.AddRange(Entries(errors));
        return errors.Count == 0 ? request : null;
    }

    private Address? PlaceAddress(IReadOnlyList<AddressCandidate> places, FormErrors errors)
    {
        var place = places.FirstOrDefault(p => Key(p) == Place);
        if (place is null)
        {
            errors.Add("address.town", "住所辞書の町字・丁目を選んでください。");
            return null;
        }
        return AddressAt(place, Banchi, Katagaki);
    }

    private List<PersonEntry> Entries(FormErrors errors) =>
        Members.Select((m, i) => m.ToEntry($"members[{i}]", errors)).ToList();

    /// <summary>A new address in the city: the dictionary's place with the 番地 and 方書 typed.</summary>
    public static Address AddressAt(AddressCandidate place, string banchi, string katagaki) => new()
    {
        Prefecture = place.Address.Prefecture,
        City = place.Address.City,
        Town = place.Address.Town,
        Chome = place.Address.Chome,
        PostalCode = place.Address.PostalCode,
        LocalGovernmentCode = place.Address.LocalGovernmentCode,
        Banchi = banchi.Trim(),
        Katagaki = katagaki.Trim(),
    };

    /// <summary>
    /// An address the server matched to the city's dictionary (a CSV read at the counter) made one of
    /// the places offered: a 丁目 of a town whose 丁目 the dictionary does not list is added beside it.
    /// </summary>
    public static void Offer(List<AddressCandidate> places, Address? address)
    {
        if (address is not { Town.Length: > 0 } a || places.Any(p => p.Address.Town == a.Town && p.Address.Chome == a.Chome)
            || places.FirstOrDefault(p => p.Address.Town == a.Town) is not { } town)
        {
            return;
        }
        var place = town.Clone();
        place.Address.Chome = a.Chome;
        places.Insert(places.IndexOf(town) + 1, place);
    }

    public static string Key(AddressCandidate place) => Key(place.Address);

    /// <summary>The place of the address master an address is at ("町字|丁目"), as the 町字・丁目 list names it.</summary>
    public static string Key(Address address) => $"{address.Town}|{address.Chome}";

    public static string PlaceText(AddressCandidate place) => place.Address.Town + (place.Address.Chome > 0 ? $"{place.Address.Chome}丁目" : "");
}
