using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Analytics.V1;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Core.Security;

namespace SharedResidentSystem.Benchmarks;

/// <summary>
/// EUC under the counter's load (issue 20, point 4): GetResident measured idle; then while the
/// largest city's copy is made (export in one read snapshot, then Parquet); then while its
/// supervisors extract without pause — a count over every version with history (GROUP BY) and the
/// whole list of its residents as CSV, one after the other. What the extractions did meanwhile
/// is printed beside the table.
/// </summary>
internal static class EucBench
{
    private const string Grouped = "SELECT 住民種別, 性別, 住所_町字, count(*) AS 版数, count(DISTINCT 宛名番号) AS 人数 FROM R01_住民 GROUP BY ALL ORDER BY ALL";
    private const string Listed = "SELECT 宛名番号, 氏, 名, 生年月日_年, 生年月日_月, 生年月日_日, 住所_郵便番号, 住所_町字, 住所_丁目, 住所_番地, 住所_方書 FROM 現在の住民 ORDER BY 宛名番号";

    public static async Task<List<(string Name, Bench.Measurement M)>> RunAsync(GrpcChannel channel, Dictionary<string, List<string>> population,
        Microsoft.IdentityModel.Tokens.SecurityKey key, Func<Func<int, Random, Task>, Task<Bench.Measurement>> measure, Func<int, Random, Task> getResident)
    {
        // A first round warms the server (JIT, caches, connections) and is not reported.
        await measure(getResident);
        var results = new List<(string Name, Bench.Measurement M)> { ("GetResident, idle", await measure(getResident)) };
        var city = population.Keys.OrderByDescending(c => population[c].Count).First();
        var supervisor = new Metadata
        {
            { "Authorization", "Bearer " + SigningKeys.Mint(key, new Caller(city, "bench-sv", "T001", new HashSet<string> { Roles.Supervisor }), TimeProvider.System, TimeSpan.FromHours(4)) },
        };
        var jobs = new JobService.JobServiceClient(channel);
        var clock = Stopwatch.StartNew();
        var copy = await jobs.StartJobAsync(new StartJobRequest { RequestId = Guid.NewGuid().ToString(), Kind = JobKind.EucSnapshot, Reason = "benchmark" }, supervisor);
        results.Add(("GetResident, while the copy is made", await measure(getResident)));
        var during = await jobs.GetOperationAsync(new GetOperationRequest { Name = copy.Name }, supervisor);
        var made = await JobsBench.UntilDoneAsync(jobs, supervisor, copy);
        var copyTime = clock.Elapsed;
        if (made.Metadata.State != JobState.Succeeded)
        {
            throw new InvalidOperationException($"the copy failed: {made.Error?.Message}");
        }

        var euc = new EucService.EucServiceClient(channel);
        var extractions = new List<(string Question, double Seconds, long Rows, long Bytes)>();
        using var stop = new CancellationTokenSource();
        var extracting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var (sql, format) in new[] { (Grouped, EucFormat.Table), (Listed, EucFormat.Csv) })
                {
                    var timer = Stopwatch.StartNew();
                    using var call = euc.Extract(new ExtractRequest { Sql = sql, Format = format, DisplayRows = 1000, Reason = "benchmark" }, supervisor);
                    long rows = 0, bytes = 0;
                    await foreach (var chunk in call.ResponseStream.ReadAllAsync())
                    {
                        rows = chunk.Summary?.Rows ?? rows;
                        bytes += chunk.Data?.Length ?? 0;
                    }
                    extractions.Add((format == EucFormat.Csv ? "list of the residents as CSV" : "count over every version, grouped", timer.Elapsed.TotalSeconds, rows, bytes));
                }
            }
        });
        // The first extraction under way before the counter is measured.
        await Task.Delay(500);
        results.Add(("GetResident, while EUC extracts without pause", await measure(getResident)));
        stop.Cancel();
        await extracting;
        results.Add(("GetResident, idle again", await measure(getResident)));

        Console.WriteLine($"The copy of {city} ({population[city].Count:N0} residents): {copyTime.TotalSeconds:F0} s in all; {string.Join(", ", made.Response.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value:N0} rows"))}; " +
            $"after the measured phase it was {during.Metadata.State} at step {during.Metadata.DoneCount} of {during.Metadata.TotalCount} (its first step, the export, counts when it ends).");
        foreach (var group in extractions.GroupBy(e => e.Question))
        {
            Console.WriteLine($"During the measured phase: {group.Count()} × {group.Key} ({group.First().Rows:N0} rows" + (group.First().Bytes > 0 ? $", {group.First().Bytes / 1024 / 1024:N0} MB" : "") +
                $"), {group.Average(e => e.Seconds):F1} s each on average.");
        }
        return results;
    }
}
