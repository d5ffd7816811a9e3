using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>
/// One family's year in 東久留米市, through gRPC: 国内転入, 出生, 転居, the grandmother's 転入 and
/// 世帯合併, 世帯主変更 with 続柄 set anew, 世帯分離, 死亡 (除票, still searchable), and a planned
/// 転出. The household read "as of" each date is exactly that date's state, and each
/// member's 異動履歴 lists every change with before and after.
/// </summary>
public abstract class CounterScenarioTests(ServerFixture server)
{
    [Spec("4.1.1.1#1")]
    [Spec("4.2.1.2#1")]
    [Spec("4.1.4.1#1")]
    [Spec("4.1.4.2#1")]
    [Spec("4.0.4#3")]
    [Spec("4.2.2.1#1")]
    [Spec("4.1.3.0.1#1")]
    [Spec("1.2.1#17")]
    [Spec("1.2.1#18")]
    [Spec("1.2.2#4")]
    [Spec("1.2.2#6")]
    [Spec("1.2.2#13")]
    [Spec("1.2.2#15")]
    [Spec("1.2.2#22")]
    [Spec("1.2.2#31")]
    [Spec("1.2.2#32")]
    [Spec("1.2.2#34")]
    [Spec("2.2.1#1")]
    [Spec("2.2.1#2")]
    [Spec("1.1.5#1")]
    [Spec("5.2#3")]
    [Spec("3.3#1")]
    [Fact]
    public async Task A_family_year_reads_back_exactly_as_of_every_date()
    {
        var clerk = new RegisterDriver(server, "132225");
        var kana = UniqueKana();

        // 2026-04-01 国内転入: a family of four.
        var moveIn = await clerk.MoveInAsync(Date(2026, 4, 1), clerk.Address(1, "2番3号", "ハイツ東101"),
            Person("高橋", "一郎", kana, "イチロウ", 1980, 6, 15, Sex.Male, "世帯主"),
            Person("高橋", "花子", kana, "ハナコ", 1982, 2, 3, Sex.Female, "妻"),
            Person("高橋", "太郎", kana, "タロウ", 2008, 9, 9, Sex.Male, "子"),
            Person("高橋", "次郎", kana, "ジロウ", 2012, 3, 30, Sex.Male, "子"));
        var household = moveIn.Household;
        var (father, mother, eldest, second) = (moveIn.Residents[0], moveIn.Residents[1], moveIn.Residents[2], moveIn.Residents[3]);

        // 2026-05-10 出生
        var birth = await clerk.Registration.RecordBirthAsync(new RecordBirthRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Household = household,
            Child = Person("高橋", "三郎", kana, "サブロウ", 2026, 5, 10, Sex.Male, "子"),
            NotificationDate = Date(2026, 5, 12),
            Notifier = Notifier("高橋 一郎"),
        });
        var baby = birth.Residents.Single();
        Assert.Equal("出生", (await History(clerk, baby.Name)).Single().Reason);

        // 2026-06-15 転居 of the whole household: it keeps its number and 続柄.
        var newAddress = clerk.Address(3, "10番1号", "");
        var members = (await clerk.HouseholdAsync(household)).Members;
        var move = new RecordAddressChangeRequest { RequestId = Guid.NewGuid().ToString(), MoveDate = Date(2026, 6, 15), NotificationDate = Date(2026, 6, 20), Notifier = Notifier("高橋 一郎"), Address = newAddress };
        move.Residents.AddRange(members.Select(Ref));
        var moved = await clerk.Registration.RecordAddressChangeAsync(move);
        Assert.All(moved.Residents, r => Assert.Equal(household, r.Household));

        // 2026-07-01 the grandmother moves in at the same address, as a household of her own.
        var grandmotherIn = await clerk.MoveInAsync(Date(2026, 7, 1), newAddress, Person("高橋", "ウメ", kana, "ウメ", 1950, 1, 20, Sex.Female, "世帯主"));
        var grandmother = grandmotherIn.Residents.Single();

