using Grpc.Core;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>再転入 (4.1.1.2), 法30条の46 転入 (4.5.1), 転出 follow-ups (4.1.3.0.1, 4.1.3.1.1, 4.1.3.1.4).</summary>
public abstract class MoveFollowUpTests(ServerFixture server)
{
    private const string City = "132136";
    private readonly RegisterDriver _clerk = new(server, City);

    private RegistrationService.RegistrationServiceClient Registration => _clerk.Registration;

    private Task<RecordIdouResponse> MoveOutAsync(Resident resident, Google.Type.Date planned, Google.Type.Date notified, bool abroad = false, params string[] acknowledged) =>
        Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Residents = { Ref(resident) },
            PlannedDate = planned,
            NotificationDate = notified,
            Notifier = Notifier(),
            Abroad = abroad,
            Destination = abroad ? new Address { Country = "アメリカ合衆国", FreeText = "Seattle" } : new Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-1" },
            AcknowledgedAlerts = { acknowledged },
        }).ResponseAsync;

    [Spec("1.1.13#5")]
    [Spec("4.1.1.2#1")]
    [Spec("4.1.1.2#4")]
    [Spec("1.1.7#3")]
    [Fact]
    public async Task A_returning_resident_keeps_their_number_and_history_and_a_new_entry_is_refused()
    {
        var kana = UniqueKana();
        var number = IndividualNumber();
        var first = MovedInOn(MoveIn(City, kana, members: 1), Date(2026, 10, 1));
        first.Members[0].IndividualNumber = number;
        first.Members[0].OldSurname = new OldSurname { Surname = "旧田", SurnameKana = "キュウダ" };
        var person = (await Registration.RecordMoveInAsync(first)).Residents[0];
        await MoveOutAsync(person, Date(2026, 11, 10), Date(2026, 11, 5), abroad: true);

        var again = MoveIn(City, kana, members: 1);
        again.Reason = MoveInReason.FromAbroad;
        again.PreviousAddress = new Address { Country = "アメリカ合衆国", FreeText = "Seattle" };
        again.Members[0].IndividualNumber = number;
        var refused = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInAsync(again).ResponseAsync);
        Assert.Equal("REENTRY_REQUIRED", refused.ErrorInfo()?.Reason);
        Assert.Equal(["members[0].returning_resident"], refused.ViolatedFields());

        again.Members[0].IndividualNumber = "";
        var alert = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInAsync(again).ResponseAsync);
        Assert.Equal("REENTRY_CANDIDATE", alert.ErrorInfo()?.Metadata["alerts"]);

        again.Members[0].IndividualNumber = number;
        again.Members[0].OldSurname = null;
        again.Members[0].ReturningResident = person.Name;
        var back = (await Registration.RecordMoveInAsync(again)).Residents[0];
        Assert.Equal(person.ResidentNumber, back.ResidentNumber);
        Assert.Equal(3, back.HistoryNumber);
        Assert.Equal(ResidentStatus.Active, back.Status);
        Assert.Null(back.Removal);
        Assert.Equal("旧田", back.OldSurname.Surname);
        var history = await _clerk.HistoryAsync(person.Name);
        Assert.Equal(["国内転入", "国外転出", "国外転入等"], history.Select(h => h.Reason));
    }

    [Spec("4.5.1#1")]
    [Spec("4.5.1#2")]
    [Fact]
    public async Task A_foreign_resident_from_abroad_may_have_no_previous_address()
    {
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Reason = MoveInReason.FromAbroad;
        request.PreviousAddress = null;
        request.Members[0].Kind = ResidentKind.Foreign;
        request.Members[0].Domicile = null;
        request.Members[0].Foreign = new ForeignResidentItems { Nationality = "フィリピン", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "特定技能", StayExpiresOn = Date(2029, 1, 1), ResidenceCardNumber = CardNumber() };
        var recorded = await Registration.RecordMoveInAsync(request);
        Assert.Equal("", recorded.Residents[0].PreviousAddress.FreeText);

        var japanese = MoveIn(City, UniqueKana(), members: 1);
        japanese.Reason = MoveInReason.FromAbroad;
        japanese.PreviousAddress = null;
        var refused = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInAsync(japanese).ResponseAsync);
        Assert.Equal(["previous_address"], refused.ViolatedFields());
    }

    /// <summary>Every 転入通知未着者 of the city, read page by page (other tests add theirs).</summary>
    private async Task<List<Resident>> AllMissingAsync(int days)
    {
        var all = new List<Resident>();
        var token = "";
        do
        {
            var page = await _clerk.Residents.ListMissingMoveInNoticesAsync(new ListMissingMoveInNoticesRequest { Days = days, PageToken = token });
            all.AddRange(page.Residents);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return all;
    }

    [Fact]
    public async Task Missing_move_in_notices_page_oldest_first_and_a_token_is_bound_to_its_days()
    {
        var first = (await Registration.RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 10, 1)))).Residents[0];
        var second = (await Registration.RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 10, 1)))).Residents[0];
        await MoveOutAsync(first, Date(2026, 10, 20), Date(2026, 10, 15));
        await MoveOutAsync(second, Date(2026, 10, 21), Date(2026, 10, 15));

        var whole = await AllMissingAsync(7);
        var paged = new List<Resident>();
        var token = "";
        do
        {
            var page = await _clerk.Residents.ListMissingMoveInNoticesAsync(new ListMissingMoveInNoticesRequest { Days = 7, PageSize = 1, PageToken = token });
            Assert.True(page.Residents.Count <= 1);
            paged.AddRange(page.Residents);
            token = page.NextPageToken;
            if (token.Length > 0)
            {
                var changed = await Assert.ThrowsAsync<RpcException>(() => _clerk.Residents.ListMissingMoveInNoticesAsync(new ListMissingMoveInNoticesRequest { Days = 8, PageToken = token }).ResponseAsync);
                Assert.Equal(StatusCode.InvalidArgument, changed.StatusCode);
            }
        }
        while (token.Length > 0);
        Assert.Equal(whole.Select(r => r.Name), paged.Select(r => r.Name));
        Assert.True(paged.FindIndex(r => r.Name == first.Name) < paged.FindIndex(r => r.Name == second.Name));
        var dates = paged.Select(r => (r.Removal.OccurredOn.Year, r.Removal.OccurredOn.Month, r.Removal.OccurredOn.Day)).ToList();
        Assert.Equal(dates.Order(), dates);
    }

    [Spec("1.1.5#12")]
    [Spec("1.1.5#13")]
    [Spec("1.1.5#14")]
    [Spec("1.1.5#15")]
    [Spec("1.1.5#16")]
    [Spec("1.1.5#17")]
    [Spec("1.1.5#18")]
    [Spec("4.1.3.1.1#1")]
    [Spec("4.1.3.1.1#2")]
    [Spec("1.1.1#21")]
    [Spec("1.1.1#22")]
    [Spec("1.1.1#23")]
    [Spec("1.1.1#47")]
    [Spec("1.1.1#48")]
    [Spec("1.1.1#49")]
    [Spec("1.1.1#50")]
    [Spec("1.1.1#51")]
    [Spec("4.1.3.1.4#1")]
    [Spec("4.1.3.1.3#1")]
    [Spec("4.1.3.1.3#2")]
    [Spec("4.1.3.1.3#3")]
    [Spec("4.1.3.1.3#4")]
    [Spec("4.1.3.1.3#5")]
    [Fact]
    public async Task A_move_in_notice_completes_the_removal_and_missing_ones_are_listed()
    {
        var person = (await Registration.RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 10, 1)))).Residents[0];
        var other = (await Registration.RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 10, 1)))).Residents[0];
        await MoveOutAsync(person, Date(2026, 11, 1), Date(2026, 10, 30));
        await MoveOutAsync(other, Date(2026, 11, 2), Date(2026, 10, 30));
        var missing = await AllMissingAsync(30);
        Assert.DoesNotContain(missing, r => r.Name == person.Name);
        missing = await AllMissingAsync(7);
        Assert.Contains(missing, r => r.Name == person.Name);
        Assert.Contains(missing, r => r.Name == other.Name);

        var notice = await Registration.RecordMoveInNoticeAsync(new RecordMoveInNoticeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = new ResidentRef { Name = person.Name },
            NoticeDate = Date(2026, 11, 12),
            ConfirmedOn = Date(2026, 11, 3),
            ConfirmedDestination = new Address { Prefecture = "東京都", City = "小平市", Town = "小川町", Chome = 1, Banchi = "100" },
        });
        var removal = notice.Residents[0].Removal;
        // 住民状態: a 除票 by 転出.
        Assert.Equal(ResidentStatus.Removed, notice.Residents[0].Status);
        Assert.Equal((Date(2026, 11, 1), "小平市"), (removal.OccurredOn, removal.Destination.City));
        Assert.Equal((Date(2026, 11, 12), Date(2026, 11, 3)), (removal.MoveInNoticeOn, removal.ConfirmedOn));
        // The 除票 keeps what the 転出届 said and what the notice confirmed, side by side.
        Assert.Equal(("国内転出", "100", Date(2026, 10, 30)), (removal.Reason, removal.ConfirmedDestination.Banchi, notice.Residents[0].NotifiedOn));
        missing = await AllMissingAsync(7);
        Assert.DoesNotContain(missing, r => r.Name == person.Name);
        Assert.Contains(missing, r => r.Name == other.Name);

        var active = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var wrong = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInNoticeAsync(new RecordMoveInNoticeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = new ResidentRef { Name = active.Name },
            NoticeDate = Date(2026, 11, 12),
            ConfirmedOn = Date(2026, 11, 3),
            ConfirmedDestination = new Address { City = "小平市", Prefecture = "東京都" },
        }).ResponseAsync);
        Assert.Equal("RECORD_RULE", wrong.ErrorInfo()?.Reason);
    }

    [Spec("1.1.5#2")]
    [Fact]
    public async Task A_move_out_is_removed_on_the_earlier_of_the_planned_day_and_the_day_the_notice_says_the_person_moved_in()
    {
        Task<RecordIdouResponse> Notice(Resident person, Google.Type.Date movedIn) => Registration.RecordMoveInNoticeAsync(new RecordMoveInNoticeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = new ResidentRef { Name = person.Name }, NoticeDate = Date(2026, 11, 26), ConfirmedOn = movedIn,
            ConfirmedDestination = new Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-1" },
        }).ResponseAsync;
        async Task<ResidentStatus> StatusOn(Resident person, int day) =>
            (await _clerk.GetAsync(person.Name, Date(2026, 11, day))).Status;

        // Planned for the 30th, moved in on the 24th: a 除票 from the 24th, the planned day still its 事由の生じた年月日.
        var early = (await Registration.RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 10, 1)))).Residents[0];
        await MoveOutAsync(early, Date(2026, 11, 30), Date(2026, 11, 20));
        Assert.Equal(ResidentStatus.Active, await StatusOn(early, 25));
        var noticed = (await Notice(early, Date(2026, 11, 24))).Residents[0];
        Assert.Equal((Date(2026, 11, 30), Date(2026, 11, 24)), (noticed.Removal.OccurredOn, noticed.Removal.ConfirmedOn));
        Assert.Equal((ResidentStatus.Active, ResidentStatus.Removed, ResidentStatus.Removed), (await StatusOn(early, 23), await StatusOn(early, 24), await StatusOn(early, 25)));

        // Planned for the 10th, moved in on the 12th: removed from the 10th as before.
        var late = (await Registration.RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 10, 1)))).Residents[0];
        await MoveOutAsync(late, Date(2026, 11, 10), Date(2026, 11, 5));
        await Notice(late, Date(2026, 11, 12));
        Assert.Equal((ResidentStatus.Active, ResidentStatus.Removed), (await StatusOn(late, 9), await StatusOn(late, 10)));

        // A notice that says the person moved in before they set their address here contradicts the record.
        var contradicting = (await Registration.RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 10, 1)))).Residents[0];
        await MoveOutAsync(contradicting, Date(2026, 11, 30), Date(2026, 11, 20));
        var refused = await Assert.ThrowsAsync<RpcException>(() => Notice(contradicting, Date(2026, 9, 30)));
        Assert.Equal(["confirmed_on"], refused.ViolatedFields());
        Assert.Null((await _clerk.GetAsync(contradicting.Name)).Removal.ConfirmedOn);
    }

    [Spec("1.1.17#1")]
    [Fact]
    public async Task Each_of_the_four_addresses_keeps_its_postal_code_as_seven_digits_and_a_malformed_or_foreign_one_is_refused()
    {
        var moveIn = MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 10, 1));
        moveIn.PreviousAddress.PostalCode = "〒５５０－０００１";
        var person = (await Registration.RecordMoveInAsync(moveIn)).Residents[0];
        // 住所: the town's from the address dictionary; 転入前住所: as given, made seven digits.
        Assert.Matches("^[0-9]{7}$", person.Address.PostalCode);
        Assert.Equal("5500001", person.PreviousAddress.PostalCode);

        var moved = await Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { Ref(person) }, PlannedDate = Date(2026, 11, 1), NotificationDate = Date(2026, 10, 30), Notifier = Notifier(),
            Destination = new Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-1", PostalCode = "187-0032" },
        });
        Assert.Equal("1870032", moved.Residents[0].Removal.Destination.PostalCode);
        var noticed = await Registration.RecordMoveInNoticeAsync(new RecordMoveInNoticeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = new ResidentRef { Name = person.Name }, NoticeDate = Date(2026, 11, 12), ConfirmedOn = Date(2026, 11, 3),
            ConfirmedDestination = new Address { Prefecture = "東京都", City = "小平市", Town = "小川町", Chome = 1, Banchi = "100", PostalCode = "1870031" },
        });
        Assert.Equal(("1870032", "1870031"), (noticed.Residents[0].Removal.Destination.PostalCode, noticed.Residents[0].Removal.ConfirmedDestination.PostalCode));

        // A postal code that is not seven digits, or one for an address abroad: refused, naming it, nothing written.
        var malformed = MoveIn(City, UniqueKana(), members: 1);
        malformed.PreviousAddress.PostalCode = "550-01";
        var refused = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInAsync(malformed).ResponseAsync);
        Assert.Equal(["previous_address.postal_code"], refused.ViolatedFields());
        var other = (await Registration.RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 10, 1)))).Residents[0];
        var abroad = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { Ref(other) }, PlannedDate = Date(2026, 11, 1), NotificationDate = Date(2026, 10, 30), Notifier = Notifier(), Abroad = true,
            Destination = new Address { Country = "アメリカ合衆国", FreeText = "Seattle", PostalCode = "9810100" },
        }).ResponseAsync);
        Assert.Equal(["destination.postal_code"], abroad.ViolatedFields());
        Assert.Equal(ResidentStatus.Active, (await _clerk.GetAsync(other.Name)).Status);
    }

    [Spec("4.1.3.0.1#2")]
    [Fact]
    public async Task A_move_out_notified_more_than_14_days_late_is_recorded_as_an_official_removal()
    {
        var person = (await Registration.RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 9, 1)))).Residents[0];
        var alert = await Assert.ThrowsAsync<RpcException>(() => MoveOutAsync(person, Date(2026, 10, 1), Date(2026, 11, 20)));
        Assert.Equal("NOTIFIED_LATE", alert.ErrorInfo()?.Metadata["alerts"]);
        var recorded = await MoveOutAsync(person, Date(2026, 10, 1), Date(2026, 11, 20), false, "NOTIFIED_LATE");
        Assert.Equal("職権消除", recorded.Residents[0].Removal.Reason);
        var planned = await MoveOutAsync((await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0], Date(2026, 12, 20), Date(2026, 11, 26));
        Assert.Equal("国内転出", planned.Residents[0].Removal.Reason);
    }
}

public sealed class MoveFollowUpTestsOnSqlite(SqliteServer server) : MoveFollowUpTests(server), IClassFixture<SqliteServer>;

public sealed class MoveFollowUpTestsOnPostgres(PostgresServer server) : MoveFollowUpTests(server), IClassFixture<PostgresServer>;
