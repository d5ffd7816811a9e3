using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Tests.Infrastructure;

namespace SharedResidentSystem.Server.Tests.Hardening;

/// <summary>A server that lets one staff member and one terminal have two calls under way, two more waiting.</summary>
public sealed class NarrowServer : SqliteServer
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Server:ConcurrentCallsPerStaff"] = "2",
        ["Server:ConcurrentCallsPerTerminal"] = "2",
    };
}

/// <summary>
/// One caller cannot take the server from the others: beyond its places and its line, a staff
/// member's calls are refused as RESOURCE_EXHAUSTED (logged), while a colleague on another
/// terminal is served.
/// </summary>
public sealed class CallLimitTests(NarrowServer server) : IClassFixture<NarrowServer>
{
    private const string City = "132110";

    private static async Task<StatusCode> SearchAsync(ResidentService.ResidentServiceClient client, string query)
    {
        try
        {
            await client.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = query });
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    [Fact]
    public async Task A_flood_from_one_staff_member_is_refused_beyond_the_line_and_a_colleague_is_served()
    {
        var flooding = new ResidentService.ResidentServiceClient(server.Invoker(server.Token(City, "busy", "T-BUSY", Roles.Clerk)));
        var colleague = new ResidentService.ResidentServiceClient(server.Invoker(server.Token(City, "calm", "T-CALM", Roles.Clerk)));

        var flood = Enumerable.Range(0, 60).Select(i => SearchAsync(flooding, "ア" + i)).ToList();
        var served = await SearchAsync(colleague, "イ");
        var codes = await Task.WhenAll(flood);

        Assert.Equal(StatusCode.OK, served);
        Assert.Contains(StatusCode.ResourceExhausted, codes);
        Assert.Contains(StatusCode.OK, codes);
        Assert.All(codes, c => Assert.True(c is StatusCode.OK or StatusCode.ResourceExhausted, c.ToString()));

        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(City, "t", "t", new HashSet<string>()));
        var refusals = await scope.ServiceProvider.GetRequiredService<SrsDbContext>().AccessLog.CountAsync(e => e.StaffId == "busy" && e.Outcome == "TOO_MANY_CALLS");
        Assert.Equal(codes.Count(c => c == StatusCode.ResourceExhausted), refusals);
    }
}
