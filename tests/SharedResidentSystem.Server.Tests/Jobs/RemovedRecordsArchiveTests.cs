using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Contracts.Migration.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using RemovedRecordsArchive = SharedResidentSystem.Core.Storage.RemovedRecordsArchive;
using SrsDbContext = SharedResidentSystem.Core.Storage.SrsDbContext;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Jobs;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Jobs;

/// <summary>
/// 9.3 除票用データベースへの移行 and the retention of 除票, in a city of this class's own (調布市)
/// on a server of its own whose clock the test moves on by years.
/// </summary>
public abstract class RemovedRecordsArchiveTests(ServerFixture server)
{
    private const string City = "132080";

    private async Task CityAsync()
    {
        var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
        await admin.CreateTenantAsync(new CreateTenantRequest
        {
            Document = TenantDocuments.Minimal(City, "調布市", extra: """
                "jobs": { "schedules": [
                  { "id": "yearly-archive", "kind": "removedRecordsArchive", "at": "02:00", "every": "year:06-15", "reason": "年次の除票移行 (繁忙期を避けて6月)" }
                ] },
                """),
            Reason = "test",
            RequestId = Guid.NewGuid().ToString(),
        });
    }

    private RegistrationService.RegistrationServiceClient Registration() => new(server.As(City));

    private ResidentService.ResidentServiceClient Residents() => new(server.As(City));

    private JobService.JobServiceClient Jobs() => new(server.As(City, Roles.Supervisor));

    private string Folder => JobRunner.CityFolder(server.Services.GetRequiredService<IOptions<ServerOptions>>().Value, City);

