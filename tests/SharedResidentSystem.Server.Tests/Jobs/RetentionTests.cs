using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;
using SrsDbContext = SharedResidentSystem.Core.Storage.SrsDbContext;

namespace SharedResidentSystem.Server.Tests.Jobs;

/// <summary>
/// The retention of the 交付履歴 and the access log applied, in a city of this class's own
/// (武蔵野市, keeping its ledger three years and its log four) on a server whose clock the test moves on.
/// </summary>
public abstract class RetentionTests(ServerFixture server)
{
    private const string City = "132039";

    private async Task CityAsync()
    {
        var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
        await admin.CreateTenantAsync(new CreateTenantRequest
        {
            Document = TenantDocuments.Minimal(City, "武蔵野市", extra: """
                "retention": { "removedRecordsYears": 150, "issuanceLedgerYears": 3, "accessLogYears": 4 },
                """),
            Reason = "test",
            RequestId = Guid.NewGuid().ToString(),
        });
    }

    private async Task<IssueCertificateResponse> IssueAsync(Resident r) =>
        await new CertificateService.CertificateServiceClient(server.As(City)).IssueCertificateAsync(new IssueCertificateRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = CertificateKind.ResidentCopy, Residents = { r.Name }, Layout = CertificateLayout.Individual,
            Requester = new Requester { Category = RequesterCategory.SelfOrHousehold, Name = "高橋 一郎", Resident = r.Name, IdentityCheck = "運転免許証" },
        });

    private async Task<VerifyCertificateResponse.Types.Status> VerifiedAsync(IssueCertificateResponse issued) =>
        (await new CertificateService.CertificateServiceClient(server.Invoker(null)).VerifyCertificateAsync(new VerifyCertificateRequest { Code = issued.Copies[0].VerificationCode })).Status;

    private async Task<T> InCityAsync<T>(Func<SrsDbContext, Task<T>> read)
    {
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(City, "t", "t", new HashSet<string>()));
        return await read(scope.ServiceProvider.GetRequiredService<SrsDbContext>());
    }

    [Fact]
    public async Task The_ledger_and_the_access_log_past_the_citys_retention_are_deleted_and_the_chain_verifies_from_its_signed_start()
    {
        await CityAsync();
        server.MoveClockTo(2026, 11, 26);
        var family = (await new RegistrationService.RegistrationServiceClient(server.As(City)).RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 2))).Residents;
        var old = await IssueAsync(family[0]);
        var oldest = await InCityAsync(db => db.AccessLog.MaxAsync(e => e.Sequence));

        // Three years and a day on: the ledger's time is up, the log's not yet.
        server.MoveClockTo(2029, 11, 27);
        var middle = await IssueAsync(family[0]);
        var jobs = new JobService.JobServiceClient(server.As(City, Roles.Supervisor));
        async Task<Operation> RunAsync() => await Operations.FinishedAsync(jobs,
            await jobs.StartJobAsync(new StartJobRequest { RequestId = Guid.NewGuid().ToString(), Kind = JobKind.Retention, Reason = "保存期間の経過" }));
        var first = await RunAsync();
        Assert.Equal(JobState.Succeeded, first.Metadata.State);
        Assert.Equal((1L, 0L), (first.Response.Counts["交付履歴"], first.Response.Counts["アクセスログ"]));
        Assert.Equal(VerifyCertificateResponse.Types.Status.NotIssued, await VerifiedAsync(old));
        Assert.Equal(VerifyCertificateResponse.Types.Status.Issued, await VerifiedAsync(middle));
        Assert.Equal(0, await InCityAsync(db => db.IssuedCopies.CountAsync(c => c.IssueNumber == old.Copies[0].IssueNumber)));
        Assert.Equal(1, await InCityAsync(db => db.AccessLog.CountAsync(e => e.Sequence == 1)));

        // Four years and a day on: the log of 2026 goes, from its head; the chain verifies from its signed start.
        server.MoveClockTo(2030, 11, 27);
        await new ResidentService.ResidentServiceClient(server.As(City)).GetResidentAsync(new GetResidentRequest { Name = family[1].Name });
        var second = await RunAsync();
        Assert.Equal(JobState.Succeeded, second.Metadata.State);
        Assert.Equal((0L, oldest), (second.Response.Counts["交付履歴"], second.Response.Counts["アクセスログ"]));
        Assert.Equal(0, await InCityAsync(db => db.AccessLog.CountAsync(e => e.Sequence <= oldest)));
        var auditor = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var chain = await auditor.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(chain.Intact, string.Join("; ", chain.Problems.Select(p => p.Description)));
        Assert.Equal(oldest, chain.StartsAfter);
        var deletion = Assert.Single((await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.jobs.v1.JobService/run retention" })).Entries,
            e => e.Detail.Contains("保存期間を経過したアクセスログの削除:", StringComparison.Ordinal));
        Assert.Contains($"2026-11-27 より前の記録 {oldest} 件 (番号 {oldest} まで)", deletion.Detail, StringComparison.Ordinal);
        // Run again: nothing more to go, the start stays.
        var third = await RunAsync();
        Assert.Equal((0L, 0L), (third.Response.Counts["交付履歴"], third.Response.Counts["アクセスログ"]));

        // Cut more from the head than the start says, or forge the start: each is found.
        await InCityAsync(db => db.AccessLog.Where(e => e.Sequence == oldest + 1).ExecuteDeleteAsync());
        var cut = await auditor.VerifyChainAsync(new VerifyChainRequest());
        Assert.False(cut.Intact);
        Assert.Contains(cut.Problems, p => p.Kind == "MISSING" && p.Sequence == oldest + 1);
        var store = server.Services.GetRequiredService<CheckpointStore>();
        var startFile = Path.Combine(store.Directory, City + ".start");
        var signed = await File.ReadAllTextAsync(startFile);
        await File.WriteAllTextAsync(startFile, $"{oldest + 1} {signed.Split(' ')[1]} {signed.Split(' ')[2]} {signed.Split(' ')[3]}");
        var forged = await auditor.VerifyChainAsync(new VerifyChainRequest());
        Assert.Contains(forged.Problems, p => p.Kind == "START_FORGED");
        Assert.Equal(0, forged.StartsAfter);
    }
}

public sealed class RetentionTestsOnSqlite(SqliteServer server) : RetentionTests(server), IClassFixture<SqliteServer>;

public sealed class RetentionTestsOnPostgres(PostgresServer server) : RetentionTests(server), IClassFixture<PostgresServer>;
