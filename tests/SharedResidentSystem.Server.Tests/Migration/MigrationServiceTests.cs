using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Migration.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Migration;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;

namespace SharedResidentSystem.Server.Tests.Migration;

/// <summary>
/// A whole city out and in through MigrationService (10.6): the three member cities, each with
/// history (a 転居) and 除票 (a death), exported, imported into an empty database of the same
/// engine, and exported again give the same files; the import is in the city's access log;
/// the operator's choices (dry run) and the folder rules hold.
/// </summary>
public abstract class MigrationServiceTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture, new()
{
    private static readonly string[] Cities = ["132225", "132110", "132136"];

    private static MigrationService.MigrationServiceClient Operator(ServerFixture on, string city) =>
        new(on.Invoker(on.Token(city, "operator-migration", "OP1", Roles.Operator)));

    private static string Root(ServerFixture on) => MigrationGrpcService.Root(on.Services.GetRequiredService<IOptions<ServerOptions>>().Value);

    private static async Task<ImportCityResult> ImportAsync(MigrationService.MigrationServiceClient client, ImportCityRequest request, List<ImportCityProgress>? steps = null)
    {
        using var call = client.ImportCity(request);
        await foreach (var step in call.ResponseStream.ReadAllAsync())
        {
            steps?.Add(step);
            if (step.Result is { } result)
            {
                return result;
            }
        }
        throw new InvalidOperationException("no result");
    }

