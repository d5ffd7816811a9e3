using Grpc.Core;
using Grpc.Health.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Server.Storage;
using SharedResidentSystem.Server.Tenancy;
using SharedResidentSystem.Server.Tests.Infrastructure;

namespace SharedResidentSystem.Server.Tests.Tenancy;

public abstract class TenantServiceTests(ServerFixture server)
{
    [Theory]
    [InlineData("132225", "東久留米市")]
    [InlineData("132110", "小平市")]
    [InlineData("132136", "東村山市")]
    public async Task Each_city_gets_itself_back(string code, string name)
    {
        var client = new TenantService.TenantServiceClient(server.As(code));
        var tenant = await client.GetTenantAsync(new GetTenantRequest());
        Assert.Equal(code, tenant.Code);
        Assert.Equal(name, tenant.DisplayName);
        Assert.Equal($"tenants/{code}", tenant.Name);
        Assert.True(tenant.ConfigVersion >= 1);
        Assert.NotEmpty(tenant.Etag);
        var byName = await client.GetTenantAsync(new GetTenantRequest { Name = $"tenants/{code}" });
        Assert.Equal(tenant, byName);
    }

    [Fact]
    public async Task Every_role_may_read_its_own_city()
    {
        foreach (var role in Roles.Staff)
        {
            var tenant = await new TenantService.TenantServiceClient(server.As("132136", role)).GetTenantAsync(new GetTenantRequest());
            Assert.Equal("132136", tenant.Code);
        }
    }

    [Fact]
    public async Task Without_a_token_the_call_is_unauthenticated()
    {
        var client = new TenantService.TenantServiceClient(server.Invoker(null));
        var e = await Assert.ThrowsAsync<RpcException>(() => client.GetTenantAsync(new GetTenantRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJ0ZW5hbnQiOiIxMzIxMzYiLCJzdWIiOiJ4In0.c2lnbmF0dXJl")]
    public async Task A_forged_or_malformed_token_is_unauthenticated(string token)
    {
        var client = new TenantService.TenantServiceClient(server.Invoker(token));
        var e = await Assert.ThrowsAsync<RpcException>(() => client.GetTenantAsync(new GetTenantRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_unauthenticated()
    {
        var otherKey = SigningKeys.FromBase64(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var token = SigningKeys.Mint(otherKey, new Caller("132136", "x", "T", new HashSet<string> { Roles.Clerk }), TimeProvider.System, TimeSpan.FromHours(1));
        var e = await Assert.ThrowsAsync<RpcException>(() => new TenantService.TenantServiceClient(server.Invoker(token)).GetTenantAsync(new GetTenantRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task A_token_for_a_city_outside_the_joint_system_is_denied()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => new TenantService.TenantServiceClient(server.As("011011")).GetTenantAsync(new GetTenantRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task A_role_without_access_to_the_register_is_denied()
    {
        var residents = new ResidentService.ResidentServiceClient(server.As("132136", Roles.Auditor));
        var e = await Assert.ThrowsAsync<RpcException>(() => residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "タ" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task A_malformed_name_names_the_field()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => new TenantService.TenantServiceClient(server.As("132136")).GetTenantAsync(new GetTenantRequest { Name = "cities/132136" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("INVALID_RESOURCE_NAME", e.ErrorInfo()?.Reason);
        Assert.Equal(["name"], e.ViolatedFields());
    }

    [Fact]
    public async Task Health_reports_serving_without_a_token()
    {
        var health = new Health.HealthClient(server.Invoker(null));
        var response = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task The_configuration_refresh_reads_the_versions_only_when_the_change_marker_moved()
    {
        var refresher = server.Services.GetRequiredService<TenantConfigRefresher>();
        var loads = refresher.Loads;
        // Nothing added since the last read (whatever other tests did before this line): the marker alone is read.
        await refresher.RefreshAsync(CancellationToken.None);
        loads = refresher.Loads;
        await refresher.RefreshAsync(CancellationToken.None);
        await refresher.RefreshAsync(CancellationToken.None);
        Assert.Equal(loads, refresher.Loads);
    }

    [Fact]
    public async Task Health_answers_from_the_last_background_check_not_a_query_per_call()
    {
        var database = server.Services.GetRequiredService<DatabaseHealth>();
        var health = new Health.HealthClient(server.Invoker(null));
        for (var waited = 0; database.Reachable is null && waited < 100; waited++)
        {
            await Task.Delay(100);
        }
        Assert.True(database.Reachable);
        var before = database.Checks;
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        }
        // 200 answers; at most the background's own checks of the seconds they took (one each 5 s).
        Assert.InRange(database.Checks - before, 0, 2);
    }
}

public sealed class TenantServiceTestsOnSqlite(SqliteServer server) : TenantServiceTests(server), IClassFixture<SqliteServer>;

public sealed class TenantServiceTestsOnPostgres(PostgresServer server) : TenantServiceTests(server), IClassFixture<PostgresServer>;
