using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Hardening;

/// <summary>A server that hears only a few failed authentications a minute from one source.</summary>
public sealed class FloodLimitedServer : SqliteServer
{
    public const int Limit = 5;

    protected override int AuthenticationFailuresPerMinute => Limit;
}

/// <summary>
/// Calls that do not authenticate are in the log of the city the token names (or the joint
/// system's), under no staff member's name, with what the token claimed marked unverified; a
/// flood from one source is counted, not written call by call, and then not heard at all.
/// </summary>
public sealed class AuthenticationFailureTests(FloodLimitedServer server) : IClassFixture<FloodLimitedServer>
{
    private const string City = "132225";

    private static string Forged(string tenant, string staff) =>
        SigningKeys.Mint(SigningKeys.FromBase64(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
            new Caller(tenant, staff, "T-FORGED", new HashSet<string> { Roles.Clerk }), TimeProvider.System, TimeSpan.FromHours(1));

    private async Task<StatusCode> CallAsync(string? token)
    {
        try
        {
            await new TenantService.TenantServiceClient(server.Invoker(token)).GetTenantAsync(new GetTenantRequest());
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private async Task<List<AccessLogEntry>> FailuresIn(string tenant)
    {
        await server.Services.GetRequiredService<AuthenticationFailures>().FlushAsync(all: true, CancellationToken.None);
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant, "t", "t", new HashSet<string>()));
        return await scope.ServiceProvider.GetRequiredService<SrsDbContext>().AccessLog.AsNoTracking()
            .Where(e => e.Outcome == AuditQueries.AuthenticationFailed).OrderBy(e => e.Sequence).ToListAsync();
    }

    [Spec("10.2#26")]
    [Fact]
    public async Task Failures_are_logged_under_no_staff_name_counted_per_source_and_a_flood_is_not_heard()
    {
        var staff = "victim-" + Guid.NewGuid().ToString("N")[..6];
        await server.Services.GetRequiredService<AuthenticationFailures>().FlushAsync(all: true, CancellationToken.None);

        // A token that does not verify, naming a member city and one of its staff.
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(Forged(City, staff)));
        var first = Assert.Single(await FailuresIn(City), e => e.Detail.Contains(staff, StringComparison.Ordinal));
        Assert.Equal(("", ""), (first.StaffId, first.TerminalId));
        Assert.Contains("(unverified)", first.Detail, StringComparison.Ordinal);
        Assert.StartsWith("source=", first.Detail, StringComparison.Ordinal);

        // No token at all, and a verified token of a city this system does not serve: the joint system's log.
        // (Each is the first of its minute here: reading the log closes the minutes counted so far.)
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(null));
        Assert.Contains(await FailuresIn(SrsClaims.JointSystem), e => e.Detail.Contains("no token", StringComparison.Ordinal));
        Assert.Equal(StatusCode.PermissionDenied, await CallAsync(server.Token("139999", "outsider")));
        Assert.Contains(await FailuresIn(SrsClaims.JointSystem), e => e.Detail.Contains("outsider", StringComparison.Ordinal) && e.Detail.Contains("TENANT_NOT_MEMBER", StringComparison.Ordinal));

        // A flood from the same source: written once, counted, then refused before it is read.
        var before = (await FailuresIn(City)).Count;
        var codes = new List<StatusCode>();
        for (var i = 0; i < 20; i++)
        {
            codes.Add(await CallAsync(Forged(City, staff)));
        }
        Assert.Equal(StatusCode.Unauthenticated, codes[0]);
        Assert.Contains(StatusCode.ResourceExhausted, codes);
        Assert.All(codes, c => Assert.True(c is StatusCode.Unauthenticated or StatusCode.ResourceExhausted));
        var heard = codes.Count(c => c == StatusCode.Unauthenticated);
        // At most the limit a minute (twice, should the limiter's minute turn during the loop).
        Assert.True(heard <= 2 * FloodLimitedServer.Limit, $"{heard} heard");
        var after = await FailuresIn(City);
        Assert.Equal(before + 2, after.Count);
        Assert.Contains($"count={heard - 1};", after[^1].Detail, StringComparison.Ordinal);

        // Counted per source, not against the staff member the forged token named.
        var rows = await new AuditQueries(Scoped(City)).AnalyseAsync(AnalysisKind.FailedLogins, null, null, 0, CancellationToken.None);
        Assert.DoesNotContain(rows, r => r.Key == staff);
        Assert.True(rows.Single(r => r.Key == "unknown").Count >= heard + 1);

        var verifier = new ChainVerifier();
        await foreach (var entry in new AuditQueries(Scoped(City)).AllInOrder())
        {
            verifier.Add(entry);
        }
        Assert.Empty(verifier.Finish());
    }

    private SrsDbContext Scoped(string tenant)
    {
        var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant, "t", "t", new HashSet<string>()));
        return scope.ServiceProvider.GetRequiredService<SrsDbContext>();
    }
}
