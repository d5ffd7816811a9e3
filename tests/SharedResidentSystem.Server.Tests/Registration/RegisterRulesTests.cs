using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using ResidentKind = SharedResidentSystem.Contracts.Residents.V1.ResidentKind;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>
/// Every rule that forbids something is tried and refused with its reason and fields, and
/// the register is left exactly as it was (no 異動, no version, no number taken).
/// </summary>
public abstract class RegisterRulesTests(ServerFixture server)
{
    private const string City = "132136";
    private readonly RegisterDriver _clerk = new(server, City);

    private RegistrationService.RegistrationServiceClient Registration => _clerk.Registration;

    [Spec("4.0.3#3")]
    [Fact]
    public async Task A_move_in_dated_after_today_is_refused()
    {
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.MoveDate = Date(2026, 12, 24);
        await Refused(() => Registration.RecordMoveInAsync(request).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "move_date");
    }

    [Spec("4.1.0.2#3")]
    [Fact]
    public async Task A_notification_dated_after_today_is_refused()
    {
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.NotificationDate = Date(2027, 1, 5);
        await Refused(() => Registration.RecordMoveInAsync(request).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "notification_date");
    }

    [Spec("1.1.11#11")]
    [Theory]
    [InlineData("祖父")]
    [InlineData("孫")]
    [InlineData("子の子の子の子の子")]
    [InlineData("家事使用人")]
    public async Task A_relationship_outside_the_standard_is_refused(string relationship)
    {
        var request = MoveIn(City, UniqueKana());
        request.Members[1].Relationship = relationship;
        await Refused(() => Registration.RecordMoveInAsync(request).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "members[1].relationship");
    }

    [Spec("1.1.10#1")]
    [Fact]
    public async Task Two_heads_in_one_household_are_refused_and_none_is_an_alert()
    {
        var two = MoveIn(City, UniqueKana());
        two.Members[1].Relationship = "世帯主";
        await Refused(() => Registration.RecordMoveInAsync(two).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "members");

        var none = MoveIn(City, UniqueKana());
        none.Members[0].Relationship = "同居人";
        none.Members[1].Relationship = "同居人";
        var alert = await Refused(() => Registration.RecordMoveInAsync(none).ResponseAsync, StatusCode.FailedPrecondition, "ALERT_NOT_ACKNOWLEDGED", "members");
        Assert.Equal("NO_HEAD", alert.ErrorInfo()!.Metadata["alerts"]);
        none.AcknowledgedAlerts.Add("NO_HEAD");
        var recorded = await Registration.RecordMoveInAsync(none);
        Assert.Equal("", (await _clerk.HouseholdAsync(recorded.Household)).Head);
    }

    [Fact]
    public async Task An_address_outside_the_city_dictionary_or_in_free_text_is_refused()
    {
        var unknownTown = MoveIn(City, UniqueKana(), members: 1);
        unknownTown.Address.Town = "南沢";
        await Refused(() => Registration.RecordMoveInAsync(unknownTown).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "address.town");

        var freeText = MoveIn(City, UniqueKana(), members: 1);
        freeText.Address.FreeText = "本町1-2-3";
        await Refused(() => Registration.RecordMoveInAsync(freeText).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "address.free_text");

        var noBanchi = MoveIn(City, UniqueKana(), members: 1);
        noBanchi.Address.Banchi = "";
        await Refused(() => Registration.RecordMoveInAsync(noBanchi).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "address.banchi");
    }

    [Fact]
    public async Task Numbers_with_wrong_check_digits_are_refused_and_an_individual_number_is_held_once()
    {
        var bad = MoveIn(City, UniqueKana(), members: 1);
        bad.Members[0].IndividualNumber = "123456789019";
        bad.Members[0].ResidentCode = "12345678901";
        await Refused(() => Registration.RecordMoveInAsync(bad).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD",
            "members[0].individual_number", "members[0].resident_code");

        var number = IndividualNumber();
        var first = MoveIn(City, UniqueKana(), members: 1);
        first.Members[0].IndividualNumber = number;
        await Registration.RecordMoveInAsync(first);
        var second = MoveIn(City, UniqueKana(), members: 1);
        second.Members[0].IndividualNumber = number;
        await Refused(() => Registration.RecordMoveInAsync(second).ResponseAsync, StatusCode.FailedPrecondition, "INDIVIDUAL_NUMBER_IN_USE", "members[0].individual_number");
    }

