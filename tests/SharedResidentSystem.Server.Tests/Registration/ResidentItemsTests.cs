using Google.Protobuf.WellKnownTypes;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;
using Date = Google.Type.Date;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>
/// 1.1.1: every item of a Japanese resident's record (法第7条 and the system's own) is set at
/// entry, kept, changed by a 異動 and read back as it was on each day, with the change in the
/// 異動履歴.
/// </summary>
public abstract class ResidentItemsTests(ServerFixture server)
{
    private const string City = "132110";
    private readonly RegisterDriver _clerk = new(server, City);

    private static Date D(int y, int m, int d) => Date(y, m, d);

    [Spec("1.1.1#1")]
    [Spec("1.1.1#2")]
    [Spec("1.1.1#3")]
    [Spec("1.1.1#5")]
    [Spec("1.1.1#6")]
    [Spec("1.1.1#7")]
    [Spec("1.1.1#8")]
    [Spec("1.1.1#9")]
    [Spec("1.1.1#10")]
    [Spec("1.1.1#11")]
    [Spec("1.1.1#12")]
    [Spec("1.1.1#13")]
    [Spec("1.1.1#14")]
    [Spec("1.1.1#15")]
    [Spec("1.1.1#16")]
    [Spec("1.1.1#17")]
    [Spec("1.1.1#18")]
    [Spec("1.1.1#19")]
    [Spec("1.1.1#24")]
    [Spec("1.1.1#25")]
    [Spec("1.1.1#28")]
    [Spec("1.1.1#29")]
    [Spec("1.1.1#34")]
    [Spec("1.1.1#35")]
    [Spec("1.1.1#36")]
    [Fact]
    public async Task Every_item_of_a_japanese_residents_record_is_kept_changed_and_read_back_as_of_each_day()
    {
        var kana = UniqueKana();
        var request = MoveIn(City, kana, members: 2);
        var number = IndividualNumber();
        var head = request.Members[0];
        head.IndividualNumber = number;
        head.OldSurname = new OldSurname { Surname = "佐藤", SurnameKana = "サトウ" };
        head.Entitlements = new Entitlements
        {
            OnElectoralRoll = true,
            NationalHealthInsurance = new Coverage { Covered = true, From = D(2026, 11, 20) },
            LateElderlyMedical = new Coverage { Covered = false, Until = D(2025, 3, 31) },
            LongTermCare = new Coverage { Covered = true, From = D(2025, 6, 1) },
            NationalPension = new Pension { Covered = true, BasicPensionNumber = "1234-567890", Kind = "1号", KindChangedOn = D(2020, 4, 1), From = D(2000, 6, 1) },
            ChildAllowanceFrom = "2026-12",
            ChildAllowanceUntil = "2031-03",
        };
        var recorded = await _clerk.Registration.RecordMoveInAsync(request);
        var entered = await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = recorded.Residents[0].Name, IncludeIndividualNumber = true });

        Assert.Equal(("高橋", "一郎", kana, "イチロウ", true), (entered.PersonName.Family, entered.PersonName.Given, entered.PersonName.FamilyKana, entered.PersonName.GivenKana, entered.PersonName.KanaConfirmed));
        Assert.Equal(("佐藤", "サトウ"), (entered.OldSurname.Surname, entered.OldSurname.SurnameKana));
        Assert.Equal((1980, 6, 15), (entered.BirthDate.Year, entered.BirthDate.Month, entered.BirthDate.Day));
        Assert.Equal(Sex.Male, entered.Sex);
        Assert.Equal("世帯主", entered.Relationship);
        Assert.Equal(("東京都千代田区千代田1番", "高橋 一郎"), (entered.Domicile.Address, entered.Domicile.HeadName));
        Assert.Equal((D(2026, 11, 20), D(2026, 11, 20), D(2026, 11, 25)), (entered.BecameResidentOn, entered.AddressSetOn, entered.NotifiedOn));
        Assert.Equal(("2番3号", "コーポ101"), (entered.Address.Banchi, entered.Address.Katagaki));
        Assert.Equal("大阪市北区", entered.PreviousAddress.City);
        Assert.Equal(number, entered.IndividualNumber);
        Assert.True(Core.Numbers.CheckDigits.IsValidSerialWithCheck(entered.ResidentNumber));
        Assert.EndsWith(entered.Household.Split('/')[^1], recorded.Household, StringComparison.Ordinal);
        Assert.Equal((ResidentStatus.Active, ResidentKind.Japanese), (entered.Status, entered.Kind));
        Assert.Equal(head.Entitlements, entered.Entitlements);

        // A 職権修正 changes what the 国保 and 年金 sections reported; the old values stay the 2026-11-24 state.
        var changed = entered.Clone();
        changed.Entitlements.NationalHealthInsurance = new Coverage { Covered = false, From = D(2026, 11, 20), Until = D(2026, 11, 25) };
        changed.Entitlements.NationalPension.Kind = "3号";
        changed.Entitlements.NationalPension.KindChangedOn = D(2026, 11, 25);
        changed.Entitlements.OnElectoralRoll = false;
        await _clerk.Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = AmendmentReason.OfficialCorrection,
            Resident = changed,
            UpdateMask = FieldMask.FromString("entitlements"),
            AmendmentDate = D(2026, 11, 25),
            NotificationDate = D(2026, 11, 25),
            Note = "国保・年金担当からの連絡",
        });
        var now = await _clerk.GetAsync(entered.Name);
        Assert.Equal(changed.Entitlements, now.Entitlements);
        var before = await _clerk.GetAsync(entered.Name, D(2026, 11, 24));
        Assert.Equal(head.Entitlements, before.Entitlements);
        var history = await _clerk.HistoryAsync(entered.Name);
        var items = history[^1].Changes.Select(c => c.Item).ToList();
        Assert.Contains("選挙人名簿への登録", items);
        Assert.Contains("国民健康保険", items);
        Assert.Contains("国民年金", items);
        Assert.DoesNotContain("介護保険", items);
        Assert.Equal(("有", "無"), (history[^1].Changes.Single(c => c.Item == "選挙人名簿への登録").Before, history[^1].Changes.Single(c => c.Item == "選挙人名簿への登録").After));
    }

    [Spec("1.1.2#1")]
    [Spec("1.1.2#2")]
    [Spec("1.1.2#3")]
    [Spec("1.1.2#4")]
    [Spec("1.1.2#5")]
    [Spec("1.1.2#6")]
    [Spec("1.1.2#9")]
    [Spec("1.1.2#10")]
    [Spec("1.1.2#11")]
    [Spec("1.1.2#12")]
    [Spec("1.1.2#13")]
    [Spec("1.1.2#14")]
    [Spec("1.1.2#15")]
    [Spec("1.1.2#16")]
    [Spec("1.1.2#22")]
    [Spec("1.1.2#23")]
    [Spec("1.1.2#24")]
    [Spec("1.1.2#25")]
    [Spec("1.1.2#26")]
    [Spec("1.1.2#27")]
    [Spec("1.1.2#28")]
    [Spec("1.1.2#29")]
    [Spec("1.1.2#30")]
    [Spec("1.1.2#31")]
    [Spec("1.1.2#32")]
    [Spec("1.1.2#52")]
    [Spec("1.1.2#44")]
    [Spec("1.1.2#45")]
    [Spec("1.1.2#46")]
    [Fact]
    public async Task Every_item_of_a_foreign_residents_record_is_kept_and_read_back()
    {
        var kana = UniqueKana();
        var card = CardNumber();
        var request = FromAbroad(MoveIn(City, kana, members: 1), new ForeignResidentItems
        {
            Nationality = "ベトナム", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "技術・人文知識・国際業務", PeriodOfStay = "3年",
            StayExpiresOn = D(2029, 3, 31), ResidenceCardNumber = card, AlphabetName = "NGUYEN VAN AN", FormerAlienRegistrationOn = D(2008, 4, 1),
        });
        var member = request.Members[0];
        member.PersonName.Family = "阮";
        member.PersonName.Given = "文安";
        member.BirthDate = new PartialDate { Year = 1990, Month = 2, Day = 3 };
        member.CommonName = "中村　安";
        member.CommonNameKana = "ナカムラ　ヤス";
        member.IndividualNumber = IndividualNumber();
        member.ResidentCode = ResidentCode();
        var recorded = await _clerk.Registration.RecordMoveInAsync(request);
        var read = await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = recorded.Residents[0].Name, IncludeIndividualNumber = true });

        Assert.Equal((ResidentKind.Foreign, "阮", "文安", "NGUYEN VAN AN"), (read.Kind, read.PersonName.Family, read.PersonName.Given, read.Foreign.AlphabetName));
        Assert.Equal(("中村　安", "ナカムラ　ヤス", D(2026, 11, 20), "小平市"), (read.CommonName.Name, read.CommonName.NameKana, read.CommonName.RecordedOn, read.CommonName.RecordedBy));
        Assert.Equal((1990, 2, 3), (read.BirthDate.Year, read.BirthDate.Month, read.BirthDate.Day));
        Assert.Equal((Sex.Male, "世帯主"), (read.Sex, read.Relationship));
        Assert.Equal((D(2026, 11, 20), D(2026, 11, 20), D(2026, 11, 25)), (read.BecameResidentOn, read.AddressSetOn, read.NotifiedOn));
        Assert.Equal(("2番3号", "コーポ101"), (read.Address.Banchi, read.Address.Katagaki));
        Assert.Equal(("ベトナム", "Hanoi"), (read.PreviousAddress.Country, read.PreviousAddress.FreeText));
        Assert.Equal((member.IndividualNumber, member.ResidentCode), (read.IndividualNumber, read.ResidentCode));
        Assert.Equal(("ベトナム", ForeignResidentCategory.MidLongTerm, "技術・人文知識・国際業務", "3年", D(2029, 3, 31), card),
            (read.Foreign.Nationality, read.Foreign.Category, read.Foreign.ResidenceStatus, read.Foreign.PeriodOfStay, read.Foreign.StayExpiresOn, read.Foreign.ResidenceCardNumber));
        // 旧外登法による登録年月日: kept as entered; corrected by a 職権修正, the old value stays in its 履歴 (and none is a date in the future).
        Assert.Equal(D(2008, 4, 1), read.Foreign.FormerAlienRegistrationOn);
        var corrected = read.Clone();
        corrected.Foreign.FormerAlienRegistrationOn = D(2008, 4, 11);
        async Task AmendAsync(Resident resident) => await _clerk.Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = AmendmentReason.OfficialCorrection, Resident = resident, UpdateMask = FieldMask.FromString("foreign"),
            AmendmentDate = D(2026, 11, 25), NotificationDate = D(2026, 11, 25), Note = "外国人登録原票の写しによる",
        });
        await AmendAsync(corrected);
        var change = (await _clerk.HistoryAsync(read.Name))[^1].Changes.Single(c => c.Item == "旧外登法による登録年月日");
        Assert.Equal(("2008-04-01", "2008-04-11"), (change.Before, change.After));
        var future = (await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = read.Name })).Clone();
        future.Foreign.FormerAlienRegistrationOn = D(2027, 1, 1);
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => AmendAsync(future));
        Assert.Contains("resident.foreign.former_alien_registration_on", refused.ViolatedFields());
        read = await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = read.Name, IncludeIndividualNumber = true });
        // 通称 is found like a name (2.1.3), the alphabet name too.
        Assert.Contains((await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "ナカムラ ヤス" })).Residents, r => r.Name == read.Name);
        Assert.Contains((await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "nguyen van an" })).Residents, r => r.Name == read.Name);

        // The 除票's own items (1.1.2#44-46): 消除事由, 転出先住所（予定）, 事由の生じた年月日 (the planned day).
        var moved = await _clerk.Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { new ResidentRef { Name = read.Name, Etag = read.Etag } }, PlannedDate = D(2026, 12, 20), NotificationDate = D(2026, 11, 26),
            Notifier = Notifier(), Abroad = true, Destination = new Address { Country = "ベトナム", FreeText = "Da Nang" },
        });
        var removed = await _clerk.GetAsync(read.Name, D(2026, 12, 20));
        Assert.Equal((ResidentStatus.Removed, "国外転出", D(2026, 12, 20)), (removed.Status, removed.Removal.Reason, removed.Removal.OccurredOn));
        Assert.Equal(("ベトナム", "Da Nang"), (removed.Removal.Destination.Country, removed.Removal.Destination.FreeText));
        Assert.Equal(ResidentStatus.Active, (await _clerk.GetAsync(read.Name, D(2026, 11, 25))).Status);
        Assert.Equal(moved.Residents[0].Name, read.Name);
    }


    [Spec("1.1.2#17")]
    [Spec("1.1.2#18")]
    [Spec("1.1.2#19")]
    [Spec("1.1.2#20")]
    [Spec("1.1.2#21")]
    [Spec("1.1.2#33")]
    [Spec("1.1.2#34")]
    [Spec("1.1.2#35")]
    [Spec("1.1.2#36")]
    [Spec("1.1.2#37")]
    [Spec("1.1.2#38")]
    [Spec("1.1.2#39")]
    [Spec("1.1.2#40")]
    [Spec("1.1.2#41")]
    [Spec("1.1.2#42")]
    [Spec("1.1.2#43")]
    [Fact]
    public async Task Each_other_category_of_article_30_45_keeps_its_own_items_and_the_entitlements()
    {
        // 特別永住者 (its 証明書の番号), 一時庇護許可者 (its 上陸期間), 仮滞在者 (its 仮滞在期間) and a
        // 経過滞在者 by birth or loss of nationality (the category itself): each as the 区分 says,
        // with none of the 中長期在留者's own items.
        var special = CardNumber();
        var cases = new (ForeignResidentCategory Category, ForeignResidentItems Items)[]
        {
            (ForeignResidentCategory.SpecialPermanent, new() { Nationality = "韓国", Category = ForeignResidentCategory.SpecialPermanent, ResidenceCardNumber = special, AlphabetName = "KIM MINSU" }),
            (ForeignResidentCategory.TemporaryRefuge, new() { Nationality = "ミャンマー", Category = ForeignResidentCategory.TemporaryRefuge, PeriodOfStay = "6月", AlphabetName = "AUNG KYAW" }),
            (ForeignResidentCategory.ProvisionalStay, new() { Nationality = "トルコ", Category = ForeignResidentCategory.ProvisionalStay, PeriodOfStay = "2026年11月20日から2027年5月19日まで", AlphabetName = "YILMAZ EMRE" }),
            (ForeignResidentCategory.Transitional, new() { Nationality = "ブラジル", Category = ForeignResidentCategory.Transitional, AlphabetName = "SILVA ANA" }),
        };
        // 1.1.2#17-21: the entitlements other sections report are kept for a foreign resident as for a Japanese one.
        var entitlements = new Entitlements
        {
            NationalHealthInsurance = new Coverage { Covered = true, From = D(2026, 11, 20) },
            LateElderlyMedical = new Coverage { Covered = false, Until = D(2025, 3, 31) },
            LongTermCare = new Coverage { Covered = true, From = D(2025, 6, 1) },
            NationalPension = new Pension { Covered = true, BasicPensionNumber = "2345-678901", Kind = "1号", KindChangedOn = D(2021, 4, 1), From = D(2001, 6, 1) },
            ChildAllowanceFrom = "2026-12",
            ChildAllowanceUntil = "2030-03",
        };
        foreach (var (category, items) in cases)
        {
            var request = FromAbroad(MoveIn(City, UniqueKana(), members: 1), items);
            if (category == ForeignResidentCategory.SpecialPermanent)
            {
                // A 特別永住者 comes from another city in Japan.
                (request.Reason, request.PreviousAddress) = (MoveInReason.Domestic, new Address { Prefecture = "大阪府", City = "大阪市生野区", FreeText = "桃谷1-1-1" });
            }
            request.Members[0].Entitlements = entitlements.Clone();
            var recorded = await _clerk.Registration.RecordMoveInAsync(request);
            var read = await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = recorded.Residents[0].Name });

            Assert.Equal((ResidentKind.Foreign, category, items.Nationality, items.AlphabetName), (read.Kind, read.Foreign.Category, read.Foreign.Nationality, read.Foreign.AlphabetName));
            Assert.Equal((items.ResidenceCardNumber, items.PeriodOfStay), (read.Foreign.ResidenceCardNumber, read.Foreign.PeriodOfStay));
            Assert.Equal(("", (Date?)null), (read.Foreign.ResidenceStatus, read.Foreign.StayExpiresOn));
            Assert.Equal(entitlements, read.Entitlements);
        }
        // The item each category cannot be without is refused blank, naming it (1.1.6).
        var blank = FromAbroad(MoveIn(City, UniqueKana(), members: 1), new ForeignResidentItems { Nationality = "ミャンマー", Category = ForeignResidentCategory.TemporaryRefuge, AlphabetName = "AUNG MIN" });
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => _clerk.Registration.RecordMoveInAsync(blank).ResponseAsync);
        Assert.Contains("上陸期間", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Spec("1.1.1#26")]
    [Spec("1.1.1#27")]
    [Spec("1.1.1#30")]
    [Spec("1.1.1#33")]
    [Spec("1.1.1#38")]
    [Spec("1.1.1#39")]
    [Spec("1.1.1#42")]
    [Spec("1.1.1#44")]
    [Spec("1.1.2#47")]
    [Spec("1.1.2#48")]
    [Spec("1.1.2#49")]
    [Spec("1.1.2#50")]
    [Spec("1.1.2#51")]
    [Spec("1.1.2#53")]
    [Spec("1.1.2#56")]
    [Spec("1.1.2#57")]
    [Spec("1.1.2#58")]
    [Spec("1.1.2#63")]
    [Spec("1.1.2#64")]
    [Spec("1.1.2#69")]
    [Spec("1.1.2#71")]
    [Fact]
    public async Task The_other_items_of_a_record_are_kept_alike_for_a_japanese_and_a_foreign_resident()
    {
        // A Japanese head and a foreign wife in one household.
        var request = MoveIn(City, UniqueKana(), members: 2);
        var wifeEntry = request.Members[1];
        (wifeEntry.Kind, wifeEntry.Domicile) = (ResidentKind.Foreign, null);
        wifeEntry.PersonName = new PersonName { Family = "阮", Given = "氏蘭", FamilyKana = "グエン", GivenKana = "ティラン", KanaConfirmed = true };
        wifeEntry.Foreign = new ForeignResidentItems
        {
            Nationality = "ベトナム", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "日本人の配偶者等", PeriodOfStay = "3年",
            StayExpiresOn = D(2029, 3, 31), ResidenceCardNumber = CardNumber(), AlphabetName = "NGUYEN THI LAN",
        };
        var recorded = await _clerk.Registration.RecordMoveInAsync(request);
        var household = await _clerk.HouseholdAsync(recorded.Household);
        var (head, wife) = (household.Members[0], household.Members[1]);

        // 1.1.1#26, 1.1.2#49: the members in the order of 5.2 (世帯主, then 妻); #48: 世帯番号, #47: 宛名番号.
        Assert.Equal(["世帯主", "妻"], household.Members.Select(m => m.Relationship));
        Assert.Equal((ResidentKind.Japanese, ResidentKind.Foreign), (head.Kind, wife.Kind));
        Assert.Equal(recorded.Household, wife.Household);
        Assert.Equal(household.HouseholdNumber, wife.Household.Split('/')[^1]);
        Assert.True(Core.Numbers.CheckDigits.IsValidSerialWithCheck(wife.ResidentNumber));
        // 1.1.2#51 住民状態, #57-58 氏名のフリガナ and its 確認フラグ.
        Assert.Equal((ResidentStatus.Active, "グエン", "ティラン", true), (wife.Status, wife.PersonName.FamilyKana, wife.PersonName.GivenKana, wife.PersonName.KanaConfirmed));
        foreach (var person in new[] { head, wife })
        {
            // 住所コード (11 digits: 13211 + 町字 + 丁目) and 郵便番号 of the address, from the dictionary.
            Assert.Matches("^13211[0-9]{6}$", person.Address.AddressCode);
            Assert.Matches("^[0-9]{7}$", person.Address.PostalCode);
            // 処理日: when the version was recorded.
            Assert.True(person.RecordedAt.ToDateTimeOffset() <= server.Time.GetUtcNow());
            Assert.True(person.RecordedAt.ToDateTimeOffset() > server.Time.GetUtcNow().AddDays(-1));
        }

        foreach (var person in new[] { head, wife })
        {
            // カードの発行状況 (a 職権修正 of that item).
            var held = person.Clone();
            held.Entitlements ??= new Entitlements();
            held.Entitlements.CardHeld = true;
            await _clerk.Registration.RecordAmendmentAsync(new RecordAmendmentRequest
            {
                RequestId = Guid.NewGuid().ToString(), Reason = AmendmentReason.OfficialCorrection, Resident = held, UpdateMask = FieldMask.FromString("entitlements"),
                AmendmentDate = D(2026, 11, 25), NotificationDate = D(2026, 11, 25), Note = "カードの交付",
            });
            Assert.True((await _clerk.GetAsync(person.Name)).Entitlements.CardHeld);
            // 異動履歴.
            Assert.Equal(["国内転入", "職権修正"], (await _clerk.HistoryAsync(person.Name)).Select(i => i.Reason));
            // メモ.
            var memos = new MemoService.MemoServiceClient(server.As(City));
            await memos.AddMemoAsync(new AddMemoRequest { RequestId = Guid.NewGuid().ToString(), Resident = person.Name, Text = "窓口で日本語以外の案内を希望" });
            Assert.Equal("窓口で日本語以外の案内を希望", Assert.Single((await memos.ListMemosAsync(new ListMemosRequest { Resident = person.Name })).Memos).Current.Text);
            // 証明書の交付履歴.
            var certificates = new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(server.As(City));
            var issued = await certificates.IssueCertificateAsync(new Contracts.Certificates.V1.IssueCertificateRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Residents = { person.Name },
                Requester = new Contracts.Certificates.V1.Requester
                {
                    Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = $"{person.PersonName.Family} {person.PersonName.Given}", Resident = person.Name, IdentityCheck = "在留カード",
                },
            });
            var ledger = await certificates.ListIssuancesAsync(new Contracts.Certificates.V1.ListIssuancesRequest { Resident = person.Name });
            Assert.Equal(issued.Issuance, Assert.Single(ledger.Issuances).Name);
        }
    }

    [Spec("1.1.18#1")]
    [Spec("1.1.1#37")]
    [Spec("1.1.2#59")]
    [Spec("1.1.2#60")]
    [Fact]
    public async Task The_readings_of_name_old_surname_and_common_name_each_keep_whether_they_were_confirmed_with_the_person()
    {
        var request = MoveIn(City, UniqueKana(), members: 2);
        request.Members[0].OldSurname = new OldSurname { Surname = "佐藤", SurnameKana = "サトウ", SurnameKanaConfirmed = true };
        request.Members[0].PersonName.KanaConfirmed = false;
        var foreign = request.Members[1];
        (foreign.Kind, foreign.Domicile) = (ResidentKind.Foreign, null);
        foreign.Foreign = new ForeignResidentItems { Nationality = "中国", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "日本人の配偶者等", PeriodOfStay = "1年", StayExpiresOn = D(2027, 11, 30), ResidenceCardNumber = CardNumber() };
        (foreign.CommonName, foreign.CommonNameKana, foreign.CommonNameKanaConfirmed) = ("高橋 花子", "タカハシ ハナコ", false);
        var recorded = await _clerk.Registration.RecordMoveInAsync(request);
        var japanese = await _clerk.GetAsync(recorded.Residents[0].Name);
        var wife = await _clerk.GetAsync(recorded.Residents[1].Name);
        // Each reading with its own flag: 氏名 not confirmed, 旧氏 confirmed, 通称 not yet.
        Assert.Equal((false, "サトウ", true), (japanese.PersonName.KanaConfirmed, japanese.OldSurname.SurnameKana, japanese.OldSurname.SurnameKanaConfirmed));
        Assert.Equal(("タカハシ ハナコ", false), (wife.CommonName.NameKana, wife.CommonName.NameKanaConfirmed));

        // The 通称's reading confirmed later by a 職権修正 of that item: the flag changes, with its history.
        var confirmed = wife.Clone();
        confirmed.CommonName.NameKanaConfirmed = true;
        await _clerk.Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = AmendmentReason.CommonNameEntry, Resident = confirmed, UpdateMask = FieldMask.FromString("common_name"),
            AmendmentDate = D(2026, 11, 25), NotificationDate = D(2026, 11, 25), Note = "通称のフリガナを本人に確認",
        });
        Assert.True((await _clerk.GetAsync(wife.Name)).CommonName.NameKanaConfirmed);
        Assert.False((await _clerk.GetAsync(wife.Name, D(2026, 11, 24))).CommonName.NameKanaConfirmed);
        var change = (await _clerk.HistoryAsync(wife.Name))[^1].Changes.Single(c => c.Item == "通称のフリガナ確認");
        Assert.Equal(("未確認", "確認済"), (change.Before, change.After));
    }
}

public sealed class ResidentItemsTestsOnSqlite(SqliteServer server) : ResidentItemsTests(server), IClassFixture<SqliteServer>;

public sealed class ResidentItemsTestsOnPostgres(PostgresServer server) : ResidentItemsTests(server), IClassFixture<PostgresServer>;
