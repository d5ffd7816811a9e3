using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.AuditTool;
using SharedResidentSystem.Contracts.Audit.V1;

const string Usage = """
    srs-audit — the auditors' tool of SharedResidentSystem

    srs-audit log search   [filters] [--limit N] [--json]
    srs-audit log analyse  KIND [--from T] [--until T] [--threshold N] [--json]
                           KIND: night-holiday | failed-logins | access-per-staff | mass-searches | by-resident-number
    srs-audit log export   [filters] [--out FILE]          (CSV; standard output without --out)
    srs-audit verify-chain [--checkpoint FILE] [--save-checkpoint FILE] [--json]
    srs-audit conformance  [--catalogue F] [--mapping F] [--results DIR_OR_TRX]... [--tests DLL]... [--out DIR] [--strict]

    filters: --resident 宛名番号 --staff ID --terminal ID --function TEXT --outcome CODE
             --from 2026-11-01T00:00:00Z --until ... --mynumber
    server:  --address URL (or SRS_ADDRESS; default http://127.0.0.1:5080)
             --token JWT (or SRS_TOKEN; an auditor's token, e.g. from srs-token --role auditor)

    Exit codes: 0 done (chain intact), 1 finding (chain broken, conformance problems with --strict),
                2 wrong arguments, 3 the server refused or could not be reached.
    """;

var options = Options.Parse(args);
if (options is null || options.Command.Count == 0 || options.Has("help") || options.Has("h"))
{
    Console.WriteLine(Usage);
    return options is null ? 2 : 0;
}

try
{
    return options.Command[0] switch
    {
        "conformance" => Conformance.Run(
            options.Get("catalogue") ?? "docs/conformance/catalogue.csv",
            options.Get("mapping") ?? "docs/conformance/mapping.csv",
            options.All("results"),
            options.All("tests"),
            options.Get("out") ?? "docs",
            options.Has("strict")),
        "log" when options.Command.Count >= 2 && options.Command[1] == "search" => await SearchAsync(options),
        "log" when options.Command.Count >= 3 && options.Command[1] == "analyse" => await AnalyseAsync(options, options.Command[2]),
        "log" when options.Command.Count >= 2 && options.Command[1] == "export" => await ExportAsync(options),
        "verify-chain" => await VerifyAsync(options),
        _ => Fail(Usage),
    };
}
catch (RpcException e)
{
    Console.Error.WriteLine($"srs-audit: the server answered {e.StatusCode}: {e.Status.Detail}");
    return 3;
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"srs-audit: cannot reach the server: {e.Message}");
    return 3;
}
catch (FormatException e)
{
    Console.Error.WriteLine($"srs-audit: {e.Message}");
    return 2;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}

static AuditService.AuditServiceClient Client(Options o, out Metadata headers)
{
    var address = o.Get("address") ?? Environment.GetEnvironmentVariable("SRS_ADDRESS") ?? "http://127.0.0.1:5080";
    var token = o.Get("token") ?? Environment.GetEnvironmentVariable("SRS_TOKEN") ?? throw new FormatException("an auditor's token is needed: --token or SRS_TOKEN");
    headers = new Metadata { { "Authorization", "Bearer " + token } };
    return new AuditService.AuditServiceClient(GrpcChannel.ForAddress(address));
}

static SearchAccessLogRequest Filters(Options o) => new()
{
    ResidentNumber = o.Get("resident") ?? "",
    Staff = o.Get("staff") ?? "",
    Terminal = o.Get("terminal") ?? "",
    Function = o.Get("function") ?? "",
    Outcome = o.Get("outcome") ?? "",
    From = Time(o.Get("from")),
    Until = Time(o.Get("until")),
    IndividualNumberOnly = o.Has("mynumber"),
};

static Timestamp? Time(string? text) => text is null
    ? null
    : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
        ? Timestamp.FromDateTimeOffset(t)
        : throw new FormatException($"not a time: {text} (e.g. 2026-11-01T00:00:00+09:00)");

