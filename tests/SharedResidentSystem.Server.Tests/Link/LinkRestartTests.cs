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

/// <summary>srs-link, the reference subscriber, as a city's system would run it: its own process, signed in with the secret srs-admin issued.</summary>
public sealed class LinkClientProcessTests
{
    private const string City = "132225";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private static List<System.Text.Json.JsonElement> Lines(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.EndsWith('}')).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.Clone())];
    }

    private static string Text(System.Text.Json.JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "";

    private static async Task<List<System.Text.Json.JsonElement>> UntilAsync(string file, Func<List<System.Text.Json.JsonElement>, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var lines = Lines(file);
            if (done(lines) || DateTime.UtcNow > until)
            {
                return lines;
            }
            await Task.Delay(200);
        }
    }

    [Fact]
    [Spec("7.2.3#1")]
    [Spec("7.2.3#3")]
    public async Task Srs_link_signs_in_with_its_secret_and_keeps_every_change_across_a_restart_of_the_register()
    {
        var work = RepositoryPaths.NewTempDirectory("srs-link-client");
        await using var first = ServerProcess.Start();
        ServerProcess? second = null;
        System.Diagnostics.Process? link = null;
        try
        {
            await first.WaitUntilServingAsync(StartTimeout);
            var operatorToken = await ServerProcess.MintAsync(first.DataDirectory, City, "operator");
            var (code, json, error) = await ServerProcess.RunAsync("dotnet",
                [ServerProcess.ProgramPath("tools/SharedResidentSystem.AdminTool", "srs-admin.dll"), "link", "secret", "--system", "juminzei", "--address", first.Address, "--token", operatorToken, "--json"],
                TimeSpan.FromSeconds(60));
            Assert.True(code == 0, error);
            using var issued = System.Text.Json.JsonDocument.Parse(json);
            var clientId = issued.RootElement.GetProperty("clientId").GetString()!;
            var secret = issued.RootElement.GetProperty("clientSecret").GetString()!;

            var events = Path.Combine(work, "events.jsonl");
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = work };
            foreach (var a in new[] { ServerProcess.ProgramPath("tools/SharedResidentSystem.LinkClient", "srs-link.dll"), "--address", first.Address, "--client-id", clientId, "--secret", secret, "--state", Path.Combine(work, "state"), "--out", events })
            {
                start.ArgumentList.Add(a);
            }
            link = System.Diagnostics.Process.Start(start)!;
            var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
            link.OutputDataReceived += (_, _) => { };
            link.ErrorDataReceived += (_, e) => said.Enqueue(e.Data ?? "");
            link.BeginOutputReadLine();
            link.BeginErrorReadLine();
            Assert.Contains(await UntilAsync(events, l => l.Any(e => Text(e, "kind") == "LINK_EVENT_KIND_SNAPSHOT_COMPLETE")), e => Text(e, "kind") == "LINK_EVENT_KIND_SNAPSHOT_COMPLETE");

            var clerk = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(first.DataDirectory, City, "clerk", "--terminal", "T001") } };
            async Task<List<string>> MoveInsAsync(string address, int count)
            {
                using var channel = GrpcChannel.ForAddress(address);
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                var numbers = new List<string>();
                for (var i = 0; i < count; i++)
                {
                    var name = (await registration.RecordMoveInAsync(Requests.MoveIn(City, Requests.UniqueKana(), members: 1), clerk)).Residents[0].Name;
                    numbers.Add(name[(name.LastIndexOf('/') + 1)..]);
                }
                return numbers;
            }
            bool Has(List<System.Text.Json.JsonElement> lines, IEnumerable<string> residents) =>
                residents.All(r => lines.Any(e => Text(e, "kind") == "LINK_EVENT_KIND_IDOU" && Text(e, "residentNumber") == r));

            var before = await MoveInsAsync(first.Address, 5);
            Assert.True(Has(await UntilAsync(events, l => Has(l, before)), before), "srs-link received the first 転入");
            await first.KillAsync();
            second = ServerProcess.Restart(first);
            await second.WaitUntilServingAsync(StartTimeout);
            var after = await MoveInsAsync(second.Address, 5);
            var lines = await UntilAsync(events, l => Has(l, after));
            Assert.True(Has(lines, after), "srs-link came back by itself and received the later 転入:\n" + string.Join('\n', said));
            Assert.Equal(2, said.Count(l => l.Contains("受信を始めます", StringComparison.Ordinal)));
            Assert.Contains(said, l => l.Contains("前回の続きから", StringComparison.Ordinal));

            // Each 転入 once, in the order recorded, the 全件 before every change.
            var day = lines.Where(e => Text(e, "kind") == "LINK_EVENT_KIND_IDOU" && before.Concat(after).Contains(Text(e, "residentNumber"))).ToList();
            Assert.Equal(before.Concat(after), day.Select(e => Text(e, "residentNumber")));
            Assert.True(lines.FindIndex(e => Text(e, "kind") == "LINK_EVENT_KIND_SNAPSHOT_COMPLETE") < lines.IndexOf(day[0]));
            Assert.False(link.HasExited);
        }
        finally
        {
            if (link is { HasExited: false })
            {
                link.Kill(entireProcessTree: true);
                await link.WaitForExitAsync();
            }
            link?.Dispose();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
            RepositoryPaths.Remove(work);
        }
    }
}
