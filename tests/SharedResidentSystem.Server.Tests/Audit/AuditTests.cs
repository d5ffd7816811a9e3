using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Audit;

/// <summary>The access log through the auditors' service (10.2).</summary>
public abstract class AuditTests(ServerFixture server)
{
    private const string City = "132110";

    private AuditService.AuditServiceClient Auditor => new(server.Invoker(server.Token(City, "auditor-1", "A1", Roles.Auditor)));

    [Spec("10.2#3")]
    [Spec("10.2#4")]
    [Spec("10.2#13")]
    [Fact]
    public async Task Reads_changes_and_prints_are_found_by_person_and_by_operator_with_their_flags()
    {
        var staff = "clerk-" + Guid.NewGuid().ToString("N")[..6];
        var token = server.Token(City, staff, "T002", Roles.Clerk);
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Members[0].IndividualNumber = IndividualNumber();
        var registration = new RegistrationService.RegistrationServiceClient(server.Invoker(token));
        var person = (await registration.RecordMoveInAsync(request)).Residents[0];
        var residents = new ResidentService.ResidentServiceClient(server.Invoker(token));
        var read = await residents.GetResidentAsync(new GetResidentRequest { Name = person.Name, IncludeIndividualNumber = true });
        await registration.CorrectResidentAsync(new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = new Resident { Name = person.Name, Etag = read.Etag, Address = new Contracts.Common.V1.Address { Katagaki = "別館" } },
            UpdateMask = FieldMask.FromString("address.katagaki"),
            CorrectionDate = Date(2026, 11, 26),
            Reason = "方書の誤り",
        });
        await new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(server.Invoker(token)).IssueCertificateAsync(new Contracts.Certificates.V1.IssueCertificateRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Residents = { person.Name },
            Items = { Contracts.Certificates.V1.CertificateItem.IndividualNumber },
            Requester = new Contracts.Certificates.V1.Requester { Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = "本人", Resident = person.Name, IdentityCheck = "個人番号カード" },
        });

        var byPerson = (await Auditor.SearchAccessLogAsync(new SearchAccessLogRequest { ResidentNumber = person.ResidentNumber })).Entries;
        Assert.Equal(["RecordMoveIn", "GetResident", "CorrectResident", "IssueCertificate"], byPerson.Reverse().Select(e => e.Function.Split('/')[^1]));
        Assert.Equal([true, true, false, true], byPerson.Reverse().Select(e => e.IndividualNumber));
        Assert.All(byPerson, e => Assert.Equal((staff, "T002", "OK"), (e.Staff, e.Terminal, e.Outcome)));
        Assert.Contains("print issuance", byPerson[0].Detail, StringComparison.Ordinal);
        var byStaff = (await Auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Staff = staff })).Entries;
        Assert.Equal(byPerson.Select(e => e.Sequence), byStaff.Select(e => e.Sequence));
        var onlyNumber = (await Auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Staff = staff, IndividualNumberOnly = true })).Entries;
        Assert.Equal(3, onlyNumber.Count);

        // The export holds the same entries as CSV.
        var csv = new System.Text.StringBuilder();
        using (var export = Auditor.ExportAccessLog(new SearchAccessLogRequest { Staff = staff }))
        {
            await foreach (var chunk in export.ResponseStream.ReadAllAsync())
            {
                csv.Append(chunk.Csv.ToStringUtf8());
            }
        }
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sequence,at,staff", lines[0], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length);
        Assert.Contains(lines, l => l.Contains("/GetResident", StringComparison.Ordinal) && l.Contains(person.ResidentNumber, StringComparison.Ordinal));

        // A clerk may not read the log.
        var clerk = await Assert.ThrowsAsync<RpcException>(() => new AuditService.AuditServiceClient(server.Invoker(token)).SearchAccessLogAsync(new SearchAccessLogRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
    }

    [Spec("10.2#23")]
    [Spec("10.2#24")]
    [Spec("10.2#25")]
    [Spec("10.2#26")]
    [Spec("10.2#27")]
    [Fact]
    public async Task The_analyses_of_10_2_find_failed_logins_mass_and_night_searches()
    {
        var staff = "night-" + Guid.NewGuid().ToString("N")[..6];
        var otherKey = SigningKeys.FromBase64(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var forged = SigningKeys.Mint(otherKey, new Caller(City, staff, "T-X", new HashSet<string> { Roles.Clerk }), TimeProvider.System, TimeSpan.FromHours(1));
        var refused = await Assert.ThrowsAsync<RpcException>(() => new TenantService.TenantServiceClient(server.Invoker(forged)).GetTenantAsync(new GetTenantRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        var residents = new ResidentService.ResidentServiceClient(server.Invoker(server.Token(City, staff, "T-X", Roles.Clerk)));
        server.Time.SetUtcNow(new DateTimeOffset(2026, 11, 26, 13, 30, 0, TimeSpan.Zero));
        for (var i = 0; i < 5; i++)
        {
            await residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "タ" + i });
        }
        await residents.SearchResidentsAsync(new SearchResidentsRequest { ResidentNumber = "0000000019" });

        async Task<IReadOnlyList<Contracts.Audit.V1.AnalysisRow>> Analyse(Analysis kind, int threshold = 0) =>
            (await Auditor.AnalyseAccessLogAsync(new AnalyseAccessLogRequest { Analysis = kind, Threshold = threshold })).Rows;
        // A token that did not verify names nobody: the failure counts against its source.
        Assert.DoesNotContain(await Analyse(Analysis.FailedLogins), r => r.Key == staff);
        Assert.True((await Analyse(Analysis.FailedLogins)).Single(r => r.Key == "unknown").Count >= 1);
        Assert.Equal(6, (await Analyse(Analysis.NightAndHoliday)).Single(r => r.Key == staff).Count);
        Assert.Equal(6, (await Analyse(Analysis.MassSearches, threshold: 4)).Single(r => r.Key.StartsWith(staff, StringComparison.Ordinal)).Count);
        Assert.DoesNotContain(await Analyse(Analysis.MassSearches, threshold: 10), r => r.Key.StartsWith(staff, StringComparison.Ordinal));
        Assert.Equal(1, (await Analyse(Analysis.SearchesByResidentNumber)).Single(r => r.Key == staff).Count);
        // The six searches; the forged token's failure is not the staff member's.
        Assert.Contains(await Analyse(Analysis.AccessPerStaff), r => r.Key == $"{staff} 2026-11-26" && r.Count == 6);
    }

    [Spec("10.2#23")]
    [Fact]
    public async Task An_analysis_counts_every_entry_of_the_period_however_long_the_log()
    {
        // 200,001 night-time entries of one staff member in a city of their own (other tests
        // here verify 小平市's chain): one written through EF, copied in SQL.
        const string city = "132136";
        const int count = 200_001;
        using (var scope = server.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(city, "t", "t", new HashSet<string>()));
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            const long first = 900_000_000;
            db.AccessLog.Add(new Core.Storage.AccessLogEntry
            {
                TenantCode = city, Sequence = first, At = new DateTime(2026, 11, 21, 13, 0, 0, DateTimeKind.Utc), StaffId = "night-owl", Roles = "clerk",
                TerminalId = "T1", Function = "/srs.residents.v1.ResidentService/GetResident", Outcome = "OK",
            });
            await db.SaveChangesAsync();
            const string columns = "\"TenantCode\", \"Sequence\", \"At\", \"StaffId\", \"Roles\", \"TerminalId\", \"Function\", \"Targets\", \"TouchedIndividualNumber\", \"Outcome\", \"Detail\", \"PreviousHash\", \"Hash\"";
            var copies =
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + (count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ") " +
                "INSERT INTO \"AccessLog\" (" + columns + ") SELECT a.\"TenantCode\", a.\"Sequence\" + n.i, a.\"At\", a.\"StaffId\", a.\"Roles\", a.\"TerminalId\", a.\"Function\", a.\"Targets\", a.\"TouchedIndividualNumber\", a.\"Outcome\", a.\"Detail\", a.\"PreviousHash\", a.\"Hash\" " +
                "FROM \"AccessLog\" a CROSS JOIN n WHERE a.\"TenantCode\" = '" + city + "' AND a.\"Sequence\" = " + first.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlRawAsync(copies);
        }
        var auditor = new AuditService.AuditServiceClient(server.Invoker(server.Token(city, "auditor-2", "A1", Roles.Auditor)));
        var night = await auditor.AnalyseAccessLogAsync(new AnalyseAccessLogRequest
        {
            Analysis = Analysis.NightAndHoliday,
            From = Timestamp.FromDateTime(new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc)),
            Until = Timestamp.FromDateTime(new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc)),
        });
        Assert.Equal(count, night.Rows.Single(r => r.Key == "night-owl").Count);
    }
}

