using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;
using Suppression = SharedResidentSystem.Contracts.Protection.V1.Suppression;
using SuppressionCategory = SharedResidentSystem.Contracts.Protection.V1.SuppressionCategory;
using SuppressionLevel = SharedResidentSystem.Contracts.Protection.V1.SuppressionLevel;
using SupportMeasure = SharedResidentSystem.Contracts.Protection.V1.SupportMeasure;
using SupportMeasureState = SharedResidentSystem.Contracts.Protection.V1.SupportMeasureState;

namespace SharedResidentSystem.Server.Tests.Protection;

/// <summary>抑止 (3.1) and 支援措置 (1.1.16, 3.4) through gRPC.</summary>
public abstract class ProtectionTests(ServerFixture server)
{
    private const string City = "132110";

    private SupportMeasureService.SupportMeasureServiceClient Measures => new(server.Invoker(server.Token(City, "chief-1", "T100", Roles.Supervisor)));

    private SuppressionService.SuppressionServiceClient Suppressions => new(server.Invoker(server.Token(City, "chief-1", "T100", Roles.Supervisor)));

    private ResidentService.ResidentServiceClient ResidentsAs(string staff) => new(server.Invoker(server.Token(City, staff, "T200", Roles.Clerk)));

    private async Task<RecordIdouResponse> FamilyAsync(string kana)
    {
        var request = MoveIn(City, kana, members: 3);
        return await new RegisterDriver(server, City).Registration.RecordMoveInAsync(request);
    }

    /// <summary>A household of foreign residents from abroad, each with a 通称.</summary>
    private async Task<RecordIdouResponse> ForeignFamilyAsync(string kana, int members)
    {
        var request = FromAbroad(MoveIn(City, kana, members: members), new ForeignResidentItems
        {
            Nationality = "ベトナム", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "技術・人文知識・国際業務", PeriodOfStay = "3年",
            StayExpiresOn = Date(2029, 3, 31), AlphabetName = "NGUYEN VAN AN",
        });
        foreach (var member in request.Members)
        {
            member.Foreign.ResidenceCardNumber = CardNumber();
            member.CommonName = $"中村　{member.PersonName.Given}";
            member.CommonNameKana = $"ナカムラ　{member.PersonName.GivenKana}";
        }
        return await new RegisterDriver(server, City).Registration.RecordMoveInAsync(request);
    }

    private static Perpetrator Perpetrator() => new()
    {
        Name = "加害 太郎",
        NameKana = "カガイ タロウ",
        BirthDate = new PartialDate { Year = 1975, Month = 3, Day = 3 },
        Sex = Sex.Male,
        Address = new Address { Prefecture = "神奈川県", City = "横浜市", FreeText = "中区1-1" },
        Note = "元配偶者",
    };

