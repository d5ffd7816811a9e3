using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>
/// 1.2.1: what each 異動 of the 異動履歴 holds (who, why, when it happened, was processed and was
/// notified — named by what it was made on —, where and at which terminal, with its 留意事項), and
/// the versions it leaves; 4.2.0.4, 4.2.0.5, 4.6.1.1: a 職権 異動 made on a 申出 or a 戸籍届出・通知.
/// </summary>
public abstract class IdouHistoryItemsTests(ServerFixture server)
{
    private const string City = "132110";
    private readonly RegisterDriver _clerk = new(server, City);

    private RegistrationService.RegistrationServiceClient Registration => _clerk.Registration;

    private Task<RecordIdouResponse> AmendAsync(Resident resident, AmendmentReason reason, string mask, Google.Type.Date? notified, string note,
        OfficialBasis basis = OfficialBasis.Unspecified) =>
        Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = reason, Resident = resident, UpdateMask = FieldMask.FromString(mask),
            AmendmentDate = Date(2026, 11, 25), NotificationDate = notified, Note = note, Basis = basis,
        }).ResponseAsync;

    [Spec("1.2.1#1")]
    [Spec("1.2.1#2")]
    [Spec("1.2.1#3")]
    [Spec("1.2.1#5")]
    [Spec("1.2.1#6")]
    [Spec("1.2.1#7")]
    [Spec("1.2.1#8")]
    [Spec("1.2.1#9")]
    [Spec("1.2.1#10")]
    [Spec("1.2.1#11")]
    [Spec("1.2.1#12")]
    [Spec("1.2.1#13")]
    [Spec("1.2.1#14")]
    [Spec("1.2.1#15")]
    [Spec("1.2.1#19")]
    [Fact]
    public async Task Each_idou_holds_who_why_its_dates_named_by_what_it_was_made_on_where_and_its_note_and_each_version_every_item()
    {
        var family = await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 2));
        var (head, wife) = (family.Residents[0], family.Residents[1]);

        // 請求日: 旧氏 (1.1.7); 通知日: a 職権修正 on another office's 通知.
        var withOld = wife.Clone();
        withOld.OldSurname = new OldSurname { Surname = "佐藤", SurnameKana = "サトウ" };
        await AmendAsync(withOld, AmendmentReason.OldSurnameEntry, "old_surname", Date(2026, 11, 24), "旧氏記載請求");
        var changed = (await _clerk.GetAsync(wife.Name)).Clone();
        changed.Entitlements ??= new Entitlements();
        changed.Entitlements.OnElectoralRoll = true;
        await AmendAsync(changed, AmendmentReason.OfficialCorrection, "entitlements", Date(2026, 11, 23), "選挙管理委員会からの通知", OfficialBasis.Notice);

        // 申出日: 通称 (1.1.7) of a foreign resident.
        var foreign = (await Registration.RecordMoveInAsync(FromAbroad(MoveIn(City, UniqueKana(), members: 1),
            new ForeignResidentItems { Nationality = "ベトナム", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "留学", PeriodOfStay = "2年", StayExpiresOn = Date(2028, 3, 31), ResidenceCardNumber = CardNumber() }))).Residents[0];
        var named = foreign.Clone();
        named.CommonName = new CommonName { Name = "中村 安", NameKana = "ナカムラ ヤス" };
        await AmendAsync(named, AmendmentReason.CommonNameEntry, "common_name", Date(2026, 11, 22), "通称記載の申出");

        var wifeHistory = await _clerk.HistoryAsync(wife.Name);
        Assert.Equal(["国内転入", "旧氏の記載", "職権修正"], wifeHistory.Select(h => h.Reason));
        // #3: the 異動事由 with its category and code; #2: whom it concerns, each 異動 read per resident with the version it made.
        Assert.Equal(("記載", "修正", "修正"), (wifeHistory[0].Category, wifeHistory[1].Category, wifeHistory[2].Category));
        Assert.All(wifeHistory, h => Assert.NotEmpty(h.ReasonCode));
        Assert.Equal([1, 2, 3], wifeHistory.Select(h => h.HistoryNumber));
        // #6-#9: the date notified, named by what the 異動 was made on.
        Assert.Equal([("届出", "届出日", Date(2026, 11, 25)), ("請求", "請求日", Date(2026, 11, 24)), ("通知", "通知日", Date(2026, 11, 23))],
            wifeHistory.Select(h => (h.Basis, h.NotifiedOnLabel, h.NotifiedOn)));
        var foreignHistory = await _clerk.HistoryAsync(foreign.Name);
        Assert.Equal(("通称の記載", "申出", "申出日", Date(2026, 11, 22)), (foreignHistory[^1].Reason, foreignHistory[^1].Basis, foreignHistory[^1].NotifiedOnLabel, foreignHistory[^1].NotifiedOn));
        // #5 処理日, #10 入力場所 (the terminal's office, 1.3.1), #11 入力端末, the staff member, #12 留意事項.
        Assert.All(wifeHistory, h => Assert.Equal(("本庁", "T001", "staff-1"), (h.Place, h.Terminal, h.Staff)));
        Assert.All(wifeHistory, h => Assert.True(h.RecordedAt.ToDateTime() > DateTime.UtcNow.AddDays(-30)));
        Assert.Equal(("旧氏記載請求", "選挙管理委員会からの通知"), (wifeHistory[1].Note, wifeHistory[2].Note));

        // #13-#15: each version holds every item in one row, the household's too (住所, 世帯番号, 世帯主との続柄);
        // #19: the latest is the one with the highest 履歴番号.
        var latest = await _clerk.GetAsync(wife.Name);
        Assert.Equal(3, latest.HistoryNumber);
        Assert.Equal(wifeHistory.Max(h => h.HistoryNumber), latest.HistoryNumber);
        var first = await _clerk.GetAsync(wife.Name, Date(2026, 11, 24));
        foreach (var version in new[] { first, latest })
        {
            Assert.Equal((head.Household, head.Address.Town, head.Address.Banchi, "妻"), (version.Household, version.Address.Town, version.Address.Banchi, version.Relationship));
            Assert.Equal((wife.PersonName.Given, wife.BirthDate, wife.Sex, wife.BecameResidentOn), (version.PersonName.Given, version.BirthDate, version.Sex, version.BecameResidentOn));
        }
        Assert.Equal((false, true), (first.Entitlements?.OnElectoralRoll ?? false, latest.Entitlements.OnElectoralRoll));
        Assert.Equal("佐藤", latest.OldSurname.Surname);
    }

    [Spec("4.2.0.1#1")]
    [Spec("4.2.0.4#1")]
    [Spec("4.2.0.4#3")]
    [Spec("4.2.0.5#1")]
    [Spec("4.2.0.5#2")]
    [Spec("4.2.0.5#4")]
    [Spec("4.6.1.1#1")]
    [Fact]
    public async Task A_change_made_on_an_application_or_a_family_register_notice_carries_that_date_under_its_name()
    {
        var entry = new RecordOfficialEntryRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = OfficialEntryReason.Official, Basis = OfficialBasis.Application,
            EntryDate = Date(2026, 11, 10), Address = _clerk.Address(1, "7番"),
            Notifier = new Notifier { Name = "申出 花子", Relation = "本人" },
            Members = { Person("申出", "花子", UniqueKana(), "ハナコ", 1975, 4, 1, Sex.Female, "世帯主") },
            Note = "本人の申出により居住の事実を確認",
        };
        // #2: a 職権記載 on a 申出 needs its 申出日; nothing is written without it.
        var missing = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialEntryAsync(entry).ResponseAsync);
        Assert.Equal(["notification_date"], missing.ViolatedFields());
        Assert.Contains("申出日", missing.Status.Detail, StringComparison.Ordinal);
        var early = entry.Clone();
        early.NotificationDate = Date(2026, 11, 9);
        Assert.Equal(["notification_date"], (await Assert.ThrowsAsync<RpcException>(() => Registration.RecordOfficialEntryAsync(early).ResponseAsync)).ViolatedFields());

        entry.NotificationDate = Date(2026, 11, 20);
        var person = (await Registration.RecordOfficialEntryAsync(entry)).Residents[0];
        var entered = (await _clerk.HistoryAsync(person.Name)).Single();
        // #1: it shows that it was made on a 申出, and its 申出日, in one data item with the 届出日 (#4).
        Assert.Equal(("職権記載", "申出", "申出日", Date(2026, 11, 20), "申出 花子"), (entered.Reason, entered.Basis, entered.NotifiedOnLabel, entered.NotifiedOn, entered.Notifier));

        // 4.2.0.4: a 職権修正 of the 本籍 on a 戸籍通知, with its 戸籍届出・通知日.
        var moved = person.Clone();
        moved.Domicile = new Domicile { Address = "東京都小平市小川町一丁目1番", HeadName = "申出 花子" };
        await AmendAsync(moved, AmendmentReason.OfficialCorrection, "domicile", Date(2026, 11, 24), "本籍地からの住民票記載事項通知 (転籍)", OfficialBasis.FamilyRegister);
        // A 旧氏の記載 is made on a 請求, whatever is asked.
        var withOld = (await _clerk.GetAsync(person.Name)).Clone();
        withOld.OldSurname = new OldSurname { Surname = "山田", SurnameKana = "ヤマダ" };
        var wrongBasis = await Assert.ThrowsAsync<RpcException>(() => AmendAsync(withOld, AmendmentReason.OldSurnameEntry, "old_surname", Date(2026, 11, 24), "旧氏", OfficialBasis.Application));
        Assert.Equal(["basis"], wrongBasis.ViolatedFields());

        var history = await _clerk.HistoryAsync(person.Name);
        Assert.Equal(2, history.Count);
        Assert.Equal(("職権修正", "戸籍届出・通知", "戸籍届出・通知日", Date(2026, 11, 24)), (history[1].Reason, history[1].Basis, history[1].NotifiedOnLabel, history[1].NotifiedOn));

        // 4.6.1.1: a 取消し on a 申出 is made and shown like a 申出による職権記載等.
        var cancel = new RecordCancellationRequest
        {
            RequestId = Guid.NewGuid().ToString(), Idou = history[1].Name, Basis = OfficialBasis.Application, Note = "本人の申出により本籍の修正を取り消す",
        };
        Assert.Equal(["notification_date"], (await Assert.ThrowsAsync<RpcException>(() => Registration.RecordCancellationAsync(cancel).ResponseAsync)).ViolatedFields());
        cancel.NotificationDate = Date(2026, 11, 25);
        await Registration.RecordCancellationAsync(cancel);
        var cancelled = (await _clerk.HistoryAsync(person.Name))[^1];
        Assert.Equal(("異動の取消し（修正）", "申出", "申出日", Date(2026, 11, 25)), (cancelled.Reason, cancelled.Basis, cancelled.NotifiedOnLabel, cancelled.NotifiedOn));
        Assert.Equal("不明", (await _clerk.GetAsync(person.Name)).Domicile.Address);

        // 4.2.0.1#1: 職権記載, 職権修正 and 職権消除 are all processes of the register (this one on a 戸籍通知 of 失踪宣告).
        var removal = await Registration.RecordOfficialRemovalAsync(new RecordOfficialRemovalRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = OfficialRemovalReason.Official, Basis = OfficialBasis.FamilyRegister, Residents = { new ResidentRef { Name = person.Name } },
            RemovalDate = Date(2026, 11, 25), NotificationDate = Date(2026, 11, 25), Note = "失踪宣告の確定 (本籍地からの通知)",
        });
        Assert.Equal(ResidentStatus.Removed, removal.Residents[0].Status);
        var removed = (await _clerk.HistoryAsync(person.Name))[^1];
        Assert.Equal(("職権消除", "戸籍届出・通知日"), (removed.Reason, removed.NotifiedOnLabel));
    }
}

public sealed class IdouHistoryItemsTestsOnSqlite(SqliteServer server) : IdouHistoryItemsTests(server), IClassFixture<SqliteServer>;

public sealed class IdouHistoryItemsTestsOnPostgres(PostgresServer server) : IdouHistoryItemsTests(server), IClassFixture<PostgresServer>;