    [Spec("11.1#4")]
    [Fact]
    public async Task Unusual_input_is_an_alert_that_passes_once_acknowledged()
    {
        var old = MoveIn(City, UniqueKana(), members: 1);
        old.Members[0].BirthDate = new PartialDate { Year = 1910, Month = 1, Day = 1 };
        old.NotificationDate = Date(2026, 11, 25);
        old.MoveDate = Date(2026, 10, 1);
        var e = await Refused(() => Registration.RecordMoveInAsync(old).ResponseAsync, StatusCode.FailedPrecondition, "ALERT_NOT_ACKNOWLEDGED", "members[0].birth_date", "notification_date");
        var codes = e.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations.Select(v => v.Subject).Order().ToList();
        Assert.Equal(["AGE_OVER_110", "NOTIFIED_LATE"], codes);

        old.AcknowledgedAlerts.Add("AGE_OVER_110");
        await Refused(() => Registration.RecordMoveInAsync(old).ResponseAsync, StatusCode.FailedPrecondition, "ALERT_NOT_ACKNOWLEDGED", "notification_date");
        old.AcknowledgedAlerts.Add("NOTIFIED_LATE");
        var recorded = await Registration.RecordMoveInAsync(old);
        Assert.Single(recorded.Residents);
    }

    [Spec("11.1#4")]
    [Fact]
    public async Task A_second_move_in_of_the_same_person_is_an_alert()
    {
        var kana = UniqueKana();
        await Registration.RecordMoveInAsync(MoveIn(City, kana, members: 1));
        var again = MoveIn(City, kana, members: 1);
        var e = await Refused(() => Registration.RecordMoveInAsync(again).ResponseAsync, StatusCode.FailedPrecondition, "ALERT_NOT_ACKNOWLEDGED", "members[0].person_name");
        Assert.Equal("POSSIBLE_DUPLICATE", e.ErrorInfo()!.Metadata["alerts"]);
    }

