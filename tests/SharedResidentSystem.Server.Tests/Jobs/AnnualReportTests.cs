using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Jobs;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Jobs;

/// <summary>
/// 6.1 統計: a population made through the contract (転入 from Japan and from abroad, a birth, a
/// death, a 転出, a 転居, a mixed household, a 転入 cancelled, a 転出予定者), its 年報 made by the job
/// and the same tables counted here, independently, from what the test did. In a city of this
/// class's own (三鷹市), on a server whose clock the test moves on.
/// </summary>
public abstract class AnnualReportTests(ServerFixture server)
{
    private const string City = "132047";

    /// <summary>What the test knows of one person: who, where, when they came and left (and how).</summary>
    private sealed record Fact(bool Foreign, int Sex, int Year, int Month, int Day, string Household, DateOnly Arrived, string ArrivedAs, string Nationality = "", string Status = "")
    {
        public DateOnly? Left { get; set; }
        public string LeftAs { get; set; } = "";
        public bool PresentAt(DateOnly day) => Arrived < day && (Left is null || Left >= day);
    }

    private readonly List<Fact> _facts = [];
    private readonly Dictionary<string, Fact> _byName = [];

    private RegistrationService.RegistrationServiceClient Registration() => new(server.As(City));

    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    private static Google.Type.Date G(DateOnly d) => Date(d.Year, d.Month, d.Day);

    private async Task<List<Resident>> MoveInAsync(RecordMoveInRequest request, DateOnly on, string arrivedAs)
    {
        MovedInOn(request, G(on));
        request.AcknowledgedAlerts.Add("NOTIFIED_LATE");
        var made = (await Registration().RecordMoveInAsync(request)).Residents.ToList();
        for (var i = 0; i < made.Count; i++)
        {
            var m = request.Members[i];
            var fact = new Fact(m.Kind == ResidentKind.Foreign, (int)m.Sex, m.BirthDate.Year, m.BirthDate.Month, m.BirthDate.Day, made[i].Household, on, arrivedAs,
                m.Foreign?.Nationality ?? "", m.Foreign?.ResidenceStatus ?? "");
            _facts.Add(fact);
            _byName[made[i].Name] = fact;
        }
        return made;
    }

    private async Task<Resident> CurrentAsync(Resident r) => await new ResidentService.ResidentServiceClient(server.As(City)).GetResidentAsync(new GetResidentRequest { Name = r.Name });

