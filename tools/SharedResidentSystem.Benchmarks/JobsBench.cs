using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Benchmarks;

/// <summary>
/// The counter while the city's long work runs (issue 19, point 5): GetResident and RecordMoveIn
/// measured idle, then again while a 9.7 住所一括変更 本処理 over at least 50,000 households (its
/// 仮処理 made first) and a 9.6 無作為抽出 in every city (the whole population read, twice) run
/// side by side. The jobs' progress before and after each measured phase shows they ran
/// throughout; they are cancelled at the end.
/// </summary>
internal static class JobsBench
{
    public const int Households = 50_000;

    public static async Task<List<(string Name, Bench.Measurement M)>> RunAsync(IServiceProvider services, GrpcChannel channel, TenantDirectory tenants,
        Dictionary<string, List<string>> population, Microsoft.IdentityModel.Tokens.SecurityKey key, Func<Func<int, Random, Task>, Task<Bench.Measurement>> measure,
        Func<int, Random, Task> getResident, Func<int, Random, Task> moveIn)
    {
        var results = new List<(string Name, Bench.Measurement M)>
        {
            ("GetResident, idle", await measure(getResident)),
            ("RecordMoveIn (異動, 2 persons), idle", await measure(moveIn)),
        };
        var codes = population.Keys.Order(StringComparer.Ordinal).ToArray();
        var jobs = new JobService.JobServiceClient(channel);
        Metadata Supervisor(string code) => new()
        {
            { "Authorization", "Bearer " + SigningKeys.Mint(key, new Caller(code, "bench-sv", "T001", new HashSet<string> { Roles.Supervisor }), TimeProvider.System, TimeSpan.FromHours(4)) },
        };

        // 9.7 in the largest city: its towns without a 住居表示・地番 master, each renamed to the next
        // (every 番地 kept), until the towns taken hold the households wanted.
        var city = codes.OrderByDescending(c => population[c].Count).First();
        var tenant = tenants.Get(city);
        var free = tenant.Towns.Where(t => t.Blocks.Count == 0 && t.SpecialLots.Count == 0 && t.Chome is null).Select(t => t.Name).ToList();
        Dictionary<string, int> perTown;
        using (var scope = services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(city, "bench", "bench", new HashSet<string>()));
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            perTown = await db.CurrentVersions.AsNoTracking().Where(v => v.State == ResidentState.Active)
                .GroupBy(v => v.Address.Town).Select(g => new { Town = g.Key, Households = g.Select(v => v.HouseholdNumber).Distinct().Count() })
                .ToDictionaryAsync(x => x.Town, x => x.Households);
        }
        var definition = new StringBuilder("世帯番号,変更前町字,変更前丁目,変更前番地,変更後町字,変更後丁目,変更後番地\n");
        var taken = 0;
        for (var i = 0; i < free.Count - 1 && taken < Households; i++)
        {
            for (var chome = 1; chome <= 5; chome++)
            {
                definition.Append(CultureInfo.InvariantCulture, $",{free[i]},{chome},*,{free[i + 1]},{chome},*\n");
            }
            taken += perTown.GetValueOrDefault(free[i]);
        }
        var supervisor = Supervisor(city);
        var clock = Stopwatch.StartNew();
        var preview = await UntilDoneAsync(jobs, supervisor, await jobs.StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AddressBulkChange, Reason = "benchmark",
            AddressBulkChange = new AddressBulkChangeParameters
            {
                Mode = AddressBulkChangeMode.Preview, Target = AddressBulkChangeTarget.Address, DefinitionCsv = ByteString.CopyFromUtf8(definition.ToString()),
                EffectiveDate = SharedResidentSystem.Japanese.JapanTime.Today(services.GetRequiredService<TimeProvider>()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
        }, supervisor));
        Console.Error.WriteLine($"9.7 仮処理 in {city}: {string.Join(", ", preview.Response.Counts.Select(c => $"{c.Key} {c.Value:N0}"))} in {clock.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine($"9.7 仮処理 in {city}: {string.Join(", ", preview.Response.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value:N0}"))} households, in {clock.Elapsed.TotalSeconds:F0} s.");

        var started = new List<(Operation Job, Metadata Headers)>
        {
            (await jobs.StartJobAsync(new StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AddressBulkChange, Reason = "benchmark",
                AddressBulkChange = new AddressBulkChangeParameters { Mode = AddressBulkChangeMode.Apply, FromOperation = preview.Name },
            }, supervisor), supervisor),
        };
        foreach (var code in codes)
        {
            var headers = Supervisor(code);
            started.Add((await jobs.StartJobAsync(new StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = JobKind.RandomExtraction, Reason = "benchmark",
                RandomExtraction = new RandomExtractionParameters { Count = 1000, Seed = 20261201 },
            }, headers), headers));
        }
        // Every job under way before the counter is measured.
        foreach (var (job, headers) in started)
        {
            for (var i = 0; i < 600 && (await jobs.GetOperationAsync(new GetOperationRequest { Name = job.Name }, headers)).Metadata.DoneCount == 0; i++)
            {
                await Task.Delay(100);
            }
        }
        async Task<string> ProgressAsync()
        {
            var parts = new List<string>();
            foreach (var (job, headers) in started)
            {
                var now = await jobs.GetOperationAsync(new GetOperationRequest { Name = job.Name }, headers);
                parts.Add($"{(now.Metadata.Kind == JobKind.AddressBulkChange ? "9.7" : "9.6")} {job.Name.Split('/')[1]} {now.Metadata.DoneCount:N0}/{now.Metadata.TotalCount:N0} {now.Metadata.State}");
            }
            return string.Join("; ", parts);
        }
        var before = await ProgressAsync();
        results.Add(("GetResident, during 9.7 本処理 + 9.6 ×3", await measure(getResident)));
        var middle = await ProgressAsync();
        results.Add(("RecordMoveIn (異動, 2 persons), during 9.7 本処理 + 9.6 ×3", await measure(moveIn)));
        var after = await ProgressAsync();
        Console.WriteLine($"Jobs (done/total, state) before the measured phases: {before}.");
        Console.WriteLine($"Between them: {middle}.");
        Console.WriteLine($"After them: {after}.");
        foreach (var (job, headers) in started)
        {
            await jobs.CancelOperationAsync(new CancelOperationRequest { RequestId = Guid.NewGuid().ToString(), Name = job.Name }, headers);
        }
        foreach (var (job, headers) in started)
        {
            await UntilDoneAsync(jobs, headers, job);
        }
        return results;
    }

    internal static async Task<Operation> UntilDoneAsync(JobService.JobServiceClient jobs, Metadata headers, Operation started)
    {
        while (true)
        {
            var now = await jobs.GetOperationAsync(new GetOperationRequest { Name = started.Name }, headers);
            if (now.Done)
            {
                return now;
            }
            await Task.Delay(500);
        }
    }
}
