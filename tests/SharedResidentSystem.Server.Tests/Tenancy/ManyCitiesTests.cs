using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using Xunit.Abstractions;

namespace SharedResidentSystem.Server.Tests.Tenancy;

/// <summary>
/// End to end, the scale run of issue 23 at full size: a server of 1,741 cities created by
/// configuration only (seed documents, nothing else) serves every one of them, and costs what a
/// server of the three member cities costs — the same database work a call, and the same at
/// rest (no round of a background service that visits every city). The database work is read
/// from the server's own metrics (EF Core's query counter on its Prometheus port), so that the
/// test counts work rather than timing it; the timings are srs-bench --cities (docs/benchmarks.md).
/// </summary>
public sealed partial class ManyCitiesTests(ITestOutputHelper output)
{
    private const int AllCities = 1741;
    private const int Calls = 20;

    [Fact]
    public async Task A_server_of_1741_cities_made_by_configuration_serves_each_and_costs_what_one_of_three_does()
    {
        var three = RunAsync(3);
        var all = RunAsync(AllCities);
        var (small, large) = (await three, await all);
        output.WriteLine($"3 cities: {small}");
        output.WriteLine($"{AllCities} cities: {large}");

        // Every city served: the first, one in the middle and the last answer with their own name and prefecture.
        Assert.Equal(3, small.Served);
        Assert.Equal(3, large.Served);
        // The same database work a call: GetResident and a 転入 in the last city of each server.
        Assert.InRange(large.QueriesPerRead, small.QueriesPerRead - 0.5, small.QueriesPerRead + 0.5);
        Assert.InRange(large.QueriesPerMoveIn, small.QueriesPerMoveIn - 2, small.QueriesPerMoveIn + 2);
        // The same at rest: the background services read once a round, not once a city a round
        // (before, the job runner alone read 1,741 times a second).
        Assert.True(large.IdleQueriesPerSecond <= small.IdleQueriesPerSecond * 1.5 + 1,
            $"at rest: {large.IdleQueriesPerSecond:F1} queries/s with {AllCities} cities, {small.IdleQueriesPerSecond:F1} with 3");
    }

    private sealed record Costs(int Served, double QueriesPerRead, double QueriesPerMoveIn, double IdleQueriesPerSecond);

    private static async Task<Costs> RunAsync(int count)
    {
        var tenants = RepositoryPaths.NewTempDirectory("srs-cities");
        try
        {
            var codes = ManyCities.Write(tenants, count, body => Core.Numbers.CheckDigits.LocalGovernmentCode(body));
            var prometheus = ServerProcess.FreePort();
            await using var server = await ServerProcess.StartServingAsync(TimeSpan.FromSeconds(180), "srs-cities",
                $"--Server:TenantsDirectory={tenants}", $"--Telemetry:PrometheusPort={prometheus}");
            using var channel = GrpcChannel.ForAddress(server.Address);
            using var http = new HttpClient();
            async Task<double> QueriesAsync()
            {
                // The exporter answers a scrape from its cache for 300 ms: each count is a fresh one.
                await Task.Delay(TimeSpan.FromMilliseconds(400));
                return Queries(await http.GetStringAsync($"http://127.0.0.1:{prometheus}/metrics"));
            }

            // Each sampled city by its own token: its configuration is the seed document written for it.
            Assert.Equal(count, codes.Count);
            var served = 0;
            var last = codes[^1];
            var headers = new Grpc.Core.Metadata();
            foreach (var code in new[] { codes[0], codes[count / 2], last })
            {
                headers = Requests.Bearer(await ServerProcess.MintAsync(server.DataDirectory, code));
                var tenant = await new TenantService.TenantServiceClient(channel).GetTenantAsync(new GetTenantRequest(), headers);
                using var seed = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(tenants, code + ".json")));
                Assert.Equal((code, seed.RootElement.GetProperty("name").GetString(), seed.RootElement.GetProperty("prefecture").GetString()),
                    (tenant.Code, tenant.DisplayName, tenant.Prefecture));
                served++;
            }

            // A 転入 and reads in the last city, counted.
            var registration = new RegistrationService.RegistrationServiceClient(channel);
            var residents = new ResidentService.ResidentServiceClient(channel);
            var before = await QueriesAsync();
            var recorded = await registration.RecordMoveInAsync(
                Requests.MoveInToday(last, RegisterDriver.Person("規模", "試太郎", "キボ", "タメシタロウ", 1980, 1, 2, Sex.Male, "世帯主"), 1, "1番1号"), headers);
            var afterMoveIn = await QueriesAsync();
            var name = recorded.Residents[0].Name;
            for (var i = 0; i < Calls; i++)
            {
                Assert.Equal("試太郎", (await residents.GetResidentAsync(new GetResidentRequest { Name = name }, headers)).PersonName.Given);
            }
            var afterReads = await QueriesAsync();

            // At rest, over several rounds of every background service.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var rest = await QueriesAsync();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(6));
            var rested = await QueriesAsync();
            return new Costs(served, (afterReads - afterMoveIn) / Calls, afterMoveIn - before, (rested - rest) / clock.Elapsed.TotalSeconds);
        }
        finally
        {
            Directory.Delete(tenants, recursive: true);
        }
    }

    /// <summary>EF Core's count of the queries the server ran, over every series of its query counter.</summary>
    private static double Queries(string scrape)
    {
        var total = QueryCounter().Matches(scrape).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        return total > 0 ? total : throw new InvalidOperationException("No EF Core query counter in the server's metrics:\n" + scrape);
    }

    [GeneratedRegex(@"^microsoft_entityframeworkcore_queries(_total)?(\{[^}]*\})? (?<value>[0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex QueryCounter();
}
