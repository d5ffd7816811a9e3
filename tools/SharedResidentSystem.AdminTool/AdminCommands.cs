using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Tenancy.V1;
using ConfigChange = SharedResidentSystem.Contracts.Tenancy.V1.ConfigChange;
using RpcStatus = Google.Rpc.Status;

namespace SharedResidentSystem.AdminTool;

public static class ExitCodes
{
    public const int Done = 0;
    public const int Problems = 1;
    public const int Usage = 2;
    public const int Server = 3;
    public const int Declined = 4;
}

/// <summary>The subcommands of srs-admin and what each prints.</summary>
public static class AdminCommands
{
    private static readonly Option<string> Address = new("--address")
    {
        Description = "The server (default: SRS_ADDRESS, else http://127.0.0.1:5080).",
        Recursive = true,
    };

    private static readonly Option<string> Token = new("--token")
    {
        Description = "An operator's bearer token (default: SRS_TOKEN) from the city's own sign-in (or srs-token in development). " +
            "Without one the operator signs in with ID, password and TOTP code (SRS_TENANT, SRS_STAFF, SRS_PASSWORD, SRS_TOTP, else asked).",
        Recursive = true,
    };

    private static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON instead of text.",
        Recursive = true,
    };

    public static IReadOnlyList<Option> GlobalOptions => [Address, Token, Json];

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    public static IEnumerable<Command> Build()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The city's configuration document (JSON, config/schema/tenant-config.schema.json)." };
        var tenant = new Option<string>("--tenant") { Description = "地方公共団体コード of the city (default: the document's code, else the token's city)." };
        var reason = new Option<string>("--reason") { Description = "Why (kept with the version and in the access log).", Required = true };
        var effective = new Option<string>("--effective-from") { Description = "yyyy-MM-dd from when the version is in effect (default: today)." };
        var yes = new Option<bool>("--yes") { Description = "Apply without asking." };
        var baseVersion = new Option<int>("--base-version")
        {
            Description = "The version the document was edited from (default: the version in effect on the effective date, as 'show --at' gives it). " +
                "Only what differs from it is applied, on the effective date and on each later date a waiting version takes effect.",
        };

        var validate = new Command("validate", "Check a document on the server; print every problem with its path.") { file, tenant };
        validate.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var document = Read(r.GetValue(file)!);
            var code = r.GetValue(tenant) ?? CodeOf(document);
            var reply = await client.ValidateTenantConfigAsync(new ValidateTenantConfigRequest { Name = Name(code), Document = document }, headers, cancellationToken: ct);
            if (output.Json)
            {
                output.Write(Formatter.Format(reply));
            }
            else
            {
                output.Write(reply.Valid ? "valid: 誤りはありません。" : $"invalid: {reply.Problems.Count} 件の誤りがあります。");
                foreach (var p in reply.Problems)
                {
                    output.Write($"  {p.Path}: {p.Code}: {p.Message}");
                }
            }
            return reply.Valid ? ExitCodes.Done : ExitCodes.Problems;
        }));

        var diff = new Command("diff", "Show what applying a document would change, on the effective date and on each later date a waiting version takes effect.") { file, tenant, effective, baseVersion };
        diff.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var document = Read(r.GetValue(file)!);
            var code = r.GetValue(tenant) ?? CodeOf(document);
            var reply = await client.DiffTenantConfigAsync(new DiffTenantConfigRequest
            {
                Name = Name(code), Document = document, EffectiveFrom = ParseDate(r.GetValue(effective)),
                Etag = await BaseEtagAsync(client, headers, code, r.GetValue(baseVersion), ct),
            }, headers, cancellationToken: ct);
            if (output.Json)
            {
                output.Write(Formatter.Format(reply));
            }
            else
            {
                PrintDiff(output, reply);
            }
            return reply.Problems.Count > 0 ? ExitCodes.Problems : ExitCodes.Done;
        }));

        var apply = new Command("apply", "Apply a document as a new version: shows what changes on each date, then asks (unless --yes).") { file, tenant, reason, effective, baseVersion, yes };
        apply.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var document = Read(r.GetValue(file)!);
            var code = r.GetValue(tenant) ?? CodeOf(document);
            return await ApplyAsync(client, headers, output, code, document, ParseDate(r.GetValue(effective)),
                await BaseEtagAsync(client, headers, code, r.GetValue(baseVersion), ct), r.GetValue(reason)!, r.GetValue(yes), ct);
        }));

        var history = new Command("history", "List every version of the city's configuration, newest first.") { tenant };
        history.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var reply = await client.ListTenantConfigVersionsAsync(new ListTenantConfigVersionsRequest { Name = Name(r.GetValue(tenant)) }, headers, cancellationToken: ct);
            if (output.Json)
            {
                output.Write(Formatter.Format(reply));
                return ExitCodes.Done;
            }
            output.Write("版\t適用開始日\t記録日時 (UTC)\t適用者\t状態\t理由");
            foreach (var v in reply.Versions)
            {
                output.Write($"{v.Version}\t{FormatDate(v.EffectiveFrom)}\t{v.RecordedAt?.ToDateTime():yyyy-MM-dd HH:mm}\t{v.Author}\t{(v.InEffect ? "適用中" : "")}\t{v.Reason}");
            }
            return ExitCodes.Done;
        }));

        var at = new Option<string>("--at") { Description = "yyyy-MM-dd: the version in effect on that day (default: today)." };
        var version = new Option<int>("--version") { Description = "A version number instead of a date." };
        var outFile = new Option<FileInfo>("--out") { Description = "Write the document to this file." };
        var show = new Command("show", "Print the configuration document in effect on a day (or of a version).") { tenant, at, version, outFile };
        show.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var reply = await client.GetTenantConfigAsync(new GetTenantConfigRequest { Name = Name(r.GetValue(tenant)), AsOf = ParseDate(r.GetValue(at)), Version = r.GetValue(version) }, headers, cancellationToken: ct);
            if (r.GetValue(outFile) is { } target)
            {
                await File.WriteAllTextAsync(target.FullName, reply.Document, ct);
                output.Error($"srs-admin: 版 {reply.Version} を {target.FullName} に書きました (etag {reply.Etag})。");
            }
            else
            {
                output.Write(output.Json ? Formatter.Format(reply) : reply.Document);
            }
            return ExitCodes.Done;
        }));

        var csv = new Argument<FileInfo>("CSV") { Description = "Towns in the shape of data/town-names-postal.csv (local_government_code,city,postal_code,town)." };
        var importTowns = new Command("import-towns", "Replace the city's address dictionary from a CSV, as a new version.") { csv, tenant, reason, effective, yes };
        importTowns.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var text = Read(r.GetValue(csv)!);
            var name = Name(r.GetValue(tenant));
            var latest = (await client.ListTenantConfigVersionsAsync(new ListTenantConfigVersionsRequest { Name = name }, headers, cancellationToken: ct)).Versions[0];
            if (!r.GetValue(yes) && !Confirm($"{latest.DisplayName} の住所辞書を {r.GetValue(csv)!.Name} で置き換えますか? [y/N] "))
            {
                output.Error("srs-admin: 取り込みませんでした。");
                return ExitCodes.Declined;
            }
            var reply = await client.ImportTownsAsync(new ImportTownsRequest
            {
                Name = name, Csv = text, Etag = latest.Etag, Reason = r.GetValue(reason)!, EffectiveFrom = ParseDate(r.GetValue(effective)), RequestId = Guid.NewGuid().ToString(),
            }, headers, cancellationToken: ct);
            PrintApplied(output, reply);
            return ExitCodes.Done;
        }));

        var kenAll = new Argument<FileInfo>("KEN_ALL") { Description = "Japan Post's national postal code file (KEN_ALL.CSV, Shift_JIS) or a part of it." };
        var addressImport = new Command("import", "Replace the city's address dictionary with its towns in Japan Post's KEN_ALL file, as a new version (1.3.3).") { kenAll, tenant, reason, effective, yes };
        addressImport.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var name = Name(r.GetValue(tenant));
            var latest = (await client.ListTenantConfigVersionsAsync(new ListTenantConfigVersionsRequest { Name = name }, headers, cancellationToken: ct)).Versions[0];
            var code = latest.TenantCode;
            IReadOnlyList<SharedResidentSystem.Core.Tenancy.KenAll.Town> towns;
            IReadOnlyList<SharedResidentSystem.Core.Tenancy.KenAll.Problem> problems;
            try
            {
                using var file = r.GetValue(kenAll)!.OpenRead();
                (towns, problems) = SharedResidentSystem.Core.Tenancy.KenAll.Read(file, code);
            }
            catch (IOException e)
            {
                throw new UsageException($"{r.GetValue(kenAll)!.Name} を読めません: {e.Message}");
            }
            foreach (var problem in problems)
            {
                output.Error($"{r.GetValue(kenAll)!.Name}:{problem.Line}: {problem.Message}");
            }
            if (problems.Count > 0 || towns.Count == 0)
            {
                output.Error(towns.Count == 0 ? $"srs-admin: 団体コード {code} の町域がファイルにありません。" : "srs-admin: 誤りがあるため取り込みませんでした。");
                return ExitCodes.Problems;
            }
            if (!r.GetValue(yes) && !Confirm($"{latest.DisplayName} の住所辞書を {r.GetValue(kenAll)!.Name} の {towns.Count} 町域で置き換えますか? [y/N] "))
            {
                output.Error("srs-admin: 取り込みませんでした。");
                return ExitCodes.Declined;
            }
            var reply = await client.ImportTownsAsync(new ImportTownsRequest
            {
                Name = name, Csv = SharedResidentSystem.Core.Tenancy.KenAll.ToTownCsv(towns), Etag = latest.Etag, Reason = r.GetValue(reason)!,
                EffectiveFrom = ParseDate(r.GetValue(effective)), RequestId = Guid.NewGuid().ToString(),
            }, headers, cancellationToken: ct);
            PrintApplied(output, reply);
            return ExitCodes.Done;
        }));
        var lotsFile = new Argument<FileInfo>("CSV") { Description = "住居表示・地番 master: 町字,丁目,区分,番号,始番号,終番号,名称 (UTF-8)." };
        var lots = new Command("lots", "Replace the 住居表示・地番 master (1.3.2) of the towns a CSV names, as a new version; shows the change first.") { lotsFile, tenant, reason, effective, yes };
        lots.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var from = ParseDate(r.GetValue(effective));
            var based = await client.GetTenantConfigAsync(new GetTenantConfigRequest { Name = Name(r.GetValue(tenant)), AsOf = from }, headers, cancellationToken: ct);
            string document;
            try
            {
                (document, var towns, var lines) = SharedResidentSystem.Core.Tenancy.LotMasterImport.Merge(based.Document, Read(r.GetValue(lotsFile)!));
                output.Error($"srs-admin: {towns} 町字の {lines} 行を読みました。");
            }
            catch (SharedResidentSystem.Core.Errors.DomainException e)
            {
                foreach (var v in e.Violations)
                {
                    output.Error($"{r.GetValue(lotsFile)!.Name}: {v.Field}: {v.Description}");
                }
                output.Error($"srs-admin: {e.Message}");
                return ExitCodes.Problems;
            }
            return await ApplyAsync(client, headers, output, CodeOf(document), document, from, based.Etag, r.GetValue(reason)!, r.GetValue(yes), ct);
        }));
        var address = new Command("address", "The address master (1.3).") { addressImport, lots };

        var addCity = new Command("add-city", "Add a new member city from its first document (operators of the joint system).") { file, reason, effective };
        addCity.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var reply = await client.CreateTenantAsync(new CreateTenantRequest
            {
                Document = Read(r.GetValue(file)!), Reason = r.GetValue(reason)!, EffectiveFrom = ParseDate(r.GetValue(effective)), RequestId = Guid.NewGuid().ToString(),
            }, headers, cancellationToken: ct);
            PrintApplied(output, reply);
            return ExitCodes.Done;
        }));

        var list = new Command("list", "List the cities this operator may administer.");
        list.SetAction((r, ct) => Run(r, async (client, headers, output) =>
        {
            var reply = await client.ListTenantsAsync(new ListTenantsRequest(), headers, cancellationToken: ct);
            if (output.Json)
            {
                output.Write(Formatter.Format(reply));
                return ExitCodes.Done;
            }
            foreach (var t in reply.Tenants)
            {
                output.Write($"{t.TenantCode}\t{t.DisplayName}\t版 {t.Version} ({FormatDate(t.EffectiveFrom)} から)");
            }
            return ExitCodes.Done;
        }));

        return [validate, diff, apply, history, show, importTowns, address, addCity, list];
    }

    /// <summary>Where the tool writes: text or JSON to standard output, messages to standard error.</summary>
    internal sealed record Output(bool Json, TextWriter Out, TextWriter Err)
    {
        public void Write(string line) => Out.WriteLine(line);

        public void Error(string line) => Err.WriteLine(line);
    }

    internal sealed class UsageException(string message) : Exception(message);

    private static Task<int> Run(ParseResult r, Func<TenantAdminService.TenantAdminServiceClient, Metadata, Output, Task<int>> action) =>
        RunWith(r, (invoker, headers, output) => action(new TenantAdminService.TenantAdminServiceClient(invoker), headers, output));

    /// <summary>
    /// Signs in (a token given, else ID, password and TOTP code) and runs <paramref name="action"/>
    /// with the server's channel; refusals and an unreachable server become exit codes.
    /// </summary>
    internal static async Task<int> RunWith(ParseResult r, Func<CallInvoker, Metadata, Output, Task<int>> action)
    {
        var output = new Output(r.GetValue(Json), Console.Out, Console.Error);
        var address = r.GetValue(Address) ?? Environment.GetEnvironmentVariable("SRS_ADDRESS") ?? "http://127.0.0.1:5080";
        try
        {
            var signIn = await ProgramSignIn.TokenAsync(new Uri(address), "srs-admin", r.GetValue(Token) ?? Environment.GetEnvironmentVariable("SRS_TOKEN"), ConsoleQuestions.Ask);
            if (signIn.Token is null)
            {
                output.Error($"srs-admin: {signIn.Problem}");
                return ExitCodes.Usage;
            }
            using var channel = GrpcChannel.ForAddress(address);
            var headers = new Metadata { { "Authorization", "Bearer " + signIn.Token } };
            return await action(channel.CreateCallInvoker(), headers, output);
        }
        catch (UsageException e)
        {
            output.Error($"srs-admin: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (RpcException e)
        {
            return Refused(output, e);
        }
        catch (HttpRequestException e)
        {
            output.Error($"srs-admin: サーバー {address} に接続できません: {e.Message}");
            return ExitCodes.Server;
        }
    }

    private static int Refused(Output output, RpcException e)
    {
        var details = e.Trailers.GetValueBytes("grpc-status-details-bin");
        var status = details is null ? null : RpcStatus.Parser.ParseFrom(details);
        var reason = status?.Details.Where(d => d.Is(ErrorInfo.Descriptor)).Select(d => d.Unpack<ErrorInfo>().Reason).FirstOrDefault() ?? "";
        var violations = status?.Details.Where(d => d.Is(BadRequest.Descriptor)).SelectMany(d => d.Unpack<BadRequest>().FieldViolations).ToList() ?? [];
        if (output.Json)
        {
            output.Write(JsonSerializer.Serialize(new
            {
                code = e.StatusCode.ToString(),
                reason,
                message = e.Status.Detail,
                problems = violations.Select(v => new { path = v.Field, message = v.Description }),
            }));
        }
        else
        {
            output.Error($"srs-admin: {e.StatusCode} {reason}: {e.Status.Detail}");
            foreach (var v in violations)
            {
                output.Error($"  {v.Field}: {v.Description}");
            }
        }
        return reason == "CONFIG_INVALID" ? ExitCodes.Problems : ExitCodes.Server;
    }

    private static string Read(FileInfo file)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (IOException e)
        {
            throw new UsageException($"{file.FullName} を読めません: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UsageException($"{file.FullName} を読めません: {e.Message}");
        }
    }

    /// <summary>The document's own code, so that "diff FILE" needs nothing else; empty when it has none.</summary>
    private static string? CodeOf(string document)
    {
        try
        {
            using var parsed = JsonDocument.Parse(document, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return parsed.RootElement.ValueKind == JsonValueKind.Object && parsed.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Name(string? code) => string.IsNullOrWhiteSpace(code) ? "" : $"tenants/{code.Trim()}";

    private static Google.Type.Date? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? new Google.Type.Date { Year = d.Year, Month = d.Month, Day = d.Day }
            : throw new UsageException($"日付は yyyy-MM-dd で指定してください: '{text}'");
    }

    private static string FormatDate(Google.Type.Date? date) =>
        date is null ? "-" : $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2}";

    private static bool Confirm(string question)
    {
        Console.Error.Write(question);
        var answer = Console.In.ReadLine();
        return answer is not null && answer.Trim().ToLowerInvariant() is "y" or "yes" or "はい";
    }

    /// <summary>Shows what a document changes on each date, asks (unless <paramref name="yes"/>), then applies it.</summary>
    private static async Task<int> ApplyAsync(TenantAdminService.TenantAdminServiceClient client, Metadata headers, Output output, string? code, string document,
        Google.Type.Date? from, string etag, string reason, bool yes, CancellationToken ct)
    {
        var preview = await client.DiffTenantConfigAsync(new DiffTenantConfigRequest { Name = Name(code), Document = document, EffectiveFrom = from, Etag = etag }, headers, cancellationToken: ct);
        if (!output.Json)
        {
            PrintDiff(output, preview);
        }
        if (preview.Problems.Count > 0)
        {
            if (output.Json)
            {
                output.Write(Formatter.Format(preview));
            }
            return ExitCodes.Problems;
        }
        if (!yes && !Confirm($"版 {preview.BaseVersion} への変更 {preview.Changes.Count} 件を適用しますか? [y/N] "))
        {
            output.Error("srs-admin: 適用しませんでした。");
            return ExitCodes.Declined;
        }
        var reply = await client.ApplyTenantConfigAsync(new ApplyTenantConfigRequest
        {
            Name = Name(code), Document = document, Etag = preview.BaseEtag, Reason = reason, EffectiveFrom = from, RequestId = Guid.NewGuid().ToString(),
        }, headers, cancellationToken: ct);
        PrintApplied(output, reply);
        return ExitCodes.Done;
    }

    /// <summary>The etag of <paramref name="version"/>, or empty for the server's default (the version in effect on the effective date).</summary>
    private static async Task<string> BaseEtagAsync(TenantAdminService.TenantAdminServiceClient client, Metadata headers, string? code, int version, CancellationToken ct) =>
        version <= 0 ? "" : (await client.GetTenantConfigAsync(new GetTenantConfigRequest { Name = Name(code), Version = version }, headers, cancellationToken: ct)).Etag;

    private static string Line(ConfigChange c) => c.Kind switch
    {
        ConfigChange.Types.Kind.Added => $"+ {c.Path}: {c.After}",
        ConfigChange.Types.Kind.Removed => $"- {c.Path}: {c.Before}",
        _ => $"~ {c.Path}: {c.Before} → {c.After}",
    };

    private static void PrintDiff(Output output, DiffTenantConfigResponse reply)
    {
        output.Write($"基準: 版 {reply.BaseVersion} (etag {reply.BaseEtag[..Math.Min(16, reply.BaseEtag.Length)]})");
        if (reply.Changes.Count == 0)
        {
            output.Write("変更はありません。");
        }
        foreach (var c in reply.Changes)
        {
            output.Write(Line(c));
        }
        foreach (var d in reply.Dates)
        {
            output.Write($"{FormatDate(d.EffectiveFrom)} から (版 {d.ReplacesVersion} に代わる): 変更 {d.Changes.Count} 件");
            foreach (var c in d.Changes)
            {
                output.Write("  " + Line(c));
            }
            foreach (var c in d.Kept)
            {
                output.Write($"  = {c.Path}: この日からの版が自ら定める値を保ちます ({c.Before})");
            }
        }
        foreach (var p in reply.Problems)
        {
            output.Error($"  {p.Path}: {p.Code}: {p.Message}");
        }
        if (reply.Problems.Count > 0)
        {
            output.Error($"srs-admin: 文書に誤りが {reply.Problems.Count} 件あります。");
        }
    }

    private static void PrintApplied(Output output, ApplyTenantConfigResponse reply)
    {
        if (output.Json)
        {
            output.Write(Formatter.Format(reply));
            return;
        }
        foreach (var v in reply.Versions.Count > 0 ? reply.Versions : [reply.Version])
        {
            var dated = reply.Dates.FirstOrDefault(d => d.EffectiveFrom?.Equals(v.EffectiveFrom) == true);
            output.Write($"{v.TenantCode} {v.DisplayName}: 版 {v.Version} を記録しました ({FormatDate(v.EffectiveFrom)} から適用{(v.InEffect ? "、適用中" : "")}; 変更 {dated?.Changes.Count ?? reply.Changes.Count} 件; etag {v.Etag})");
        }
    }
}
