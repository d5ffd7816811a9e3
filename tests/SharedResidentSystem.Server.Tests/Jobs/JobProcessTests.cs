using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Jobs;

/// <summary>A job in the real server process: one of a kind at a time, cancelled, and killed -9 in the middle then resumed.</summary>
public sealed class JobProcessTests
{
    private const string City = "132110";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly string AdminTool = ServerProcess.ProgramPath("tools/SharedResidentSystem.AdminTool", "srs-admin.dll");

    /// <summary>The server process's today (it runs on the system clock), as yyyy-MM-dd.</summary>
    private static string Today => SharedResidentSystem.Japanese.JapanTime.Today(TimeProvider.System).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Number(Operation o) => o.Name[(o.Name.LastIndexOf('/') + 1)..];

    // Small steps with a pause between them, so that the job is still running when the test acts.
    private static readonly string[] Slow = ["--Jobs:PageSize=2", "--Jobs:StepPauseMilliseconds=150", "--Jobs:PollSeconds=0.2"];

    private static StartJobRequest Extraction(long seed) => new()
    {
        RequestId = Guid.NewGuid().ToString(), Kind = JobKind.RandomExtraction, Reason = "世論調査の対象者抽出",
        RandomExtraction = new RandomExtractionParameters { Count = 6, Seed = seed, StratifyBy = "sex" },
    };

    private static Task<Operation> UntilAsync(JobService.JobServiceClient jobs, Metadata headers, string name, Func<Operation, bool> reached) =>
        Operations.UntilAsync(jobs, headers, name, reached);

    /// <summary>A call's headers for a token of the city minted for the server's data directory.</summary>
    private static Task<Metadata> SignedInAsync(string data, string role, params string[] more) => SignedInToAsync(data, City, role, more);

    /// <summary>A call's headers for a token of <paramref name="city"/>, at terminal T001.</summary>
    private static async Task<Metadata> SignedInToAsync(string data, string city, string role, params string[] more) =>
        new() { { "Authorization", "Bearer " + await ServerProcess.MintAsync(data, city, role, ["--terminal", "T001", .. more]) } };

    /// <summary>The server killed (-9) and started again on its data, serving.</summary>
    private static async Task<ServerProcess> KilledAndRestartedAsync(ServerProcess server)
    {
        await server.KillAsync();
        var again = ServerProcess.Restart(server, Slow);
        await again.WaitUntilServingAsync(StartTimeout);
        return again;
    }

    /// <summary>The server with the slow settings (and any more), serving.</summary>
    private static async Task<ServerProcess> StartedAsync(string data, params string[] more)
    {
        var server = ServerProcess.Start(data, [.. Slow, .. more]);
        await server.WaitUntilServingAsync(StartTimeout);
        return server;
    }