public sealed class AuditTestsOnSqlite(SqliteServer server) : AuditTests(server), IClassFixture<SqliteServer>;

public sealed class AuditTestsOnPostgres(PostgresServer server) : AuditTests(server), IClassFixture<PostgresServer>;

/// <summary>Tampering with the log directly in the database is found by VerifyChain, where it happened.</summary>
public abstract class ChainTamperingTests(ServerFixture server)
{
    private const string City = "132136";

    [Spec("10.2#20")]
    [Fact]
    public async Task Edited_deleted_reordered_and_inserted_entries_are_reported_at_their_place()
    {
        var auditor = new AuditService.AuditServiceClient(server.Invoker(server.Token(City, "auditor-2", "A2", Roles.Auditor)));
        var residents = new ResidentService.ResidentServiceClient(server.As(City));
        for (var i = 0; i < 12; i++)
        {
            await residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "ア" + i });
        }
        var untouched = await auditor.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(untouched.Intact, string.Join("; ", untouched.Problems));
        var checkpoint = await auditor.GetCheckpointAsync(new GetCheckpointRequest());

        await Sql("UPDATE \"AccessLog\" SET \"Detail\" = 'rewritten' WHERE \"TenantCode\" = '132136' AND \"Sequence\" = 3");
        await Sql("DELETE FROM \"AccessLog\" WHERE \"TenantCode\" = '132136' AND \"Sequence\" = 5");
        await Sql("UPDATE \"AccessLog\" SET \"Sequence\" = -8 WHERE \"TenantCode\" = '132136' AND \"Sequence\" = 8");
        await Sql("UPDATE \"AccessLog\" SET \"Sequence\" = 8 WHERE \"TenantCode\" = '132136' AND \"Sequence\" = 9");
        await Sql("UPDATE \"AccessLog\" SET \"Sequence\" = 9 WHERE \"TenantCode\" = '132136' AND \"Sequence\" = -8");
        await Sql("UPDATE \"AccessLog\" SET \"PreviousHash\" = 'FORGED' WHERE \"TenantCode\" = '132136' AND \"Sequence\" = 11");

        var report = await auditor.VerifyChainAsync(new VerifyChainRequest { Checkpoint = checkpoint });
        Assert.False(report.Intact);
        var found = report.Problems.Select(p => (p.Sequence, p.Kind)).ToList();
        Assert.Contains((3L, "EDITED"), found);
        Assert.Contains((5L, "MISSING"), found);
        Assert.Contains((8L, "REORDERED"), found);
        Assert.Contains((9L, "REORDERED"), found);
        Assert.Contains((11L, "EDITED"), found);
        Assert.DoesNotContain(found, p => p.Sequence is 1 or 2 or 4 or 6 or 7 or 10 || p.Sequence > 12);
    }

    [Fact]
    public async Task A_recomputed_or_cut_chain_is_found_by_the_servers_own_signed_checkpoints()
    {
        const string city = "132225";
        var auditor = new AuditService.AuditServiceClient(server.Invoker(server.Token(city, "auditor-3", "A3", Roles.Auditor)));
        var residents = new ResidentService.ResidentServiceClient(server.As(city));
        for (var i = 0; i < 10; i++)
        {
            await residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "イ" + i });
        }
        await server.Services.GetRequiredService<Server.Audit.CheckpointPublisher>().PublishAsync(CancellationToken.None);
        var published = (await server.Services.GetRequiredService<CheckpointStore>().ReadAsync(city, CancellationToken.None)).Authentic[^1];
        var intact = await auditor.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(intact.Intact, string.Join("; ", intact.Problems));
        Assert.True(intact.Checkpoints >= 1);

        // Someone with the database rewrites entry 2 and recomputes every hash after it: the chain
        // holds together in itself, but not with the checkpoint written outside the database.
        await InCityAsync(city, async db =>
        {
            var entries = await db.AccessLog.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
            entries[1].Detail = "rewritten";
            for (var i = 1; i < entries.Count; i++)
            {
                var e = entries[i];
                e.PreviousHash = entries[i - 1].Hash;
                e.Hash = AccessLogWriter.ComputeHash(e);
                await db.Database.ExecuteSqlAsync($"UPDATE \"AccessLog\" SET \"Detail\" = {e.Detail}, \"PreviousHash\" = {e.PreviousHash}, \"Hash\" = {e.Hash} WHERE \"TenantCode\" = {city} AND \"Sequence\" = {e.Sequence}");
            }
        });
        var recomputed = await auditor.VerifyChainAsync(new VerifyChainRequest());
        Assert.Equal([(published.Sequence, "CHECKPOINT_MISMATCH")], recomputed.Problems.Select(p => (p.Sequence, p.Kind)));

        // The tail cut off, checkpoint and all: TRUNCATED.
        await InCityAsync(city, db => db.Database.ExecuteSqlAsync($"DELETE FROM \"AccessLog\" WHERE \"TenantCode\" = {city} AND \"Sequence\" > {published.Sequence - 3}"));
        var cut = await auditor.VerifyChainAsync(new VerifyChainRequest());
        Assert.Contains((published.Sequence, "TRUNCATED"), cut.Problems.Select(p => (p.Sequence, p.Kind)));

        // A checkpoint line that this system did not sign is reported, not believed.
        var store = server.Services.GetRequiredService<CheckpointStore>();
        await File.AppendAllTextAsync(Path.Combine(store.Directory, city + ".checkpoints"), "1 ABCDEF 638000000000000000 00\n");
        Assert.Contains((await auditor.VerifyChainAsync(new VerifyChainRequest())).Problems, p => p.Kind == "CHECKPOINT_FORGED");

        // A checkpoint handed out is signed; a changed one is refused.
        var handed = await auditor.GetCheckpointAsync(new GetCheckpointRequest());
        Assert.Equal(64, handed.Signature.Length);
        handed.Sequence -= 1;
        var refused = await Assert.ThrowsAsync<RpcException>(() => auditor.VerifyChainAsync(new VerifyChainRequest { Checkpoint = handed }).ResponseAsync);
        Assert.Equal(["checkpoint.signature"], refused.ViolatedFields());
    }

    private async Task InCityAsync(string city, Func<SrsDbContext, Task> work)
    {
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(city, "t", "t", new HashSet<string>()));
        await work(scope.ServiceProvider.GetRequiredService<SrsDbContext>());
    }

    private async Task Sql(string sql)
    {
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(City, "t", "t", new HashSet<string>()));
        await scope.ServiceProvider.GetRequiredService<SrsDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}

