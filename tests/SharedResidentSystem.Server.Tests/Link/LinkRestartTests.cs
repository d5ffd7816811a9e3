using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Link.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Link;

/// <summary>
/// A linked system's subscription across a crash of the register: the server killed (SIGKILL)
/// in the middle of a day of 転入, started again on the same data; the system comes back with the
/// last token it kept and has every 異動 once, in order, with only its items.
/// </summary>
public sealed class LinkRestartTests
{
    private const string City = "132136";
    private const string System = "juminzei";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private sealed record Received(LinkEventKind Kind, string Resident, long IdouId, string Reason, IReadOnlyList<string> Items);

    /// <summary>Reads the subscription until it ends (the server went away) or <paramref name="done"/> says it has all; returns the last token kept.</summary>
    private static async Task<string> ReadAsync(string address, string token, string resumeToken, List<Received> received, Func<bool> done, CancellationToken stop)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var client = new LinkService.LinkServiceClient(channel);
        using var call = client.Subscribe(new SubscribeRequest { ResumeToken = resumeToken }, new Metadata { { "Authorization", "Bearer " + token } }, cancellationToken: stop);
        try
        {
            while (!done() && await call.ResponseStream.MoveNext(stop))
            {
                var e = call.ResponseStream.Current;
                lock (received)
                {
                    received.Add(new Received(e.Kind, e.ResidentNumber, e.IdouId, e.Reason, [.. e.Items.Select(i => i.Name)]));
                }
                // The system keeps the token of each event it has stored.
                resumeToken = e.ResumeToken;
            }
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled)
        {
            // The server is gone: the system keeps its token and comes back later.
        }
        return resumeToken;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    [Spec("7.2.3#3")]
    [Spec("7.2.3#4")]
    public async Task A_system_receives_a_day_of_idou_once_and_in_order_across_a_crash_of_the_server(string provider)
    {
        var data = RepositoryPaths.NewTempDirectory("srs-link");
        var storage = await ServerProcess.StorageAsync(provider);
        var first = ServerProcess.Start(data, storage);
        ServerProcess? second = null;
        try
        {
            await first.WaitUntilServingAsync(StartTimeout);
            var clerk = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T001") } };
            var system = await ServerProcess.MintAsync(data, City, "linked-system", "--staff", System);
            var requests = Enumerable.Range(0, 20).Select(_ => Requests.MoveIn(City, Requests.UniqueKana(), members: 1)).ToList();
            var moved = new Dictionary<string, string>();
            var received = new List<Received>();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));

            // The system takes the whole register first; then the day begins.
            var kept = await ReadAsync(first.Address, system, "", received, () => received.Any(r => r.Kind == LinkEventKind.SnapshotComplete), stop.Token);
            received.Clear();
            var reading = ReadAsync(first.Address, system, kept, received, () => false, stop.Token);
            using (var channel = GrpcChannel.ForAddress(first.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                foreach (var request in requests.Take(10))
                {
                    moved[request.RequestId] = (await registration.RecordMoveInAsync(request, clerk)).Residents[0].Name;
                }
            }
            // Killed once the system has some of them: the rest of the feed is in the database only.
            var until = DateTime.UtcNow.AddSeconds(30);
            int Delivered()
            {
                lock (received)
                {
                    return received.Count(r => r.Kind == LinkEventKind.Idou);
                }
            }
            while (DateTime.UtcNow < until && Delivered() < 5)
            {
                await Task.Delay(20);
            }
            await first.KillAsync();
            kept = await reading;
            var beforeCrash = received.Count;
            Assert.InRange(beforeCrash, 5, 10);

            second = ServerProcess.Start(data, storage);
            await second.WaitUntilServingAsync(StartTimeout);
            using (var channel = GrpcChannel.ForAddress(second.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                foreach (var request in requests)
                {
                    // A 転入 acknowledged before the crash answers again with its first answer (nothing recorded twice).
                    var answer = await registration.RecordMoveInAsync(request, clerk);
                    Assert.Equal(moved.GetValueOrDefault(request.RequestId, answer.Residents[0].Name), answer.Residents[0].Name);
                    moved[request.RequestId] = answer.Residents[0].Name;
                }
            }
            var residents = moved.Values.Select(n => n[(n.LastIndexOf('/') + 1)..]).ToHashSet();
            await ReadAsync(second.Address, system, kept, received, () => residents.All(r => received.Any(e => e.Resident == r)), stop.Token);

            // Every 転入 of the day once, in the order recorded, each with only the system's items.
            var day = received.Where(r => residents.Contains(r.Resident)).ToList();
            Assert.Equal(20, day.Count);
            Assert.Equal(residents.Order(StringComparer.Ordinal), day.Select(r => r.Resident).Order(StringComparer.Ordinal));
            Assert.All(day, r => Assert.Equal((LinkEventKind.Idou, "国内転入"), (r.Kind, r.Reason)));
            Assert.Equal(day.Select(r => r.IdouId).Order(), day.Select(r => r.IdouId));
            Assert.Equal(day.Count, day.Select(r => r.IdouId).Distinct().Count());
            var items = day[0].Items;
            Assert.Contains("個人番号", items);
            Assert.DoesNotContain("本籍", items);
            Assert.DoesNotContain("在留カード等の番号", items);
            Assert.All(day, r => Assert.Equal(items, r.Items));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
        }
    }
}
