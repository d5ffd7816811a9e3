using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;
using ResidentKind = SharedResidentSystem.Contracts.Residents.V1.ResidentKind;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>職権 (4.2), numbers (4.3, 4.4), 旧氏・通称 (1.1.7), foreign residents (4.5) and 異動の取消し (4.6).</summary>
public abstract class OfficialChangesTests(ServerFixture server)
{
    private const string City = "132225";
    private readonly RegisterDriver _clerk = new(server, City);

    private RegistrationService.RegistrationServiceClient Registration => _clerk.Registration;

    private static string IndividualNumber()
    {
        var body = string.Concat(Guid.NewGuid().ToByteArray().Take(11).Select(b => (char)('0' + (b % 10))));
        return body + Core.Numbers.CheckDigits.IndividualNumber(body);
    }


    private Task<RecordIdouResponse> AmendAsync(Resident resident, AmendmentReason reason, string mask, string note = "戸籍の届出による") =>
        Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = reason,
            Resident = resident,
            UpdateMask = FieldMask.FromString(mask),
            AmendmentDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Note = note,
        }).ResponseAsync;

    [Spec("4.2.3.3#4")]
    [Spec("4.2.3.3#1")]
    [Spec("4.2.3.3#2")]
    [Spec("4.2.3.3#3")]
    [Spec("4.2.3.1#1")]
    [Fact]
    public async Task A_clerical_error_is_corrected_by_a_new_version_that_keeps_the_wrong_one()
    {
        var person = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var fixedName = person.Clone();
        fixedName.PersonName.Given = "一朗";
        fixedName.Domicile = new Domicile { Address = "東京都東久留米市本町一丁目1番", HeadName = "高橋 一朗" };
        var corrected = (await AmendAsync(fixedName, AmendmentReason.ClericalError, "person_name,domicile", "転入時の入力誤り")).Residents[0];
        Assert.Equal(2, corrected.HistoryNumber);
        Assert.Equal("一朗", corrected.PersonName.Given);
        var history = await _clerk.HistoryAsync(person.Name);
        Assert.Equal(["国内転入", "誤記修正"], history.Select(h => h.Reason));
        var change = history[1].Changes.Single(c => c.Item == "氏名");
        Assert.Equal(("高橋 一郎", "高橋 一朗"), (change.Before, change.After));
        Assert.Equal("一郎", (await _clerk.GetAsync(person.Name, Date(2026, 11, 24))).PersonName.Given);

        var wrongItem = await Assert.ThrowsAsync<RpcException>(() => AmendAsync(corrected, AmendmentReason.OldSurnameEntry, "person_name"));
        Assert.Equal("UNSUPPORTED_UPDATE_MASK", wrongItem.ErrorInfo()?.Reason);
        var head = corrected.Clone();
        head.Relationship = "世帯主";
        var toHead = await Assert.ThrowsAsync<RpcException>(() => AmendAsync(head, AmendmentReason.OfficialCorrection, "relationship"));
        Assert.Equal(["resident.relationship"], toHead.ViolatedFields());
    }

    [Spec("1.1.7#1")]
    [Spec("1.1.7#2")]
    [Spec("1.2.2#35")]
    [Spec("1.2.2#36")]
    [Spec("1.2.2#37")]
    [Spec("1.2.2#38")]
    [Spec("1.2.2#39")]
    [Spec("1.1.2#7")]
    [Spec("1.1.2#8")]
    [Fact]
    public async Task Old_surnames_and_common_names_are_recorded_changed_and_deleted_with_history()
    {
        var japanese = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var withOld = japanese.Clone();
        withOld.OldSurname = new OldSurname { Surname = "鈴木", SurnameKana = "スズキ" };
        var recorded = (await AmendAsync(withOld, AmendmentReason.OldSurnameEntry, "old_surname", "旧氏記載請求")).Residents[0];
        Assert.Equal("鈴木", recorded.OldSurname.Surname);
        var again = await Assert.ThrowsAsync<RpcException>(() => AmendAsync(recorded, AmendmentReason.OldSurnameEntry, "old_surname"));
        Assert.Equal("RECORD_RULE", again.ErrorInfo()?.Reason);
        var byOld = await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "スズキイチロウ", NameMatch = NameMatch.Exact });
        Assert.Contains(byOld.Residents, r => r.Name == japanese.Name);
        var cleared = recorded.Clone();
        cleared.OldSurname = null;
        var deleted = (await AmendAsync(cleared, AmendmentReason.OldSurnameDeletion, "old_surname", "旧氏削除請求")).Residents[0];
        Assert.Null(deleted.OldSurname);
        Assert.Equal(["国内転入", "旧氏の記載", "旧氏の削除"], (await _clerk.HistoryAsync(japanese.Name)).Select(h => h.Reason));

        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Reason = MoveInReason.FromAbroad;
        request.PreviousAddress = new Address { Country = "中国", FreeText = "上海" };
        request.Members[0].Kind = ResidentKind.Foreign;
        request.Members[0].Domicile = null;
        request.Members[0].Foreign = new ForeignResidentItems { Nationality = "中国", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "留学", StayExpiresOn = Date(2028, 3, 31), ResidenceCardNumber = CardNumber() };
        var foreign = (await Registration.RecordMoveInAsync(request)).Residents[0];
        var oldOnForeign = foreign.Clone();
        oldOnForeign.OldSurname = new OldSurname { Surname = "李" };
        Assert.Equal("RECORD_RULE", (await Assert.ThrowsAsync<RpcException>(() => AmendAsync(oldOnForeign, AmendmentReason.OldSurnameEntry, "old_surname"))).ErrorInfo()?.Reason);
        var named = foreign.Clone();
        named.CommonName = new CommonName { Name = "林 太郎", NameKana = "ハヤシ タロウ" };
        var withCommon = (await AmendAsync(named, AmendmentReason.CommonNameEntry, "common_name", "通称記載の申出")).Residents[0];
        Assert.Equal(("林 太郎", Date(2026, 11, 25), "東久留米市"), (withCommon.CommonName.Name, withCommon.CommonName.RecordedOn, withCommon.CommonName.RecordedBy));
        var unnamed = withCommon.Clone();
        unnamed.CommonName = null;
        var removed = (await AmendAsync(unnamed, AmendmentReason.CommonNameDeletion, "common_name", "通称削除の申出")).Residents[0];
        // 通称を削除した年月日 and 市区町村 (1.1.2#7-8) stay on the record.
        Assert.Equal(("", Date(2026, 11, 25), "東久留米市"), (removed.CommonName.Name, removed.CommonName.DeletedOn, removed.CommonName.DeletedBy));
        var past = await _clerk.GetAsync(foreign.Name, Date(2026, 11, 24));
        Assert.Null(past.CommonName);
    }

    [Spec("1.2.2#26")]
    [Spec("1.2.2#27")]
    [Spec("1.2.2#29")]
    [Spec("1.2.2#30")]
    [Spec("4.3.2#1")]
    [Fact]
    public async Task Individual_numbers_and_resident_codes_change_by_their_own_idou()
    {
        var person = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var first = IndividualNumber();
        var entry = person.Clone();
        entry.IndividualNumber = first;
        var entered = (await AmendAsync(entry, AmendmentReason.IndividualNumberOfficialEntry, "individual_number", "番号の指定")).Residents[0];
        var change = entered.Clone();
        change.IndividualNumber = first;
        Assert.Equal("RECORD_RULE", (await Assert.ThrowsAsync<RpcException>(() => AmendAsync(change, AmendmentReason.IndividualNumberChangeRequest, "individual_number"))).ErrorInfo()?.Reason);
        change.IndividualNumber = first[..^1] + (char)('0' + ((first[^1] - '0' + 1) % 10));
        Assert.Equal(["resident.individual_number"], (await Assert.ThrowsAsync<RpcException>(() => AmendAsync(change, AmendmentReason.IndividualNumberChangeRequest, "individual_number"))).ViolatedFields());
        change.IndividualNumber = IndividualNumber();
        var changed = (await AmendAsync(change, AmendmentReason.IndividualNumberChangeRequest, "individual_number", "本人の変更請求")).Residents[0];
        var read = await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = person.Name, IncludeIndividualNumber = true });
        Assert.Equal(change.IndividualNumber, read.IndividualNumber);

        var coded = changed.Clone();
        coded.ResidentCode = ResidentCode();
        var withCode = (await AmendAsync(coded, AmendmentReason.ResidentCodeOfficialEntry, "resident_code", "住民票コードの記載")).Residents[0];
        Assert.Equal(coded.ResidentCode, withCode.ResidentCode);
        var history = await _clerk.HistoryAsync(person.Name);
        Assert.Equal(["国内転入", "個人番号の職権記載", "個人番号の変更請求", "住民票コードの職権記載"], history.Select(h => h.Reason));
        Assert.DoesNotContain(history.SelectMany(h => h.Changes), c => c.After.Contains(first, StringComparison.Ordinal));
    }

    [Spec("4.2.1.1#1")]
    [Spec("1.2.2#9")]
    [Spec("1.2.2#18")]
    [Spec("4.2.2.2#1")]
    [Spec("1.2.2#7")]
    [Spec("1.2.2#16")]
    [Fact]
    public async Task Official_entries_and_removals_carry_their_own_reasons()
    {
        var missing = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 2))).Residents;
        var disappearance = await Registration.RecordOfficialRemovalAsync(new RecordOfficialRemovalRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = OfficialRemovalReason.Official,
            Residents = { Ref(missing[1]) },
            RemovalDate = Date(2026, 11, 20),
            NotificationDate = Date(2026, 11, 21),
            Note = "失踪宣告の確定 (本籍地からの通知)",
        });
        Assert.Equal(("職権消除", Date(2026, 11, 20)), (disappearance.Residents[0].Removal.Reason, disappearance.Residents[0].Removal.OccurredOn));

        var wrongKind = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialRemovalAsync(new RecordOfficialRemovalRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = OfficialRemovalReason.Naturalization,
            Residents = { Ref(missing[0]) },
            RemovalDate = Date(2026, 11, 20),
            NotificationDate = Date(2026, 11, 21),
            Note = "帰化",
        }).ResponseAsync);
        Assert.Equal("RECORD_RULE", wrongKind.ErrorInfo()?.Reason);

        var kana = UniqueKana();
        var setting = new RecordOfficialEntryRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = OfficialEntryReason.Official,
            EntryDate = Date(2026, 11, 10),
            NotificationDate = Date(2026, 11, 25),
            Address = _clerk.Address(2, "5番"),
            Members = { Person("佐藤", "実", kana, "ミノル", 1970, 5, 5, Sex.Male, "世帯主") },
            Note = "未届転入: 居住の実態を確認し住所を設定",
        };
        var entered = await Registration.RecordOfficialEntryAsync(setting);
        Assert.Equal("職権記載", (await _clerk.HistoryAsync(entered.Residents[0].Name)).Single().Reason);
        var naturalized = setting.Clone();
        naturalized.RequestId = Guid.NewGuid().ToString();
        naturalized.Reason = OfficialEntryReason.LossOfNationality;
        naturalized.Members[0].PersonName.FamilyKana = UniqueKana();
        var refused = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialEntryAsync(naturalized).ResponseAsync);
        Assert.Equal(["members[0].kind"], refused.ViolatedFields());
    }

    [Spec("4.5.6#1")]
    [Spec("4.5.3#1")]
    [Spec("4.5.3#2")]
    [Spec("4.5.3#3")]
    [Spec("4.5.3#4")]
    [Fact]
    public async Task Immigration_notices_amend_foreign_items_and_naturalization_replaces_the_record()
    {
        var request = MoveIn(City, UniqueKana());
        request.Reason = MoveInReason.FromAbroad;
        request.PreviousAddress = new Address { Country = "韓国", FreeText = "Seoul" };
        foreach (var member in request.Members)
        {
            member.Kind = ResidentKind.Foreign;
            member.Domicile = null;
            member.Foreign = new ForeignResidentItems { Nationality = "韓国", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "家族滞在", PeriodOfStay = "1年", StayExpiresOn = Date(2027, 3, 31), ResidenceCardNumber = "XY" + Random.Shared.Next(10000000, 99999999) + "ZZ" };
            member.ResidentCode = ResidentCode();
        }
        var family = await Registration.RecordMoveInAsync(request);
        var wife = family.Residents[1];

        // 入管通知 (在留資格の変更): 職権修正 of the foreign items, the old ones kept.
        var renewed = wife.Clone();
        renewed.Foreign.ResidenceStatus = "永住者";
        renewed.Foreign.PeriodOfStay = "無期限";
        renewed.Foreign.StayExpiresOn = null;
        var amended = (await AmendAsync(renewed, AmendmentReason.OfficialCorrection, "foreign", "出入国在留管理庁長官通知 (在留資格変更)")).Residents[0];
        Assert.Equal("永住者", amended.Foreign.ResidenceStatus);
        var change = (await _clerk.HistoryAsync(wife.Name))[^1].Changes.Single(c => c.Item == "在留資格");
        Assert.Equal(("家族滞在", "永住者"), (change.Before, change.After));

        // 帰化: the foreign record is removed (職権消除（帰化等）) and a Japanese one entered (職権記載（帰化等）).
        var removed = await Registration.RecordOfficialRemovalAsync(new RecordOfficialRemovalRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = OfficialRemovalReason.Naturalization,
            Residents = { Ref(amended) },
            RemovalDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Note = "帰化の届出に基づく本籍地からの通知",
        });
        Assert.Equal("職権消除（帰化等）", removed.Residents[0].Removal.Reason);
        var japanese = Person("金", "花子", UniqueKana(), "ハナコ", 1985, 6, 15, Sex.Female, "妻");
        japanese.Domicile = new Domicile { Address = "東京都東久留米市本町一丁目", HeadName = "金 花子" };
        // Only a foreign resident removed for 帰化 can be carried over by a 帰化 entry.
        var notForeign = japanese.Clone();
        notForeign.ReturningResident = family.Residents[0].Name;
        var wrongRecord = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialEntryAsync(new RecordOfficialEntryRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = OfficialEntryReason.Naturalization, EntryDate = Date(2026, 11, 25), NotificationDate = Date(2026, 11, 25),
            JoinHousehold = family.Household, Members = { notForeign }, Note = "帰化",
        }).ResponseAsync);
        Assert.Contains("members[0].returning_resident", wrongRecord.ViolatedFields());
        japanese.ReturningResident = amended.Name;
        var entered = await Registration.RecordOfficialEntryAsync(new RecordOfficialEntryRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = OfficialEntryReason.Naturalization,
            EntryDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            JoinHousehold = family.Household,
            Members = { japanese },
            Note = "帰化",
        });
        var newRecord = entered.Residents[0];
        Assert.Equal((ResidentKind.Japanese, family.Household, wife.Address.Banchi), (newRecord.Kind, newRecord.Household, newRecord.Address.Banchi));
        // 4.5.3: the same person goes on: 宛名番号, 住民票コード, and the day they became a resident.
        Assert.Equal(wife.ResidentNumber, newRecord.ResidentNumber);
        Assert.NotEmpty(wife.ResidentCode);
        Assert.Equal(wife.ResidentCode, newRecord.ResidentCode);
        Assert.Equal(wife.BecameResidentOn, newRecord.BecameResidentOn);
        Assert.Null(newRecord.CommonName);
        Assert.Equal(["国外転入等", "職権修正", "職権消除（帰化等）", "職権記載（帰化等）"], (await _clerk.HistoryAsync(wife.Name)).Select(h => h.Reason));
        Assert.Equal(["世帯主", "妻"], (await _clerk.HouseholdAsync(family.Household)).Members.Select(m => m.Relationship));
    }

    private Task<RecordIdouResponse> RemoveAsync(OfficialRemovalReason reason, Resident resident, string note) =>
        Registration.RecordOfficialRemovalAsync(new RecordOfficialRemovalRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = reason, Residents = { Ref(resident) },
            RemovalDate = Date(2026, 11, 25), NotificationDate = Date(2026, 11, 25), Note = note,
        }).ResponseAsync;

    private static RecordOfficialEntryRequest CarryOverEntry(OfficialEntryReason reason, string household, PersonEntry member, Google.Type.Date? entryDate = null) => new()
    {
        RequestId = Guid.NewGuid().ToString(), Reason = reason, EntryDate = entryDate ?? Date(2026, 11, 25), NotificationDate = Date(2026, 11, 25),
        JoinHousehold = household, Members = { member }, Note = "本籍地からの通知",
    };

    [Spec("4.5.4#1")]
    [Spec("4.5.4#2")]
    [Spec("4.5.4#3")]
    [Spec("4.5.4#4")]
    [Fact]
    public async Task A_foreign_resident_who_acquires_japanese_nationality_goes_on_in_a_japanese_record_with_what_the_foreign_one_held()
    {
        var request = FromAbroad(MoveIn(City, UniqueKana(), members: 3), new ForeignResidentItems { Nationality = "韓国", Category = ForeignResidentCategory.SpecialPermanent });
        request.PreviousAddress = new Address { Country = "韓国", FreeText = "Busan" };
        foreach (var m in request.Members)
        {
            (m.IndividualNumber, m.ResidentCode, m.Foreign.ResidenceCardNumber) = (IndividualNumber(), ResidentCode(), CardNumber());
        }
        var family = await Registration.RecordMoveInAsync(request);
        var child = family.Residents[2];
        var childNumber = (await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = child.Name, IncludeIndividualNumber = true })).IndividualNumber;

        // #4: the foreign record is removed for 帰化等, its 職権記録書 saying 国籍取得.
        var removed = (await RemoveAsync(OfficialRemovalReason.NationalityAcquisition, child, "法務局から国籍取得の通知")).Residents[0];
        Assert.Equal((ResidentStatus.Removed, "職権消除（帰化等）"), (removed.Status, removed.Removal.Reason));

        // #1: the 国籍取得 is entered; only the name, 本籍 and kind are typed, the rest is the foreign record's (#2).
        var typed = new PersonEntry
        {
            Kind = ResidentKind.Japanese,
            PersonName = new PersonName { Family = "高橋", Given = "太郎", FamilyKana = child.PersonName.FamilyKana, GivenKana = "タロウ" },
            Domicile = new Domicile { Address = "東京都東久留米市本町一丁目1番", HeadName = "高橋 太郎" },
            ReturningResident = child.Name,
        };
        // Not before the foreign record was removed, and only into a Japanese record.
        var early = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialEntryAsync(
            CarryOverEntry(OfficialEntryReason.NationalityAcquisition, family.Household, typed, Date(2026, 11, 24))).ResponseAsync);
        Assert.Equal(["entry_date"], early.ViolatedFields());
        var stillForeign = typed.Clone();
        stillForeign.Kind = ResidentKind.Foreign;
        var wrongKind = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialEntryAsync(
            CarryOverEntry(OfficialEntryReason.NationalityAcquisition, family.Household, stillForeign)).ResponseAsync);
        Assert.Contains("members[0].kind", wrongKind.ViolatedFields());
        Assert.Equal(ResidentStatus.Removed, (await _clerk.GetAsync(child.Name)).Status);

        var entered = (await Registration.RecordOfficialEntryAsync(CarryOverEntry(OfficialEntryReason.NationalityAcquisition, family.Household, typed))).Residents[0];
        var japanese = await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = entered.Name, IncludeIndividualNumber = true });
        Assert.Equal((ResidentKind.Japanese, ResidentStatus.Active, child.ResidentNumber), (japanese.Kind, japanese.Status, japanese.ResidentNumber));
        Assert.Equal((child.Address.Town, child.Address.Banchi, child.Address.Katagaki), (japanese.Address.Town, japanese.Address.Banchi, japanese.Address.Katagaki));
        Assert.Equal((child.BirthDate, child.Sex, child.Relationship), (japanese.BirthDate, japanese.Sex, japanese.Relationship));
        Assert.Equal((child.ResidentCode, childNumber), (japanese.ResidentCode, japanese.IndividualNumber));
        Assert.Equal(("韓国", "Busan"), (japanese.PreviousAddress.Country, japanese.PreviousAddress.FreeText));
        // #3: the 外国人住民となった年月日 is the 住民となった年月日; the 住所を定めた年月日 stays with the address.
        Assert.Equal((child.BecameResidentOn, child.AddressSetOn), (japanese.BecameResidentOn, japanese.AddressSetOn));
        Assert.Equal(("東京都東久留米市本町一丁目1番", "高橋 太郎"), (japanese.Domicile.Address, japanese.Domicile.HeadName));

        var history = await _clerk.HistoryAsync(child.Name);
        Assert.Equal(["国外転入等", "職権消除（帰化等）", "職権記載（帰化等）"], history.Select(h => h.Reason));
        Assert.StartsWith("国籍取得", history[1].Note, StringComparison.Ordinal);
        Assert.StartsWith("国籍取得", history[2].Note, StringComparison.Ordinal);
        Assert.Equal(3, (await _clerk.HouseholdAsync(family.Household)).Members.Count);
    }

    [Spec("4.5.5#1")]
    [Spec("4.5.5#2")]
    [Spec("4.5.5#3")]
    [Spec("4.5.5#4")]
    [Fact]
    public async Task A_japanese_resident_who_loses_nationality_goes_on_in_a_foreign_record_from_the_later_of_the_two_days()
    {
        var request = MoveIn(City, UniqueKana(), members: 3);
        foreach (var m in request.Members)
        {
            (m.IndividualNumber, m.ResidentCode) = (IndividualNumber(), ResidentCode());
        }
        request.Members[1].OldSurname = new OldSurname { Surname = "佐藤", SurnameKana = "サトウ" };
        var family = await Registration.RecordMoveInAsync(request);
        var (wife, son) = (family.Residents[1], family.Residents[2]);

        // #4: the Japanese records are removed for 国籍喪失.
        foreach (var person in new[] { wife, son })
        {
            Assert.Equal("職権消除（国籍喪失）", (await RemoveAsync(OfficialRemovalReason.LossOfNationality, person, "本籍地から国籍喪失の通知")).Residents[0].Removal.Reason);
        }
        PersonEntry Typed(Resident former, string given) => new()
        {
            Kind = ResidentKind.Foreign,
            PersonName = new PersonName { Family = "高橋", Given = given, FamilyKana = former.PersonName.FamilyKana, GivenKana = former.PersonName.GivenKana },
            Foreign = new ForeignResidentItems { Nationality = "アメリカ合衆国", Category = ForeignResidentCategory.Transitional, AlphabetName = "TAKAHASHI " + given },
            ReturningResident = former.Name,
        };
        // The day the nationality was lost: 国籍喪失 only, not after the 異動日.
        var lostLater = CarryOverEntry(OfficialEntryReason.LossOfNationality, family.Household, Typed(wife, "花子"));
        lostLater.NationalityLostOn = Date(2026, 11, 26);
        Assert.Equal(["nationality_lost_on"], (await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialEntryAsync(lostLater).ResponseAsync)).ViolatedFields());
        var naturalization = CarryOverEntry(OfficialEntryReason.Naturalization, family.Household, Typed(wife, "花子"));
        naturalization.NationalityLostOn = Date(2026, 11, 10);
        Assert.Contains("nationality_lost_on", (await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialEntryAsync(naturalization).ResponseAsync)).ViolatedFields());
        // Only a Japanese record removed for 国籍喪失 is carried over by a 国籍喪失 entry, not a resident's.
        var headAsFormer = Typed(wife, "花子");
        (headAsFormer.ReturningResident, headAsFormer.Relationship) = (family.Residents[0].Name, "妻");
        Assert.Contains("members[0].returning_resident", (await Assert.ThrowsAsync<RpcException>(() =>
            Registration.RecordOfficialEntryAsync(CarryOverEntry(OfficialEntryReason.LossOfNationality, family.Household, headAsFormer)).ResponseAsync)).ViolatedFields());

        // #1-#3: the wife lost it abroad before she became a resident (2026-11-20): a foreign resident from 11-20;
        // the son lost it on 11-24: from 11-24.
        var wifeEntry = CarryOverEntry(OfficialEntryReason.LossOfNationality, family.Household, Typed(wife, "花子"));
        wifeEntry.NationalityLostOn = Date(2026, 11, 10);
        var sonEntry = CarryOverEntry(OfficialEntryReason.LossOfNationality, family.Household, Typed(son, "太郎"));
        sonEntry.NationalityLostOn = Date(2026, 11, 24);
        foreach (var (entry, former, became) in new[] { (wifeEntry, wife, Date(2026, 11, 20)), (sonEntry, son, Date(2026, 11, 24)) })
        {
            var foreign = (await Registration.RecordOfficialEntryAsync(entry)).Residents[0];
            var read = await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = foreign.Name, IncludeIndividualNumber = true });
            var before = await _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = former.Name, IncludeIndividualNumber = true, AsOf = Date(2026, 11, 24) });
            Assert.Equal((ResidentKind.Foreign, ResidentStatus.Active, former.ResidentNumber), (read.Kind, read.Status, read.ResidentNumber));
            Assert.Equal((former.BirthDate, former.Sex, former.Relationship), (read.BirthDate, read.Sex, read.Relationship));
            Assert.Equal((former.Address.Banchi, former.Address.Katagaki, former.AddressSetOn), (read.Address.Banchi, read.Address.Katagaki, read.AddressSetOn));
            Assert.Equal((before.ResidentCode, before.IndividualNumber), (read.ResidentCode, read.IndividualNumber));
            Assert.Equal(("大阪市北区", "梅田1-1-1"), (read.PreviousAddress.City, read.PreviousAddress.FreeText));
            Assert.Equal(became, read.BecameResidentOn);
            Assert.Equal(("アメリカ合衆国", ForeignResidentCategory.Transitional), (read.Foreign.Nationality, read.Foreign.Category));
            // 旧氏 and 本籍 are a Japanese resident's items.
            Assert.Null(read.OldSurname);
            Assert.Null(read.Domicile);
            Assert.Equal(["国内転入", "職権消除（国籍喪失）", "職権記載（国籍喪失）"], (await _clerk.HistoryAsync(former.Name)).Select(h => h.Reason));
        }
        Assert.Equal(["世帯主", "妻", "子"], (await _clerk.HouseholdAsync(family.Household)).Members.Select(m => m.Relationship));
    }

    [Spec("1.1.1#41")]
    [Spec("4.1.1.4#1")]
    [Spec("4.1.1.4#3")]
    [Spec("4.2.1.1#4")]
    [Spec("4.2.1.1#6")]
    [Fact]
    public async Task An_unreported_move_in_records_the_last_unreported_address_marked_and_the_last_registered_one()
    {
        var entered = await Registration.RecordOfficialEntryAsync(new RecordOfficialEntryRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = OfficialEntryReason.Official,
            EntryDate = Date(2026, 11, 1),
            NotificationDate = Date(2026, 11, 25),
            Address = _clerk.Address(1, "9番"),
            PreviousAddress = new Address { Prefecture = "埼玉県", City = "新座市", FreeText = "野火止1-1" },
            LastRegisteredAddress = new Address { Prefecture = "北海道", City = "札幌市中央区", FreeText = "北1条西1-1" },
            UnreportedMoveIn = true,
            Members = { Person("中川", "誠", UniqueKana(), "マコト", 1990, 1, 1, Sex.Male, "世帯主") },
            Note = "実態調査により居住を確認",
        });
        var person = entered.Residents[0];
        Assert.Equal("野火止1-1（未届）", person.PreviousAddress.FreeText);
        Assert.Equal("札幌市中央区", person.LastRegisteredAddress.City);
        Assert.Equal("職権記載", (await _clerk.HistoryAsync(person.Name)).Single().Reason);
        var noPrevious = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialEntryAsync(new RecordOfficialEntryRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = OfficialEntryReason.Official,
            EntryDate = Date(2026, 11, 1),
            NotificationDate = Date(2026, 11, 25),
            Address = _clerk.Address(1, "9番"),
            UnreportedMoveIn = true,
            Members = { Person("中川", "恵", UniqueKana(), "メグミ", 1991, 1, 1, Sex.Female, "世帯主") },
            Note = "x",
        }).ResponseAsync);
        Assert.Equal(["previous_address"], noPrevious.ViolatedFields());
    }

    [Spec("4.6.0.1#1")]
    [Spec("4.6.0.1#4")]
    [Spec("4.6.0.1#6")]
    [Spec("4.6.0.1#9")]
    [Fact]
    public async Task Cancelling_an_idou_returns_the_record_to_its_prior_state_and_keeps_both()
    {
        var family = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        var members = (await _clerk.HouseholdAsync(family.Household)).Members;
        var move = await Registration.RecordAddressChangeAsync(new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Residents = { members.Select(Ref) },
            MoveDate = Date(2026, 11, 22),
            NotificationDate = Date(2026, 11, 22),
            Notifier = Notifier(),
            Address = _clerk.Address(5, "1番"),
        });

        // 取消（修正）: the 転居 is undone on top of the history.
        var cancelMove = await Registration.RecordCancellationAsync(new RecordCancellationRequest { RequestId = Guid.NewGuid().ToString(), Idou = move.Idou, NotificationDate = Date(2026, 11, 25), Note = "転居先の誤り" });
        Assert.All(cancelMove.Residents, r => Assert.Equal(("2番3号", 3), (r.Address.Banchi, r.HistoryNumber)));
        Assert.Equal(family.Household, cancelMove.Household);
        var history = await _clerk.HistoryAsync(family.Residents[0].Name);
        Assert.Equal(["国内転入", "転居", "異動の取消し（修正）"], history.Select(h => h.Reason));
        var again = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordCancellationAsync(new RecordCancellationRequest { RequestId = Guid.NewGuid().ToString(), Idou = move.Idou, NotificationDate = Date(2026, 11, 25), Note = "x" }).ResponseAsync);
        Assert.Equal("IDOU_NOT_CANCELLABLE", again.ErrorInfo()?.Reason);

        // 取消（増）: a 死亡 recorded for the wrong person is undone; the person is a 住民 again.
        var death = await Registration.RecordDeathAsync(new RecordDeathRequest { RequestId = Guid.NewGuid().ToString(), Resident = new ResidentRef { Name = family.Residents[1].Name }, DeathDate = Date(2026, 11, 24), NotificationDate = Date(2026, 11, 24), Notifier = Notifier() });
        var undone = await Registration.RecordCancellationAsync(new RecordCancellationRequest { RequestId = Guid.NewGuid().ToString(), Idou = death.Idou, NotificationDate = Date(2026, 11, 25), Note = "死亡届の対象者誤り" });
        Assert.Equal(ResidentStatus.Active, undone.Residents[0].Status);
        Assert.Equal("異動の取消し（増）", (await _clerk.HistoryAsync(family.Residents[1].Name))[^1].Reason);

        // An earlier 異動 cannot be cancelled under a later one.
        var underLater = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordCancellationAsync(new RecordCancellationRequest { RequestId = Guid.NewGuid().ToString(), Idou = family.Idou, NotificationDate = Date(2026, 11, 25), Note = "x" }).ResponseAsync);
        Assert.Equal("IDOU_NOT_CANCELLABLE", underLater.ErrorInfo()?.Reason);

        // 取消（減）: a 転入 recorded twice is undone; the record becomes a 除票.
        var duplicate = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1));
        var minus = await Registration.RecordCancellationAsync(new RecordCancellationRequest { RequestId = Guid.NewGuid().ToString(), Idou = duplicate.Idou, NotificationDate = Date(2026, 11, 25), Note = "二重登録" });
        Assert.Equal(("異動の取消し（減）", ResidentStatus.Removed), (minus.Residents[0].Removal.Reason, minus.Residents[0].Status));
    }
}

public sealed class OfficialChangesTestsOnSqlite(SqliteServer server) : OfficialChangesTests(server), IClassFixture<SqliteServer>;

public sealed class OfficialChangesTestsOnPostgres(PostgresServer server) : OfficialChangesTests(server), IClassFixture<PostgresServer>;