    [Fact]
    [Spec("9.1#6")]
    [Spec("9.6#1")]
    [Spec("9.1#3")]
    [Spec("9.1#4")]
    [Spec("9.1#5")]
    public async Task A_job_killed_mid_run_goes_on_from_its_checkpoint_and_draws_what_an_uninterrupted_run_draws()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-jobs");
        ServerProcess? server = null;
        try
        {
            server = await StartedAsync(data);
            var supervisor = await SignedInAsync(data, "supervisor", "--staff", "kodaira-sv");
            var clerk = await SignedInAsync(data, "clerk");
            Operation first;
            Operation copy;
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                for (var i = 0; i < 8; i++)
                {
                    await registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 2), clerk);
                }
                var jobs = new JobService.JobServiceClient(channel);
                first = await jobs.StartJobAsync(Extraction(77), supervisor);
                await UntilAsync(jobs, supervisor, first.Name, o => o.Metadata.State == JobState.Running && o.Metadata.DoneCount >= 6);
                // One of a kind at a time; and the counter goes on while it runs (in another city, so that the draw compared below stays the same).
                var second = await Assert.ThrowsAsync<RpcException>(() => jobs.StartJobAsync(Extraction(78), supervisor).ResponseAsync);
                Assert.Equal("JOB_RUNNING", second.ErrorInfo()?.Reason);
                // A job of another kind runs beside it, step for step: it does not wait for the first to end.
                copy = await jobs.StartJobAsync(new StartJobRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Kind = JobKind.InspectionCopy, Reason = "閲覧 (申出 第3号)", InspectionCopy = new InspectionCopyParameters(),
                }, supervisor);
                await UntilAsync(jobs, supervisor, copy.Name, o => o.Metadata.State == JobState.Running && o.Metadata.DoneCount > 0);
                Assert.False((await jobs.GetOperationAsync(new GetOperationRequest { Name = first.Name }, supervisor)).Done);
                var otherClerk = await SignedInToAsync(data, "132225", "clerk");
                await registration.RecordMoveInAsync(MoveIn("132225", UniqueKana(), members: 1), otherClerk);
            }
            server = await KilledAndRestartedAsync(server);
            using var again = GrpcChannel.ForAddress(server.Address);
            var resumedJobs = new JobService.JobServiceClient(again);
            var resumed = await UntilAsync(resumedJobs, supervisor, first.Name, o => o.Done);
            Assert.Equal((JobState.Succeeded, 1), (resumed.Metadata.State, resumed.Metadata.Resumed));

            // The same draw without a crash: the same residents, in the same order.
            var uninterrupted = await UntilAsync(resumedJobs, supervisor, (await resumedJobs.StartJobAsync(Extraction(77), supervisor)).Name, o => o.Done);
            Assert.Equal((JobState.Succeeded, 0), (uninterrupted.Metadata.State, uninterrupted.Metadata.Resumed));
            string[] Drawn(Operation done) => File.ReadAllLines(Path.Combine(data, "jobs", City, done.Response.Files[0])).Skip(1).ToArray();
            Assert.Equal(6, Drawn(resumed).Length);
            Assert.Equal(Drawn(uninterrupted), Drawn(resumed));
            Assert.Equal(uninterrupted.Response.Counts, resumed.Response.Counts);

            // A job cancelled while it runs ends CANCELLED after its current step.
            var third = await resumedJobs.StartJobAsync(Extraction(79), supervisor);
            await UntilAsync(resumedJobs, supervisor, third.Name, o => o.Metadata.State == JobState.Running);
            await resumedJobs.CancelOperationAsync(new CancelOperationRequest { RequestId = Guid.NewGuid().ToString(), Name = third.Name }, supervisor);
            var cancelled = await UntilAsync(resumedJobs, supervisor, third.Name, o => o.Done);
            Assert.Equal((JobState.Cancelled, "JOB_CANCELLED"), (cancelled.Metadata.State, cancelled.Error.Reason));
            Assert.Equal([first.Name, copy.Name, uninterrupted.Name, third.Name], (await resumedJobs.ListOperationsAsync(new ListOperationsRequest(), supervisor)).Operations.Select(o => o.Name));
            Assert.Equal(JobState.Succeeded, (await UntilAsync(resumedJobs, supervisor, copy.Name, o => o.Done)).Metadata.State);

            // srs-admin: a job started and watched to its end, then listed and shown.
            var token = supervisor.Get("Authorization")!.Value["Bearer ".Length..];
            Task<(int ExitCode, string Stdout, string Stderr)> Admin(params string[] args) =>
                ServerProcess.RunAsync("dotnet", [AdminTool, .. args, "--address", server.Address, "--token", token], TimeSpan.FromSeconds(120), "");
            var watched = await Admin("job", "extract", "--count", "3", "--seed", "77", "--stratify", "sex", "--reason", "窓口満足度調査", "--watch");
            Assert.True(watched.ExitCode == 0, watched.Stderr);
            Assert.Contains("Succeeded", watched.Stdout, StringComparison.Ordinal);
            Assert.Contains("抽出 3", watched.Stdout, StringComparison.Ordinal);
            // 9.1#3-5: the previous parameters again, one of them changed, and the change shown.
            var repeated = await Admin("job", "extract", "--again", "--count", "2", "--reason", "窓口満足度調査 (追加)", "--watch");
            Assert.True(repeated.ExitCode == 0, repeated.Stderr);
            Assert.Contains("＊前回から変更した条件: count", repeated.Stdout, StringComparison.Ordinal);
            Assert.Contains("抽出 2", repeated.Stdout, StringComparison.Ordinal);
            var last = (await resumedJobs.ListOperationsAsync(new ListOperationsRequest(), supervisor)).Operations[^1];
            Assert.Equal((77L, "sex", 2), (last.Metadata.RandomExtraction.Seed, last.Metadata.RandomExtraction.StratifyBy, last.Metadata.RandomExtraction.Count));
            Assert.Equal(["count"], last.Metadata.ChangedFromLast);
            var listed = await Admin("job", "list");
            Assert.Equal(6, listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            var shown = await Admin("job", "show", Number(third));
            Assert.Contains("JOB_CANCELLED", shown.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
        }
    }

    [Fact]
    [Spec("9.7#1")]
    [Spec("9.7#6")]
    [Spec("9.7#7")]
    public async Task An_address_change_killed_in_its_apply_goes_on_and_corrects_each_household_exactly_once_as_an_uninterrupted_run_does()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-jobs-9-7");
        ServerProcess? server = null;
        try
        {
            server = await StartedAsync(data);
            var supervisor = await SignedInAsync(data, "supervisor", "--staff", "kodaira-sv");
            var clerk = await SignedInAsync(data, "clerk");
            var auditor = await SignedInAsync(data, "auditor");
            var token = supervisor.Get("Authorization")!.Value["Bearer ".Length..];
            Task<(int ExitCode, string Stdout, string Stderr)> Admin(params string[] args) =>
                ServerProcess.RunAsync("dotnet", [AdminTool, .. args, "--address", server!.Address, "--token", token], TimeSpan.FromSeconds(180), "");
            // Two groups of six households: one applied with a kill -9 in the middle, one without.
            var residents = new Dictionary<string, List<Resident>> { ["77番地"] = [], ["78番地"] = [] };
            Operation apply;
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                foreach (var (banchi, made) in residents)
                {
                    for (var i = 0; i < 6; i++)
                    {
                        var request = MoveIn(City, UniqueKana(), members: 2);
                        request.Address.Banchi = banchi;
                        made.AddRange((await registration.RecordMoveInAsync(request, clerk)).Residents);
                    }
                }
                var jobs = new JobService.JobServiceClient(channel);
                var definition = "世帯番号,変更前町字,変更前丁目,変更前番地,変更後町字,変更後丁目,変更後番地\n,小川町,1,77番地,中島町,1,77番地\n"u8.ToArray();
                var preview = await UntilAsync(jobs, supervisor, (await jobs.StartJobAsync(new StartJobRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AddressBulkChange, Reason = "区画整理 (小川町一丁目77番地)",
                    AddressBulkChange = new AddressBulkChangeParameters
                    {
                        Mode = AddressBulkChangeMode.Preview, Target = AddressBulkChangeTarget.Address, EffectiveDate = Today,
                        DefinitionCsv = Google.Protobuf.ByteString.CopyFrom(definition),
                    },
                }, supervisor)).Name, o => o.Done);
                Assert.Equal((JobState.Succeeded, 6L), (preview.Metadata.State, preview.Response.Counts["対象"]));
                apply = await jobs.StartJobAsync(new StartJobRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AddressBulkChange, Reason = "区画整理 (小川町一丁目77番地)",
                    AddressBulkChange = new AddressBulkChangeParameters { Mode = AddressBulkChangeMode.Apply, FromOperation = preview.Name },
                }, supervisor);
                await UntilAsync(jobs, supervisor, apply.Name, o => o.Metadata.State == JobState.Running && o.Metadata.DoneCount >= 3);
            }
            server = await KilledAndRestartedAsync(server);
            using var again = GrpcChannel.ForAddress(server.Address);
            var resumedJobs = new JobService.JobServiceClient(again);
            var resumed = await UntilAsync(resumedJobs, supervisor, apply.Name, o => o.Done);
            Assert.Equal((JobState.Succeeded, 1), (resumed.Metadata.State, resumed.Metadata.Resumed));

            // The other group through srs-admin, without a crash: preview from a file, then apply.
            var file = Path.Combine(data, "定義.csv");
            await File.WriteAllTextAsync(file, "世帯番号,変更前町字,変更前丁目,変更前番地,変更後町字,変更後丁目,変更後番地\n,小川町,1,78番地,中島町,1,78番地\n");
            var previewed = await Admin("job", "address-change", "preview", "--definition", file, "--date", Today,
                "--reason", "区画整理 (小川町一丁目78番地)", "--watch");
            Assert.True(previewed.ExitCode == 0, previewed.Stderr);
            Assert.Contains("対象 6", previewed.Stdout, StringComparison.Ordinal);
            var previewNumber = (await resumedJobs.ListOperationsAsync(new ListOperationsRequest(), supervisor)).Operations[^1].Name.Split('/')[^1];
            var applied = await Admin("job", "address-change", "apply", previewNumber, "--reason", "区画整理 (小川町一丁目78番地)", "--watch");
            Assert.True(applied.ExitCode == 0, applied.Stderr);
            var uninterrupted = (await resumedJobs.ListOperationsAsync(new ListOperationsRequest(), supervisor)).Operations[^1];
            Assert.Equal((JobState.Succeeded, 0), (uninterrupted.Metadata.State, uninterrupted.Metadata.Resumed));

            // The same outcome: every household of its group corrected by exactly one 異動, listed once, in the access log once.
            Assert.Equal(uninterrupted.Response.Counts, resumed.Response.Counts);
            Assert.Equal(new Dictionary<string, long> { ["更新"] = 6 }, resumed.Response.Counts.ToDictionary(c => c.Key, c => c.Value));
            var people = new ResidentService.ResidentServiceClient(again);
            var auditLog = new AuditService.AuditServiceClient(again);
            foreach (var (operation, made) in new[] { (resumed, residents["77番地"]), (uninterrupted, residents["78番地"]) })
            {
                var lines = File.ReadAllLines(Path.Combine(data, "jobs", City, operation.Response.Files.Single())).Skip(1).Select(l => l.Split(',')).ToList();
                Assert.Equal(6, lines.Count);
                Assert.All(lines, l => Assert.Equal("更新", l[8]));
                Assert.Equal(6, lines.Select(l => l[9]).Distinct().Count());
                foreach (var person in made)
                {
                    var history = (await people.ListResidentIdouAsync(new ListResidentIdouRequest { Name = person.Name }, clerk)).Idou;
                    Assert.Single(history, h => h.Reason == "軽微な修正");
                    Assert.Equal("中島町", (await people.GetResidentAsync(new GetResidentRequest { Name = person.Name }, clerk)).Address.Town);
                }
                var number = operation.Name.Split('/')[^1];
                var entries = (await auditLog.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.jobs.v1.JobService/run addressBulkChange", PageSize = 500 }, auditor)).Entries;
                Assert.Equal(6, entries.Count(e => e.Detail.StartsWith($"ジョブ {number} 本処理", StringComparison.Ordinal)));
            }

            // And undone as a whole through srs-admin.
            var undone = await Admin("job", "address-change", "undo", apply.Name.Split('/')[^1], "--reason", "区画整理の中止", "--watch");
            Assert.True(undone.ExitCode == 0, undone.Stderr);
            Assert.Contains("取消し 6", undone.Stdout, StringComparison.Ordinal);
            Assert.All(await Task.WhenAll(residents["77番地"].Select(async p => (await people.GetResidentAsync(new GetResidentRequest { Name = p.Name }, clerk)).Address.Town)),
                town => Assert.Equal("小川町", town));
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
        }
    }

    [Fact]
    [Spec("9.5#1")]
    public async Task An_inspection_copy_killed_mid_run_goes_on_and_lists_what_an_uninterrupted_run_lists()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-jobs-9-5");
        ServerProcess? server = null;
        try
        {
            server = await StartedAsync(data);
            var supervisor = await SignedInAsync(data, "supervisor", "--staff", "kodaira-sv");
            var clerk = await SignedInAsync(data, "clerk");
            StartJobRequest Copy() => new()
            {
                RequestId = Guid.NewGuid().ToString(), Kind = JobKind.InspectionCopy, Reason = "閲覧 (申出 第7号)",
                InspectionCopy = new InspectionCopyParameters { Order = "random", Seed = 4711 },
            };
            Operation first;
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                for (var i = 0; i < 8; i++)
                {
                    await registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 2), clerk);
                }
                var jobs = new JobService.JobServiceClient(channel);
                first = await jobs.StartJobAsync(Copy(), supervisor);
                await UntilAsync(jobs, supervisor, first.Name, o => o.Metadata.State == JobState.Running && o.Metadata.DoneCount >= 6);
            }
            server = await KilledAndRestartedAsync(server);
            using var again = GrpcChannel.ForAddress(server.Address);
            var resumedJobs = new JobService.JobServiceClient(again);
            var resumed = await UntilAsync(resumedJobs, supervisor, first.Name, o => o.Done);
            Assert.Equal((JobState.Succeeded, 1), (resumed.Metadata.State, resumed.Metadata.Resumed));
            // The same list without a crash, started with srs-admin.
            var token = supervisor.Get("Authorization")!.Value["Bearer ".Length..];
            var made = await ServerProcess.RunAsync("dotnet", [AdminTool, "job", "inspection-copy", "--order", "random", "--seed", "4711", "--reason", "閲覧 (申出 第8号)", "--watch",
                "--address", server.Address, "--token", token], TimeSpan.FromSeconds(120), "");
            Assert.True(made.ExitCode == 0, made.Stderr);
            Assert.Contains("Succeeded", made.Stdout, StringComparison.Ordinal);
            var uninterrupted = (await resumedJobs.ListOperationsAsync(new ListOperationsRequest(), supervisor)).Operations[^1];
            Assert.Equal((JobKind.InspectionCopy, 0), (uninterrupted.Metadata.Kind, uninterrupted.Metadata.Resumed));
            string[] Listed(Operation done) => File.ReadAllLines(Path.Combine(data, "jobs", City, done.Response.Files[0]));
            Assert.True(Listed(resumed).Length >= 17);
            Assert.Equal(Listed(uninterrupted), Listed(resumed));
            Assert.Equal(uninterrupted.Response.Counts, resumed.Response.Counts);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
        }
    }

    [Fact]
    [Spec("9.3#1")]
    public async Task A_move_of_removed_records_killed_mid_run_goes_on_and_moves_what_an_uninterrupted_run_moves()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-jobs-9-3");
        ServerProcess? server = null;
        const string Other = "132225";
        try
        {
            server = await StartedAsync(data);
            var supervisor = await SignedInAsync(data, "supervisor", "--staff", "kodaira-sv");
            var otherSupervisor = await SignedInToAsync(data, Other, "supervisor", "--staff", "kurume-sv");
            var clerks = new Dictionary<string, Metadata>
            {
                [City] = await SignedInAsync(data, "clerk"),
                [Other] = await SignedInToAsync(data, Other, "clerk"),
            };
            // In each of two cities the same eight people, each moved in in 2015 and out in 2019
            // (their 除票 are past five years), and one still here: made in the same order, they
            // have the same numbers in both.
            var gone = new Dictionary<string, List<Resident>> { [City] = [], [Other] = [] };
            Operation killed;
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                var residents = new ResidentService.ResidentServiceClient(channel);
                for (var i = 0; i < 9; i++)
                {
                    var kana = UniqueKana();
                    foreach (var (city, clerk) in clerks)
                    {
                        var moveIn = MovedInOn(MoveIn(city, kana, members: 1), Date(2015, 4, 1));
                        moveIn.AcknowledgedAlerts.Add("NOTIFIED_LATE");
                        var person = (await registration.RecordMoveInAsync(moveIn, clerk)).Residents.Single();
                        if (i == 8)
                        {
                            continue;
                        }
                        var moveOut = new RecordMoveOutRequest
                        {
                            RequestId = Guid.NewGuid().ToString(), Residents = { new ResidentRef { Name = person.Name, Etag = person.Etag } },
                            PlannedDate = Date(2019, 3, 31), NotificationDate = Date(2019, 3, 25), Notifier = RegisterDriver.Notifier(),
                            Destination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田1-1-1" },
                            AcknowledgedAlerts = { "NOTIFIED_LATE" },
                        };
                        gone[city].Add((await registration.RecordMoveOutAsync(moveOut, clerk)).Residents.Single());
                    }
                }
                Assert.Equal(gone[City].Select(r => r.ResidentNumber), gone[Other].Select(r => r.ResidentNumber));
                var jobs = new JobService.JobServiceClient(channel);
                killed = await jobs.StartJobAsync(new StartJobRequest { RequestId = Guid.NewGuid().ToString(), Kind = JobKind.RemovedRecordsArchive, Reason = "年次の除票移行" }, supervisor);
                await UntilAsync(jobs, supervisor, killed.Name, o => o.Metadata.State == JobState.Running && o.Metadata.DoneCount >= 3);
            }
            server = await KilledAndRestartedAsync(server);
            using var again = GrpcChannel.ForAddress(server.Address);
            var resumed = await UntilAsync(new JobService.JobServiceClient(again), supervisor, killed.Name, o => o.Done);
            Assert.Equal((JobState.Succeeded, 1), (resumed.Metadata.State, resumed.Metadata.Resumed));

            // The other city's move, uninterrupted, started with srs-admin.
            var token = otherSupervisor.Get("Authorization")!.Value["Bearer ".Length..];
            var made = await ServerProcess.RunAsync("dotnet", [AdminTool, "job", "archive-removed", "--reason", "年次の除票移行", "--watch",
                "--address", server.Address, "--token", token], TimeSpan.FromSeconds(180), "");
            Assert.True(made.ExitCode == 0, made.Stderr);
            Assert.Contains("Succeeded", made.Stdout, StringComparison.Ordinal);
            var uninterrupted = (await new JobService.JobServiceClient(again).ListOperationsAsync(new ListOperationsRequest(), otherSupervisor)).Operations[^1];
            Assert.Equal((JobKind.RemovedRecordsArchive, 0), (uninterrupted.Metadata.Kind, uninterrupted.Metadata.Resumed));
            string[] Listed(string city, Operation done) => File.ReadAllLines(Path.Combine(data, "jobs", city, done.Response.Files[0]));
            Assert.Equal(9, Listed(City, resumed).Length);
            Assert.Equal(Listed(Other, uninterrupted), Listed(City, resumed));
            Assert.Equal(uninterrupted.Response.Counts, resumed.Response.Counts);
            Assert.Equal(8, resumed.Response.Counts["移行"]);

            // Each 除票 moved once, whole: still read as before, and moved again by nothing.
            var residentsAgain = new ResidentService.ResidentServiceClient(again);
            foreach (var person in gone[City])
            {
                var now = await residentsAgain.GetResidentAsync(new GetResidentRequest { Name = person.Name }, clerks[City]);
                Assert.Equal((person.Etag, ResidentStatus.Removed), (now.Etag, now.Status));
                Assert.Equal(2, (await residentsAgain.ListResidentIdouAsync(new ListResidentIdouRequest { Name = person.Name }, clerks[City])).Idou.Count);
            }
            var auditLog = new AuditService.AuditServiceClient(again);
            var auditor = await SignedInAsync(data, "auditor");
            var logged = (await auditLog.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.jobs.v1.JobService/run removedRecordsArchive" }, auditor)).Entries
                .SelectMany(e => e.Residents).ToList();
            Assert.Equal(gone[City].Select(r => r.ResidentNumber).Order(StringComparer.Ordinal), logged.Order(StringComparer.Ordinal));
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
        }
    }

    [Fact]
    [Spec("9.2#1")]
    public async Task A_suppression_list_and_a_retention_killed_mid_run_go_on_and_give_what_uninterrupted_runs_give()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-jobs-9-2");
        ServerProcess? server = null;
        const string Other = "132225";
        try
        {
            // The list has only four pages: a longer pause keeps it running between the test's last look and the kill on a loaded machine.
            server = await StartedAsync(data, "--Jobs:StepPauseMilliseconds=1000");
            Task<Metadata> As(string city, string role, string staff) => SignedInToAsync(data, city, role, "--staff", staff);
            var supervisors = new Dictionary<string, Metadata> { [City] = await As(City, "supervisor", "kodaira-sv"), [Other] = await As(Other, "supervisor", "kurume-sv") };
            var clerks = new Dictionary<string, Metadata> { [City] = await As(City, "clerk", "kodaira-1"), [Other] = await As(Other, "clerk", "kurume-1") };
            // In each city the same four people, each with two 抑止 and two certificates issued.
            var issued = new List<IssuedCopy>();
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                var suppressions = new Contracts.Protection.V1.SuppressionService.SuppressionServiceClient(channel);
                var certificates = new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(channel);
                for (var i = 0; i < 4; i++)
                {
                    var kana = UniqueKana();
                    foreach (var city in new[] { City, Other })
                    {
                        var person = (await registration.RecordMoveInAsync(MoveIn(city, kana, members: 1), clerks[city])).Residents.Single();
                        for (var copy = 0; copy < 2; copy++)
                        {
                            var answer = await certificates.IssueCertificateAsync(new Contracts.Certificates.V1.IssueCertificateRequest
                            {
                                RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Residents = { person.Name },
                                Requester = new Contracts.Certificates.V1.Requester { Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = "高橋 一郎", Resident = person.Name, IdentityCheck = "運転免許証" },
                            }, clerks[city]);
                            issued.AddRange(answer.Copies.Select(c => new IssuedCopy(city, c.VerificationCode)));
                        }
                        foreach (var process in new[] { Contracts.Protection.V1.SuppressedProcess.Idou, Contracts.Protection.V1.SuppressedProcess.Issuance })
                        {
                            await suppressions.CreateSuppressionAsync(new Contracts.Protection.V1.CreateSuppressionRequest
                            {
                                RequestId = Guid.NewGuid().ToString(),
                                Suppression = new Contracts.Protection.V1.Suppression
                                {
                                    Resident = person.Name, Processes = { process }, Level = Contracts.Protection.V1.SuppressionLevel.Alert,
                                    Category = Contracts.Protection.V1.SuppressionCategory.ExclusiveControl, Reason = "他課で処理中", StartsOn = Date(2026, 11, 1),
                                },
                            }, supervisors[city]);
                        }
                    }
                }
            }
            // The ledger is made old: issued in 2019, past the five years the cities keep it.
            using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "srs.db")};Default Timeout=30"))
            {
                sqlite.Open();
                using var age = sqlite.CreateCommand();
                age.CommandText = "UPDATE Issuances SET IssuedAt = $at";
                age.Parameters.AddWithValue("$at", new DateTime(2019, 1, 10, 1, 0, 0, DateTimeKind.Utc));
                Assert.Equal(16, age.ExecuteNonQuery());
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            StartJobRequest Start(JobKind kind) => new() { RequestId = Guid.NewGuid().ToString(), Kind = kind, Reason = "年次の点検" };
            Operation list, retention;
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var jobs = new JobService.JobServiceClient(channel);
                list = await jobs.StartJobAsync(Start(JobKind.SuppressionList), supervisors[City]);
                retention = await jobs.StartJobAsync(Start(JobKind.Retention), supervisors[City]);
                for (var i = 0; i < 1200; i++)
                {
                    var a = await jobs.GetOperationAsync(new GetOperationRequest { Name = list.Name }, supervisors[City]);
                    var b = await jobs.GetOperationAsync(new GetOperationRequest { Name = retention.Name }, supervisors[City]);
                    if (a.Metadata.DoneCount >= 2 && b.Metadata.DoneCount >= 2)
                    {
                        Assert.False(a.Done || b.Done, "a job ended before the kill");
                        break;
                    }
                    await Task.Delay(20);
                }
            }
            server = await KilledAndRestartedAsync(server);
            using var again = GrpcChannel.ForAddress(server.Address);
            var resumedJobs = new JobService.JobServiceClient(again);
            var listed = await UntilAsync(resumedJobs, supervisors[City], list.Name, o => o.Done);
            var retained = await UntilAsync(resumedJobs, supervisors[City], retention.Name, o => o.Done);
            Assert.Equal((JobState.Succeeded, 1, JobState.Succeeded, 1), (listed.Metadata.State, listed.Metadata.Resumed, retained.Metadata.State, retained.Metadata.Resumed));

            // The other city's, uninterrupted, with srs-admin.
            var token = supervisors[Other].Get("Authorization")!.Value["Bearer ".Length..];
            foreach (var command in new[] { "suppression-list", "retention" })
            {
                var made = await ServerProcess.RunAsync("dotnet", [AdminTool, "job", command, "--reason", "年次の点検", "--watch", "--address", server.Address, "--token", token], TimeSpan.FromSeconds(180), "");
                Assert.True(made.ExitCode == 0, made.Stderr);
                Assert.Contains("Succeeded", made.Stdout, StringComparison.Ordinal);
            }
            var others = (await resumedJobs.ListOperationsAsync(new ListOperationsRequest(), supervisors[Other])).Operations;
            var otherList = others.Single(o => o.Metadata.Kind == JobKind.SuppressionList);
            var otherRetention = others.Single(o => o.Metadata.Kind == JobKind.Retention);
            string[] Lines(string city, Operation done) => File.ReadAllLines(Path.Combine(data, "jobs", city, done.Response.Files[0]));
            Assert.Equal(9, Lines(City, listed).Length);
            Assert.Equal(Lines(Other, otherList), Lines(City, listed));
            Assert.Equal(otherList.Response.Counts, listed.Response.Counts);
            Assert.Equal(otherRetention.Response.Counts, retained.Response.Counts);
            Assert.Equal(8, retained.Response.Counts["交付履歴"]);
            // Each certificate of the ledger deleted once: none verifies any more.
            var anonymous = new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(again);
            foreach (var copy in issued)
            {
                var answer = await anonymous.VerifyCertificateAsync(new Contracts.Certificates.V1.VerifyCertificateRequest { Code = copy.Code });
                Assert.Equal(Contracts.Certificates.V1.VerifyCertificateResponse.Types.Status.NotIssued, answer.Status);
            }
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
        }
    }

    [Fact]
    [Spec("6.1#1")]
    public async Task An_annual_report_killed_mid_run_goes_on_and_writes_what_an_uninterrupted_run_writes()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-jobs-6-1");
        ServerProcess? server = null;
        const string Other = "132225";
        try
        {
            server = await StartedAsync(data);
            Task<Metadata> As(string city, string role) => SignedInToAsync(data, city, role, "--staff", $"{city}-{role}");
            var supervisors = new Dictionary<string, Metadata> { [City] = await As(City, "supervisor"), [Other] = await As(Other, "supervisor") };
            var yesterday = SharedResidentSystem.Japanese.JapanTime.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var parameters = new AnnualReportParameters { AsOf = Today, From = "2026-01-01", To = yesterday };
            Operation killed;
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                foreach (var city in new[] { City, Other })
                {
                    var clerk = await As(city, "clerk");
                    for (var i = 0; i < 3; i++)
                    {
                        await registration.RecordMoveInAsync(MoveIn(city, UniqueKana(), members: 1 + i), clerk);
                    }
                }
                var jobs = new JobService.JobServiceClient(channel);
                killed = await jobs.StartJobAsync(new StartJobRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AnnualReport, Reason = "住民基本台帳関係年報", AnnualReport = parameters,
                }, supervisors[City]);
                await UntilAsync(jobs, supervisors[City], killed.Name, o => o.Metadata.State == JobState.Running && o.Metadata.DoneCount >= 3);
            }
            server = await KilledAndRestartedAsync(server);
            using var again = GrpcChannel.ForAddress(server.Address);
            var resumedJobs = new JobService.JobServiceClient(again);
            var resumed = await UntilAsync(resumedJobs, supervisors[City], killed.Name, o => o.Done);
            Assert.Equal((JobState.Succeeded, 1), (resumed.Metadata.State, resumed.Metadata.Resumed));

            var token = supervisors[Other].Get("Authorization")!.Value["Bearer ".Length..];
            var made = await ServerProcess.RunAsync("dotnet", [AdminTool, "job", "annual-report", "--as-of", Today, "--from", "2026-01-01", "--to", yesterday,
                "--reason", "住民基本台帳関係年報", "--watch", "--address", server.Address, "--token", token], TimeSpan.FromSeconds(120), "");
            Assert.True(made.ExitCode == 0, made.Stderr);
            var uninterrupted = (await resumedJobs.ListOperationsAsync(new ListOperationsRequest(), supervisors[Other])).Operations[^1];
            Assert.Equal((JobKind.AnnualReport, 0), (uninterrupted.Metadata.Kind, uninterrupted.Metadata.Resumed));
            Assert.Equal(uninterrupted.Response.Counts, resumed.Response.Counts);
            Assert.Equal(6, resumed.Response.Counts["人口"]);
            var csvs = resumed.Response.Files.Where(f => f.EndsWith(".csv", StringComparison.Ordinal)).ToList();
            Assert.Equal(7, csvs.Count);
            foreach (var (mine, theirs) in csvs.Zip(uninterrupted.Response.Files.Where(f => f.EndsWith(".csv", StringComparison.Ordinal))))
            {
                Assert.Equal(File.ReadAllText(Path.Combine(data, "jobs", Other, theirs)), File.ReadAllText(Path.Combine(data, "jobs", City, mine)));
            }
            Assert.True(File.Exists(Path.Combine(data, "jobs", City, resumed.Response.Files[0])));
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
        }
    }

    private sealed record IssuedCopy(string City, string Code);

    [Fact]
    [Spec("9.1#8")]
    [Spec("9.1#7")]
    public async Task A_job_that_ends_abnormally_is_reported_to_the_alerting_system_until_it_takes_the_report()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-jobs-alert");
        var port = FreePort();
        using var alerting = new System.Net.HttpListener();
        alerting.Prefixes.Add($"http://127.0.0.1:{port}/alerts/");
        alerting.Start();
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // The alerting system is down for the first report (503), then takes it.
        var listening = Task.Run(async () =>
        {
            while (alerting.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await alerting.GetContextAsync();
                }
                catch (Exception e) when (e is System.Net.HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    received.Enqueue(await reader.ReadToEndAsync());
                }
                context.Response.StatusCode = received.Count == 1 ? 503 : 200;
                context.Response.Close();
            }
        });
        ServerProcess? server = null;
        try
        {
            server = await StartedAsync(data, $"--Jobs:FailureWebhook=http://127.0.0.1:{port}/alerts/", "--Jobs:FailureRetrySeconds=0.5");
            var supervisor = await SignedInAsync(data, "supervisor", "--staff", "kodaira-sv");
            using var channel = GrpcChannel.ForAddress(server.Address);
            var jobs = new JobService.JobServiceClient(channel);
            // No CS is configured here: the 整合性確認 ends FAILED.
            var started = await jobs.StartJobAsync(new StartJobRequest { RequestId = Guid.NewGuid().ToString(), Kind = JobKind.CsConsistency, Reason = "夜間の整合性確認" }, supervisor);
            var failed = await UntilAsync(jobs, supervisor, started.Name, o => o.Done);
            Assert.Equal((JobState.Failed, "JOB_FAILED"), (failed.Metadata.State, failed.Error.Reason));
            for (var i = 0; i < 200 && received.Count < 2; i++)
            {
                await Task.Delay(100);
            }
            Assert.Equal(2, received.Count);
            using var report = System.Text.Json.JsonDocument.Parse(received.Last());
            var root = report.RootElement;
            Assert.Equal(("srs.job.failed", City, "小平市", started.Name, "csConsistency", "kodaira-sv", "T001", "夜間の整合性確認"),
                (root.GetProperty("type").GetString(), root.GetProperty("city").GetString(), root.GetProperty("cityName").GetString(), root.GetProperty("operation").GetString(),
                 root.GetProperty("kind").GetString(), root.GetProperty("staff").GetString(), root.GetProperty("terminal").GetString(), root.GetProperty("reason").GetString()));
            Assert.Contains("CS_NOT_CONFIGURED", root.GetProperty("error").GetString(), StringComparison.Ordinal);
            // Taken once, it is not sent again.
            await Task.Delay(1500);
            Assert.Equal(2, received.Count);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            alerting.Stop();
            await listening;
            RepositoryPaths.Remove(data);
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
