using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.Audit.V1;
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
/// Jobs as operations (AIP-151) and 9.6 無作為抽出, in a city of this class's own (府中市) so that
/// the register it draws from is exactly what the test made.
/// </summary>
public abstract class JobTests(ServerFixture server)
{
    private const string City = "132063";

    private static readonly SemaphoreSlim Once = new(1, 1);

    /// <summary>Each server's city, made once (the classes of both databases share this one).</summary>
    private static readonly Dictionary<ServerFixture, List<Resident>> Made = [];

    /// <summary>The city and its residents: six households of a man and a woman (born 1980 and 1985), and a foreign resident.</summary>
    private async Task<List<Resident>> CityAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (Made.TryGetValue(server, out var made))
            {
                return made;
            }
            var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
            if (!(await admin.ListTenantsAsync(new ListTenantsRequest())).Tenants.Any(t => t.TenantCode == City))
            {
                await admin.CreateTenantAsync(new CreateTenantRequest
                {
                    Document = TenantDocuments.Minimal(City, "府中市", extra: """
                        "districts": [
                          { "code": "N", "name": "本町北", "areas": [ { "town": "本町", "chome": [1, 2] } ] },
                          { "code": "S", "name": "本町南", "areas": [ { "town": "本町", "chome": [3, 4] } ] }
                        ],
                        "jobs": { "schedules": [
                          { "id": "nightly-check", "kind": "csConsistency", "at": "00:00", "every": "day", "reason": "毎日の整合性確認" }
                        ] },
                        """),
                    Reason = "test",
                    RequestId = Guid.NewGuid().ToString(),
                });
            }
            var registration = new RegistrationService.RegistrationServiceClient(server.As(City));
            var residents = new List<Resident>();
            for (var i = 0; i < 6; i++)
            {
                var request = MoveIn(City, UniqueKana(), members: 2);
                request.Address.Chome = 1 + (i % 4);
                residents.AddRange((await registration.RecordMoveInAsync(request)).Residents);
            }
            Made[server] = residents;
            return residents;
        }
        finally
        {
            Once.Release();
        }
    }

    private JobService.JobServiceClient Jobs(string role = Roles.Supervisor) => new(server.As(City, role));

    private static StartJobRequest Extraction(RandomExtractionParameters parameters) => new()
    {
        RequestId = Guid.NewGuid().ToString(), Kind = JobKind.RandomExtraction, Reason = "市民意識調査の対象者抽出", RandomExtraction = parameters,
    };

    private Task<Operation> FinishedAsync(Operation started) => Operations.FinishedAsync(Jobs(), started);

    private string[] Lines(Operation done)
    {
        var folder = JobRunner.CityFolder(server.Services.GetRequiredService<IOptions<ServerOptions>>().Value, City);
        return File.ReadAllLines(Path.Combine(folder, done.Response.Files[0]));
    }

    [Fact]
    [Spec("9.6#1")]
    [Spec("9.6#2")]
    [Spec("9.1#7")]
    public async Task A_stratified_draw_takes_the_lowest_places_of_each_stratum_in_proportion_and_the_same_seed_draws_the_same()
    {
        var residents = await CityAsync();
        var parameters = new RandomExtractionParameters { Count = 5, Seed = 20261130, StratifyBy = "sex", BornFrom = "1979-01-01", BornTo = "1990-12-31" };
        var started = await Jobs().StartJobAsync(Extraction(parameters));
        Assert.Equal((JobState.Queued, false, "市民意識調査の対象者抽出", "staff-1"), (started.Metadata.State, started.Done, started.Metadata.Reason, started.Metadata.Staff));
        var done = await FinishedAsync(started);
        Assert.Equal((JobState.Succeeded, 100, "T001"), (done.Metadata.State, done.Metadata.Percent, done.Metadata.Terminal));
        // 9.1#7: what it did, when (its time), from which terminal, and that it ended normally.
        Assert.True(done.Metadata.FinishedAt.ToDateTimeOffset() >= done.Metadata.StartedAt.ToDateTimeOffset());
        Assert.Equal(Operation.ResultOneofCase.Response, done.ResultCase);

        // Independently: 6 men and 6 women; 5 shared 3 to 女 and 2 to 男 (equal remainders go in the strata's order);
        // in each, the lowest places of the seed's keyed hash.
        var men = residents.Where(r => r.Sex == Sex.Male).Select(r => r.ResidentNumber).ToList();
        var women = residents.Where(r => r.Sex == Sex.Female).Select(r => r.ResidentNumber).ToList();
        IEnumerable<string> Lowest(List<string> stratum, int n) => stratum.OrderBy(r => Core.Jobs.RandomExtraction.PlaceOf(parameters.Seed, r)).Take(n);
        var expected = Lowest(women, 3).Concat(Lowest(men, 2)).OrderBy(r => Core.Jobs.RandomExtraction.PlaceOf(parameters.Seed, r)).ToList();
        var lines = Lines(done);
        Assert.Equal("抽出順位,層,宛名番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所", lines[0].TrimStart('\uFEFF'));
        Assert.Equal(expected, lines.Skip(1).Select(l => l.Split(',')[2]));
        Assert.Equal(new Dictionary<string, long> { ["対象者"] = 12, ["抽出"] = 5, ["対象者:女"] = 6, ["抽出:女"] = 3, ["対象者:男"] = 6, ["抽出:男"] = 2 },
            done.Response.Counts.ToDictionary(c => c.Key, c => c.Value));

        // 9.6#2: a 宛名シール for each drawn, in the order drawn.
        Assert.Equal($"{done.Name.Split('/')[^1]}/宛名シール.pdf", done.Response.Files[1]);
        var labels = PdfTools.Text(await File.ReadAllBytesAsync(Path.Combine(JobRunner.CityFolder(server.Services.GetRequiredService<IOptions<ServerOptions>>().Value, City), done.Response.Files[1])));
        var first = residents.Single(r => r.ResidentNumber == expected[0]);
        Assert.Equal(5, labels.Split("様").Length - 1);
        // (pdftotext breaks a label's lines and words as it likes: compared without white space)
        Assert.Contains($"{first.PersonName.Family}{first.PersonName.Given}様", System.Text.RegularExpressions.Regex.Replace(labels, @"\s", ""), StringComparison.Ordinal);
        Assert.Contains("〒189-0014", labels, StringComparison.Ordinal);

        // The same seed draws the same residents.
        var again = await FinishedAsync(await Jobs().StartJobAsync(Extraction(parameters)));
        Assert.Equal(lines.Skip(1), Lines(again).Skip(1));
        // The access log names who drew and the residents drawn.
        var auditor = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var entries = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.jobs.v1.JobService/run randomExtraction" })).Entries;
        var entry = Assert.Single(entries, e => e.Detail.Contains($"ジョブ {again.Name.Split('/')[^1]} ", StringComparison.Ordinal));
        Assert.Equal("staff-1", entry.Staff);
        Assert.Equal(expected.Order(StringComparer.Ordinal), entry.Residents.Order(StringComparer.Ordinal));
    }

    [Fact]
    [Spec("9.6#1")]
    public async Task Conditions_of_sex_birth_district_and_kind_narrow_the_draw_and_fewer_than_asked_are_all_drawn()
    {
        var residents = await CityAsync();
        // Women of 本町南 (丁目 3 and 4): households 3 and 4 (0-based 2 and 3) → 2 women; ask for 10.
        var done = await FinishedAsync(await Jobs().StartJobAsync(Extraction(new RandomExtractionParameters
        {
            Count = 10, Seed = 1, Sex = 2, Districts = { "S" }, ResidentKind = 1,
        })));
        var southWomen = residents.Where((r, i) => r.Sex == Sex.Female && (i / 2 % 4) + 1 >= 3).Select(r => r.ResidentNumber).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(southWomen, Lines(done).Skip(1).Select(l => l.Split(',')[1]).Order(StringComparer.Ordinal));
        Assert.Contains(done.Response.Errors, e => e.Contains("2 人を抽出しました", StringComparison.Ordinal));
        // Nobody born after 2000 among them: none drawn, and the job still succeeds.
        var none = await FinishedAsync(await Jobs().StartJobAsync(Extraction(new RandomExtractionParameters { Count = 3, Seed = 1, BornFrom = "2000-01-01" })));
        Assert.Equal((JobState.Succeeded, 0L), (none.Metadata.State, none.Response.Counts["抽出"]));
    }

    [Fact]
    [Spec("9.1#1")]
    [Spec("9.1#7")]
    public async Task A_schedule_of_the_citys_configuration_starts_its_run_once_in_its_own_name_and_an_abnormal_end_says_why()
    {
        await CityAsync();
        // The fake clock's day (JST) at 00:00 is due: its run is queued once, however many rounds the runner makes.
        Operation? run = null;
        for (var i = 0; i < 400 && run is not { Done: true }; i++)
        {
            run = (await Jobs().ListOperationsAsync(new ListOperationsRequest { PageSize = 500 })).Operations.SingleOrDefault(o => o.Metadata.Schedule.StartsWith("nightly-check@", StringComparison.Ordinal));
            await Task.Delay(50);
        }
        Assert.NotNull(run);
        var today = SharedResidentSystem.Japanese.JapanTime.Today(server.Time).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(($"nightly-check@{today}T00:00", "schedule:nightly-check", JobKind.CsConsistency, "毎日の整合性確認"),
            (run.Metadata.Schedule, run.Metadata.Staff, run.Metadata.Kind, run.Metadata.Reason));
        // 9.1#7: no CS here, so the run ends abnormally, with the reason's code.
        Assert.Equal((JobState.Failed, "JOB_FAILED"), (run.Metadata.State, run.Error.Reason));
        Assert.StartsWith(Core.Errors.ErrorReasons.CsNotConfigured, run.Error.Message, StringComparison.Ordinal);
        await Task.Delay(1500);
        Assert.Single((await Jobs().ListOperationsAsync(new ListOperationsRequest { PageSize = 500 })).Operations, o => o.Metadata.Schedule.StartsWith("nightly-check@", StringComparison.Ordinal));
    }

    [Fact]
    [Spec("9.6#1")]
    public async Task Contradicting_or_unknown_conditions_are_refused_naming_the_field_and_nothing_starts()
    {
        await CityAsync();
        async Task<IReadOnlyList<string>> Refused(RandomExtractionParameters p, string reason = "理由")
        {
            var request = Extraction(p);
            request.Reason = reason;
            var e = await Assert.ThrowsAsync<RpcException>(() => Jobs().StartJobAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            return e.ViolatedFields();
        }
        async Task<int> ByHandAsync() => (await Jobs().ListOperationsAsync(new ListOperationsRequest { PageSize = 500 })).Operations.Count(o => o.Metadata.Schedule.Length == 0);
        var before = await ByHandAsync();
        Assert.Equal(["random_extraction.born_to"], await Refused(new RandomExtractionParameters { Count = 1, BornFrom = "1990-01-01", BornTo = "1980-01-01" }));
        Assert.Equal(["random_extraction.districts[0]"], await Refused(new RandomExtractionParameters { Count = 1, Districts = { "X" } }));
        Assert.Equal(["random_extraction.count"], await Refused(new RandomExtractionParameters { Count = 0 }));
        Assert.Equal(["random_extraction.stratify_by"], await Refused(new RandomExtractionParameters { Count = 1, StratifyBy = "blood" }));
        Assert.Equal(["random_extraction.born_from"], await Refused(new RandomExtractionParameters { Count = 1, BornFrom = "昭和60年" }));
        Assert.Equal(["reason"], await Refused(new RandomExtractionParameters { Count = 1 }, " "));
        Assert.Equal(before, await ByHandAsync());
        // A clerk does not run jobs; another city does not see this one's.
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => Jobs(Roles.Clerk).StartJobAsync(Extraction(new RandomExtractionParameters { Count = 1 })).ResponseAsync)).StatusCode);
    }

    [Fact]
    [Spec("9.5#1")]
    [Spec("9.5#2")]
    public async Task The_inspection_copy_lists_the_four_items_of_an_area_in_address_or_random_order_and_never_whoever_is_protected()
    {
        var residents = await CityAsync();
        // District N (本町1-2丁目) holds four of the six households; one of them is protected (a 抑止 on its household, not yet begun).
        var inNorth = residents.Where((_, i) => i / 2 % 4 is 0 or 1).ToList();
        var protectedHousehold = inNorth[2].Household;
        var suppressions = new Contracts.Protection.V1.SuppressionService.SuppressionServiceClient(server.As(City, Roles.Supervisor));
        await suppressions.CreateSuppressionAsync(new Contracts.Protection.V1.CreateSuppressionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Suppression = new Contracts.Protection.V1.Suppression
            {
                Household = protectedHousehold, Processes = { Contracts.Protection.V1.SuppressedProcess.Issuance }, Level = Contracts.Protection.V1.SuppressionLevel.Error,
                Category = Contracts.Protection.V1.SuppressionCategory.Other, Reason = "支援措置の申出を審査中", StartsOn = Date(2026, 12, 20),
            },
        });
        var listed = inNorth.Where(r => r.Household != protectedHousehold).ToList();
        StartJobRequest Copy(string order, long seed = 0) => new()
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.InspectionCopy, Reason = "世論調査のための閲覧 (申出 第12号)",
            InspectionCopy = new InspectionCopyParameters { Districts = { "N" }, Order = order, Seed = seed },
        };

        var byAddress = await FinishedAsync(await Jobs().StartJobAsync(Copy("address")));
        Assert.Equal(new Dictionary<string, long> { ["掲載"] = 6, ["除外（支援措置・抑止）"] = 2 }, byAddress.Response.Counts.ToDictionary(c => c.Key, c => c.Value));
        var lines = Lines(byAddress);
        // 9.5: only 氏名, 生年月日, 性別 and 住所 (no 宛名番号, no 世帯, no 続柄), in 住所 order (1丁目 before 2丁目).
        Assert.Equal("番号,氏名,生年月日,性別,住所", lines[0].TrimStart('\uFEFF'));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["1", "2", "3", "4", "5", "6"], rows.Select(r => r[0]));
        Assert.Equal(rows.Select(r => r[4]).Order(StringComparer.Ordinal), rows.Select(r => r[4]));
        Assert.Equal(4, rows.Count(r => r[4].Contains("本町1丁目", StringComparison.Ordinal)));
        Assert.All(rows, r => Assert.DoesNotContain(r, cell => residents.Any(x => x.ResidentNumber == cell)));
        // The whole list as PDF too, its area named.
        var folder = JobRunner.CityFolder(server.Services.GetRequiredService<IOptions<ServerOptions>>().Value, City);
        var pdf = PdfTools.Text(await File.ReadAllBytesAsync(Path.Combine(folder, byAddress.Response.Files[1])));
        Assert.Contains("住民基本台帳の一部の写し（閲覧用）", pdf, StringComparison.Ordinal);
        Assert.Contains("区域 本町北", pdf, StringComparison.Ordinal);
        // The access log names the residents listed, and only them.
        var auditor = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var entries = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.jobs.v1.JobService/run inspectionCopy", PageSize = 500 })).Entries
            .Where(e => e.Detail.StartsWith($"ジョブ {byAddress.Name.Split('/')[^1]} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(listed.Select(r => r.ResidentNumber).Order(StringComparer.Ordinal), entries.SelectMany(e => e.Residents).Order(StringComparer.Ordinal));

        // At random: the seed's order (checked independently by the birth date and sex of each row), the same again with the same seed.
        var random = await FinishedAsync(await Jobs().StartJobAsync(Copy("random", 4242)));
        var expected = listed.OrderBy(r => Core.Jobs.RandomExtraction.PlaceOf(4242, r.ResidentNumber)).Select(r => r.Sex == Sex.Male ? "男" : "女");
        var randomRows = Lines(random).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(expected, randomRows.Select(r => r[3]));
        Assert.Equal(Lines(random), Lines(await FinishedAsync(await Jobs().StartJobAsync(Copy("random", 4242)))));
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => Jobs().StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.InspectionCopy, Reason = "x", InspectionCopy = new InspectionCopyParameters { Towns = { "東町" }, Order = "name" },
        }).ResponseAsync)).StatusCode);
    }
}

public sealed class JobTestsOnSqlite(SqliteServer server) : JobTests(server), IClassFixture<SqliteServer>;

public sealed class JobTestsOnPostgres(PostgresServer server) : JobTests(server), IClassFixture<PostgresServer>;