    private async Task<Operation> ReportAsync(string asOf, string from, string to)
    {
        var jobs = new JobService.JobServiceClient(server.As(City, Roles.Supervisor));
        var done = await Operations.FinishedAsync(jobs, await jobs.StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AnnualReport, Reason = "住民基本台帳関係年報",
            AnnualReport = new AnnualReportParameters { AsOf = asOf, From = from, To = to },
        }));
        Assert.True(done.Metadata.State == JobState.Succeeded, done.Error?.Message);
        return done;
    }

    private string Folder => JobRunner.CityFolder(server.Services.GetRequiredService<IOptions<ServerOptions>>().Value, City);

    /// <summary>A table as written (its data rows, split).</summary>
    private string[][] Table(Operation done, string name) =>
        [.. File.ReadAllLines(Path.Combine(Folder, done.Response.Files.Single(f => f.EndsWith("/" + name + ".csv", StringComparison.Ordinal)))).Skip(1).Select(l => l.Split(','))];

    private static string Band(Fact f, DateOnly on)
    {
        var age = on.Year - f.Year - (on.Month < f.Month || (on.Month == f.Month && on.Day < f.Day) ? 1 : 0);
        return age >= 100 ? "100歳以上" : $"{age / 5 * 5}〜{age / 5 * 5 + 4}歳";
    }

    /// <summary>The tables counted from the facts, as the job should write them.</summary>
    private void AssertTables(Operation done, DateOnly asOf, DateOnly from, DateOnly to)
    {
        var present = _facts.Where(f => f.PresentAt(asOf)).ToList();
        string N(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] PopulationRow(string label, IEnumerable<Fact> fs) => [label, N(fs.Count(f => f.Sex == 1)), N(fs.Count(f => f.Sex == 2)), N(fs.Count()), "0"];
        Assert.Equal([PopulationRow("日本人住民", present.Where(f => !f.Foreign)), PopulationRow("外国人住民", present.Where(f => f.Foreign)), PopulationRow("計", present)],
            Table(done, "表1_人口"));

        var households = present.GroupBy(f => f.Household).ToList();
        Assert.Equal([["日本人住民のみの世帯", N(households.Count(h => h.All(f => !f.Foreign)))], ["外国人住民のみの世帯", N(households.Count(h => h.All(f => f.Foreign)))],
            ["複数国籍世帯", N(households.Count(h => h.Any(f => f.Foreign) && h.Any(f => !f.Foreign)))], ["計", N(households.Count)]], Table(done, "表2_世帯数"));

        string[] columns = ["転入（国内）", "転入（国外）", "出生", "その他の記載", "転出（国内）", "転出（国外）", "死亡", "その他の消除"];
        int Moved(IEnumerable<Fact> fs, string column) =>
            fs.Count(f => f.ArrivedAs == column && f.Arrived >= from && f.Arrived <= to) + fs.Count(f => f.LeftAs == column && f.Left >= from && f.Left <= to);
        string[] MovementRow(string label, IEnumerable<Fact> fs)
        {
            var cells = columns.Select(c => Moved(fs, c)).ToList();
            return [label, .. cells.Take(4).Select(N), N(cells.Take(4).Sum()), .. cells.Skip(4).Select(N), N(cells.Skip(4).Sum())];
        }
        Assert.Equal([
            MovementRow("日本人住民 男", _facts.Where(f => !f.Foreign && f.Sex == 1)), MovementRow("日本人住民 女", _facts.Where(f => !f.Foreign && f.Sex == 2)),
            MovementRow("外国人住民 男", _facts.Where(f => f.Foreign && f.Sex == 1)), MovementRow("外国人住民 女", _facts.Where(f => f.Foreign && f.Sex == 2)),
            MovementRow("計", _facts)], Table(done, "表3_人口動態"));

        var bands = Table(done, "表4_年齢別人口");
        Assert.Equal(22, bands.Length);
        foreach (var row in bands)
        {
            var inBand = present.Where(f => Band(f, asOf) == row[0]).ToList();
            Assert.Equal([row[0], N(inBand.Count(f => !f.Foreign && f.Sex == 1)), N(inBand.Count(f => !f.Foreign && f.Sex == 2)),
                N(inBand.Count(f => f.Foreign && f.Sex == 1)), N(inBand.Count(f => f.Foreign && f.Sex == 2)), N(inBand.Count)], row);
        }

        var statuses = present.Where(f => f.Foreign).GroupBy(f => f.Status).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new[] { g.Key, N(g.Count()) }).Append(["計", N(present.Count(f => f.Foreign))]).ToArray();
        Assert.Equal(statuses, Table(done, "入管1_在留資格別"));
    }

    [Fact]
    [Spec("6.1#1")]
    [Spec("6.1#2")]
    [Spec("6.1#4")]
    [Spec("9.1#9")]
    public async Task The_annual_report_counts_what_an_independent_count_of_the_made_population_finds_for_any_date_from_history()
    {
        var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
        await admin.CreateTenantAsync(new CreateTenantRequest
        {
            Document = TenantDocuments.Minimal(City, "三鷹市", extra: """
                "jobs": { "schedules": [ { "id": "nenpo", "kind": "annualReport", "at": "09:00", "every": "year:01-05", "reason": "住民基本台帳関係年報の作成" } ] },
                """),
            Reason = "test", RequestId = Guid.NewGuid().ToString(),
        });
        // 2025: a family of three from Osaka, a single man, two from Vietnam, then a daughter born.
        var family = await MoveInAsync(MoveIn(City, UniqueKana(), members: 3), D(2025, 3, 10), "転入（国内）");
        var single = (await MoveInAsync(MoveIn(City, UniqueKana(), members: 1), D(2025, 4, 1), "転入（国内）")).Single();
        var leaving = (await MoveInAsync(MoveIn(City, UniqueKana(), members: 1), D(2025, 5, 1), "転入（国内）")).Single();
        var vietnam = await MoveInAsync(FromAbroad(MoveIn(City, UniqueKana(), members: 2), new ForeignResidentItems
        {
            Nationality = "ベトナム", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "技能実習", PeriodOfStay = "3年",
            StayExpiresOn = Date(2028, 6, 30), ResidenceCardNumber = CardNumber(),
        }), D(2025, 7, 1), "転入（国外）");
        Assert.All(vietnam, member => Assert.Equal(ResidentKind.Foreign, member.Kind));
        var born = await Registration().RecordBirthAsync(new RecordBirthRequest
        {
            RequestId = Guid.NewGuid().ToString(), Household = family[0].Household, NotificationDate = Date(2025, 9, 20), Notifier = RegisterDriver.Notifier(),
            Child = RegisterDriver.Person("高橋", "桜", family[0].PersonName.FamilyKana, "サクラ", 2025, 9, 15, Sex.Female, "子"), AcknowledgedAlerts = { "NOTIFIED_LATE" },
        });
        Assert.Single(born.Residents);
        _facts.Add(new Fact(false, 2, 2025, 9, 15, family[0].Household, D(2025, 9, 15), "出生"));

        // 2026: the son moves out, the single man dies, a Japanese man and his Korean wife come, the
        // Vietnamese move within the city, a 転入 is entered and cancelled (it counts nowhere).
        var son = family[2];
        await Registration().RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(await CurrentAsync(son)) }, PlannedDate = Date(2026, 2, 1), NotificationDate = Date(2026, 1, 25),
            Notifier = RegisterDriver.Notifier(), Destination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田1-1-1" }, AcknowledgedAlerts = { "NOTIFIED_LATE" },
        });
        (_byName[son.Name].Left, _byName[son.Name].LeftAs) = (D(2026, 2, 1), "転出（国内）");
        await Registration().RecordDeathAsync(new RecordDeathRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = RegisterDriver.Ref(await CurrentAsync(single)), DeathDate = Date(2026, 3, 1), NotificationDate = Date(2026, 3, 2),
            Notifier = RegisterDriver.Notifier(), AcknowledgedAlerts = { "NOTIFIED_LATE", "HEAD_ABSENT" },
        });
        (_byName[single.Name].Left, _byName[single.Name].LeftAs) = (D(2026, 3, 1), "死亡");
        var couple = MoveIn(City, UniqueKana(), members: 2);
        couple.Members[1].Kind = ResidentKind.Foreign;
        couple.Members[1].Domicile = null;
        couple.Members[1].Foreign = new ForeignResidentItems
        {
            Nationality = "韓国", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "日本人の配偶者等", PeriodOfStay = "3年",
            StayExpiresOn = Date(2029, 5, 9), ResidenceCardNumber = CardNumber(),
        };
        await MoveInAsync(couple, D(2026, 5, 10), "転入（国内）");
        await Registration().RecordAddressChangeAsync(new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(await CurrentAsync(vietnam[0])), RegisterDriver.Ref(await CurrentAsync(vietnam[1])) },
            MoveDate = Date(2026, 8, 1), NotificationDate = Date(2026, 8, 3), Notifier = RegisterDriver.Notifier(),
            Address = new Contracts.Common.V1.Address { Town = TownOf(City), Chome = 3, Banchi = "4番5号" }, AcknowledgedAlerts = { "NOTIFIED_LATE" },
        });
        var mistaken = await Registration().RecordMoveInAsync(MovedInOn(MoveIn(City, UniqueKana(), members: 1), Date(2026, 6, 1)));
        await Registration().RecordCancellationAsync(new RecordCancellationRequest { RequestId = Guid.NewGuid().ToString(), Idou = mistaken.Idou, NotificationDate = Date(2026, 6, 2), Note = "別の市の転入の誤入力" });
        // A 転出届 made today for 10 December: the person is here until then (6.1#4).
        await Registration().RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(await CurrentAsync(leaving)) }, PlannedDate = Date(2026, 12, 10), NotificationDate = Date(2026, 11, 26),
            Notifier = RegisterDriver.Notifier(), Destination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "堺市", FreeText = "堺区1-1" },
        });
        var leaver = _byName[leaving.Name];
        (leaver.Left, leaver.LeftAs) = (D(2026, 12, 10), "転出（国内）");
        server.Time.Advance(TimeSpan.FromDays(9)); // 2026-12-05

        var first = await ReportAsync("2026-01-01", "2025-01-01", "2025-12-31");
        AssertTables(first, D(2026, 1, 1), D(2025, 1, 1), D(2025, 12, 31));
        var second = await ReportAsync("2026-12-05", "2026-01-01", "2026-12-04");
        AssertTables(second, D(2026, 12, 5), D(2026, 1, 1), D(2026, 12, 4));
        // The 転出予定者 is counted on 5 December, and the population adds up across the year.
        Assert.True(leaver.PresentAt(D(2026, 12, 5)));
        long Population(Operation o) => o.Response.Counts["人口"];
        var movement = Table(second, "表3_人口動態")[^1];
        Assert.Equal(Population(second), Population(first) + long.Parse(movement[5], System.Globalization.CultureInfo.InvariantCulture) - long.Parse(movement[10], System.Globalization.CultureInfo.InvariantCulture));
        // 入管: the 住居地 notices of the foreign residents, month by month.
        var notices = Table(second, "入管3_住居地届出");
        Assert.Equal(["2026年5月", "0", "1", "0", "1"], notices[4]);
        Assert.Equal(["2026年8月", "0", "0", "2", "2"], notices[7]);
        Assert.Equal(["計", "0", "1", "2", "3"], notices[^1]);
        // Each table also as PDF, and all of them in one workbook.
        Assert.Contains("表1 住民基本台帳人口", PdfTools.Text(await File.ReadAllBytesAsync(Path.Combine(Folder, second.Response.Files.Single(f => f.EndsWith("表1_人口.pdf", StringComparison.Ordinal))))), StringComparison.Ordinal);
        var workbook = Path.Combine(Folder, second.Response.Files[0]);
        Assert.Equal(["表1_人口", "表2_世帯数", "表3_人口動態", "表4_年齢別人口", "入管1_在留資格別", "入管2_国籍別", "入管3_住居地届出"], MiniExcelLibs.MiniExcel.GetSheetNames(workbook));
        var sheet = MiniExcelLibs.MiniExcel.Query(workbook, useHeaderRow: true, sheetName: "表1_人口").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(Population(second), Convert.ToInt64(sheet[^1]["計"], System.Globalization.CultureInfo.InvariantCulture));

        // A period that contradicts itself or the calendar is refused, naming the field.
        var jobs = new JobService.JobServiceClient(server.As(City, Roles.Supervisor));
        var reversed = await Assert.ThrowsAsync<RpcException>(() => jobs.StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AnnualReport, Reason = "x", AnnualReport = new AnnualReportParameters { From = "2026-03-01", To = "2026-02-01" },
        }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "annual_report.to"), (reversed.StatusCode, reversed.ViolatedFields().Single()));
        var ahead = await Assert.ThrowsAsync<RpcException>(() => jobs.StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AnnualReport, Reason = "x", AnnualReport = new AnnualReportParameters { AsOf = "2027-01-01", From = "2026-01-01", To = "2026-12-01" },
        }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "annual_report.as_of"), (ahead.StatusCode, ahead.ViolatedFields().Single()));
        var other = await Assert.ThrowsAsync<RpcException>(() => jobs.StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AnnualReport, Reason = "x", SuppressionList = new SuppressionListParameters { IncludeLifted = true },
        }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "suppression_list"), (other.StatusCode, other.ViolatedFields().Single()));

        // 9.1#9: on 5 January the city's schedule makes the year's 年報 workbook by itself.
        server.Time.Advance(TimeSpan.FromDays(31)); // 2027-01-05, 10:00 JST
        Operation? scheduled = null;
        for (var i = 0; i < 600 && scheduled is not { Done: true }; i++)
        {
            await Task.Delay(50);
            scheduled = (await jobs.ListOperationsAsync(new ListOperationsRequest())).Operations.LastOrDefault(o => o.Metadata.Schedule.StartsWith("nenpo@", StringComparison.Ordinal));
        }
        Assert.NotNull(scheduled);
        Assert.Equal((JobState.Succeeded, "2027-01-01", "2026-01-01", "2026-12-31"),
            (scheduled.Metadata.State, scheduled.Metadata.AnnualReport.AsOf, scheduled.Metadata.AnnualReport.From, scheduled.Metadata.AnnualReport.To));
        Assert.EndsWith("/年報.xlsx", scheduled.Response.Files[0], StringComparison.Ordinal);
    }

    [Fact]
    [Spec("6.1#3")]
    public async Task A_city_that_went_live_in_the_year_is_counted_from_that_month_and_the_months_before_are_the_old_systems()
    {
        const string Live = "132179";
        var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
        await admin.CreateTenantAsync(new CreateTenantRequest
        {
            Document = TenantDocuments.Minimal(Live, "稼働市", extra: "\"startedOn\": \"2026-04-15\","), Reason = "test", RequestId = Guid.NewGuid().ToString(),
        });
        var jobs = new JobService.JobServiceClient(server.As(Live, Roles.Supervisor));
        async Task<RpcException> RefusedAsync(string asOf, string from, string to) => await Assert.ThrowsAsync<RpcException>(() => jobs.StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AnnualReport, Reason = "年報",
            AnnualReport = new AnnualReportParameters { AsOf = asOf, From = from, To = to },
        }).ResponseAsync);
        // A period from before April, a 基準日 before April: the old system's.
        Assert.Equal(["annual_report.from"], (await RefusedAsync("2026-11-01", "2026-01-01", "2026-10-31")).ViolatedFields());
        Assert.Equal(["annual_report.from", "annual_report.as_of"], (await RefusedAsync("2026-03-01", "2026-01-01", "2026-02-28")).ViolatedFields());
        var refused = await RefusedAsync("2026-04-01", "2026-03-31", "2026-03-31");
        Assert.Equal(["annual_report.from"], refused.ViolatedFields());
        Assert.Contains("旧システム", refused.Status.Detail, StringComparison.Ordinal);

        // From the month it went live, and without a start given, the period begins there.
        foreach (var from in new[] { "2026-04-01", "" })
        {
            var done = await Operations.FinishedAsync(jobs, await jobs.StartJobAsync(new StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AnnualReport, Reason = "年報 (稼働月から)",
                AnnualReport = new AnnualReportParameters { AsOf = "2026-11-01", From = from, To = "2026-10-31" },
            }));
            Assert.True(done.Metadata.State == JobState.Succeeded, done.Error?.Message);
            Assert.Equal(("2026-04-01", "2026-10-31"), (done.Metadata.AnnualReport.From, done.Metadata.AnnualReport.To));
        }
    }
}

public sealed class AnnualReportTestsOnSqlite(SqliteServer server) : AnnualReportTests(server), IClassFixture<SqliteServer>;

public sealed class AnnualReportTestsOnPostgres(PostgresServer server) : AnnualReportTests(server), IClassFixture<PostgresServer>;
