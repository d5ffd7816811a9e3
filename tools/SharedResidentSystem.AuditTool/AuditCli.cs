using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Audit.V1;

namespace SharedResidentSystem.AuditTool;

/// <summary>The commands of srs-audit. An unknown command or option is refused (exit 2), never ignored.</summary>
public static class AuditCli
{
    public const int Done = 0;
    public const int Finding = 1;
    public const int Usage = 2;
    public const int Server = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var root = Build(output, errors);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync($"srs-audit: {error.Message}");
            }
            await errors.WriteLineAsync("srs-audit --help で使い方を表示します。");
            return Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false });
        }
        catch (RpcException e)
        {
            await errors.WriteLineAsync($"srs-audit: the server answered {e.StatusCode}: {e.Status.Detail}");
            return Server;
        }
        catch (HttpRequestException e)
        {
            await errors.WriteLineAsync($"srs-audit: cannot reach the server: {e.Message}");
            return Server;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"srs-audit: {e.Message}");
            return Usage;
        }
    }

    public static RootCommand Build(TextWriter output, TextWriter errors)
    {
        var address = new Option<string>("--address") { Description = "The server (default: SRS_ADDRESS, else http://127.0.0.1:5080).", Recursive = true };
        var token = new Option<string>("--token")
        {
            Description = "An auditor's bearer token (default: SRS_TOKEN) from the city's own sign-in (or srs-token in development). " +
                "Without one the auditor signs in with ID, password and TOTP code (SRS_TENANT, SRS_STAFF, SRS_PASSWORD, SRS_TOTP, else asked).",
            Recursive = true,
        };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text.", Recursive = true };

        var resident = new Option<string>("--resident") { Description = "宛名番号 of a resident the entries concern." };
        var staff = new Option<string>("--staff") { Description = "Staff id (the token's sub)." };
        var terminal = new Option<string>("--terminal") { Description = "Terminal id." };
        var function = new Option<string>("--function") { Description = "Part of the function (the gRPC method)." };
        var outcome = new Option<string>("--outcome") { Description = "Outcome code, e.g. OK, SUPPRESSED, AUTHENTICATION_FAILED." };
        var from = new Option<string>("--from") { Description = "From this time (e.g. 2026-11-01T00:00:00+09:00)." };
        var until = new Option<string>("--until") { Description = "Before this time." };
        var mynumber = new Option<bool>("--mynumber") { Description = "Only entries that touched a 個人番号." };
        Option[] filters = [resident, staff, terminal, function, outcome, from, until, mynumber];
        var limit = new Option<int?>("--limit") { Description = "At most this many entries (default: all; pages are fetched as they are printed)." };

        var search = new Command("search", "Search the access log, newest first.");
        foreach (var f in filters)
        {
            search.Options.Add(f);
        }
        search.Options.Add(limit);
        search.SetAction(async (r, ct) =>
        {
            var (client, headers) = await ClientAsync(r, address, token);
            var request = Filters(r, resident, staff, terminal, function, outcome, from, until, mynumber);
            var max = r.GetValue(limit);
            if (max is <= 0)
            {
                throw new FormatException("--limit must be at least 1");
            }
            request.PageSize = Math.Min(max ?? 1000, 1000);
            var printed = 0;
            var asJson = r.GetValue(json);
            if (asJson)
            {
                output.WriteLine("[");
            }
            else
            {
                output.WriteLine($"{"seq",8}  {"time (JST)",-19}  {"staff",-14} {"terminal",-10} {"function",-28} {"outcome",-22} residents");
            }
            while (max is null || printed < max)
            {
                var page = await client.SearchAccessLogAsync(request, headers, cancellationToken: ct);
                foreach (var e in page.Entries.Take(max is { } m ? m - printed : int.MaxValue))
                {
                    if (asJson)
                    {
                        output.WriteLine((printed > 0 ? "," : "") + JsonFormatter.Default.Format(e));
                    }
                    else
                    {
                        var local = TimeZoneInfo.ConvertTime(e.At.ToDateTimeOffset(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
                        output.WriteLine($"{e.Sequence,8}  {local:yyyy-MM-dd HH:mm:ss}  {e.Staff,-14} {e.Terminal,-10} {e.Function.Split('/')[^1],-28} {e.Outcome + (e.IndividualNumber ? " [個人番号]" : ""),-22} {string.Join(' ', e.Residents)}");
                    }
                    printed++;
                }
                if (page.NextPageToken.Length == 0)
                {
                    break;
                }
                request.PageToken = page.NextPageToken;
            }
            if (asJson)
            {
                output.WriteLine("]");
            }
            return Done;
        });

        var kind = new Argument<string>("KIND") { Description = "night-holiday | failed-logins | access-per-staff | mass-searches | by-resident-number" };
        kind.AcceptOnlyFromAmong("night-holiday", "failed-logins", "access-per-staff", "mass-searches", "by-resident-number");
        var threshold = new Option<int>("--threshold") { Description = "mass-searches: more searches than this in one hour (default 100)." };
        var analyse = new Command("analyse", "An analysis of 10.2 over every entry of the period.") { kind, from, until, threshold };
        analyse.SetAction(async (r, ct) =>
        {
            var analysis = r.GetValue(kind) switch
            {
                "night-holiday" => Analysis.NightAndHoliday,
                "failed-logins" => Analysis.FailedLogins,
                "access-per-staff" => Analysis.AccessPerStaff,
                "mass-searches" => Analysis.MassSearches,
                _ => Analysis.SearchesByResidentNumber,
            };
            var (client, headers) = await ClientAsync(r, address, token);
            var result = await client.AnalyseAccessLogAsync(new AnalyseAccessLogRequest
            {
                Analysis = analysis,
                From = Time(r.GetValue(from)),
                Until = Time(r.GetValue(until)),
                Threshold = r.GetValue(threshold),
            }, headers, cancellationToken: ct);
            if (r.GetValue(json))
            {
                output.WriteLine(JsonFormatter.Default.Format(result));
                return Done;
            }
            foreach (var row in result.Rows)
            {
                output.WriteLine($"{row.Count,8}  {row.Key}");
            }
            return Done;
        });

        var outFile = new Option<string>("--out") { Description = "Write the CSV to this file (default: standard output)." };
        var export = new Command("export", "The access log as CSV, streamed.") { outFile };
        foreach (var f in filters)
        {
            export.Options.Add(f);
        }
        export.SetAction(async (r, ct) =>
        {
            var (client, headers) = await ClientAsync(r, address, token);
            var path = r.GetValue(outFile);
            await using var stream = path is null ? Console.OpenStandardOutput() : File.Create(path);
            using var call = client.ExportAccessLog(Filters(r, resident, staff, terminal, function, outcome, from, until, mynumber), headers, cancellationToken: ct);
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(ct))
            {
                chunk.Csv.WriteTo(stream);
            }
            return Done;
        });

        var log = new Command("log", "The city's access log.") { search, analyse, export };

        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint saved earlier: the chain must still contain it unchanged." };
        var saveCheckpoint = new Option<string>("--save-checkpoint") { Description = "Save the head of the chain to this file." };
        var verify = new Command("verify-chain", "Verify the hash chain of the city's access log (exit 1 when broken).") { checkpoint, saveCheckpoint };
        verify.SetAction(async (r, ct) =>
        {
            var (client, headers) = await ClientAsync(r, address, token);
            var request = new VerifyChainRequest();
            if (r.GetValue(checkpoint) is { } kept)
            {
                request.Checkpoint = JsonParser.Default.Parse<Checkpoint>(await File.ReadAllTextAsync(kept, ct));
            }
            var result = await client.VerifyChainAsync(request, headers, cancellationToken: ct);
            if (r.GetValue(saveCheckpoint) is { } save)
            {
                var head = await client.GetCheckpointAsync(new GetCheckpointRequest(), headers, cancellationToken: ct);
                await File.WriteAllTextAsync(save, JsonFormatter.Default.Format(head), ct);
            }
            if (r.GetValue(json))
            {
                output.WriteLine(JsonFormatter.Default.Format(result));
            }
            else
            {
                output.WriteLine(result.Intact ? $"intact: {result.Entries} entries" : $"BROKEN: {result.Entries} entries, {result.Problems.Count} problem(s)");
                foreach (var p in result.Problems)
                {
                    output.WriteLine($"  {p.Sequence,8}  {p.Kind,-20} {p.Description}");
                }
            }
            return result.Intact ? Done : Finding;
        });

        var root = new RootCommand("srs-audit — the auditors' tool of SharedResidentSystem.\n" +
            "Exit codes: 0 done (chain intact), 1 finding (chain broken; conformance problems with --strict), 2 wrong arguments, 3 the server refused or could not be reached.")
        {
            log, verify, ConformanceCommand(output, errors),
        };
        root.Options.Add(address);
        root.Options.Add(token);
        root.Options.Add(json);
        return root;
    }

    private static Command ConformanceCommand(TextWriter output, TextWriter errors)
    {
        var reference = new Option<string>("--reference") { Description = "The folder of the standard's sections (j*.txt).", Required = true };
        var requirementsOut = new Option<string>("--out") { Description = "The catalogue to write.", DefaultValueFactory = _ => "docs/conformance/requirements.csv" };
        var catalogue = new Command("catalogue", "Split the standard's sections into numbered requirement lines (docs/conformance/requirements.csv).") { reference, requirementsOut };
        catalogue.SetAction(r =>
        {
            var lines = Requirements.ReadReference(r.GetValue(reference)!);
            File.WriteAllText(r.GetValue(requirementsOut)!, Requirements.ToCsv(lines), new System.Text.UTF8Encoding(false));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"catalogue: {lines.Select(l => l.Section).Distinct().Count()} sections, {lines.Count} lines ({lines.Count(l => l.Class == RequirementClass.Must)} must, {lines.Count(l => l.Class == RequirementClass.Optional)} optional, {lines.Count(l => l.Class == RequirementClass.MustNot)} must-not) → {r.GetValue(requirementsOut)}"));
            return Done;
        });

        var requirements = new Option<string>("--requirements") { Description = "The catalogue of requirement lines.", DefaultValueFactory = _ => "docs/conformance/requirements.csv" };
        var mapping = new Option<string>("--mapping") { Description = "Lines shown by configuration, the terminal, or not applicable.", DefaultValueFactory = _ => "docs/conformance/mapping.csv" };
        var results = new Option<string[]>("--results") { Description = "TRX files or folders of test results.", AllowMultipleArgumentsPerToken = false };
        var tests = new Option<string[]>("--tests") { Description = "Test assemblies whose [Spec] attributes name the lines." };
        var outDir = new Option<string>("--out") { Description = "Where conformance.md and conformance.csv go.", DefaultValueFactory = _ => "docs" };
        var strict = new Option<bool>("--strict") { Description = "Exit 1 on any problem (a failing test, a [Spec] naming no line, a bad mapping row)." };
        var report = new Command("report", "Write the matrix (docs/conformance.md, .csv) from the catalogue, the mapping and test results.") { requirements, mapping, results, tests, outDir, strict };
        report.SetAction(r => Conformance.Run(r.GetValue(requirements)!, r.GetValue(mapping)!, r.GetValue(results) ?? [], r.GetValue(tests) ?? [], r.GetValue(outDir)!, r.GetValue(strict), output, errors));

        var what = new Argument<string>("SECTION") { Description = "A section (4.1.1.1, or a chapter prefix such as 4.1) or one line (4.1.1.1#3)." };
        var matrix = new Option<string>("--matrix") { Description = "The generated matrix.", DefaultValueFactory = _ => "docs/conformance.csv" };
        var show = new Command("show", "Print the standard's lines of a section beside their status and evidence.") { what, matrix };
        show.SetAction(r => Conformance.Show(r.GetValue(matrix)!, r.GetValue(what)!, output, errors));

        return new Command("conformance", "The conformance matrix of 住民記録システム標準仕様書, line by line.") { catalogue, report, show };
    }

    /// <summary>The audit service with the auditor's token: one given, else the system's sign-in (ID, password, TOTP code).</summary>
    private static async Task<(AuditService.AuditServiceClient Client, Metadata Headers)> ClientAsync(ParseResult r, Option<string> address, Option<string> token)
    {
        var url = r.GetValue(address) ?? Environment.GetEnvironmentVariable("SRS_ADDRESS") ?? "http://127.0.0.1:5080";
        var signIn = await ProgramSignIn.TokenAsync(new Uri(url), "srs-audit", r.GetValue(token) ?? Environment.GetEnvironmentVariable("SRS_TOKEN"), AdminTool.ConsoleQuestions.Ask);
        var jwt = signIn.Token ?? throw new FormatException(signIn.Problem);
        return (new AuditService.AuditServiceClient(GrpcChannel.ForAddress(url)), new Metadata { { "Authorization", "Bearer " + jwt } });
    }

    private static SearchAccessLogRequest Filters(ParseResult r, Option<string> resident, Option<string> staff, Option<string> terminal, Option<string> function,
        Option<string> outcome, Option<string> from, Option<string> until, Option<bool> mynumber) => new()
        {
            ResidentNumber = r.GetValue(resident) ?? "",
            Staff = r.GetValue(staff) ?? "",
            Terminal = r.GetValue(terminal) ?? "",
            Function = r.GetValue(function) ?? "",
            Outcome = r.GetValue(outcome) ?? "",
            From = Time(r.GetValue(from)),
            Until = Time(r.GetValue(until)),
            IndividualNumberOnly = r.GetValue(mynumber),
        };

    private static Timestamp? Time(string? text) => text is null
        ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? Timestamp.FromDateTimeOffset(t)
            : throw new FormatException($"not a time: {text} (e.g. 2026-11-01T00:00:00+09:00)");
}