static async Task<int> SearchAsync(Options o)
{
    var client = Client(o, out var headers);
    var limit = int.Parse(o.Get("limit") ?? "100", CultureInfo.InvariantCulture);
    var request = Filters(o);
    request.PageSize = Math.Min(limit, 1000);
    var entries = new List<AccessLogEntry>();
    while (entries.Count < limit)
    {
        var page = await client.SearchAccessLogAsync(request, headers);
        entries.AddRange(page.Entries);
        if (page.NextPageToken.Length == 0)
        {
            break;
        }
        request.PageToken = page.NextPageToken;
    }
    entries = entries.Take(limit).ToList();
    if (o.Has("json"))
    {
        Console.WriteLine("[" + string.Join(",\n", entries.Select(e => JsonFormatter.Default.Format(e))) + "]");
        return 0;
    }
    Console.WriteLine($"{"seq",8}  {"time (JST)",-19}  {"staff",-14} {"terminal",-10} {"function",-28} {"outcome",-22} residents");
    foreach (var e in entries)
    {
        var local = TimeZoneInfo.ConvertTime(e.At.ToDateTimeOffset(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Console.WriteLine($"{e.Sequence,8}  {local:yyyy-MM-dd HH:mm:ss}  {e.Staff,-14} {e.Terminal,-10} {e.Function.Split('/')[^1],-28} {e.Outcome + (e.IndividualNumber ? " [個人番号]" : ""),-22} {string.Join(' ', e.Residents)}");
    }
    return 0;
}

static async Task<int> AnalyseAsync(Options o, string kind)
{
    var analysis = kind switch
    {
        "night-holiday" => Analysis.NightAndHoliday,
        "failed-logins" => Analysis.FailedLogins,
        "access-per-staff" => Analysis.AccessPerStaff,
        "mass-searches" => Analysis.MassSearches,
        "by-resident-number" => Analysis.SearchesByResidentNumber,
        _ => throw new FormatException($"unknown analysis {kind}"),
    };
    var client = Client(o, out var headers);
    var result = await client.AnalyseAccessLogAsync(new AnalyseAccessLogRequest
    {
        Analysis = analysis,
        From = Time(o.Get("from")),
        Until = Time(o.Get("until")),
        Threshold = int.Parse(o.Get("threshold") ?? "0", CultureInfo.InvariantCulture),
    }, headers);
    if (o.Has("json"))
    {
        Console.WriteLine(JsonFormatter.Default.Format(result));
        return 0;
    }
    foreach (var row in result.Rows)
    {
        Console.WriteLine($"{row.Count,8}  {row.Key}");
    }
    return 0;
}

static async Task<int> ExportAsync(Options o)
{
    var client = Client(o, out var headers);
    var path = o.Get("out");
    await using var output = path is null ? Console.OpenStandardOutput() : File.Create(path);
    using var call = client.ExportAccessLog(Filters(o), headers);
    await foreach (var chunk in call.ResponseStream.ReadAllAsync())
    {
        chunk.Csv.WriteTo(output);
    }
    return 0;
}

static async Task<int> VerifyAsync(Options o)
{
    var client = Client(o, out var headers);
    var request = new VerifyChainRequest();
    if (o.Get("checkpoint") is { } kept)
    {
        request.Checkpoint = JsonParser.Default.Parse<Checkpoint>(await File.ReadAllTextAsync(kept));
    }
    var result = await client.VerifyChainAsync(request, headers);
    if (o.Get("save-checkpoint") is { } save)
    {
        var checkpoint = await client.GetCheckpointAsync(new GetCheckpointRequest(), headers);
        await File.WriteAllTextAsync(save, JsonFormatter.Default.Format(checkpoint));
    }
    if (o.Has("json"))
    {
        Console.WriteLine(JsonFormatter.Default.Format(result));
    }
    else
    {
        Console.WriteLine(result.Intact ? $"intact: {result.Entries} entries" : $"BROKEN: {result.Entries} entries, {result.Problems.Count} problem(s)");
        foreach (var p in result.Problems)
        {
            Console.WriteLine($"  {p.Sequence,8}  {p.Kind,-20} {p.Description}");
        }
    }
    return result.Intact ? 0 : 1;
}

/// <summary>Words and --name value pairs of the command line.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Flags = ["json", "mynumber", "strict", "help", "h"];

    public List<string> Command { get; } = [];

    public static Options? Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith('-'))
            {
                o.Command.Add(a);
                continue;
            }
            var name = a.TrimStart('-');
            if (Flags.Contains(name))
            {
                o._flags.Add(name);
            }
            else if (i + 1 < args.Length)
            {
                (o._values.TryGetValue(name, out var list) ? list : o._values[name] = []).Add(args[++i]);
            }
            else
            {
                Console.Error.WriteLine($"srs-audit: {a} needs a value");
                return null;
            }
        }
        return o;
    }

    public bool Has(string name) => _flags.Contains(name);

    public string? Get(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];
}