    [Spec("1.1.2#1")]
    [Fact]
    public async Task Foreign_residents_keep_their_own_items_and_japanese_ones_may_not_have_them()
    {
        var foreign = MoveIn(City, UniqueKana(), members: 1);
        foreign.Reason = MoveInReason.FromAbroad;
        foreign.PreviousAddress = new Address { Country = "ベトナム", FreeText = "Hanoi" };
        foreign.Members[0].Kind = ResidentKind.Foreign;
        foreign.Members[0].Domicile = null;
        foreign.Members[0].Foreign = new ForeignResidentItems
        {
            Nationality = "ベトナム",
            Category = ForeignResidentCategory.MidLongTerm,
            ResidenceStatus = "技術・人文知識・国際業務",
            PeriodOfStay = "3年",
            StayExpiresOn = Date(2029, 3, 31),
            ResidenceCardNumber = "ab12345678cd",
            AlphabetName = "NGUYEN VAN AN",
        };
        var recorded = await Registration.RecordMoveInAsync(foreign);
        var resident = await _clerk.GetAsync(recorded.Residents[0].Name);
        Assert.Equal(ResidentKind.Foreign, resident.Kind);
        Assert.Equal("AB12345678CD", resident.Foreign.ResidenceCardNumber);
        Assert.Equal(Date(2029, 3, 31), resident.Foreign.StayExpiresOn);
        Assert.Equal("国外転入等", (await _clerk.Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = resident.Name })).Idou[0].Reason);
        var byCard = await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { ResidenceCardNumber = "AB12345678CD" });
        Assert.Equal(resident.Name, Assert.Single(byCard.Residents).Name);
        var byAlphabet = await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "nguyen van" });
        Assert.Contains(byAlphabet.Residents, r => r.Name == resident.Name);

        var noNationality = MoveIn(City, UniqueKana(), members: 1);
        noNationality.Members[0].Kind = ResidentKind.Foreign;
        noNationality.Members[0].Domicile = null;
        await Refused(() => Registration.RecordMoveInAsync(noNationality).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD",
            "members[0].foreign.nationality", "members[0].foreign.category");

        var japaneseWithCard = MoveIn(City, UniqueKana(), members: 1);
        japaneseWithCard.Members[0].Foreign = new ForeignResidentItems { Nationality = "ベトナム" };
        await Refused(() => Registration.RecordMoveInAsync(japaneseWithCard).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "members[0].foreign");
    }

    [Spec("1.1.6#11")]
    [Spec("1.1.6#13")]
    [Spec("1.1.6#15")]
    [Spec("1.1.6#17")]
    [Theory]
    [InlineData(ForeignResidentCategory.MidLongTerm, "residence_card_number")]
    [InlineData(ForeignResidentCategory.SpecialPermanent, "residence_card_number")]
    [InlineData(ForeignResidentCategory.TemporaryRefuge, "period_of_stay")]
    [InlineData(ForeignResidentCategory.ProvisionalStay, "period_of_stay")]
    public async Task A_foreign_residents_card_number_or_permitted_period_may_not_be_blank_at_entry_nor_by_correction(ForeignResidentCategory category, string item)
    {
        var entry = FromAbroad(MoveIn(City, UniqueKana(), members: 1),
            new ForeignResidentItems { Nationality = "ベトナム", Category = category, ResidenceStatus = "定住者", StayExpiresOn = Date(2029, 3, 31) });
        await Refused(() => Registration.RecordMoveInAsync(entry).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", $"members[0].foreign.{item}");

        entry.RequestId = Guid.NewGuid().ToString();
        entry.Members[0].Foreign.ResidenceCardNumber = "AB" + Random.Shared.Next(10000000, 99999999) + "CD";
        entry.Members[0].Foreign.PeriodOfStay = "6月";
        var recorded = (await Registration.RecordMoveInAsync(entry)).Residents[0];

        // A 職権修正 that blanks it is refused the same way.
        var blanked = recorded.Clone();
        blanked.Foreign.ResidenceCardNumber = "";
        blanked.Foreign.PeriodOfStay = "";
        await Refused(() => Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = AmendmentReason.OfficialCorrection,
            Resident = blanked,
            UpdateMask = Google.Protobuf.WellKnownTypes.FieldMask.FromString("foreign"),
            AmendmentDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Note = "入管通知",
        }).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", $"resident.foreign.{item}");
    }

    [Spec("1.1.6#1")]
    [Spec("1.1.6#2")]
    [Spec("1.1.6#5")]
    [Spec("1.1.6#6")]
    [Spec("1.1.6#8")]
    [Spec("1.1.6#9")]
    [Spec("1.1.6#10")]
    [Spec("1.1.6#12")]
    [Spec("1.1.6#14")]
    [Spec("1.1.6#16")]
    [Spec("1.1.6#18")]
    [Spec("1.1.6#19")]
    [Spec("1.1.6#20")]
    [Spec("1.1.6#21")]
    [Fact]
    public async Task The_items_that_may_not_be_blank_never_are_and_every_other_item_may_be()
    {
        // The 区分 of 法30条の45 (中長期在留者・特別永住者・一時庇護許可者・仮滞在許可者・経過滞在者
        // である旨) may not be blank: a foreign resident without one is refused, naming it.
        var noCategory = FromAbroad(MoveIn(City, UniqueKana(), members: 1), new ForeignResidentItems { Nationality = "ベトナム" });
        await Refused(() => Registration.RecordMoveInAsync(noCategory).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "members[0].foreign.category");
        // Nor the 住所.
        var noAddress = MoveIn(City, UniqueKana(), members: 1);
        noAddress.Address = new Address();
        await Refused(() => Registration.RecordMoveInAsync(noAddress).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "address");

        // Every other item may be blank: a 国外転入 of a 経過滞在者 (by birth or loss of nationality:
        // one 区分, both named) with nothing but what may not be blank — no 方書, 通称, 個人番号,
        // 住民票コード, 在留資格, 在留カード, フリガナ of the given name, entitlements or 届出人's relation.
        var bare = FromAbroad(MoveIn(City, UniqueKana(), members: 1), new ForeignResidentItems { Nationality = "ブラジル", Category = ForeignResidentCategory.Transitional });
        bare.Address.Katagaki = "";
        bare.Members[0].PersonName.GivenKana = "";
        bare.Members[0].PersonName.KanaConfirmed = false;
        bare.Notifier.Relation = "";
        var recorded = (await Registration.RecordMoveInAsync(bare)).Residents[0];
        Assert.Equal((ForeignResidentCategory.Transitional, "", "", ""), (recorded.Foreign.Category, recorded.Foreign.ResidenceCardNumber, recorded.Foreign.ResidenceStatus, recorded.Address.Katagaki));
        // What the register itself gives is there: 外国人住民となった年月日 (the 住民となった年月日 of a
        // foreign resident), the 住所, 宛名番号 and 世帯番号.
        Assert.Equal(bare.MoveDate, recorded.BecameResidentOn);
        Assert.Equal(bare.Address.Town, recorded.Address.Town);
        Assert.True(Core.Numbers.CheckDigits.IsValidSerialWithCheck(recorded.ResidentNumber), recorded.ResidentNumber);
        Assert.True(Core.Numbers.CheckDigits.IsValidSerialWithCheck(recorded.Household.Split('/')[^1]), recorded.Household);
        // A Japanese resident's 住民となった年月日 likewise.
        var japanese = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        Assert.Equal(Date(2026, 11, 20), japanese.BecameResidentOn);

        // A 職権修正 cannot blank the 区分 afterwards either.
        var blanked = recorded.Clone();
        blanked.Foreign.Category = ForeignResidentCategory.Unspecified;
        await Refused(() => Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = AmendmentReason.OfficialCorrection,
            Resident = blanked,
            UpdateMask = FieldMask.FromString("foreign"),
            AmendmentDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Note = "入管通知",
        }).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "resident.foreign.category");
    }

    [Spec("1.1.6#4")]
    [Spec("1.1.12#1")]
    [Fact]
    public async Task A_japanese_residents_domicile_may_not_be_blank_but_may_be_none_or_unknown()
    {
        var blank = MoveIn(City, UniqueKana(), members: 1);
        blank.Members[0].Domicile = null;
        await Refused(() => Registration.RecordMoveInAsync(blank).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD",
            "members[0].domicile.address", "members[0].domicile.head_name");
        var none = MoveIn(City, UniqueKana(), members: 1);
        none.Members[0].Domicile = new Domicile { Address = "なし", HeadName = "なし" };
        var recorded = await Registration.RecordMoveInAsync(none);
        Assert.Equal("なし", recorded.Residents[0].Domicile.Address);
        var cleared = recorded.Residents[0].Clone();
        cleared.Domicile = new Domicile();
        await Refused(() => Registration.CorrectResidentAsync(new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = cleared,
            UpdateMask = FieldMask.FromString("domicile"),
            CorrectionDate = Date(2026, 11, 26),
            Reason = "x",
        }).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "resident.domicile");
    }

    [Spec("1.1.6#3")]
    [Fact]
    public async Task A_birth_must_be_complete_not_future_and_not_a_head()
    {
        var family = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        RecordBirthRequest Birth(PartialDate date, string relationship) => new()
        {
            RequestId = Guid.NewGuid().ToString(),
            Household = family.Household,
            Child = Person("高橋", "桜", "タカハシ", "サクラ", date.Year, date.Month, date.Day, Sex.Female, relationship),
            NotificationDate = Date(2026, 11, 26),
            Notifier = Notifier(),
        };
        await Refused(() => Registration.RecordBirthAsync(Birth(new PartialDate { Year = 2026, Month = 11, Day = 0 }, "子")).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "child.birth_date");
        await Refused(() => Registration.RecordBirthAsync(Birth(new PartialDate { Year = 2026, Month = 12, Day = 25 }, "子")).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "child.birth_date");
        await Refused(() => Registration.RecordBirthAsync(Birth(new PartialDate { Year = 2026, Month = 11, Day = 20 }, "世帯主")).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "child.relationship");
        var late = Birth(new PartialDate { Year = 2026, Month = 10, Day = 1 }, "子");
        var alert = await Refused(() => Registration.RecordBirthAsync(late).ResponseAsync, StatusCode.FailedPrecondition, "ALERT_NOT_ACKNOWLEDGED", "notification_date");
        Assert.Equal("NOTIFIED_LATE", alert.ErrorInfo()!.Metadata["alerts"]);
        late.AcknowledgedAlerts.Add("NOTIFIED_LATE");
        var born = await Registration.RecordBirthAsync(late);
        Assert.Equal(family.Residents[0].Address, born.Residents[0].Address);
        Assert.Equal(Date(2026, 10, 1), born.Residents[0].BecameResidentOn);
    }

    [Spec("4.1.2.1#1")]
    [Fact]
    public async Task A_move_to_the_same_address_is_refused_but_another_building_at_the_same_lot_is_a_move()
    {
        var family = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        var sameRequest = new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            MoveDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
            Address = family.Residents[0].Address.Clone(),
            Residents = { family.Residents.Select(Ref) },
        };
        await Refused(() => Registration.RecordAddressChangeAsync(sameRequest).ResponseAsync, StatusCode.FailedPrecondition, "ADDRESS_MISMATCH", "address");

        var otherBuilding = sameRequest.Clone();
        otherBuilding.RequestId = Guid.NewGuid().ToString();
        otherBuilding.Address.Katagaki = "別棟201";
        var moved = await Registration.RecordAddressChangeAsync(otherBuilding);
        Assert.All(moved.Residents, r => Assert.Equal("別棟201", r.Address.Katagaki));
    }

    [Spec("4.1.4.1#1")]
    [Spec("4.1.4.1#2")]
    [Fact]
    public async Task Household_changes_keep_to_one_address_and_to_their_kind()
    {
        var a = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        var b = MoveIn(City, UniqueKana(), members: 1);
        b.Address.Banchi = "99番";
        var elsewhere = await Registration.RecordMoveInAsync(b);

        var mergeAcross = new RecordHouseholdChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Kind = HouseholdChangeKind.Merge,
            Residents = { Ref(elsewhere.Residents[0]) },
            Placement = new Placement { Household = a.Household, Relationships = { [elsewhere.Residents[0].Name] = "同居人" } },
            ChangeDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
        };
        await Refused(() => Registration.RecordHouseholdChangeAsync(mergeAcross).ResponseAsync, StatusCode.FailedPrecondition, "ADDRESS_MISMATCH", "placement.household");

        var splitAll = new RecordHouseholdChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Kind = HouseholdChangeKind.Split,
            Residents = { a.Residents.Select(Ref) },
            Placement = new Placement { Relationships = { [a.Residents[0].Name] = "世帯主", [a.Residents[1].Name] = "妻" } },
            ChangeDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
        };
        await Refused(() => Registration.RecordHouseholdChangeAsync(splitAll).ResponseAsync, StatusCode.FailedPrecondition, "HOUSEHOLD_RULE", "residents");

        var splitWithoutRelationship = splitAll.Clone();
        splitWithoutRelationship.RequestId = Guid.NewGuid().ToString();
        splitWithoutRelationship.Residents.RemoveAt(0);
        splitWithoutRelationship.Placement.Relationships.Clear();
        await Refused(() => Registration.RecordHouseholdChangeAsync(splitWithoutRelationship).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "placement.relationships");
    }

    [Spec("4.1.4.1#3")]
    [Fact]
    public async Task A_household_merge_at_the_same_lot_does_not_ask_for_the_same_katagaki_and_keeps_each_persons_own()
    {
        var a = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        var b = MoveIn(City, UniqueKana(), members: 1);
        b.Address.Katagaki = "コーポ202";
        var other = (await Registration.RecordMoveInAsync(b)).Residents[0];

        var merged = await Registration.RecordHouseholdChangeAsync(new RecordHouseholdChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Kind = HouseholdChangeKind.Merge,
            Residents = { Ref(other) },
            Placement = new Placement { Household = a.Household, Relationships = { [other.Name] = "同居人" } },
            ChangeDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
        });
        var joined = Assert.Single(merged.Residents);
        Assert.Equal(a.Household, joined.Household);
        Assert.Equal("コーポ202", joined.Address.Katagaki);
        Assert.Equal("コーポ101", a.Residents[0].Address.Katagaki);
    }

    [Spec("4.0.4#1")]
    [Fact]
    public async Task When_the_head_leaves_a_single_remaining_member_becomes_head()
    {
        var couple = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        await Registration.RecordDeathAsync(new RecordDeathRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = Ref(couple.Residents[0]),
            DeathDate = Date(2026, 11, 24),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
        });
        var household = await _clerk.HouseholdAsync(couple.Household);
        var widow = Assert.Single(household.Members);
        Assert.Equal("世帯主", widow.Relationship);
        Assert.Equal(widow.Name, household.Head);
    }

    [Fact]
    public async Task A_removed_resident_cannot_die_again_and_a_stale_etag_is_aborted()
    {
        var person = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var death = new RecordDeathRequest { RequestId = Guid.NewGuid().ToString(), Resident = Ref(person), DeathDate = Date(2026, 11, 24), NotificationDate = Date(2026, 11, 25), Notifier = Notifier() };
        await Registration.RecordDeathAsync(death);
        var again = new RecordDeathRequest { RequestId = Guid.NewGuid().ToString(), Resident = new ResidentRef { Name = person.Name }, DeathDate = Date(2026, 11, 24), NotificationDate = Date(2026, 11, 25), Notifier = Notifier() };
        await Refused(() => Registration.RecordDeathAsync(again).ResponseAsync, StatusCode.FailedPrecondition, "RESIDENT_REMOVED", "resident");
        var stale = again.Clone();
        stale.RequestId = Guid.NewGuid().ToString();
        stale.Resident.Etag = person.Etag;
        await Refused(() => Registration.RecordDeathAsync(stale).ResponseAsync, StatusCode.Aborted, "STALE_ETAG", "resident.etag");
    }

    [Spec("4.1.4.2#1")]
    [Fact]
    public async Task A_head_change_needs_every_members_new_relationship()
    {
        var family = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 3));
        var change = new RecordHeadChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Household = family.Household,
            NewHead = Ref(family.Residents[1]),
            Relationships = { [family.Residents[0].Name] = "夫" },
            ChangeDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
        };
        await Refused(() => Registration.RecordHeadChangeAsync(change).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "relationships");
        change.Relationships[family.Residents[2].Name] = "子";
        var changed = await Registration.RecordHeadChangeAsync(change);
        Assert.Equal(["夫", "世帯主", "子"], family.Residents.Select(r => changed.Residents.Single(c => c.Name == r.Name).Relationship));
    }

    [Spec("4.1.3.0.1#1")]
    [Spec("4.1.3.0.2#1")]
    [Fact]
    public async Task A_move_out_may_be_planned_ahead_but_needs_a_destination()
    {
        var person = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var moveOut = new RecordMoveOutRequest { RequestId = Guid.NewGuid().ToString(), Residents = { Ref(person) }, PlannedDate = Date(2026, 12, 5), NotificationDate = Date(2026, 11, 26), Notifier = Notifier() };
        await Refused(() => Registration.RecordMoveOutAsync(moveOut).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "destination");
        moveOut.Destination = new Address { Country = "", Prefecture = "東京都", City = "東久留米市", FreeText = "南沢1-1" };
        var farAhead = moveOut.Clone();
        farAhead.RequestId = Guid.NewGuid().ToString();
        farAhead.PlannedDate = Date(2027, 3, 1);
        await Refused(() => Registration.RecordMoveOutAsync(farAhead).ResponseAsync, StatusCode.FailedPrecondition, "ALERT_NOT_ACKNOWLEDGED", "planned_date");
        var recorded = await Registration.RecordMoveOutAsync(moveOut);
        Assert.Equal(ResidentStatus.Removed, recorded.Residents[0].Status);
    }

    [Spec("1.2.2#1")]
    [Fact]
    public async Task The_history_and_the_removal_carry_the_reason_code_of_the_code_list()
    {
        var person = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var death = new RecordDeathRequest { RequestId = Guid.NewGuid().ToString(), Resident = Ref(person), DeathDate = Date(2026, 11, 24), NotificationDate = Date(2026, 11, 25), Notifier = Notifier() };
        var removed = (await Registration.RecordDeathAsync(death)).Residents[0];

        var history = (await _clerk.Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = person.Name })).Idou;
        Assert.Equal([Core.Registration.IdouReason.In("記載", "国内転入").Code, Core.Registration.IdouReason.In("消除", "死亡").Code], history.Select(h => h.ReasonCode));
        Assert.Equal(Core.Registration.IdouReason.In("消除", "死亡").Code, removed.Removal.ReasonCode);
        Assert.All(history, h => Assert.Equal(h.Reason, Core.Registration.IdouReason.FromCode(h.ReasonCode)!.Name));
    }

    [Spec("1.2.1#4")]
    [Fact]
    public async Task A_death_dated_before_the_birth_or_before_moving_in_is_refused()
    {
        var person = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var death = new RecordDeathRequest { RequestId = Guid.NewGuid().ToString(), Resident = Ref(person), DeathDate = Date(1979, 3, 1), NotificationDate = Date(2026, 11, 25), Notifier = Notifier() };
        var beforeBirth = await Refused(() => Registration.RecordDeathAsync(death).ResponseAsync, StatusCode.FailedPrecondition, "DATE_BEFORE_RECORD", "death_date");
        Assert.Contains("生年月日", beforeBirth.Status.Detail, StringComparison.Ordinal);
        death.RequestId = Guid.NewGuid().ToString();
        death.DeathDate = Date(2026, 11, 19);
        var beforeMoveIn = await Refused(() => Registration.RecordDeathAsync(death).ResponseAsync, StatusCode.FailedPrecondition, "DATE_BEFORE_RECORD", "death_date");
        Assert.Contains("住民となった日 (2026-11-20)", beforeMoveIn.Status.Detail, StringComparison.Ordinal);
    }

    [Spec("1.2.1#4")]
    [Fact]
    public async Task A_move_within_or_out_of_the_city_dated_before_the_persons_last_idou_is_refused()
    {
        var family = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        var moveBeforeMoveIn = AddressChange(family, Date(2026, 11, 18), Date(2026, 11, 25), "5番");
        await Refused(() => Registration.RecordAddressChangeAsync(moveBeforeMoveIn).ResponseAsync, StatusCode.FailedPrecondition, "DATE_BEFORE_RECORD", "move_date");

        var moved = await Registration.RecordAddressChangeAsync(AddressChange(family, Date(2026, 11, 24), Date(2026, 11, 25), "5番"));
        var head = moved.Residents.Single(r => r.Relationship == "世帯主");
        var outBeforeTheMove = new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Residents = { Ref(head) },
            PlannedDate = Date(2026, 11, 22),
            NotificationDate = Date(2026, 11, 26),
            Notifier = Notifier(),
            Destination = new Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-1" },
        };
        var refused = await Refused(() => Registration.RecordMoveOutAsync(outBeforeTheMove).ResponseAsync, StatusCode.FailedPrecondition, "DATE_BEFORE_RECORD", "planned_date");
        Assert.Contains("直前の異動 (2026-11-24)", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(ResidentStatus.Active, (await _clerk.GetAsync(head.Name)).Status);
    }

    [Spec("4.1.0.2#1")]
    [Fact]
    public async Task A_move_within_the_city_notified_before_it_happened_is_refused()
    {
        var family = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1));
        var request = AddressChange(family, Date(2026, 11, 25), Date(2026, 11, 24), "6番");
        await Refused(() => Registration.RecordAddressChangeAsync(request).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "notification_date");
    }

    /// <summary>A 転居 of the whole household to 2丁目 <paramref name="banchi"/>.</summary>
    private RecordAddressChangeRequest AddressChange(RecordIdouResponse household, Google.Type.Date moved, Google.Type.Date notified, string banchi) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Residents = { household.Residents.Select(Ref) },
        MoveDate = moved,
        NotificationDate = notified,
        Notifier = Notifier(),
        Address = _clerk.Address(2, banchi),
    };

    [Fact]
    public async Task A_member_born_after_the_move_in_date_is_refused()
    {
        var request = MoveIn(City, UniqueKana(), members: 3);
        request.Members[2].BirthDate = new PartialDate { Year = 2026, Month = 11, Day = 22 };
        await Refused(() => Registration.RecordMoveInAsync(request).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "members[2].birth_date");
        request.Members[2].BirthDate = new PartialDate { Year = 2026, Month = 12, Day = 0 };
        request.RequestId = Guid.NewGuid().ToString();
        await Refused(() => Registration.RecordMoveInAsync(request).ResponseAsync, StatusCode.InvalidArgument, "INVALID_FIELD", "members[2].birth_date");
    }

    [Spec("1.1.1#20")]
    [Fact]
    public async Task Two_current_residents_cannot_hold_one_resident_code_in_one_request_or_across_requests()
    {
        var code = ResidentCode();
        var twice = MoveIn(City, UniqueKana());
        twice.Members[0].ResidentCode = code;
        twice.Members[1].ResidentCode = code;
        await Refused(() => Registration.RecordMoveInAsync(twice).ResponseAsync, StatusCode.FailedPrecondition, "RESIDENT_CODE_IN_USE", "members[1].resident_code");

        var first = MoveIn(City, UniqueKana(), members: 1);
        first.Members[0].ResidentCode = code;
        var holder = (await Registration.RecordMoveInAsync(first)).Residents[0];
        Assert.Equal(code, holder.ResidentCode);
        var second = MoveIn(City, UniqueKana(), members: 1);
        second.Members[0].ResidentCode = code;
        await Refused(() => Registration.RecordMoveInAsync(second).ResponseAsync, StatusCode.FailedPrecondition, "RESIDENT_CODE_IN_USE", "members[0].resident_code");
        var child = Person("高橋", "三郎", UniqueKana(), "サブロウ", 2026, 11, 21, Sex.Male, "子");
        child.ResidentCode = code;
        var birth = new RecordBirthRequest { RequestId = Guid.NewGuid().ToString(), Household = holder.Household, Child = child, NotificationDate = Date(2026, 11, 25), Notifier = Notifier() };
        await Refused(() => Registration.RecordBirthAsync(birth).ResponseAsync, StatusCode.FailedPrecondition, "RESIDENT_CODE_IN_USE", "child.resident_code");
    }


    /// <summary>A valid 個人番号 nobody else in these tests uses.</summary>
    private static string IndividualNumber()
    {
        var body = string.Concat(Guid.NewGuid().ToByteArray().Take(11).Select(b => (char)('0' + (b % 10))));
        return body + Core.Numbers.CheckDigits.IndividualNumber(body);
    }

    private async Task<RpcException> Refused(Func<Task> call, StatusCode code, string reason, params string[] fields)
    {
        var before = await Counts();
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        Assert.Equal(reason, e.ErrorInfo()?.Reason);
        foreach (var field in fields)
        {
            Assert.Contains(field, e.ViolatedFields());
        }
        Assert.False(string.IsNullOrWhiteSpace(e.Status.Detail));
        Assert.Equal(before, await Counts());
        return e;
    }

    private async Task<(int Idou, int Versions, long Next)> Counts()
    {
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(City, "test", "test", new HashSet<string>()));
        var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
        var next = await db.NumberSequences.SumAsync(s => s.Next);
        return (await db.Idous.CountAsync(), await db.PersonVersions.CountAsync(), next);
    }
}

public sealed class RegisterRulesTestsOnSqlite(SqliteServer server) : RegisterRulesTests(server), IClassFixture<SqliteServer>;

public sealed class RegisterRulesTestsOnPostgres(PostgresServer server) : RegisterRulesTests(server), IClassFixture<PostgresServer>;
