using System.Diagnostics;
using Google.Rpc;
using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Hardening;

/// <summary>A server whose PostgreSQL sits behind a gate the test can shut.</summary>
public sealed class GatedPostgresServer : ServerFixture
{
    public TcpGate Gate { get; private set; } = null!;

    public override string ProviderName => "postgresql";

    protected override async Task<string?> CreateConnectionStringAsync()
    {
        var cluster = await PostgresCluster.GetAsync();
        var connectionString = await cluster.CreateDatabaseAsync();
        Gate = new TcpGate(cluster.Port);
        return connectionString.Replace($"Port={cluster.Port}", $"Port={Gate.Port}", StringComparison.Ordinal) + ";Timeout=3;Command Timeout=10";
    }
}

/// <summary>
/// The database gone while clerks work: every call answers UNAVAILABLE with a retry hint (never
/// INTERNAL), so a terminal knows to retry; when it is back the server serves again without a
/// restart, and every write it acknowledged is there.
/// </summary>
public sealed class DatabaseOutageTests(GatedPostgresServer server) : IClassFixture<GatedPostgresServer>
{
    private const string City = "132136";
    private readonly RegisterDriver _clerk = new(server, City);

    [Fact]
    public async Task An_unreachable_database_is_unavailable_with_retry_and_the_server_recovers_keeping_every_acknowledged_write()
    {
        var acknowledged = new List<(string Kana, string Name)>();
        var first = UniqueKana();
        acknowledged.Add((first, (await _clerk.Registration.RecordMoveInAsync(MoveIn(City, first, members: 1))).Residents[0].Name));

        server.Gate.Close();
        var watch = Stopwatch.StartNew();
        var lost = UniqueKana();
        var write = await Assert.ThrowsAsync<RpcException>(() => _clerk.Registration.RecordMoveInAsync(MoveIn(City, lost, members: 1)).ResponseAsync);
        var read = await Assert.ThrowsAsync<RpcException>(() => _clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = acknowledged[0].Name }).ResponseAsync);
        foreach (var refused in new[] { write, read })
        {
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Equal("STORAGE_UNAVAILABLE", refused.ErrorInfo()!.Reason);
            Assert.NotNull(refused.GetRpcStatus()!.GetDetail<RetryInfo>());
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"answered in {watch.Elapsed}");

        server.Gate.Open();
        var second = UniqueKana();
        var again = MoveIn(City, second, members: 1);
        RecordIdouResponse? after = null;
        for (var attempt = 0; after is null && attempt < 30; attempt++)
        {
            try
            {
                // The terminal's retry: the same request_id each time, so it is recorded once.
                after = await _clerk.Registration.RecordMoveInAsync(again);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                await Task.Delay(500);
            }
        }
        Assert.NotNull(after);
        acknowledged.Add((second, after.Residents[0].Name));
        foreach (var (kana, name) in acknowledged)
        {
            var found = await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana });
            Assert.Equal(name, Assert.Single(found.Residents).Name);
        }
        // The refused write left nothing.
        Assert.Empty((await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = lost })).Residents);

        // What the outage logged is the database's failures, never an unexpected one.
        Assert.DoesNotContain(server.LoggedErrors, e => e.Contains("Unexpected failure", StringComparison.Ordinal));
        server.LoggedErrors.Clear();
    }
}