    private async Task<Resident> MovedOutAsync(Resident r, int year, int month, int day)
    {
        var now = await Residents().GetResidentAsync(new GetResidentRequest { Name = r.Name });
        var done = await Registration().RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { new ResidentRef { Name = now.Name, Etag = now.Etag } }, PlannedDate = Date(year, month, day),
            NotificationDate = Date(year, month, day), Notifier = RegisterDriver.Notifier(),
            Destination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田1-1-1" },
        });
        return done.Residents.Single();
    }

    private async Task<Operation> RunAsync(params string[] restore)
    {
        var request = new StartJobRequest { RequestId = Guid.NewGuid().ToString(), Kind = JobKind.RemovedRecordsArchive, Reason = "除票の移行" };
        if (restore.Length > 0)
        {
            request.RemovedRecordsArchive = new RemovedRecordsArchiveParameters { Restore = { restore } };
            request.Reason = "再転入の届出のため除票を戻す";
        }
        var done = await Operations.FinishedAsync(Jobs(), await Jobs().StartJobAsync(request));
        Assert.True(done.Metadata.State == JobState.Succeeded, done.Error?.Message);
        return done;
    }

    /// <summary>Versions of the resident the register and the archive hold.</summary>
    private async Task<(int Register, int Archive)> HeldAsync(Resident r)
    {
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(City, "t", "t", new HashSet<string>()));
        var register = await scope.ServiceProvider.GetRequiredService<SrsDbContext>().PersonVersions.CountAsync(p => p.ResidentNumber == r.ResidentNumber);
        var archive = await scope.ServiceProvider.GetRequiredService<RemovedRecordsArchive>().Db.PersonVersions.CountAsync(p => p.ResidentNumber == r.ResidentNumber);
        return (register, archive);
    }

    /// <summary>What a clerk sees of a 除票: the record, its 異動履歴, the household's 消除された世帯構成員, and a search for 除票 by its reading.</summary>
    private async Task<(Resident Record, string History, string Household, string Found)> SeenAsync(Resident r)
    {
        var record = await Residents().GetResidentAsync(new GetResidentRequest { Name = r.Name });
        var history = await Residents().ListResidentIdouAsync(new ListResidentIdouRequest { Name = r.Name });
        var household = await Residents().GetHouseholdAsync(new GetHouseholdRequest { Name = r.Household, IncludeRemoved = true });
        var found = await Residents().SearchResidentsAsync(new SearchResidentsRequest { NameQuery = r.PersonName.FamilyKana, IncludeRemoved = true });
        return (record, history.ToString(), string.Join(",", household.RemovedMembers.Select(m => m.Name)), string.Join(",", found.Residents.Select(m => $"{m.Name}:{m.Status}")));
    }

    /// <summary>The city's persons and 異動 as a migration export writes them (the files of R01 and R02).</summary>
    private async Task<string[]> ExportedAsync()
    {
        var folder = "x" + Guid.NewGuid().ToString("N");
        var migration = new MigrationService.MigrationServiceClient(server.Invoker(server.Token(City, "operator-migration", "OP1", Roles.Operator)));
        var files = (await migration.ExportCityAsync(new ExportCityRequest { Folder = folder })).Files.Select(f => f.File).Where(f => f.StartsWith("R01", StringComparison.Ordinal) || f.StartsWith("R02", StringComparison.Ordinal));
        var root = Path.Combine(SharedResidentSystem.Server.Migration.MigrationGrpcService.Root(server.Services.GetRequiredService<IOptions<ServerOptions>>().Value), City, folder);
        return [.. files.Order(StringComparer.Ordinal).Select(f => File.ReadAllText(Path.Combine(root, f)))];
    }

    private string[][] Listed(Operation done, string file) =>
        File.ReadAllLines(Path.Combine(Folder, done.Response.Files.Single(f => f.EndsWith(file, StringComparison.Ordinal)))).Skip(1).Select(l => l.Split(',')).ToArray();

    [Fact]
    [Spec("9.3#1")]
    [Spec("9.3#2")]
    [Spec("9.2#1")]
    [Spec("9.1#10")]
    public async Task A_removed_record_five_years_on_moves_to_the_archive_answers_as_before_comes_back_on_request_and_goes_after_its_retention()
    {
        await CityAsync();
        server.MoveClockTo(2026, 11, 26);
        var kana = UniqueKana();
        var family = (await Registration().RecordMoveInAsync(MoveIn(City, kana, members: 2))).Residents; // a head and his wife
        var single = MoveIn(City, UniqueKana(), members: 1);
        var number = IndividualNumber();
        single.Members[0].IndividualNumber = number;
        var alone = (await Registration().RecordMoveInAsync(single)).Residents.Single();
        var later = (await Registration().RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents.Single();
        var wife = await MovedOutAsync(family[1], 2026, 11, 26);
        var gone = await MovedOutAsync(alone, 2026, 11, 26);
        var before = await SeenAsync(wife);
        var copy = new IssueCertificateRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = CertificateKind.RemovedResidentCopy, Residents = { wife.Name }, Layout = CertificateLayout.Individual,
            Requester = new Requester { Category = RequesterCategory.SelfOrHousehold, Name = "高橋 花子", Resident = wife.Name, IdentityCheck = "運転免許証" },
        };
        var printedBefore = PdfTools.Text((await new CertificateService.CertificateServiceClient(server.As(City)).IssueCertificateAsync(copy)).Copies[0].Pdf.ToByteArray());
        server.MoveClockTo(2028, 11, 26);
        var laterGone = await MovedOutAsync(later, 2028, 11, 26);
        var exportedBefore = await ExportedAsync();

        // Five years to the day: not yet passed (the day of the 消除 is not counted); nothing moves.
        server.MoveClockTo(2031, 11, 26);
        var early = await RunAsync();
        Assert.Equal(0, early.Response.Counts["移行"]);
        Assert.Equal((2, 0), await HeldAsync(wife));

        // The day after: the two 除票 of 2026 move, whole; the one of 2028 stays.
        server.MoveClockTo(2031, 11, 27);
        var moved = await RunAsync();
        Assert.Equal(2, moved.Response.Counts["移行"]);
        Assert.Equal(new[] { alone, wife }.Select(r => new[] { r.ResidentNumber, "2026-11-26", "国内転出" }).OrderBy(r => r[0], StringComparer.Ordinal).ToArray(),
            Listed(moved, Core.Jobs.RemovedRecordsArchiving.MovedFile).OrderBy(r => r[0], StringComparer.Ordinal).ToArray());
        Assert.Equal((0, 2), await HeldAsync(wife));
        Assert.Equal((0, 2), await HeldAsync(gone));
        Assert.Equal((2, 0), await HeldAsync(laterGone));
        Assert.Equal((1, 0), await HeldAsync(family[0]));

        // 照会, 異動履歴, the household, a search for 除票 and the 除票の写し answer as before the move.
        var after = await SeenAsync(wife);
        Assert.Equal(before.Record, after.Record);
        Assert.Equal(before.History, after.History);
        Assert.Equal(before.Household, after.Household);
        Assert.Equal(before.Found, after.Found);
        // A search paged one by one goes through the register's and the archive's in 宛名番号 order, each once.
        var paged = new List<string>();
        var page = new SearchResidentsRequest { NameQuery = kana, IncludeRemoved = true, PageSize = 1 };
        do
        {
            var answer = await Residents().SearchResidentsAsync(page);
            paged.AddRange(answer.Residents.Select(r => r.Name));
            page.PageToken = answer.NextPageToken;
        }
        while (page.PageToken.Length > 0);
        Assert.Equal(new[] { family[0].Name, wife.Name }.Order(StringComparer.Ordinal), paged);
        // What goes out to the next system is the same wherever the 除票 are kept.
        Assert.Equal(exportedBefore, await ExportedAsync());
        Assert.DoesNotContain(wife.Name, (await Residents().SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana })).Residents.Select(r => r.Name));
        copy.RequestId = Guid.NewGuid().ToString();
        var printedAfter = PdfTools.Text((await new CertificateService.CertificateServiceClient(server.As(City)).IssueCertificateAsync(copy)).Copies[0].Pdf.ToByteArray());
        // The person's lines (name, 住所, 転出先, 消除) as printed before; only the day of issue differs.
        static string[] Person(string text) => [.. text.Split('\n').Select(l => string.Concat(l.Where(c => !char.IsWhiteSpace(c))))
            .Where(l => l.Contains("高橋", StringComparison.Ordinal) || l.Contains("梅田", StringComparison.Ordinal) || l.Contains("転出", StringComparison.Ordinal))];
        Assert.Contains(Person(printedAfter), l => l.Contains("梅田1-1-1", StringComparison.Ordinal));
        Assert.Equal(Person(printedBefore), Person(printedAfter));

        // The move is in the access log, in the name of who started it, naming each 除票 moved.
        var auditor = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var entries = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.jobs.v1.JobService/run removedRecordsArchive" })).Entries;
        var entry = Assert.Single(entries, e => e.Residents.Count > 0);
        Assert.Equal(new[] { alone.ResidentNumber, wife.ResidentNumber }.Order(StringComparer.Ordinal), entry.Residents.Order(StringComparer.Ordinal));
        Assert.Equal("staff-1", entry.Staff);

        // Another path to the same person: a 異動 on a moved 除票 is refused and names why; a new
        // 転入 with its 個人番号 is told the 除票 is in the archive (a 再転入, not a new person).
        var notice = await Assert.ThrowsAsync<RpcException>(() => Registration().RecordMoveInNoticeAsync(new RecordMoveInNoticeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = new ResidentRef { Name = gone.Name }, NoticeDate = Date(2031, 11, 27), ConfirmedOn = Date(2026, 11, 26),
            ConfirmedDestination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田1-1-1" },
        }).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "RESIDENT_ARCHIVED", "resident"), (notice.StatusCode, notice.ErrorInfo()?.Reason, notice.ViolatedFields().Single()));
        var again = MoveIn(City, UniqueKana(), members: 1);
        again.Members[0].IndividualNumber = number;
        MovedInOn(again, Date(2031, 11, 20));
        again.NotificationDate = Date(2031, 11, 27);
        var reentry = await Assert.ThrowsAsync<RpcException>(() => Registration().RecordMoveInAsync(again).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "REENTRY_REQUIRED"), (reentry.StatusCode, reentry.ErrorInfo()?.Reason));
        Assert.Contains("除票用データベース", reentry.Status.Detail, StringComparison.Ordinal);

        // A 抑止 reaches a moved 除票 too: it may be set on it, it blocks the clerk's 照会 there,
        // and the 9.2 list (a batch as well, 9.1#10) names the person from the archive.
        var suppressions = new SuppressionService.SuppressionServiceClient(server.As(City, Roles.Supervisor));
        await suppressions.CreateSuppressionAsync(new CreateSuppressionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Suppression = new Suppression { Resident = gone.Name, Processes = { SuppressedProcess.Inquiry }, Level = SuppressionLevel.Error, Category = SuppressionCategory.Other, Reason = "照会の制限 (申出)", StartsOn = Date(2031, 11, 27) },
        });
        var held = await suppressions.CreateSuppressionAsync(new CreateSuppressionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Suppression = new Suppression { Resident = family[0].Name, Processes = { SuppressedProcess.Idou }, Level = SuppressionLevel.Alert, Category = SuppressionCategory.ExclusiveControl, Reason = "他課で処理中", StartsOn = Date(2031, 11, 27) },
        });
        await suppressions.LiftSuppressionAsync(new LiftSuppressionRequest { RequestId = Guid.NewGuid().ToString(), Name = held.Name, Etag = held.Etag, Reason = "処理が終わった" });
        var blocked = await Assert.ThrowsAsync<RpcException>(() => Residents().GetResidentAsync(new GetResidentRequest { Name = gone.Name }).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "SUPPRESSED"), (blocked.StatusCode, blocked.ErrorInfo()?.Reason));
        async Task<Operation> ListAsync(bool lifted) => await Operations.FinishedAsync(Jobs(), await Jobs().StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.SuppressionList, Reason = "抑止対象者の点検", SuppressionList = new SuppressionListParameters { IncludeLifted = lifted },
        }));
        var inForce = await ListAsync(false);
        var listedRows = Listed(inForce, SuppressionListJob.CsvFile);
        Assert.Equal(1, inForce.Response.Counts["掲載"]);
        Assert.Equal((gone.ResidentNumber, $"{gone.PersonName.Family}　{gone.PersonName.Given}", "その他", "エラー", "照会", "有効"),
            (listedRows[0][1], listedRows[0][3], listedRows[0][4], listedRows[0][5], listedRows[0][6], listedRows[0][9]));
        Assert.Contains("抑止対象者一覧", PdfTools.Text(await File.ReadAllBytesAsync(Path.Combine(Folder, inForce.Response.Files[1]))), StringComparison.Ordinal);
        var all = Listed(await ListAsync(true), SuppressionListJob.CsvFile);
        Assert.Equal([(gone.ResidentNumber, "有効"), (family[0].ResidentNumber, "解除")], all.Select(r => (r[1], r[9])).OrderBy(r => r.Item2 == "解除"));

        // Brought back on request: only 除票 the archive holds, and not twice.
        var refused = await Assert.ThrowsAsync<RpcException>(() => Jobs().StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.RemovedRecordsArchive, Reason = "戻す",
            RemovedRecordsArchive = new RemovedRecordsArchiveParameters { Restore = { wife.ResidentNumber, laterGone.ResidentNumber, wife.ResidentNumber } },
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["removed_records_archive.restore[1]", "removed_records_archive.restore[2]"], refused.ViolatedFields());
        var restored = await RunAsync(wife.ResidentNumber);
        Assert.Equal(1, restored.Response.Counts["戻し"]);
        Assert.Equal((2, 0), await HeldAsync(wife));
        Assert.Equal(before.Record, (await SeenAsync(wife)).Record);
        Assert.Equal((0, 2), await HeldAsync(gone));

        // 150 years on: the 除票 of 2026 (the one brought back moves again first) are deleted, each
        // in the log and the list (numbers and dates only); the one of 2028 moves and stays.
        server.MoveClockTo(2176, 11, 27);
        var deleted = await RunAsync();
        Assert.Equal((2, 2, 1), (deleted.Response.Counts["移行"], deleted.Response.Counts["削除"], deleted.Response.Counts["抑止の解除"]));
        Assert.Equal(new[] { gone, wife }.Select(r => new[] { r.ResidentNumber, "2026-11-26", "国内転出" }).OrderBy(r => r[0], StringComparer.Ordinal).ToArray(),
            Listed(deleted, Core.Jobs.RemovedRecordsArchiving.DeletedFile).OrderBy(r => r[0], StringComparer.Ordinal).ToArray());
        Assert.Equal((0, 0), await HeldAsync(wife));
        Assert.Equal((0, 0), await HeldAsync(gone));
        Assert.Equal((0, 2), await HeldAsync(laterGone));
        var missing = await Assert.ThrowsAsync<RpcException>(() => Residents().GetResidentAsync(new GetResidentRequest { Name = gone.Name }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(ResidentStatus.Removed, (await Residents().GetResidentAsync(new GetResidentRequest { Name = laterGone.Name })).Status);
        auditor = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        // Their 抑止 protects nobody any more: it is lifted, and the list in force is empty.
        Assert.Empty(Listed(await ListAsync(false), SuppressionListJob.CsvFile));
        var deletion = Assert.Single((await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.jobs.v1.JobService/run removedRecordsArchive" })).Entries,
            e => e.Detail.Contains("保存期間を経過した除票の削除", StringComparison.Ordinal));
        Assert.Equal(new[] { gone.ResidentNumber, wife.ResidentNumber }.Order(StringComparer.Ordinal), deletion.Residents.Order(StringComparer.Ordinal));

        // 9.3#2: once a year, on the day the city chose outside its busy season, by itself.
        server.MoveClockTo(2177, 6, 15); // 10:00 JST: the run due at 02:00 is made up for
        Operation? scheduled = null;
        for (var i = 0; i < 600 && scheduled is not { Done: true }; i++)
        {
            await Task.Delay(50);
            scheduled = (await Jobs().ListOperationsAsync(new ListOperationsRequest())).Operations.LastOrDefault(o => o.Metadata.Schedule.StartsWith("yearly-archive@", StringComparison.Ordinal));
        }
        Assert.NotNull(scheduled);
        Assert.Equal(("yearly-archive@2177-06-15T02:00", JobState.Succeeded, JobKind.RemovedRecordsArchive),
            (scheduled.Metadata.Schedule, scheduled.Metadata.State, scheduled.Metadata.Kind));
    }
}

public sealed class RemovedRecordsArchiveTestsOnSqlite(SqliteServer server) : RemovedRecordsArchiveTests(server), IClassFixture<SqliteServer>;

public sealed class RemovedRecordsArchiveTestsOnPostgres(PostgresServer server) : RemovedRecordsArchiveTests(server), IClassFixture<PostgresServer>;
