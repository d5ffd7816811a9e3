using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;

namespace SharedResidentSystem.Terminal;

public static class ExitCodes
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int Usage = 2;
    public const int Unavailable = 3;
    public const int AlertsToAcknowledge = 4;
    public const int SignIn = 5;
}

/// <summary>
/// The non-interactive mode for scripts: one call per command, requests and answers as JSON
/// (the contract's proto JSON), a problem as JSON on standard output with an exit code.
/// </summary>
public static class ScriptCommands
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The 異動 a script can record: the command word, the request type, and the call.</summary>
    /// <summary>What each 異動 word is called at the counter.</summary>
    internal static readonly Dictionary<string, string> RecordLabels = new()
    {
        ["move-in"] = "転入", ["move-out"] = "転出", ["address-change"] = "転居", ["birth"] = "出生", ["death"] = "死亡",
        ["household-change"] = "世帯変更等", ["head-change"] = "世帯主変更", ["correct"] = "軽微な修正",
        ["amend"] = "修正（職権修正・誤記修正・旧氏・通称・番号）", ["official-entry"] = "職権記載", ["official-removal"] = "職権消除",
        ["cancel"] = "異動の取消し", ["move-in-notice"] = "転入通知の受理",
    };

    internal static readonly Dictionary<string, (MessageParser Parser, Func<RegisterClient, IMessage, Task<CallResult<RecordIdouResponse>>> Send)> Records = new()
    {
        ["move-in"] = (RecordMoveInRequest.Parser, (c, r) => c.RecordMoveInAsync((RecordMoveInRequest)r)),
        ["move-out"] = (RecordMoveOutRequest.Parser, (c, r) => c.RecordMoveOutAsync((RecordMoveOutRequest)r)),
        ["address-change"] = (RecordAddressChangeRequest.Parser, (c, r) => c.RecordAddressChangeAsync((RecordAddressChangeRequest)r)),
        ["birth"] = (RecordBirthRequest.Parser, (c, r) => c.RecordBirthAsync((RecordBirthRequest)r)),
        ["death"] = (RecordDeathRequest.Parser, (c, r) => c.RecordDeathAsync((RecordDeathRequest)r)),
        ["household-change"] = (RecordHouseholdChangeRequest.Parser, (c, r) => c.RecordHouseholdChangeAsync((RecordHouseholdChangeRequest)r)),
        ["head-change"] = (RecordHeadChangeRequest.Parser, (c, r) => c.RecordHeadChangeAsync((RecordHeadChangeRequest)r)),
        ["correct"] = (CorrectResidentRequest.Parser, (c, r) => c.CorrectResidentAsync((CorrectResidentRequest)r)),
        ["amend"] = (RecordAmendmentRequest.Parser, (c, r) => c.RecordAmendmentAsync((RecordAmendmentRequest)r)),
        ["official-entry"] = (RecordOfficialEntryRequest.Parser, (c, r) => c.RecordOfficialEntryAsync((RecordOfficialEntryRequest)r)),
        ["official-removal"] = (RecordOfficialRemovalRequest.Parser, (c, r) => c.RecordOfficialRemovalAsync((RecordOfficialRemovalRequest)r)),
        ["cancel"] = (RecordCancellationRequest.Parser, (c, r) => c.RecordCancellationAsync((RecordCancellationRequest)r)),
        ["move-in-notice"] = (RecordMoveInNoticeRequest.Parser, (c, r) => c.RecordMoveInNoticeAsync((RecordMoveInNoticeRequest)r)),
    };

    public static IEnumerable<Command> Build(Func<ParseResult, TerminalSettings> settingsOf)
    {
        var name = new Option<string>("--name") { Description = "氏名 (kanji, kana or hiragana; matched loosely)." };
        var birth = new Option<string>("--birth") { Description = "生年月日 as typed: S60.6.15, 昭和60年, 1985-06-15." };
        var town = new Option<string>("--town") { Description = "町字." };
        var removed = new Option<bool>("--include-removed") { Description = "Include 除票." };
        var search = new Command("search", "住民検索: prints the matching residents.") { name, birth, town, removed };
        search.SetAction((r, ct) => Run(settingsOf(r), async session =>
            Print(await session.Client.SearchResidentsAsync(new SearchResidentsRequest
            {
                NameQuery = r.GetValue(name) ?? "", BirthDate = r.GetValue(birth) ?? "", Town = r.GetValue(town) ?? "", IncludeRemoved = r.GetValue(removed), PageSize = 100,
            }, ct))));

        var number = new Argument<string>("宛名番号");
        var show = new Command("show", "住民票の表示: the resident, the household and the 異動 history, as one JSON object.") { number };
        show.SetAction((r, ct) => Run(settingsOf(r), async session =>
        {
            var resident = await session.Client.GetResidentAsync(new GetResidentRequest { Name = session.ResidentName(r.GetValue(number)!) }, ct);
            if (!resident.Succeeded)
            {
                return Print(resident);
            }
            var household = resident.Value!.Household.Length == 0 ? null
                : await session.Client.GetHouseholdAsync(new GetHouseholdRequest { Name = resident.Value.Household, IncludeRemoved = true }, ct);
            var history = await session.Client.ListResidentIdouAsync(new ListResidentIdouRequest { Name = resident.Value.Name }, ct);
            var json = new JsonObject
            {
                ["resident"] = Node(resident.Value),
                ["household"] = household?.Value is { } h ? Node(h) : null,
                ["idou"] = history.Value is { } i ? Node(i)["idou"]?.DeepClone() : null,
            };
            Console.WriteLine(json.ToJsonString(Indented));
            return ExitCodes.Done;
        }));

        var kind = new Argument<string>("異動") { Description = "One of: " + string.Join(", ", Records.Keys) };
        kind.AcceptOnlyFromAmong([.. Records.Keys]);
        var file = new Option<FileInfo>("--file") { Description = "The request as proto JSON (\"-\" reads standard input).", Required = true };
        var ack = new Option<string[]>("--ack") { Description = "Alert codes acknowledged (11.1); repeat the option for several.", AllowMultipleArgumentsPerToken = true };
        var requestId = new Option<string>("--request-id") { Description = "Send with this request_id (resending the same id never records twice)." };
        var record = new Command("record", "Records one 異動 from a JSON request; prints the answer, or the problem (exit 1 error, 3 unreachable, 4 alerts to acknowledge).")
        {
            kind, file, ack, requestId,
        };
        record.SetAction((r, ct) => Run(settingsOf(r), async session =>
        {
            var (parser, send) = Records[r.GetValue(kind)!];
            var request = parser.ParseJson(await ReadAsync(r.GetValue(file)!));
            Stamp(request, r.GetValue(requestId), r.GetValue(ack));
            return Print(await send(session.Client, request));
        }));

        var outDir = new Option<string>("--out-dir") { Description = "Keep one PDF per copy in this folder (default: --output-dir; none: nothing is kept)." };
        var print = new Option<bool>("--print") { Description = "Send each copy to the terminal's print command (no copy is kept unless a folder is given)." };
        var issue = new Command("issue", "証明書の交付 from a JSON IssueCertificateRequest: prints and/or saves one PDF per copy (one of --print, --out-dir is needed), prints the answer without the PDF bytes and with the saved paths.")
        {
            file, ack, requestId, outDir, print,
        };
        issue.SetAction((r, ct) => Run(settingsOf(r), async session =>
        {
            var saveTo = r.GetValue(outDir) ?? session.Settings.SaveDirectory;
            var printCommand = r.GetValue(print) ? session.Settings.PrintCommand : null;
            if (r.GetValue(print) && printCommand is not { Length: > 0 })
            {
                await Console.Error.WriteLineAsync("srs-terminal: --print には印刷コマンド (--print-command または SRS_PRINT_COMMAND) が必要です。");
                return ExitCodes.Usage;
            }
            if (saveTo is null && printCommand is null)
            {
                await Console.Error.WriteLineAsync("srs-terminal: 交付した証明書の行き先がありません。--print（印刷）か --out-dir（保存先）を指定してください。");
                return ExitCodes.Usage;
            }
            var request = IssueCertificateRequest.Parser.ParseJson(await ReadAsync(r.GetValue(file)!));
            Stamp(request, r.GetValue(requestId), r.GetValue(ack));
            if (request.Printer.Length == 0 && session.Settings.Printer is { } printer)
            {
                request.Printer = printer;
            }
            var result = await session.Client.IssueCertificateAsync(request, ct);
            if (!result.Succeeded)
            {
                return Print(result);
            }
            var delivered = await CertificateOutput.DeliverAsync(result.Value!, saveTo, printCommand);
            var (files, failures) = (delivered.SavedFiles, delivered.PrintFailures);
            var answer = result.Value!.Clone();
            foreach (var copy in answer.Copies)
            {
                copy.Pdf = ByteString.Empty;
            }
            answer.Certificate.SealPng = ByteString.Empty;
            var json = Node(answer);
            json["requestId"] = result.RequestId;
            json["savedFiles"] = new JsonArray([.. files.Select(f => (JsonNode)f)]);
            json["printed"] = delivered.Printed;
            json["printFailures"] = new JsonArray([.. failures.Select(f => (JsonNode)f)]);
            Console.WriteLine(json.ToJsonString(Indented));
            return failures.Count == 0 ? ExitCodes.Done : ExitCodes.Refused;
        }));

        var code = new Argument<string>("検証コード");
        var verify = new Command("verify", "証明書の検証 (needs no token). Exit 0 only for a valid certificate; 1 for a disposed, unknown or malformed code.") { code };
        verify.SetAction((r, ct) => Run(settingsOf(r), async session =>
        {
            var result = await session.Client.VerifyCertificateAsync(r.GetValue(code)!, ct);
            var printed = Print(result);
            return printed == ExitCodes.Done && !result.Value!.Valid ? ExitCodes.Refused : printed;
        }, signIn: false));

        var tenant = new Command("whoami", "The city and the signed-in staff member: staff id, roles, terminal, and the city as the server knows it.");
        tenant.SetAction((r, ct) => Run(settingsOf(r), async session =>
        {
            var result = await session.Client.GetTenantAsync(ct);
            if (!result.Succeeded)
            {
                return PrintProblem(result.Problem!);
            }
            var json = new JsonObject
            {
                ["staff"] = session.Staff,
                ["roles"] = new JsonArray([.. session.Roles.Select(role => (JsonNode)role)]),
                ["terminal"] = session.Terminal,
                ["tenant"] = Node(result.Value!),
            };
            Console.WriteLine(json.ToJsonString(Indented));
            return ExitCodes.Done;
        }));

        return [search, show, record, issue, verify, tenant];
    }

    private static async Task<int> Run(TerminalSettings settings, Func<Session, Task<int>> work, bool signIn = true)
    {
        using var session = new Session(settings);
        if (signIn)
        {
            if (!string.IsNullOrWhiteSpace(settings.Token))
            {
                var problem = await session.SignInAsync(settings.Token);
                if (problem is not null)
                {
                    return PrintProblem(problem);
                }
            }
            else
            {
                // Scripts sign in as a staff member: --tenant, --staff, SRS_PASSWORD and SRS_TOTP.
                var password = Environment.GetEnvironmentVariable("SRS_PASSWORD");
                var code = Environment.GetEnvironmentVariable("SRS_TOTP");
                if (string.IsNullOrWhiteSpace(settings.Tenant) || string.IsNullOrWhiteSpace(settings.StaffId) || string.IsNullOrEmpty(password) || string.IsNullOrWhiteSpace(code))
                {
                    await Console.Error.WriteLineAsync("srs-terminal: サインインには --tenant、--staff と環境変数 SRS_PASSWORD、SRS_TOTP（または --token / SRS_TOKEN）を指定してください。");
                    return ExitCodes.Usage;
                }
                var outcome = await session.SignInAsync(new SignInCredentials(settings.Tenant, settings.StaffId, password, code, settings.TerminalId));
                if (!outcome.Succeeded)
                {
                    await Console.Error.WriteLineAsync($"srs-terminal: サインインできません: {outcome.Message}");
                    return outcome.Error == Session.Unreachable ? ExitCodes.Unavailable : ExitCodes.SignIn;
                }
            }
        }
        return await work(session);
    }

    private static void Stamp(IMessage request, string? requestId, string[]? acknowledged)
    {
        if (!string.IsNullOrWhiteSpace(requestId))
        {
            request.Descriptor.FindFieldByName("request_id")?.Accessor.SetValue(request, requestId);
        }
        if (acknowledged is { Length: > 0 })
        {
            var list = (System.Collections.IList)request.Descriptor.FindFieldByName("acknowledged_alerts")!.Accessor.GetValue(request);
            foreach (var a in acknowledged.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries)))
            {
                list.Add(a.Trim());
            }
        }
    }

    private static async Task<string> ReadAsync(FileInfo file) =>
        file.Name == "-" ? await Console.In.ReadToEndAsync() : await File.ReadAllTextAsync(file.FullName);

    private static int Print<T>(CallResult<T> result)
        where T : class, IMessage
    {
        if (!result.Succeeded)
        {
            return PrintProblem(result.Problem!);
        }
        var json = Node(result.Value!);
        if (result.RequestId.Length > 0)
        {
            json["requestId"] = result.RequestId;
            json["attempts"] = result.Attempts;
        }
        Console.WriteLine(json.ToJsonString(Indented));
        return ExitCodes.Done;
    }

    private static int PrintProblem(CallProblem p)
    {
        var json = new JsonObject
        {
            ["problem"] = new JsonObject
            {
                ["kind"] = p.Kind.ToString(),
                ["status"] = p.Status.ToString(),
                ["reason"] = p.Reason,
                ["message"] = p.Message,
                ["fields"] = new JsonArray([.. p.Fields.Select(f => (JsonNode)new JsonObject { ["field"] = f.Field, ["label"] = f.Label, ["description"] = f.Description })]),
                ["alerts"] = new JsonArray([.. p.Alerts.Select(a => (JsonNode)new JsonObject { ["code"] = a.Code, ["message"] = a.Message })]),
                ["requestId"] = p.RequestId,
                ["attempts"] = p.Attempts,
            },
        };
        Console.WriteLine(json.ToJsonString(Indented));
        return p.Kind switch
        {
            ProblemKind.Unavailable => ExitCodes.Unavailable,
            ProblemKind.AlertsToAcknowledge => ExitCodes.AlertsToAcknowledge,
            ProblemKind.SignInRequired or ProblemKind.NotPermitted => ExitCodes.SignIn,
            _ => ExitCodes.Refused,
        };
    }

    private static JsonObject Node(IMessage message) => JsonNode.Parse(Formatter.Format(message))!.AsObject();
}