        // 2026-07-20 世帯合併: she joins the family as the head's mother.
        var merge = new RecordHouseholdChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Kind = HouseholdChangeKind.Merge,
            Residents = { Ref(grandmother) },
            Placement = new Placement { Household = household, Relationships = { [grandmother.Name] = "母" } },
            ChangeDate = Date(2026, 7, 20),
            NotificationDate = Date(2026, 7, 20),
            Notifier = Notifier("高橋 ウメ"),
        };
        await clerk.Registration.RecordHouseholdChangeAsync(merge);

        // 2026-08-01 世帯主変更: she becomes 世帯主 and everyone's 続柄 is set anew.
        var before = (await clerk.HouseholdAsync(household)).Members;
        var headChange = new RecordHeadChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Household = household,
            NewHead = Ref(before.Single(m => m.ResidentNumber == grandmother.ResidentNumber)),
            ChangeDate = Date(2026, 8, 1),
            NotificationDate = Date(2026, 8, 1),
            Notifier = Notifier("高橋 ウメ"),
            Relationships =
            {
                [father.Name] = "子",
                [mother.Name] = "子の妻",
                [eldest.Name] = "子の子",
                [second.Name] = "子の子",
                [baby.Name] = "子の子",
            },
        };
        await clerk.Registration.RecordHeadChangeAsync(headChange);

        // 2026-09-01 世帯分離: the eldest child forms a household of his own at the same address.
        var eldestNow = await clerk.GetAsync(eldest.Name);
        var split = await clerk.Registration.RecordHouseholdChangeAsync(new RecordHouseholdChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Kind = HouseholdChangeKind.Split,
            Residents = { Ref(eldestNow) },
            Placement = new Placement { Relationships = { [eldest.Name] = "世帯主" } },
            ChangeDate = Date(2026, 9, 1),
            NotificationDate = Date(2026, 9, 1),
            Notifier = Notifier("高橋 太郎"),
        });
        Assert.NotEqual(household, split.Household);

        // 2026-10-05 死亡 of the 世帯主: four remain without a head (4.0.4), which is an alert.
        var death = new RecordDeathRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = new ResidentRef { Name = grandmother.Name },
            DeathDate = Date(2026, 10, 5),
            NotificationDate = Date(2026, 10, 6),
            Notifier = Notifier("高橋 一郎"),
        };
        var alert = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => clerk.Registration.RecordDeathAsync(death).ResponseAsync);
        Assert.Equal("HEAD_ABSENT", alert.ErrorInfo()?.Metadata["alerts"]);
        death.RequestId = Guid.NewGuid().ToString();
        death.AcknowledgedAlerts.Add("HEAD_ABSENT");
        await clerk.Registration.RecordDeathAsync(death);

        // 2026-12-10 転出 (planned, after today) of the four who remain, to 小平市.
        var remaining = (await clerk.HouseholdAsync(household)).Members;
        var moveOut = new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            PlannedDate = Date(2026, 12, 10),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier("高橋 一郎"),
            Destination = new Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-100" },
        };
        moveOut.Residents.AddRange(remaining.Select(Ref));
        var movedOut = await clerk.Registration.RecordMoveOutAsync(moveOut);
        Assert.All(movedOut.Residents, r =>
        {
            Assert.Equal(ResidentStatus.Removed, r.Status);
            Assert.Equal("国内転出", r.Removal.Reason);
            Assert.Equal(Date(2026, 12, 10), r.Removal.OccurredOn);
        });

        // The household as of each date.
        async Task<string[]> Members(Google.Type.Date asOf) =>
            (await clerk.HouseholdAsync(household, asOf)).Members.Select(m => $"{m.PersonName.Given}:{m.Relationship}").ToArray();
        Assert.Empty(await Members(Date(2026, 3, 31)));
        Assert.Equal(["一郎:世帯主", "花子:妻", "太郎:子", "次郎:子"], await Members(Date(2026, 4, 1)));
        Assert.Equal(["一郎:世帯主", "花子:妻", "太郎:子", "次郎:子", "三郎:子"], await Members(Date(2026, 5, 10)));
        Assert.Equal("10番1号", (await clerk.HouseholdAsync(household, Date(2026, 6, 15))).Address.Banchi);
        Assert.Equal("2番3号", (await clerk.HouseholdAsync(household, Date(2026, 6, 14))).Address.Banchi);
        Assert.Equal(["一郎:世帯主", "花子:妻", "太郎:子", "次郎:子", "三郎:子", "ウメ:母"], await Members(Date(2026, 7, 20)));
        Assert.Equal(["ウメ:世帯主", "一郎:子", "花子:子の妻", "太郎:子の子", "次郎:子の子", "三郎:子の子"], await Members(Date(2026, 8, 1)));
        Assert.Equal(["ウメ:世帯主", "一郎:子", "花子:子の妻", "次郎:子の子", "三郎:子の子"], await Members(Date(2026, 9, 1)));
        Assert.Equal(["一郎:子", "花子:子の妻", "次郎:子の子", "三郎:子の子"], await Members(Date(2026, 10, 5)));
        Assert.Equal("", (await clerk.HouseholdAsync(household, Date(2026, 10, 5))).Head);
        Assert.Equal(["一郎:子", "花子:子の妻", "次郎:子の子", "三郎:子の子"], await Members(Date(2026, 11, 24)));
        Assert.Empty((await clerk.HouseholdAsync(household)).Members);
        Assert.Equal(["太郎:世帯主"], (await clerk.HouseholdAsync(split.Household)).Members.Select(m => $"{m.PersonName.Given}:{m.Relationship}"));

        // 3.3: the household view can show the members removed from it.
        var withRemoved = await clerk.Residents.GetHouseholdAsync(new GetHouseholdRequest { Name = household, AsOf = Date(2026, 11, 24), IncludeRemoved = true });
        Assert.Equal(["ウメ:死亡"], withRemoved.RemovedMembers.Select(m => $"{m.PersonName.Given}:{m.Removal.Reason}"));
        Assert.Empty((await clerk.Residents.GetHouseholdAsync(new GetHouseholdRequest { Name = household, AsOf = Date(2026, 11, 24) })).RemovedMembers);

        // The grandmother is a 除票 and still found by search.
        var found = await clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, GivenNameKana = "ウメ", IncludeRemoved = true });
        var removed = Assert.Single(found.Residents);
        Assert.Equal(ResidentStatus.Removed, removed.Status);
        Assert.Equal("死亡", removed.Removal.Reason);
        Assert.Empty((await clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, GivenNameKana = "ウメ" })).Residents);

        // 異動履歴照会 of the father: every change, with before and after.
        var fatherHistory = await History(clerk, father.Name);
        Assert.Equal(["国内転入", "転居", "世帯主変更", "国内転出"], fatherHistory.Select(h => h.Reason));
        Assert.Equal([1, 2, 3, 4], fatherHistory.Select(h => h.HistoryNumber));
        var relocation = fatherHistory[1].Changes.Single(c => c.Item == "住所");
        Assert.Contains("2番3号", relocation.Before, StringComparison.Ordinal);
        Assert.Contains("10番1号", relocation.After, StringComparison.Ordinal);
        var relationship = fatherHistory[2].Changes.Single(c => c.Item == "続柄");
        Assert.Equal(("世帯主", "子"), (relationship.Before, relationship.After));
        Assert.Equal(("住民", "除票"), (fatherHistory[3].Changes.Single(c => c.Item == "状態").Before, fatherHistory[3].Changes.Single(c => c.Item == "状態").After));
        Assert.Equal(Date(2026, 12, 10), fatherHistory[3].OccurredOn);
        var grandmotherHistory = await History(clerk, grandmother.Name);
        Assert.Equal(["国内転入", "世帯合併", "世帯主変更", "死亡"], grandmotherHistory.Select(h => h.Reason));
        Assert.Equal(["HEAD_ABSENT"], grandmotherHistory[3].AcknowledgedAlerts);
        Assert.Equal("国内転入", (await History(clerk, eldest.Name))[0].Reason);
        Assert.Equal("世帯分離", (await History(clerk, eldest.Name))[^1].Reason);
    }

    private static async Task<IReadOnlyList<IdouRecord>> History(RegisterDriver clerk, string name) =>
        (await clerk.Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = name })).Idou;
}

public sealed class CounterScenarioTestsOnSqlite(SqliteServer server) : CounterScenarioTests(server), IClassFixture<SqliteServer>;

public sealed class CounterScenarioTestsOnPostgres(PostgresServer server) : CounterScenarioTests(server), IClassFixture<PostgresServer>;