    private async Task<SupportMeasure> ProtectAsync(RecordIdouResponse family, Google.Type.Date startsOn, bool provisional = false) =>
        await Measures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SupportMeasure = new SupportMeasure
            {
                Applicant = family.Residents[1].Name,
                Contact = "090-0000-0000",
                CoProtected = { new CoProtectedPerson { Resident = family.Residents[2].Name, Relation = "子" } },
                Perpetrators = { Perpetrator() },
                Services = { "住民票の写し等の交付", "住民基本台帳の閲覧" },
                StartsOn = startsOn,
                Provisional = provisional,
            },
        });

    [Spec("3.1#6")]
    [Spec("3.4#1")]
    [Spec("3.4#3")]
    [Spec("1.1.16#1")]
    [Spec("3.1#3")]
    [Spec("3.1#5")]
    [Spec("10.2#4")]
    [Fact]
    public async Task A_protected_person_is_shown_only_under_a_release_that_expires_by_itself_and_never_to_the_perpetrator()
    {
        var kana = UniqueKana();
        var family = await FamilyAsync(kana);
        var mother = family.Residents[1];
        var measure = await ProtectAsync(family, Date(2026, 11, 1));
        Assert.Equal(Date(2027, 10, 31), measure.EndsOn);
        Assert.Equal(SupportMeasureState.Active, measure.State);

        var clerk = ResidentsAs("clerk-a");
        var refused = await Assert.ThrowsAsync<RpcException>(() => clerk.GetResidentAsync(new GetResidentRequest { Name = mother.Name }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("SUPPRESSED", refused.ErrorInfo()?.Reason);
        var household = await Assert.ThrowsAsync<RpcException>(() => clerk.GetHouseholdAsync(new GetHouseholdRequest { Name = family.Household }).ResponseAsync);
        Assert.Equal("SUPPRESSED", household.ErrorInfo()?.Reason);
        var found = (await clerk.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana })).Residents;
        var hidden = found.Single(r => r.Name == mother.Name);
        Assert.True(hidden.Suppressed);
        Assert.Null(hidden.PersonName);
        Assert.Null(hidden.Address);
        var father = found.Single(r => r.Name == family.Residents[0].Name);
        Assert.Equal("一郎", father.PersonName.Given);

        // A supervisor releases it for clerk-a for 15 minutes.
        var suppression = (await Suppressions.ListSuppressionsAsync(new ListSuppressionsRequest())).Suppressions.Single(s => s.Resident == mother.Name);
        Assert.Equal(SuppressionCategory.SupportMeasure, suppression.Category);
        var released = await Suppressions.ReleaseSuppressionAsync(new ReleaseSuppressionRequest { RequestId = Guid.NewGuid().ToString(), Name = suppression.Name, Minutes = 15, ForStaff = "clerk-a", Reason = "本人からの交付請求を審査した" });
        Assert.Equal("clerk-a", Assert.Single(released.Releases).ForStaff);
        var shown = await clerk.GetResidentAsync(new GetResidentRequest { Name = mother.Name });
        Assert.Equal("花子", shown.PersonName.Given);
        Assert.True(shown.Suppressed);
        Assert.Contains("支援措置の対象者です。", shown.Notices);
        await Assert.ThrowsAsync<RpcException>(() => ResidentsAs("clerk-b").GetResidentAsync(new GetResidentRequest { Name = mother.Name }).ResponseAsync);

        // The release ends by itself.
        server.Time.Advance(TimeSpan.FromMinutes(16));
        var again = await Assert.ThrowsAsync<RpcException>(() => clerk.GetResidentAsync(new GetResidentRequest { Name = mother.Name }).ResponseAsync);
        Assert.Equal("SUPPRESSED", again.ErrorInfo()?.Reason);

        // The 加害者 gets nothing, however the name is written.
        var check = new SupportMeasureService.SupportMeasureServiceClient(server.Invoker(server.Token(City, "clerk-a", "T200", Roles.Clerk)));
        Assert.False((await check.CheckRequesterAsync(new CheckRequesterRequest { Resident = mother.Name, RequesterName = "加害　太郎", RequesterBirthDate = new PartialDate { Year = 1975, Month = 3, Day = 3 } })).Allowed);
        Assert.False((await check.CheckRequesterAsync(new CheckRequesterRequest { Resident = family.Residents[2].Name, RequesterName = "別人", RequesterNameKana = "ｶｶﾞｲ ﾀﾛｳ" })).Allowed);
        Assert.True((await check.CheckRequesterAsync(new CheckRequesterRequest { Resident = mother.Name, RequesterName = "加害 太郎", RequesterBirthDate = new PartialDate { Year = 1980, Month = 1, Day = 1 } })).Allowed);
        Assert.True((await check.CheckRequesterAsync(new CheckRequesterRequest { Resident = family.Residents[0].Name, RequesterName = "加害 太郎" })).Allowed);

        // Every refusal and release is in the access log.
        var log = await Log();
        Assert.Contains(log, e => e.StaffId == "clerk-a" && e.Function.EndsWith("/GetResident", StringComparison.Ordinal) && e.Outcome == "SUPPRESSED");
        Assert.Contains(log, e => e.StaffId == "clerk-a" && e.Function.EndsWith("/GetResident", StringComparison.Ordinal) && e.Outcome == "OK" && e.Targets == mother.ResidentNumber);
        Assert.Contains(log, e => e.StaffId == "chief-1" && e.Function.EndsWith("/ReleaseSuppression", StringComparison.Ordinal));
        Assert.Equal(2, log.Count(e => e.Function.EndsWith("/CheckRequester", StringComparison.Ordinal) && e.Outcome == "PERPETRATOR_REQUEST"));
    }

    [Spec("3.4#4")]
    [Spec("3.4#5")]
    [Spec("3.4#7")]
    [Spec("3.4#8")]
    [Fact]
    public async Task A_measure_lasts_a_year_and_extends_from_one_month_before_its_end()
    {
        var family = await FamilyAsync(UniqueKana());
        var measure = await ProtectAsync(family, Date(2025, 12, 1));
        Assert.Equal(Date(2026, 11, 30), measure.EndsOn);
        Assert.Contains(measure.Notices, n => n.Contains("1か月以内", StringComparison.Ordinal));

        var extended = await Measures.ExtendSupportMeasureAsync(new ExtendSupportMeasureRequest { RequestId = Guid.NewGuid().ToString(), Name = measure.Name, Etag = measure.Etag });
        Assert.Equal(Date(2027, 11, 30), extended.EndsOn);
        Assert.Equal([(Date(2025, 12, 1), Date(2026, 11, 30)), (Date(2026, 12, 1), Date(2027, 11, 30))], extended.Periods.Select(p => (p.StartsOn, p.EndsOn)));
        Assert.Empty(extended.Notices);

        var early = await Assert.ThrowsAsync<RpcException>(() => Measures.ExtendSupportMeasureAsync(new ExtendSupportMeasureRequest { RequestId = Guid.NewGuid().ToString(), Name = measure.Name }).ResponseAsync);
        Assert.Equal("SUPPORT_MEASURE_RULE", early.ErrorInfo()?.Reason);
        var stale = await Assert.ThrowsAsync<RpcException>(() => Measures.ExtendSupportMeasureAsync(new ExtendSupportMeasureRequest { RequestId = Guid.NewGuid().ToString(), Name = measure.Name, Etag = measure.Etag }).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);

        var lapsed = await ProtectAsync(await FamilyAsync(UniqueKana()), Date(2025, 4, 1));
        Assert.Equal(Date(2026, 3, 31), lapsed.EndsOn);
        Assert.Contains(lapsed.Notices, n => n.Contains("終了しています", StringComparison.Ordinal));
    }

    [Spec("1.1.16#2")]
    [Spec("1.1.16#3")]
    [Spec("1.1.16#4")]
    [Spec("1.1.16#5")]
    [Spec("1.1.16#6")]
    [Spec("1.1.16#7")]
    [Spec("1.1.16#8")]
    [Spec("1.1.16#9")]
    [Spec("1.1.16#10")]
    [Spec("1.1.16#11")]
    [Spec("1.1.16#12")]
    [Spec("1.1.16#13")]
    [Spec("1.1.16#14")]
    [Spec("1.1.16#15")]
    [Spec("1.1.16#16")]
    [Spec("1.1.16#17")]
    [Spec("1.1.16#18")]
    [Spec("1.1.16#20")]
    [Spec("1.1.16#21")]
    [Spec("1.1.16#22")]
    [Spec("1.1.16#23")]
    [Spec("1.1.16#24")]
    [Spec("1.1.16#25")]
    [Spec("1.1.16#26")]
    [Spec("1.1.16#27")]
    [Spec("1.1.16#28")]
    [Spec("1.1.16#29")]
    [Spec("1.1.16#30")]
    [Spec("1.1.16#31")]
    [Spec("1.1.16#32")]
    [Spec("1.1.16#33")]
    [Spec("1.1.16#34")]
    [Spec("1.1.16#35")]
    [Spec("1.1.16#36")]
    [Spec("1.1.16#37")]
    [Spec("1.1.16#38")]
    [Spec("1.1.16#45")]
    [Spec("1.1.16#46")]
    [Fact]
    public async Task A_measure_shows_its_persons_as_the_register_holds_them_their_former_places_and_what_each_service_keeps()
    {
        var kana = UniqueKana();
        var family = await FamilyAsync(kana);
        var clerk = new RegisterDriver(server, City);
        // The household moves within the city (a former address here); the mother's 本籍 is corrected (a former 本籍).
        var moved = await clerk.Registration.RecordAddressChangeAsync(new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), MoveDate = Date(2026, 11, 22), NotificationDate = Date(2026, 11, 22), Notifier = Notifier(),
            Address = clerk.Address(2, "5番6号"), Residents = { family.Residents.Select(Ref) },
        });
        var mother = moved.Residents.Single(r => r.Name == family.Residents[1].Name);
        var corrected = mother.Clone();
        corrected.Domicile = new Domicile { Address = "東京都小平市小川町一丁目1番地", HeadName = "高橋 一郎" };
        var correctedAnswer = await clerk.Registration.CorrectResidentAsync(new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = corrected, CorrectionDate = Date(2026, 11, 23), NotificationDate = Date(2026, 11, 23),
            Reason = "戸籍の届出により本籍を修正", UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "domicile" } },
        });
        var perpetrator = Perpetrator();
        perpetrator.Resident = "";
        var measure = await Measures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SupportMeasure = new SupportMeasure
            {
                Applicant = mother.Name, Contact = "携帯 090-0000-0000、hanako@example.jp",
                CoProtected = { new CoProtectedPerson { Resident = family.Residents[2].Name, Relation = "子" } },
                Perpetrators = { perpetrator },
                Services = { "住民基本台帳の閲覧", "住民票の写し等の交付", "戸籍の附票の写し等の交付" },
                StartsOn = Date(2026, 11, 24),
            },
        });
        var read = await Measures.GetSupportMeasureAsync(new GetSupportMeasureRequest { Name = measure.Name });

        // 申出者 (1.1.16#2-#12): her items as the register holds them, the addresses and 本籍 she had before, the contact given.
        var applicant = Assert.Single(read.Persons, p => p.Applicant);
        Assert.Equal((mother.Name, kana, "ハナコ"), (applicant.Resident, applicant.Record.PersonName.FamilyKana, applicant.Record.PersonName.GivenKana));
        Assert.Equal(("高橋", "花子"), (applicant.Record.PersonName.Family, applicant.Record.PersonName.Given));
        Assert.Equal(mother.ResidentNumber, applicant.Record.ResidentNumber);
        Assert.Equal((1985, 6, 15, Sex.Female), (applicant.Record.BirthDate.Year, applicant.Record.BirthDate.Month, applicant.Record.BirthDate.Day, applicant.Record.Sex));
        Assert.Equal((2, "5番6号"), (applicant.Record.Address.Chome, applicant.Record.Address.Banchi));
        Assert.Equal(2, applicant.PreviousAddresses.Count);
        Assert.Equal((1, "2番3号"), (applicant.PreviousAddresses[0].Chome, applicant.PreviousAddresses[0].Banchi));
        Assert.Equal("梅田1-1-1", applicant.PreviousAddresses[1].FreeText);
        Assert.Equal("東京都小平市小川町一丁目1番地", applicant.Record.Domicile.Address);
        Assert.Equal("東京都千代田区千代田1番", Assert.Single(applicant.PreviousDomiciles).Address);
        Assert.Equal("携帯 090-0000-0000、hanako@example.jp", read.Contact);

        // 併せて支援を求める者 (#23-#29): the son, with his relation to her.
        var son = Assert.Single(read.Persons, p => !p.Applicant);
        Assert.Equal((family.Residents[2].Name, "子", "太郎", kana), (son.Resident, son.Relation, son.Record.PersonName.Given, son.Record.PersonName.FamilyKana));
        Assert.Equal((1990, Sex.Male), (son.Record.BirthDate.Year, son.Record.Sex));
        Assert.Equal("梅田1-1-1", son.PreviousAddresses[^1].FreeText);

        // 加害者 (#30-#35) as registered.
        var registered = Assert.Single(read.Perpetrators);
        Assert.Equal(("加害 太郎", 1975, Sex.Male, "中区1-1", "元配偶者"), (registered.Name, registered.BirthDate.Year, registered.Sex, registered.Address.FreeText, registered.Note));

        // 支援を求められている事務及び抑止対象の住所等 (#36-#38): 閲覧 the present address, 写し等 the present and former ones, 附票 the 本籍 and the former one.
        string[] Places(string service, string resident) =>
            [.. read.SuppressedPlaces.Where(s => s.Service == service && s.Resident == resident).Select(s => $"{s.Kind}:{s.Place}")];
        Assert.Single(Places("住民基本台帳の閲覧", mother.Name), s => s.StartsWith("現住所:", StringComparison.Ordinal) && s.Contains("5番6号", StringComparison.Ordinal));
        var copies = Places("住民票の写し等の交付", mother.Name);
        Assert.Equal(["現住所", "前住所", "前住所"], copies.Select(c => c.Split(':')[0]));
        Assert.Contains(copies, c => c.Contains("2番3号", StringComparison.Ordinal));
        Assert.Contains(copies, c => c.Contains("梅田1-1-1", StringComparison.Ordinal));
        Assert.Equal(["本籍:東京都小平市小川町一丁目1番地", "前本籍:東京都千代田区千代田1番"], Places("戸籍の附票の写し等の交付", mother.Name));
        Assert.Equal(["本籍:東京都千代田区千代田1番"], Places("戸籍の附票の写し等の交付", son.Resident));

        // 支援措置の期間 (#45, #46).
        Assert.Equal((Date(2026, 11, 24), Date(2027, 11, 23)), (read.StartsOn, read.EndsOn));

        // A measure asked of the city as the 前住所地 (#13-#22): the father, whose household has left, is shown by his 除票 — his last address
        // here, the 転出先 he gave, then the one the new city confirmed.
        var other = await ForeignFamilyAsync(UniqueKana(), 3);
        var father = other.Residents[0];
        await clerk.Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), PlannedDate = Date(2026, 11, 24), NotificationDate = Date(2026, 11, 25), Notifier = Notifier(),
            Destination = new Address { Prefecture = "埼玉県", City = "所沢市", FreeText = "並木1-1" }, Residents = { other.Residents.Select(Ref) },
        });
        await clerk.Registration.RecordMoveInNoticeAsync(new RecordMoveInNoticeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = new ResidentRef { Name = father.Name }, NoticeDate = Date(2026, 11, 26), ConfirmedOn = Date(2026, 11, 25),
            ConfirmedDestination = new Address { Prefecture = "埼玉県", City = "所沢市", FreeText = "並木2-2" },
        });
        var elsewhere = await Measures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SupportMeasure = new SupportMeasure
            {
                Applicant = father.Name, Contact = "hanako@example.jp", Perpetrators = { Perpetrator() }, Services = { "住民票の写し等の交付" }, StartsOn = Date(2026, 11, 26),
            },
        });
        var left = Assert.Single((await Measures.GetSupportMeasureAsync(new GetSupportMeasureRequest { Name = elsewhere.Name })).Persons);
        Assert.Equal(ResidentStatus.Removed, left.Record.Status);
        Assert.Equal((father.PersonName.FamilyKana, "イチロウ", father.ResidentNumber, 1980), (left.Record.PersonName.FamilyKana, left.Record.PersonName.GivenKana, left.Record.ResidentNumber, left.Record.BirthDate.Year));
        Assert.Equal("2番3号", left.Record.Address.Banchi);
        Assert.Equal(("並木1-1", "並木2-2"), (left.Record.Removal.Destination.FreeText, left.Record.Removal.ConfirmedDestination.FreeText));
        // A 除票 has no present address to keep; the last one here is among the former ones the 写し等 keep.
        Assert.DoesNotContain(elsewhere.SuppressedPlaces, s => s.Kind == "現住所");
        Assert.Contains(elsewhere.SuppressedPlaces, s => s.Kind == "前住所" && s.Place.Contains("Hanoi", StringComparison.Ordinal));
        Assert.Equal(("中村　一郎", "ナカムラ　イチロウ"), (left.Record.CommonName.Name, left.Record.CommonName.NameKana));
        Assert.Equal("hanako@example.jp", elsewhere.Contact);

        // The 通称 and its reading of an applicant and of one protected with her (#4, #24).
        var foreign = await ForeignFamilyAsync(UniqueKana(), 2);
        var both = await Measures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SupportMeasure = new SupportMeasure
            {
                Applicant = foreign.Residents[1].Name, CoProtected = { new CoProtectedPerson { Resident = foreign.Residents[0].Name, Relation = "夫" } },
                Perpetrators = { Perpetrator() }, Services = { "住民票の写し等の交付" }, StartsOn = Date(2026, 11, 26),
            },
        });
        Assert.Equal(["中村　花子（ナカムラ　ハナコ） 申出者", "中村　一郎（ナカムラ　イチロウ） 夫"],
            both.Persons.Select(p => $"{p.Record.CommonName.Name}（{p.Record.CommonName.NameKana}） {(p.Applicant ? "申出者" : p.Relation)}"));
    }

    [Spec("1.1.16#39")]
    [Spec("1.1.16#40")]
    [Spec("1.1.16#41")]
    [Spec("1.1.16#42")]
    [Spec("1.1.16#43")]
    [Spec("1.1.16#44")]
    [Spec("1.1.16#49")]
    [Fact]
    public async Task A_measure_keeps_where_its_application_was_sent_on_and_whence_a_received_one_came()
    {
        // As the 当初受付市区町村: the 申出書 sent on to the cities of the 本籍 and the former address (#39-#41).
        var family = await FamilyAsync(UniqueKana());
        var sent = await Measures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SupportMeasure = new SupportMeasure
            {
                Applicant = family.Residents[1].Name, Perpetrators = { Perpetrator() }, Services = { "住民票の写し等の交付" }, StartsOn = Date(2026, 11, 24),
                Transfers = { new SupportTransfer { City = "東京都千代田区", SentOn = Date(2026, 11, 25) }, new SupportTransfer { City = "大阪府大阪市北区", SentOn = Date(2026, 11, 25) } },
            },
        });
        var read = await Measures.GetSupportMeasureAsync(new GetSupportMeasureRequest { Name = sent.Name });
        Assert.Equal(["東京都千代田区 2026-11-25", "大阪府大阪市北区 2026-11-25"], read.Transfers.Select(t => $"{t.City} {t.SentOn.Year}-{t.SentOn.Month}-{t.SentOn.Day}"));
        Assert.Null(read.TransferReceivedOn);
        // The day the applicant was told no support was needed belongs to a measure received by 転送 only.
        var notReceived = await Assert.ThrowsAsync<RpcException>(() => Measures.EndSupportMeasureAsync(new EndSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(), Name = read.Name, Etag = read.Etag, Reason = "必要性なし", NoNeedNotifiedOn = Date(2026, 11, 26),
        }).ResponseAsync);
        Assert.Equal(["no_need_notified_on"], notReceived.ViolatedFields());
        Assert.Equal(SupportMeasureState.Active, (await Measures.GetSupportMeasureAsync(new GetSupportMeasureRequest { Name = sent.Name })).State);

        // As the 転送受付市区町村 (#42-#44, #49): a 仮支援措置 on the 申出書 received, with the 当初受付市区町村; found not needed,
        // ended with the day the applicant was told. A 当初受付市区町村 without the day of receipt is refused.
        var other = await FamilyAsync(UniqueKana());
        var measure = new SupportMeasure
        {
            Applicant = other.Residents[1].Name, Perpetrators = { Perpetrator() }, Services = { "住民票の写し等の交付" }, StartsOn = Date(2026, 11, 25), Provisional = true,
            OriginalCity = "東京都千代田区",
        };
        var unreceived = await Assert.ThrowsAsync<RpcException>(() => Measures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(), SupportMeasure = measure,
        }).ResponseAsync);
        Assert.Equal(["support_measure.original_city"], unreceived.ViolatedFields());
        measure.TransferReceivedOn = Date(2026, 11, 25);
        var received = await Measures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest { RequestId = Guid.NewGuid().ToString(), SupportMeasure = measure });
        Assert.Equal((Date(2026, 11, 25), "東京都千代田区", true, Date(2026, 11, 25)), (received.TransferReceivedOn, received.OriginalCity, received.Provisional, received.ProvisionalFrom));
        var ended = await Measures.EndSupportMeasureAsync(new EndSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(), Name = received.Name, Etag = received.Etag, Reason = "支援の必要性がないことを確認", NoNeedNotifiedOn = Date(2026, 11, 26),
        });
        Assert.Equal((SupportMeasureState.Ended, Date(2026, 11, 26), "東京都千代田区"), (ended.State, ended.NoNeedNotifiedOn, ended.OriginalCity));
    }

    [Spec("3.4#9")]
    [Spec("3.4#10")]
    [Spec("1.1.16#47")]
    [Spec("1.1.16#48")]
    [Fact]
    public async Task A_provisional_measure_protects_at_once_and_ending_a_measure_lifts_its_blocks()
    {
        var family = await FamilyAsync(UniqueKana());
        var provisional = await ProtectAsync(family, Date(2026, 11, 20), provisional: true);
        Assert.True(provisional.Provisional);
        Assert.Equal(Date(2026, 11, 20), provisional.ProvisionalFrom);
        Assert.Empty(provisional.Periods);
        var clerk = ResidentsAs("clerk-c");
        await Assert.ThrowsAsync<RpcException>(() => clerk.GetResidentAsync(new GetResidentRequest { Name = family.Residents[1].Name }).ResponseAsync);

        var confirmed = await Measures.ConfirmSupportMeasureAsync(new ConfirmSupportMeasureRequest { RequestId = Guid.NewGuid().ToString(), Name = provisional.Name, Etag = provisional.Etag, StartsOn = Date(2026, 11, 25) });
        Assert.False(confirmed.Provisional);
        Assert.Equal(Date(2027, 11, 24), confirmed.EndsOn);

        var noReason = await Assert.ThrowsAsync<RpcException>(() => Measures.EndSupportMeasureAsync(new EndSupportMeasureRequest { RequestId = Guid.NewGuid().ToString(), Name = confirmed.Name }).ResponseAsync);
        Assert.Equal(["reason"], noReason.ViolatedFields());
        var ended = await Measures.EndSupportMeasureAsync(new EndSupportMeasureRequest { RequestId = Guid.NewGuid().ToString(), Name = confirmed.Name, Reason = "申出者からの終了の申出" });
        Assert.Equal(SupportMeasureState.Ended, ended.State);
        var shown = await clerk.GetResidentAsync(new GetResidentRequest { Name = family.Residents[1].Name });
        Assert.False(shown.Suppressed);
        Assert.Empty(shown.Notices);
        Assert.DoesNotContain((await Measures.ListSupportMeasuresAsync(new ListSupportMeasuresRequest())).SupportMeasures, m => m.Name == ended.Name);
    }

    [Spec("3.1#2")]
    [Spec("3.1#8")]
    [Spec("3.1#10")]
    [Spec("9.2#1")]
    [Fact]
    public async Task Suppressions_block_their_process_as_error_or_alert_until_lifted_whatever_their_end_date()
    {
        var clerk = new RegisterDriver(server, City);
        var family = await FamilyAsync(UniqueKana());
        var onHousehold = await Suppressions.CreateSuppressionAsync(new CreateSuppressionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Suppression = new Suppression
            {
                Household = family.Household,
                Processes = { SuppressedProcess.Idou },
                Level = SuppressionLevel.Alert,
                Category = SuppressionCategory.Other,
                Reason = "実態調査中",
                StartsOn = Date(2026, 11, 1),
                EndsOn = Date(2026, 11, 10),
            },
        });
        var birth = new RecordBirthRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Household = family.Household,
            Child = Person("高橋", "葵", "タカハシ", "アオイ", 2026, 11, 20, Sex.Female, "子"),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
        };
        var alert = await Assert.ThrowsAsync<RpcException>(() => clerk.Registration.RecordBirthAsync(birth).ResponseAsync);
        Assert.Equal("SUPPRESSED", alert.ErrorInfo()?.Metadata["alerts"]);
        birth.AcknowledgedAlerts.Add("SUPPRESSED");
        await clerk.Registration.RecordBirthAsync(birth);

        var onPerson = await Suppressions.CreateSuppressionAsync(new CreateSuppressionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Suppression = new Suppression { Resident = family.Residents[0].Name, Processes = { SuppressedProcess.Idou }, Level = SuppressionLevel.Error, Category = SuppressionCategory.ExclusiveControl, Reason = "他課で処理中", StartsOn = Date(2026, 11, 1) },
        });
        var moveOut = new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Residents = { new ResidentRef { Name = family.Residents[0].Name } },
            PlannedDate = Date(2026, 12, 1),
            NotificationDate = Date(2026, 11, 26),
            Notifier = Notifier(),
            Destination = new Address { Prefecture = "東京都", City = "東村山市", FreeText = "本町1-1" },
            AcknowledgedAlerts = { "SUPPRESSED", "HEAD_ABSENT" },
        };
        var error = await Assert.ThrowsAsync<RpcException>(() => clerk.Registration.RecordMoveOutAsync(moveOut).ResponseAsync);
        Assert.Equal("SUPPRESSED", error.ErrorInfo()?.Reason);
        Assert.Equal(["residents[0]"], error.ViolatedFields());

        var list = (await Suppressions.ListSuppressionsAsync(new ListSuppressionsRequest())).Suppressions;
        Assert.Contains(list, s => s.Name == onHousehold.Name && s.Active);
        var clerkList = await Assert.ThrowsAsync<RpcException>(() => new SuppressionService.SuppressionServiceClient(server.As(City)).ListSuppressionsAsync(new ListSuppressionsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, clerkList.StatusCode);

        var lifted = await Suppressions.LiftSuppressionAsync(new LiftSuppressionRequest { RequestId = Guid.NewGuid().ToString(), Name = onPerson.Name, Etag = onPerson.Etag, Reason = "処理が終わった" });
        Assert.False(lifted.Active);
        moveOut.RequestId = Guid.NewGuid().ToString();
        var movedOut = await clerk.Registration.RecordMoveOutAsync(moveOut);
        Assert.Equal(ResidentStatus.Removed, movedOut.Residents.Single(r => r.Name == family.Residents[0].Name).Status);
    }

    [Fact]
    public async Task Bad_protection_requests_name_their_fields()
    {
        var family = await FamilyAsync(UniqueKana());
        var both = await Assert.ThrowsAsync<RpcException>(() => Suppressions.CreateSuppressionAsync(new CreateSuppressionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Suppression = new Suppression { Resident = family.Residents[0].Name, Household = family.Household, Reason = "x", StartsOn = Date(2026, 11, 1) },
        }).ResponseAsync);
        Assert.Contains("suppression.resident", both.ViolatedFields());
        Assert.Contains("suppression.processes", both.ViolatedFields());
        Assert.Contains("suppression.level", both.ViolatedFields());

        var noPerpetrator = await Assert.ThrowsAsync<RpcException>(() => Measures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SupportMeasure = new SupportMeasure { Applicant = family.Residents[0].Name, Services = { "ないしょ" } },
        }).ResponseAsync);
        Assert.Contains("support_measure.perpetrators", noPerpetrator.ViolatedFields());
        Assert.Contains("support_measure.services", noPerpetrator.ViolatedFields());
        Assert.Contains("support_measure.starts_on", noPerpetrator.ViolatedFields());

        var clerkCreates = await Assert.ThrowsAsync<RpcException>(() => new SupportMeasureService.SupportMeasureServiceClient(server.As(City)).CreateSupportMeasureAsync(new CreateSupportMeasureRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, clerkCreates.StatusCode);
    }

    [Spec("10.2#4")]
    [Spec("10.2#27")]
    [Fact]
    public async Task Every_refused_or_redacted_attempt_on_a_protected_person_is_found_in_the_log_by_their_number()
    {
        var kana = UniqueKana();
        var family = await FamilyAsync(kana);
        var mother = family.Residents[1];
        await ProtectAsync(family, Date(2026, 11, 1));
        var clerk = ResidentsAs("clerk-log");
        await Assert.ThrowsAsync<RpcException>(() => clerk.GetResidentAsync(new GetResidentRequest { Name = mother.Name }).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => clerk.GetHouseholdAsync(new GetHouseholdRequest { Name = family.Household }).ResponseAsync);
        await clerk.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana });
        var registration = new RegistrationService.RegistrationServiceClient(server.Invoker(server.Token(City, "clerk-log", "T200", Roles.Clerk)));
        await Assert.ThrowsAsync<RpcException>(() => registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Residents = { Ref(mother) },
            PlannedDate = Date(2026, 11, 30),
            NotificationDate = Date(2026, 11, 26),
            Notifier = Notifier(),
            Destination = new Address { Prefecture = "東京都", City = "東久留米市", FreeText = "本町1-1" },
        }).ResponseAsync);

        var auditor = new Contracts.Audit.V1.AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var entries = (await auditor.SearchAccessLogAsync(new Contracts.Audit.V1.SearchAccessLogRequest { ResidentNumber = mother.ResidentNumber, Staff = "clerk-log" })).Entries;

        Assert.Contains(entries, e => e.Function.EndsWith("/GetResident", StringComparison.Ordinal) && e.Outcome == "SUPPRESSED");
        Assert.Contains(entries, e => e.Function.EndsWith("/GetHousehold", StringComparison.Ordinal) && e.Outcome == "SUPPRESSED");
        Assert.Contains(entries, e => e.Function.EndsWith("/SearchResidents", StringComparison.Ordinal) && e.Outcome == "OK");
        Assert.Contains(entries, e => e.Function.EndsWith("/RecordMoveOut", StringComparison.Ordinal) && e.Outcome == "SUPPRESSED");
        Assert.All(entries, e => Assert.Contains(mother.ResidentNumber, e.Residents));
    }

    [Spec("3.1#2")]
    [Fact]
    public async Task A_clerk_who_may_not_read_a_protected_person_may_not_record_their_idou_nor_see_them_in_its_answer()
    {
        var family = await new RegisterDriver(server, City).Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 4));
        var mother = family.Residents[1];
        await ProtectAsync(family, Date(2026, 11, 1));
        var registration = new RegistrationService.RegistrationServiceClient(server.Invoker(server.Token(City, "clerk-idou", "T200", Roles.Clerk)));
        var moved = new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Residents = { Ref(mother) },
            MoveDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier("高橋 花子"),
            Address = new RegisterDriver(server, City).Address(3, "7番"),
            Placement = new Placement { Relationships = { [mother.Name] = "世帯主" } },
        };
        var refused = await Assert.ThrowsAsync<RpcException>(() => registration.RecordAddressChangeAsync(moved).ResponseAsync);
        Assert.Equal("SUPPRESSED", refused.ErrorInfo()?.Reason);
        Assert.DoesNotContain("花子", refused.Status.Detail, StringComparison.Ordinal);

        // A 世帯主変更 naming only the father would still rewrite (and answer with) her 続柄: refused too.
        var headChange = new RecordHeadChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Household = family.Household,
            NewHead = Ref(family.Residents[3]),
            Relationships = { [family.Residents[0].Name] = "父", [mother.Name] = "母", [family.Residents[2].Name] = "兄" },
            ChangeDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
        };
        var viaHousehold = await Assert.ThrowsAsync<RpcException>(() => registration.RecordHeadChangeAsync(headChange).ResponseAsync);
        Assert.Equal("SUPPRESSED", viaHousehold.ErrorInfo()?.Reason);
        Assert.Equal(2, (await Log()).Count(e => e.StaffId == "clerk-idou" && e.Outcome == "SUPPRESSED" && e.Targets.Contains(mother.ResidentNumber, StringComparison.Ordinal)));

        // Under a supervisor's release for this clerk, the 異動 goes through as a read would.
        var suppression = (await Suppressions.ListSuppressionsAsync(new ListSuppressionsRequest())).Suppressions.Single(s => s.Resident == mother.Name);
        await Suppressions.ReleaseSuppressionAsync(new ReleaseSuppressionRequest { RequestId = Guid.NewGuid().ToString(), Name = suppression.Name, Minutes = 15, ForStaff = "clerk-idou", Reason = "本人の転居届を審査した" });
        moved.RequestId = Guid.NewGuid().ToString();
        var recorded = await registration.RecordAddressChangeAsync(moved);
        Assert.Equal("7番", Assert.Single(recorded.Residents).Address.Banchi);
    }

    [Fact]
    public async Task A_recorded_perpetrator_named_anywhere_in_a_idou_raises_an_alert_that_is_logged()
    {
        var family = await FamilyAsync(UniqueKana());
        await ProtectAsync(family, Date(2026, 11, 1));
        var driver = new RegisterDriver(server, City);

        // The 加害者 as 届出人 of someone else's 転入 …
        var asNotifier = MoveIn(City, UniqueKana(), members: 1);
        asNotifier.Notifier = Notifier("加害　太郎");
        var alert = await Assert.ThrowsAsync<RpcException>(() => driver.Registration.RecordMoveInAsync(asNotifier).ResponseAsync);
        Assert.Equal("ALERT_NOT_ACKNOWLEDGED", alert.ErrorInfo()?.Reason);
        Assert.Equal("PERPETRATOR_NAMED", alert.ErrorInfo()?.Metadata["alerts"]);

        // … or entered himself.
        var himself = MoveIn(City, "カガイ", "加害", members: 1);
        himself.Members[0].PersonName.Given = "太郎";
        himself.Members[0].PersonName.GivenKana = "タロウ";
        himself.Members[0].BirthDate = new PartialDate { Year = 1975, Month = 3, Day = 3 };
        var entered = await Assert.ThrowsAsync<RpcException>(() => driver.Registration.RecordMoveInAsync(himself).ResponseAsync);
        Assert.Equal("PERPETRATOR_NAMED", entered.ErrorInfo()?.Metadata["alerts"]);
        Assert.Equal(2, (await Log()).Count(e => e.Function.EndsWith("/RecordMoveIn", StringComparison.Ordinal) && e.Outcome == "ALERT_NOT_ACKNOWLEDGED" && e.Detail.Contains("PERPETRATOR_NAMED", StringComparison.Ordinal)));

        // Acknowledged, it is recorded with the acknowledgement kept.
        asNotifier.RequestId = Guid.NewGuid().ToString();
        asNotifier.AcknowledgedAlerts.Add("PERPETRATOR_NAMED");
        await driver.Registration.RecordMoveInAsync(asNotifier);
    }

    private async Task<List<AccessLogEntry>> Log()
    {
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(City, "t", "t", new HashSet<string>()));
        return await scope.ServiceProvider.GetRequiredService<SrsDbContext>().AccessLog.AsNoTracking().ToListAsync();
    }
}

public sealed class ProtectionTestsOnSqlite(SqliteServer server) : ProtectionTests(server), IClassFixture<SqliteServer>;

public sealed class ProtectionTestsOnPostgres(PostgresServer server) : ProtectionTests(server), IClassFixture<PostgresServer>;