public sealed class ChainTamperingTestsOnSqlite(SqliteServer server) : ChainTamperingTests(server), IClassFixture<SqliteServer>;

public sealed class ChainTamperingTestsOnPostgres(PostgresServer server) : ChainTamperingTests(server), IClassFixture<PostgresServer>;

/// <summary>A read whose access-log entry cannot be written fails instead of answering.</summary>
public sealed class UnloggableReadTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Spec("10.2#2")]
    [Fact]
    public async Task Without_its_log_entry_a_read_gives_no_answer()
    {
        var registration = new RegistrationService.RegistrationServiceClient(server.As("132225"));
        var person = (await registration.RecordMoveInAsync(MoveIn("132225", UniqueKana(), members: 1))).Residents[0];
        server.BrokenOnPurpose = true;
        using (var scope = server.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<SrsDbContext>().Database.ExecuteSqlRawAsync("DROP TABLE \"AccessLog\"");
        }
        var e = await Assert.ThrowsAsync<RpcException>(() => new ResidentService.ResidentServiceClient(server.As("132225")).GetResidentAsync(new GetResidentRequest { Name = person.Name }).ResponseAsync);
        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.DoesNotContain(person.PersonName.Family, e.Status.Detail, StringComparison.Ordinal);
        // The failure was logged as the error it is; this test expects it.
        Assert.NotEmpty(server.LoggedErrors);
        server.LoggedErrors.Clear();
    }
}
