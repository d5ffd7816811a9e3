using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SharedResidentSystem.Benchmarks.Echo;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Storage;

namespace SharedResidentSystem.Benchmarks;

/// <summary>
/// srs-bench: starts the real server (Kestrel, h2c on loopback) and a bare gRPC echo server in
/// this process, loads a synthetic population, then measures with N concurrent callers over
/// real HTTP/2 connections: search latency, 異動 throughput, GetResident next to echo, and
/// certificates issued next to the bare rendering of the same page.
/// </summary>
public static class Bench
{
    private const string Usage = """
        srs-bench [--residents N] [--seconds S] [--concurrency C] [--provider sqlite|postgresql] [--connection CS] [--data-dir DIR] [--certificates-only] [--rounds R]
          --residents    synthetic population across the member cities (default 460000)
          --seconds      measuring time of each phase (default 15)
          --concurrency  concurrent callers (default 16)
          --provider     storage provider (default sqlite, a file under --data-dir)
          --certificates-only  only the two certificate phases (bare rendering, IssueCertificate)
          --rounds       run the phases this many times, one after the other (default 1)
          --only A,B     only the phases whose names start with one of these (case ignored), e.g. --only bare,GetResident
          --broad-searches N  only the memory phase: N callers (each its own staff member and terminal)
                         search at once for the first kana of a common surname with include_removed, 500 a page, for
                         --seconds; prints the process's working set and GC heap before, at peak and after
          --jobs         only the jobs phase (issue 19): GetResident and RecordMoveIn idle, then while a 9.7 住所一括変更 本処理
                         over 50,000 households (its 仮処理 first) and a 9.6 無作為抽出 in every city run, beside the echo baseline
          --migration    only the migration phase: the population with two moves per household and some 転出 (history
                         and 除票) exported city by city, then imported into an empty database beside raw inserts of the
                         same rows into another (--rounds times)
          --statistics   only the statistics phase (issue 20): the population with its history (as --migration), then the
                         6.1 年報 of every city for this year's 1 January and last year, timed, beside a bare read of the same
                         rows (--rounds times)
          --cities N     N cities created by configuration only (the member cities' seed documents and N − 3 generated
                         ones, the population spread over all of them); the scale run of issue 23 compares N = 3 with N = 1741
          --euc          only the EUC phase (issue 20): the population with its history (as --migration); GetResident idle,
                         while the largest city's EUC copy is made, and while its supervisors extract without pause
                         (a grouped count over every version, the list of its residents as CSV), beside the echo baseline
        Prints a Markdown table of the results.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int residents = 460_000, seconds = 15, concurrency = 16;
        string provider = "sqlite", connection = "", dataDir = Path.Combine(Path.GetTempPath(), "srs-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var ownDataDir = true;
        var certificatesOnly = false;
        var rounds = 1;
        var broadSearches = 0;
        var migration = false;
        var jobsPhase = false;
        var statistics = false;
        var eucPhase = false;
        var cityCount = 0;
        string[] only = [];
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => ++i < args.Length ? args[i] : throw new ArgumentException(args[i - 1] + " needs a value");
            switch (args[i])
            {
                case "--residents": residents = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--provider": provider = Next(); break;
                case "--only": only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--connection": connection = Next(); break;
                case "--data-dir": dataDir = Next(); ownDataDir = false; break;
                case "--certificates-only": certificatesOnly = true; break;
                case "--rounds": rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--broad-searches": broadSearches = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--migration": migration = true; break;
                case "--jobs": jobsPhase = true; break;
                case "--statistics": statistics = true; break;
                case "--euc": eucPhase = true; break;
                case "--cities": cityCount = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }
        var root = FindRoot();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var serverPort = FreePort();
        var echoPort = FreePort();
        var tenantsDirectory = Path.Combine(root, "config", "tenants");
        if (cityCount > 0)
        {
            // Created by configuration only: seed documents, nothing else.
            tenantsDirectory = Path.Combine(dataDir, "tenants");
            Testing.ManyCities.Write(tenantsDirectory, cityCount, body => Core.Numbers.CheckDigits.LocalGovernmentCode(body));
        }
        var settings = new List<string>
        {
            $"--Server:Port={serverPort}", $"--Server:DataDirectory={dataDir}", $"--Server:TenantsDirectory={tenantsDirectory}",
            $"--Storage:Provider={provider}", $"--Auth:SigningKey={key}", "--Logging:LogLevel:Default=Warning",
        };
        if (connection.Length > 0)
        {
            settings.Add($"--Storage:ConnectionString={connection}");
        }
        // The benchmark signs its callers' tokens with a shared key: the Development environment.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings.ToArray(), ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Development" });
        builder.AddSharedResidentSystem();
        builder.Logging.ClearProviders();
        var startUp = Stopwatch.StartNew();
        await using var server = builder.Build();
        server.MapSharedResidentSystem();
        await server.InitializeStorageAsync(CancellationToken.None);
        startUp.Stop();

        var tenants = server.Services.GetRequiredService<TenantDirectory>();
        Console.Error.WriteLine($"loading {residents} residents into {provider} ...");
        var load = Stopwatch.StartNew();
        var population = await Population.LoadAsync(server.Services, tenants, residents, seed: 20261126, moves: migration || statistics || eucPhase ? 2 : 0);
        load.Stop();
        if (migration || statistics)
        {
            // Both read the population with its history, offline (the server does not listen).
            Console.WriteLine($"Population: {population.Values.Sum(v => v.Count):N0} residents, two moves per household, about one household in twelve moved out; loaded in {load.Elapsed.TotalSeconds:F1} s; provider {provider}.");
            string[] cities = [.. population.Keys.Order(StringComparer.Ordinal)];
            if (migration)
            {
                await MigrationBench.RunAsync(server.Services, server.Services.GetRequiredService<Core.Storage.IStorageProvider>(), connection, dataDir, cities, rounds);
            }
            else
            {
                await StatisticsBench.RunAsync(server.Services, cities, rounds);
            }
            if (ownDataDir)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(dataDir, recursive: true);
            }
            return 0;
        }
        await server.StartAsync();
        if (cityCount > 0)
        {
            Console.WriteLine($"{tenants.Codes.Count:N0} cities: the server built and its storage ready in {startUp.Elapsed.TotalSeconds:F1} s; "
                + $"GC heap {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:N0} MiB after loading the population.");
        }

        var echoBuilder = WebApplication.CreateSlimBuilder();
        echoBuilder.Logging.ClearProviders();
        echoBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, echoPort, l => l.Protocols = HttpProtocols.Http2));
        echoBuilder.Services.AddGrpc();
        await using var echo = echoBuilder.Build();
        echo.MapGrpcService<EchoServer>();
        await echo.StartAsync();

        var signingKey = SigningKeys.FromBase64(key);
        var codes = population.Keys.OrderBy(c => c, StringComparer.Ordinal).ToArray();
        var tokens = codes.ToDictionary(c => c, c => SigningKeys.Mint(signingKey, new Caller(c, "bench", "bench", new HashSet<string> { Roles.Clerk }), TimeProvider.System, TimeSpan.FromHours(4)));
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{serverPort}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        using var echoChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{echoPort}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var residentsClient = new ResidentService.ResidentServiceClient(channel);
        var registration = new RegistrationService.RegistrationServiceClient(channel);
        var echoClient = new EchoService.EchoServiceClient(echoChannel);
        // Certificates need a terminal the city has registered (its name is in the 発行番号).
        var certificateCity = codes[0];
        var counter = new Metadata { { "Authorization", "Bearer " + SigningKeys.Mint(signingKey, new Caller(certificateCity, "bench", "T001", new HashSet<string> { Roles.Clerk }), TimeProvider.System, TimeSpan.FromHours(4)) } };
        var certificates = await CertificateBench.CreateAsync(registration, new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(channel), counter, tenants.Get(certificateCity).Towns[0].Name);
        var issuedOnce = await new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(channel).IssueCertificateAsync(certificates.Request(), counter);
        var content = CertificateBench.ToContent(issuedOnce.Certificate);
        var renderer = server.Services.GetRequiredService<ICertificateRenderer>();
        var city = tenants.Get(certificateCity);
        var seal = city.Authenticators.Select(a => a.SealKey).Where(k => city.Seals.ContainsKey(k)).Select(k => city.Seals[k]).FirstOrDefault();
        var headers = codes.ToDictionary(c => c, c => new Metadata { { "Authorization", "Bearer " + tokens[c] } });
        Metadata Auth(int caller) => headers[codes[caller % codes.Length]];
        // Each call names a city of its own at random: with many cities, every city's configuration and rows are reached.
        string AnyCity(Random random) => codes[random.Next(codes.Length)];

        var sample = await residentsClient.GetResidentAsync(
            new GetResidentRequest { Name = TenantResourceNames.Resident(codes[0], population[codes[0]][0]) }, Auth(0));
        var payload = new EchoMessage { Payload = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(sample.CalculateSize())) };

        var duration = TimeSpan.FromSeconds(seconds);
        if (broadSearches > 0)
        {
            await BroadSearchMemory.RunAsync(residentsClient, codes, signingKey, broadSearches, duration, residents, provider, TimeProvider.System);
            await server.StopAsync();
            await echo.StopAsync();
            return 0;
        }
        Task GetResidentCall(int caller, Random random)
        {
            var code = AnyCity(random);
            var numbers = population[code];
            return residentsClient.GetResidentAsync(new GetResidentRequest { Name = TenantResourceNames.Resident(code, numbers[random.Next(numbers.Count)]) }, headers[code]).ResponseAsync;
        }

        Task MoveInCall(int caller, Random random)
        {
            var code = AnyCity(random);
            // A town without a 住居表示・地番 master, where "1番1号" can be entered.
            var towns = tenants.Get(code).Towns.Where(t => t.Blocks.Count == 0 && t.SpecialLots.Count == 0).ToList();
            var town = towns[random.Next(towns.Count)].Name;
            var request = new RecordMoveInRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                MoveDate = new Google.Type.Date { Year = 2026, Month = 11, Day = 1 },
                NotificationDate = new Google.Type.Date { Year = 2026, Month = 11, Day = 1 },
                Notifier = new Notifier { Name = "bench", Relation = "本人" },
                Address = new Address { Town = town, Chome = 1, Banchi = "1番1号" },
                PreviousAddress = new Address { Prefecture = "埼玉県", City = "所沢市", FreeText = "1-1" },
                AcknowledgedAlerts = { "POSSIBLE_DUPLICATE", "NOTIFIED_LATE" },
            };
            foreach (var (given, kana, rel) in new[] { ("一郎", "イチロウ", "世帯主"), ("花子", "ハナコ", "妻") })
            {
                request.Members.Add(new PersonEntry
                {
                    PersonName = new PersonName { Family = "性能", Given = given, FamilyKana = "セイノウ", GivenKana = kana },
                    BirthDate = new PartialDate { Year = 1970 + random.Next(30), Month = 1 + random.Next(12), Day = 1 + random.Next(28) },
                    Sex = rel == "妻" ? Sex.Female : Sex.Male,
                    Relationship = rel,
                    Domicile = new Domicile { Address = "東京都千代田区千代田1番", HeadName = "性能 一郎" },
                });
            }
            return registration.RecordMoveInAsync(request, headers[code]).ResponseAsync;
        }

        static (string Name, Func<Task<Measurement>> Run) Phase(string name, Func<Task<Measurement>> run) => (name, run);
        var phases = new List<(string Name, Func<Task<Measurement>> Run)>
        {
            Phase("bare gRPC echo (baseline)", () => MeasureAsync(concurrency, duration, (caller, random) => echoClient.EchoAsync(payload).ResponseAsync)),
            Phase("GetResident", () => MeasureAsync(concurrency, duration, GetResidentCall)),
            Phase("SearchResidents (kana prefix, half with birth year)", () => MeasureAsync(concurrency, duration, (caller, random) =>
            {
                var surname = Population.Surnames[random.Next(Population.Surnames.Length)];
                var request = new SearchResidentsRequest { NameQuery = surname.Kana, PageSize = 20 };
                if (random.Next(2) == 0)
                {
                    request.BirthDate = (1940 + random.Next(60)).ToString(CultureInfo.InvariantCulture);
                }
                return residentsClient.SearchResidentsAsync(request, Auth(caller)).ResponseAsync;
            })),
            Phase("RecordMoveIn (異動, 2 persons)", () => MeasureAsync(concurrency, duration, MoveInCall)),
            Phase("bare PDF rendering of the same certificate (baseline)", () => MeasureAsync(concurrency, duration, (caller, random) =>
                Task.Run(() => renderer.Render(content, new CopyStamp($"20261126 {city.Name} 本庁1 プリンタ001", random.Next(1, 999), VerificationCodes.New()), seal, OverflowHandling.Truncate)))),
            Phase("IssueCertificate (住民票の写し, household of four, PDF, ledger)", () => MeasureAsync(concurrency, duration, (caller, random) => certificates.Issue())),
        };
        if (jobsPhase || eucPhase)
        {
            var echoed = await MeasureAsync(concurrency, duration, (caller, random) => echoClient.EchoAsync(payload).ResponseAsync);
            var measured = eucPhase
                ? await EucBench.RunAsync(channel, population, signingKey, call => MeasureAsync(concurrency, duration, call), GetResidentCall)
                : await JobsBench.RunAsync(server.Services, channel, tenants, population, signingKey, call => MeasureAsync(concurrency, duration, call), GetResidentCall, MoveInCall);
            Console.WriteLine();
            Console.WriteLine($"Population: {population.Values.Sum(v => v.Count):N0} residents ({Spread(population)}), loaded in {load.Elapsed.TotalSeconds:F1} s; provider {provider}; {concurrency} concurrent callers, {seconds} s per phase.");
            Console.WriteLine();
            Console.WriteLine("| call | requests | per second | p50 ms | p99 ms | errors |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, m) in measured.Prepend(("bare gRPC echo (baseline)", echoed)))
            {
                Console.WriteLine($"| {name} | {m.Count:N0} | {m.PerSecond:N0} | {m.P50:F2} | {m.P99:F2} | {m.Errors} |");
            }
            var idle = measured.Single(r => r.Name == "GetResident, idle").M.P99;
            Console.WriteLine();
            foreach (var (name, m) in measured.Where(r => r.Name.StartsWith("GetResident, ", StringComparison.Ordinal) && !r.Name.StartsWith("GetResident, idle", StringComparison.Ordinal)))
            {
                Console.WriteLine($"{name}: p99 {m.P99 / idle:F2}× its idle p99 (the goal: at most 1.5×).");
            }
            await server.StopAsync();
            await echo.StopAsync();
            if (ownDataDir)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(dataDir, recursive: true);
            }
            return 0;
        }
        if (certificatesOnly)
        {
            phases.RemoveAll(p => !p.Name.StartsWith("bare PDF", StringComparison.Ordinal) && !p.Name.StartsWith("IssueCertificate", StringComparison.Ordinal));
        }
        if (only.Length > 0)
        {
            phases.RemoveAll(p => !only.Any(o => p.Name.StartsWith(o, StringComparison.OrdinalIgnoreCase)));
        }
        var results = new List<(string Name, Measurement M)>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, run) in phases)
            {
                results.Add((rounds == 1 ? name : $"{name} (round {round})", await run()));
            }
        }

        Console.WriteLine($"Population: {population.Values.Sum(v => v.Count):N0} residents ({Spread(population)}), loaded in {load.Elapsed.TotalSeconds:F1} s; provider {provider}; {concurrency} concurrent callers, {seconds} s per phase.");
        Console.WriteLine();
        Console.WriteLine("| call | requests | per second | p50 ms | p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, m) in results)
        {
            Console.WriteLine($"| {name} | {m.Count:N0} | {m.PerSecond:N0} | {m.P50:F2} | {m.P99:F2} | {m.Errors} |");
        }
        var bare = results.Where(r => r.Name.StartsWith("bare PDF", StringComparison.Ordinal)).Select(r => r.M.PerSecond).ToList();
        var issued = results.Where(r => r.Name.StartsWith("IssueCertificate", StringComparison.Ordinal)).Select(r => r.M.PerSecond).ToList();
        Console.WriteLine();
        if (bare.Count > 0 && issued.Count > 0)
        {
            Console.WriteLine($"Certificates issued per second are {issued.Sum() / bare.Sum():P0} of the bare rendering rate of the same page ({issuedOnce.Copies[0].Pdf.Length:N0} bytes a PDF)"
                + (rounds == 1 ? "." : $"; by round: {string.Join(", ", issued.Zip(bare, (i, b) => (i / b).ToString("P0", CultureInfo.InvariantCulture)))}."));
        }
        // The ratios issue 23 asks for: each call's rate beside the bare echo's of the same round, and its p99.
        var echoes = results.Where(r => r.Name.StartsWith("bare gRPC echo", StringComparison.Ordinal)).Select(r => r.M).ToList();
        foreach (var (name, m) in results.Where(r => !r.Name.StartsWith("bare", StringComparison.Ordinal)))
        {
            if (echoes.Count > 0)
            {
                Console.WriteLine($"{name}: {m.PerSecond / echoes.Average(e => e.PerSecond):P1} of the bare echo's rate; p99 {m.P99:F2} ms.");
            }
        }
        await server.StopAsync();
        await echo.StopAsync();
        if (ownDataDir)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
        return 0;
    }

    /// <summary>The residents of each city, or (many cities) how many cities and the fewest and most residents of one.</summary>
    private static string Spread(Dictionary<string, List<string>> population) => population.Count <= 10
        ? string.Join(", ", population.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value.Count:N0}"))
        : $"{population.Count:N0} cities, {population.Values.Min(v => v.Count):N0} to {population.Values.Max(v => v.Count):N0} each";

    internal sealed record Measurement(int Count, int Errors, double PerSecond, double P50, double P99);

    private static async Task<Measurement> MeasureAsync(int concurrency, TimeSpan duration, Func<int, Random, Task> call)
    {
        // Warm-up: connections, JIT and caches, not counted.
        await RunAsync(concurrency, TimeSpan.FromSeconds(2), call);
        var (latencies, errors, elapsed) = await RunAsync(concurrency, duration, call);
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new Measurement(latencies.Count, errors, latencies.Count / elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99));
    }

    private static async Task<(List<double> Latencies, int Errors, TimeSpan Elapsed)> RunAsync(int concurrency, TimeSpan duration, Func<int, Random, Task> call)
    {
        var all = new List<double>[concurrency];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async caller =>
        {
            var random = new Random(caller * 7919);
            var mine = all[caller] = [];
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await call(caller, random);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (RpcException e)
                {
                    if (Interlocked.Increment(ref errors) <= 3)
                    {
                        Console.Error.WriteLine($"error: {e.Status}");
                    }
                }
            }
        }));
        return (all.SelectMany(l => l).ToList(), errors, clock.Elapsed);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SharedResidentSystem.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Returns what it is sent.</summary>
public sealed class EchoServer : EchoService.EchoServiceBase
{
    public override Task<EchoMessage> Echo(EchoMessage request, ServerCallContext context) => Task.FromResult(request);
}
