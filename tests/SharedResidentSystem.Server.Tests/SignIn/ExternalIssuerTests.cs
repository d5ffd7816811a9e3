using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Staff.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.SignIn;

/// <summary>
/// An instance without the system's own sign-in, trusting two OpenID Connect issuers: 東久留米市's
/// own directory (its claims named its way, for that city only) and one shared by the other two
/// cities (the city in a claim). Keys come from each issuer's discovery document and JWKS.
/// </summary>
public sealed class ExternalIssuerServer : SqliteServer
{
    private FakeIdentityProvider? _city;
    private FakeIdentityProvider? _shared;

    public FakeIdentityProvider CityIssuer => _city ??= Owned(FakeIdentityProvider.StartAsync().GetAwaiter().GetResult());

    public FakeIdentityProvider SharedIssuer => _shared ??= Owned(FakeIdentityProvider.StartAsync().GetAwaiter().GetResult());

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:SignIn:Enabled"] = "false",
        ["Auth:Issuers:0:Name"] = "kurume-directory",
        ["Auth:Issuers:0:Issuer"] = CityIssuer.Issuer,
        ["Auth:Issuers:0:Audience"] = "api://srs-kurume",
        ["Auth:Issuers:0:RequireHttpsMetadata"] = "false",
        ["Auth:Issuers:0:Cities:0"] = "132225",
        ["Auth:Issuers:0:KeyRefetchSeconds"] = "1",
        ["Auth:Issuers:0:Claims:Tenant"] = "",
        ["Auth:Issuers:0:Claims:Staff"] = "preferred_username",
        ["Auth:Issuers:0:Claims:Role"] = "groups",
        ["Auth:Issuers:0:Claims:Unit"] = "department",
        ["Auth:Issuers:0:Claims:Terminal"] = "device",
        ["Auth:Issuers:0:RoleValues:SRS-Clerk"] = "clerk",
        ["Auth:Issuers:0:RoleValues:SRS-Audit"] = "auditor",
        ["Auth:Issuers:1:Name"] = "shared-directory",
        ["Auth:Issuers:1:Issuer"] = SharedIssuer.Issuer,
        ["Auth:Issuers:1:RequireHttpsMetadata"] = "false",
        ["Auth:Issuers:1:Cities:0"] = "132110",
        ["Auth:Issuers:1:Cities:1"] = "132136",
    };
}

public sealed class ExternalIssuerTests(ExternalIssuerServer server) : IClassFixture<ExternalIssuerServer>
{
    private static readonly string[] ClerkAndSupervisor = ["clerk", "supervisor"];

    private DateTimeOffset Now => server.Time.GetUtcNow();

    private static Dictionary<string, object> KurumeClaims(string user = "yamada") => new()
    {
        ["sub"] = Guid.NewGuid().ToString(),
        ["preferred_username"] = user,
        ["groups"] = new[] { "SRS-Clerk", "Everyone" },
        ["department"] = "市民課",
        ["device"] = "KRM-07",
    };

    private async Task<Session> SessionAsync(string token) =>
        await new StaffSessionService.StaffSessionServiceClient(server.Invoker(token)).GetSessionAsync(new GetSessionRequest());

    private async Task<StatusCode> RefusalAsync(string token) =>
        (await Assert.ThrowsAsync<RpcException>(() => SessionAsync(token))).StatusCode;

    [Fact]
    [Spec("10.3#4")]
    public async Task A_token_of_the_citys_own_directory_is_accepted_with_its_claims_mapped_as_configured()
    {
        var session = await SessionAsync(server.CityIssuer.Mint(KurumeClaims(), Now, audience: "api://srs-kurume"));
        Assert.Equal(("132225", "yamada", "市民課", "KRM-07"), (session.Tenant, session.StaffId, session.Unit, session.Terminal));
        Assert.Equal([Roles.Clerk], session.Roles);

        var shared = await SessionAsync(server.SharedIssuer.Mint(new Dictionary<string, object>
        {
            ["sub"] = "kodaira-clerk", ["tenant"] = "132110", ["role"] = ClerkAndSupervisor,
        }, Now));
        Assert.Equal(("132110", "kodaira-clerk"), (shared.Tenant, shared.StaffId));
        Assert.Equal([Roles.Clerk, Roles.Supervisor], shared.Roles);
    }

    [Fact]
    public async Task Tokens_of_another_issuer_or_audience_expired_or_for_a_city_the_issuer_may_not_sign_for_are_refused()
    {
        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(server.CityIssuer.Mint(KurumeClaims(), Now, audience: "srs")));
        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(server.CityIssuer.Mint(KurumeClaims(), Now - TimeSpan.FromHours(2), audience: "api://srs-kurume")));
        await using (var stranger = await FakeIdentityProvider.StartAsync())
        {
            Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(stranger.Mint(KurumeClaims(), Now, audience: "api://srs-kurume")));
            // Claiming a trusted issuer's name but signed with a key it never published.
            Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(stranger.Mint(KurumeClaims(), Now, audience: "api://srs-kurume", issuer: server.CityIssuer.Issuer)));
        }

        // The shared directory may not speak for 東久留米市: refused, and the attempt is in that city's log.
        var marker = "intruder-" + Guid.NewGuid().ToString("N")[..6];
        var foreign = server.SharedIssuer.Mint(new Dictionary<string, object> { ["sub"] = marker, ["tenant"] = "132225", ["role"] = "clerk" }, Now);
        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(foreign));
        await server.Services.GetRequiredService<Security.AuthenticationFailures>().FlushAsync(all: true, CancellationToken.None);
        var log = await new AuditService.AuditServiceClient(server.As("132225", Roles.Auditor))
            .SearchAccessLogAsync(new SearchAccessLogRequest { Outcome = "AUTHENTICATION_FAILED", PageSize = 1000 });
        Assert.Contains(log.Entries, e => e.Detail.Contains(marker, StringComparison.Ordinal) && e.Detail.Contains("IssuerNotAllowedForCity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_key_of_the_issuer_is_fetched_when_first_met_and_tokens_of_the_old_key_stay_valid_while_it_is_published()
    {
        var before = server.CityIssuer.Mint(KurumeClaims("before"), Now, audience: "api://srs-kurume");
        Assert.Equal("before", (await SessionAsync(before)).StaffId);
        server.CityIssuer.AddKey();
        var after = server.CityIssuer.Mint(KurumeClaims("after"), Now, audience: "api://srs-kurume");

        // The first call with the unknown key ID makes the server fetch the keys again.
        Session? session = null;
        for (var attempt = 0; attempt < 50 && session is null; attempt++)
        {
            try
            {
                session = await SessionAsync(after);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
            {
                await Task.Delay(200);
            }
        }
        Assert.Equal("after", session?.StaffId);
        Assert.Equal("before", (await SessionAsync(before)).StaffId);
    }

    [Fact]
    public async Task This_instance_hosts_no_sign_in_when_configured_so()
    {
        using var http = new HttpClient(server.CreateHandler()) { BaseAddress = new Uri("http://localhost") };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password" }));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