    /// <summary>A household of two; the head moves within the city (a second version), the other dies (a 除票).</summary>
    private static async Task LiveAsync(ServerFixture on, string city)
    {
        var clerk = new RegisterDriver(on, city);
        var family = await clerk.MoveInAsync(Requests.Date(2026, 11, 20), clerk.Address(1, "7番1号"),
            Person("移行", "一郎", "イコウ", Readings.UniqueKana(), 1960, 4, 1, Sex.Male, "世帯主"),
            Person("移行", "花子", "イコウ", Readings.UniqueKana(), 1962, 5, 2, Sex.Female, "妻"));
        var head = family.Residents.Single(r => r.Relationship == "世帯主");
        var wife = family.Residents.Single(r => r.Relationship == "妻");
        await clerk.Registration.RecordDeathAsync(new RecordDeathRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = Ref(wife), DeathDate = Requests.Date(2026, 11, 21), NotificationDate = Requests.Date(2026, 11, 22), Notifier = Notifier(),
        });
        var move = new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), MoveDate = Requests.Date(2026, 11, 23), NotificationDate = Requests.Date(2026, 11, 24), Notifier = Notifier(),
            Address = clerk.Address(2, "8番2号"),
        };
        move.Residents.Add(Ref(await clerk.GetAsync(head.Name)));
        await clerk.Registration.RecordAddressChangeAsync(move);
    }

    [Spec("10.6#1")]
    [Spec("10.6#3")]
    [Fact]
    public async Task Three_cities_with_history_and_removed_records_go_out_and_come_back_into_an_empty_database_the_same()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        foreach (var city in Cities)
        {
            await LiveAsync(server, city);
        }
        var target = new TServer();
        await target.InitializeAsync();
        try
        {
            foreach (var city in Cities)
            {
                var exported = await Operator(server, city).ExportCityAsync(new ExportCityRequest { Folder = $"out-{run}" });
                Assert.Contains(exported.Files, f => f.File == "R01_住民.csv" && f.Rows >= 3);
                Assert.Contains(exported.Files, f => f.File == "C01_コード表.csv" && f.Rows > 0);
                var source = Path.Combine(Root(server), city, $"out-{run}");
                var into = Path.Combine(Root(target), city, $"in-{run}");
                Directory.CreateDirectory(into);
                foreach (var file in Directory.EnumerateFiles(source))
                {
                    File.Copy(file, Path.Combine(into, Path.GetFileName(file)));
                }

                var steps = new List<ImportCityProgress>();
                var imported = await ImportAsync(Operator(target, city), new ImportCityRequest { Folder = $"in-{run}" }, steps);
                Assert.True(imported.Imported, string.Join("\n", imported.Problems.Select(p => $"{p.File}:{p.Line} {p.Item} {p.Rule}")));
                Assert.Equal(0, imported.ProblemCount);
                Assert.Contains(steps, s => s.Stage == "検査");
                Assert.Contains(steps, s => s.Stage == "取込" && s.File == "R01_住民.csv" && s.Done == s.Total);

                await Operator(target, city).ExportCityAsync(new ExportCityRequest { Folder = $"again-{run}" });
                var again = Path.Combine(Root(target), city, $"again-{run}");
                foreach (var file in exported.Files)
                {
                    Assert.True(File.ReadAllBytes(Path.Combine(source, file.File)).SequenceEqual(File.ReadAllBytes(Path.Combine(again, file.File))), $"{city} {file.File}");
                }

                // The imported city works: its residents are found by name, the 除票 among them.
                var clerk = new RegisterDriver(target, city);
                var found = await clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "イコウ", IncludeRemoved = true });
                Assert.Contains(found.Residents, r => r.Status == ResidentStatus.Removed);
                Assert.Contains(found.Residents, r => r.Status == ResidentStatus.Active && r.Address.Banchi == "8番2号");

                // The city's access log holds the import's start and what it did.
                var auditor = new AuditService.AuditServiceClient(target.Invoker(target.Token(city, "auditor-migration", "A1", Roles.Auditor)));
                var entries = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.migration.v1.MigrationService/ImportCity" })).Entries;
                Assert.Contains(entries, e => e.Detail == "started" && e.Staff == "operator-migration");
                Assert.Contains(entries, e => e.Detail.StartsWith($"migration import in-{run} imported", StringComparison.Ordinal) && e.Detail.Contains("0 problems", StringComparison.Ordinal));
                Assert.True((await auditor.VerifyChainAsync(new VerifyChainRequest())).Intact);
            }
        }
        finally
        {
            await target.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_dry_run_reports_every_problem_into_the_report_and_writes_nothing_and_a_filled_city_is_refused()
    {
        const string City = "132110";
        await LiveAsync(server, City);
        var run = Guid.NewGuid().ToString("N")[..8];
        var client = Operator(server, City);
        await client.ExportCityAsync(new ExportCityRequest { Folder = $"dry-{run}" });
        var folder = Path.Combine(Root(server), City, $"dry-{run}");
        var lines = File.ReadAllLines(Path.Combine(folder, "R01_住民.csv"));
        var header = lines[0].Split(',');
        var cells = lines[1].Split(',');
        cells[Array.IndexOf(header, "性別")] = "7";
        lines[1] = string.Join(',', cells);
        File.WriteAllLines(Path.Combine(folder, "R01_住民.csv"), lines);

        var result = await ImportAsync(client, new ImportCityRequest { Folder = $"dry-{run}", DryRun = true });
        Assert.False(result.Imported);
        // This city is not empty (every file says so) and one value is not in its code list.
        Assert.Contains(result.Problems, p => p.File == "R01_住民.csv" && p.Line == 2 && p.Item == "性別" && p.Rule.Contains("コード表「性別」", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.File == "R02_異動.csv" && p.Rule.Contains("既にあります", StringComparison.Ordinal));
        var report = File.ReadAllBytes(Path.Combine(folder, result.ReportFile));
        Assert.Equal([0xEF, 0xBB, 0xBF], report[..3]);
        var reportLines = System.Text.Encoding.UTF8.GetString(report[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ファイル,行,項目,規則,世帯番号", reportLines[0]);
        Assert.Equal(result.ProblemCount + 1, reportLines.Length);
    }

    [Fact]
    public async Task Folder_names_stay_inside_the_citys_part_and_an_export_never_overwrites()
    {
        var client = Operator(server, "132136");
        foreach (var bad in new[] { "../132225", "", "a/b", new string('x', 65) })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => client.ExportCityAsync(new ExportCityRequest { Folder = bad }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        }
        var name = "twice-" + Guid.NewGuid().ToString("N")[..8];
        await client.ExportCityAsync(new ExportCityRequest { Folder = name });
        var again = await Assert.ThrowsAsync<RpcException>(() => client.ExportCityAsync(new ExportCityRequest { Folder = name }).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, again.StatusCode);
        // Shift_JIS: the 外字 table comes beside the files (empty here: every name fits CP932).
        var sjis = await client.ExportCityAsync(new ExportCityRequest { Folder = name + "-sjis", Encoding = MigrationEncoding.ShiftJis });
        Assert.Contains(sjis.Files, f => f.File == "G01_外字一覧.csv");
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await ImportAsync(client, new ImportCityRequest { Folder = "nothing-here" }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        // A clerk does neither.
        var clerk = new MigrationService.MigrationServiceClient(server.As("132136", Roles.Clerk));
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => clerk.ExportCityAsync(new ExportCityRequest { Folder = "x" }).ResponseAsync)).StatusCode);
    }
}

public sealed class MigrationServiceOnSqlite(SqliteServer server) : MigrationServiceTests<SqliteServer>(server);

public sealed class MigrationServiceOnPostgres(PostgresServer server) : MigrationServiceTests<PostgresServer>(server);
