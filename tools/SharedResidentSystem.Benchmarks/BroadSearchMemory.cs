using System.Diagnostics;
using Grpc.Core;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;

namespace SharedResidentSystem.Benchmarks;

/// <summary>
/// Memory under many concurrent broad searches (issue 15): every caller is a staff member of
/// their own at a terminal of their own, so that only the city's limit and the page's byte
/// bound hold the load; the process's working set and GC heap are sampled every 50 ms. The
/// callers live in the same process as the server, so the figures include the answers they hold.
/// </summary>
public static class BroadSearchMemory
{
    public static async Task RunAsync(ResidentService.ResidentServiceClient client, string[] codes, Microsoft.IdentityModel.Tokens.SecurityKey key,
        int callers, TimeSpan duration, int residents, string provider, TimeProvider time)
    {
        var tokens = Enumerable.Range(0, callers).Select(i => SigningKeys.Mint(key,
            new Caller(codes[i % codes.Length], $"broad-{i}", $"broad-{i}", new HashSet<string> { Roles.Clerk }), time, TimeSpan.FromHours(1))).ToArray();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        long WorkingSet()
        {
            process.Refresh();
            return process.WorkingSet64;
        }
        var before = WorkingSet();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        long peak = before, heapPeak = heapBefore, pages = 0, bytes = 0;
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<StatusCode, int>();
        var reasons = new System.Collections.Concurrent.ConcurrentDictionary<StatusCode, string>();
        using var stop = new CancellationTokenSource(duration);
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, WorkingSet());
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var start = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            var headers = new Metadata { { "Authorization", "Bearer " + tokens[i] } };
            // The first kana of a surname the population uses: every page is a full one.
            var kana = Population.Surnames[i % Population.Surnames.Length].Kana[..1];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var page = await client.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, IncludeRemoved = true, PageSize = 500 }, headers,
                        deadline: time.GetUtcNow().UtcDateTime.AddSeconds(60));
                    Interlocked.Increment(ref pages);
                    Interlocked.Add(ref bytes, page.CalculateSize());
                }
                catch (RpcException e)
                {
                    statuses.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);
                    reasons.TryAdd(e.StatusCode, e.Status.Detail);
                }
            }
        })));
        start.Stop();
        await sampler;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var after = WorkingSet();
        static string Mb(long b) => $"{b / (1024.0 * 1024):N0} MB";
        Console.WriteLine($"Memory under {callers} concurrent broad searches ({residents:N0} residents, {provider}, {duration.TotalSeconds:N0} s): " +
            $"working set {Mb(before)} before, {Mb(peak)} at peak, {Mb(after)} after; GC heap {Mb(heapBefore)} before, {Mb(heapPeak)} at peak; " +
            $"{pages:N0} pages answered ({pages / start.Elapsed.TotalSeconds:N0}/s, {(pages == 0 ? 0 : bytes / pages) / 1024.0:N0} KiB a page on average); " +
            $"refused: {(statuses.IsEmpty ? "none" : string.Join(", ", statuses.Select(kv => $"{kv.Key} {kv.Value:N0} ({reasons[kv.Key]})")))}.");
    }
}
