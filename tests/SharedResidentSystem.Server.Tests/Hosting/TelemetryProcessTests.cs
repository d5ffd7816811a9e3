using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;

namespace SharedResidentSystem.Server.Tests.Hosting;

/// <summary>
/// End to end: the server process with telemetry configured sends its spans and metrics to an
/// OTLP collector (a listener of this test), offers its metrics to Prometheus on a port of their
/// own, and logs each line with its trace id (and a write's request_id) — and none of it carries
/// the person the calls were about.
/// </summary>
public sealed class TelemetryProcessTests
{
    private const string Family = "遠藤";
    private const string Given = "観測之助";

    [Fact]
    public async Task Traces_and_metrics_go_out_by_configuration_and_no_log_line_or_span_names_the_person()
    {
        using var collector = new OtlpCollector();
        var prometheusPort = ServerProcess.FreePort();
        await using var server = ServerProcess.Start(null,
            $"--Telemetry:OtlpEndpoint={collector.Address}", "--Telemetry:OtlpProtocol=http/protobuf", "--Telemetry:ExportIntervalMilliseconds=300",
            $"--Telemetry:PrometheusPort={prometheusPort}",
            // Every category at Information: what a city's operators would run with when looking closer.
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Information", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Information");
        await server.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        var token = await ServerProcess.MintAsync(server.DataDirectory, "132136");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var headers = Requests.Bearer(token);
        var registration = new RegistrationService.RegistrationServiceClient(channel);
        var residents = new ResidentService.ResidentServiceClient(channel);

        var moveIn = Requests.MoveInToday("132136", RegisterDriver.Person(Family, Given, "エンドウ", "カンソクノスケ", 1988, 4, 5, Sex.Male, "世帯主"), 1, "7番9号");
        var requestId = moveIn.RequestId;
        var recorded = await registration.RecordMoveInAsync(moveIn, headers);
        var name = recorded.Residents[0].Name;
        var number = name[(name.LastIndexOf('/') + 1)..];
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Given, (await residents.GetResidentAsync(new GetResidentRequest { Name = name }, headers)).PersonName.Given);
        }

        // Prometheus: the register's own counters and the server's request metrics, on its port only.
        using var http = new HttpClient();
        var scrape = "";
        for (var waited = 0; waited < 50 && !scrape.Contains("srs_idou_recorded", StringComparison.Ordinal); waited++)
        {
            scrape = await http.GetStringAsync($"http://127.0.0.1:{prometheusPort}/metrics");
            await Task.Delay(200);
        }
        Assert.Matches("srs_idou_recorded(_total)?\\{[^}]*srs_city=\"132136\"[^}]*srs_idou_reason=\"[^\"]+\"[^}]*\\} 1", scrape);
        Assert.Contains("srs_audit_commit_duration", scrape, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", scrape, StringComparison.Ordinal);
        using var wrongPort = await new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact }
            .GetAsync($"{server.Address}/metrics");
        Assert.NotEqual(HttpStatusCode.OK, wrongPort.StatusCode);

        // OTLP: the calls' spans (the gRPC method, the EF commands under it) and the metrics.
        var traces = await collector.WaitForAsync("/v1/traces", "srs.residents.v1.ResidentService/GetResident", TimeSpan.FromSeconds(30));
        Assert.Contains("srs.registration.v1.RegistrationService/RecordMoveIn", traces, StringComparison.Ordinal);
        Assert.Contains("FROM \"PersonVersions\"", traces, StringComparison.Ordinal);
        // The background loops' polls (the job runner's scan of each city) are not traced.
        Assert.DoesNotContain("FROM \"Jobs\"", traces, StringComparison.Ordinal);
        var metrics = await collector.WaitForAsync("/v1/metrics", "srs.idou.recorded", TimeSpan.FromSeconds(30));
        Assert.Contains("srs.audit.commit.duration", metrics, StringComparison.Ordinal);

        // Logs: JSON lines; those of the write carry its request_id and a trace id.
        await server.TerminateAsync(TimeSpan.FromSeconds(30));
        var lines = server.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        var ofTheWrite = lines.Where(l => l.Contains(requestId, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(ofTheWrite);
        Assert.All(ofTheWrite, l => Assert.Matches("\"TraceId\":\"[0-9a-f]{32}\"", l));
        var ofCalls = lines.Where(l => l.Contains("\"RequestPath\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(ofCalls);
        Assert.All(ofCalls, l => Assert.Matches("\"TraceId\":\"[0-9a-f]{32}\"", l));

        // Nowhere the person: not in a log line, a span or a metric.
        foreach (var (what, text) in new[] { ("log", server.Output), ("traces", traces + collector.All("/v1/traces")), ("metrics", metrics + scrape) })
        {
            Assert.False(text.Contains(Given, StringComparison.Ordinal), $"{what} carry the person's name");
            Assert.False(text.Contains("カンソクノスケ", StringComparison.Ordinal), $"{what} carry the person's kana");
            Assert.False(text.Contains("7番9号", StringComparison.Ordinal), $"{what} carry the person's address");
            Assert.False(text.Contains($"/{number}", StringComparison.Ordinal) || text.Contains($"'{number}'", StringComparison.Ordinal) || text.Contains($"\"{number}\"", StringComparison.Ordinal),
                $"{what} carry the 宛名番号 {number}");
        }
    }

    /// <summary>An OTLP/HTTP collector of this test: keeps each request's body by path (protobuf; strings in it are UTF-8 as sent).</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _bodies = new();

        public OtlpCollector()
        {
            var port = ServerProcess.FreePort();
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _ = Task.Run(ReceiveAsync);
        }

        public string Address { get; }

        public string All(string path) => string.Concat(_bodies.GetOrAdd(path, _ => new()));

        public async Task<string> WaitForAsync(string path, string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var all = All(path);
                if (all.Contains(text, StringComparison.Ordinal))
                {
                    return all;
                }
                await Task.Delay(200);
            }
            throw new TimeoutException($"no {path} export carried '{text}' within {timeout}; paths seen: {string.Join(", ", _bodies.Keys)}");
        }

        private async Task ReceiveAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _bodies.GetOrAdd(context.Request.Url!.AbsolutePath, _ => new()).Enqueue(Encoding.UTF8.GetString(body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
