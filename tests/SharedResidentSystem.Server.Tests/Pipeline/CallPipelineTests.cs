using Grpc.Core;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Pipeline;

/// <summary>
/// The one pipeline through a real channel: refusals of authentication and authorisation
/// come back with their ErrorInfo reason, and an authorisation refusal is in the city's log.
/// </summary>
public abstract class CallPipelineTests(ServerFixture server)
{
    private const string City = "132110";

    [Fact]
    public async Task A_call_without_a_token_is_refused_as_unauthenticated_with_its_reason()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            new ResidentService.ResidentServiceClient(server.Invoker(null)).SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "タカハシ" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("UNAUTHENTICATED", refused.ErrorInfo()?.Reason);
    }

    [Spec("10.2#4")]
    [Fact]
    public async Task A_role_that_may_not_call_is_refused_with_its_reason_and_the_attempt_is_logged()
    {
        var staff = $"role-{Guid.NewGuid():N}"[..16];
        var clerk = new AuditService.AuditServiceClient(server.Invoker(server.Token(City, staff, "T001", Roles.Clerk)));
        var refused = await Assert.ThrowsAsync<RpcException>(() => clerk.SearchAccessLogAsync(new SearchAccessLogRequest { Staff = "someone" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("ROLE_NOT_PERMITTED", refused.ErrorInfo()?.Reason);
        Assert.Contains("監査担当", refused.Status.Detail, StringComparison.Ordinal);

        var person = (await new Contracts.Registration.V1.RegistrationService.RegistrationServiceClient(server.As(City)).RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var auditorOnly = new ResidentService.ResidentServiceClient(server.Invoker(server.Token(City, staff, "T001", Roles.Auditor)));
        await Assert.ThrowsAsync<RpcException>(() => auditorOnly.GetResidentAsync(new GetResidentRequest { Name = person.Name }).ResponseAsync);

        var log = await new AuditService.AuditServiceClient(server.As(City, Roles.Auditor)).SearchAccessLogAsync(new SearchAccessLogRequest { Staff = staff });
        Assert.Equal(
            [("/srs.residents.v1.ResidentService/GetResident", "ROLE_NOT_PERMITTED"), ("/srs.audit.v1.AuditService/SearchAccessLog", "ROLE_NOT_PERMITTED")],
            log.Entries.Select(e => (e.Function, e.Outcome)));
        Assert.Contains(person.ResidentNumber, log.Entries[0].Residents);
    }
}

public sealed class CallPipelineTestsOnSqlite(SqliteServer server) : CallPipelineTests(server), IClassFixture<SqliteServer>;

public sealed class CallPipelineTestsOnPostgres(PostgresServer server) : CallPipelineTests(server), IClassFixture<PostgresServer>;
