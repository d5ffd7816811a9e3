using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using SharedResidentSystem.Contracts.Jobs.V1;

namespace SharedResidentSystem.AdminTool;

/// <summary>
/// srs-admin job …: the city's jobs (バッチ処理, 9.x) for its supervisors and operators: start a
/// job and watch it with a progress bar, list, show and cancel (docs/jobs.md).
/// </summary>
public static class JobCommands
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    public static Command Build()
    {
        var reason = new Option<string>("--reason") { Description = "Why the job is run (required; kept with it and in the access log).", Required = true };
        var watch = new Option<bool>("--watch") { Description = "Stay and show its progress until it ends." };
        var count = new Option<int>("--count") { Description = "抽出人数 (1-10,000; required unless --again)." };
        var again = new Option<bool>("--again") { Description = "9.1: start from the parameters of the city's previous extraction; the options given change them (the changes are shown)." };
        var seed = new Option<long>("--seed") { Description = "The same seed over the same register draws the same residents (default: one is chosen and shown)." };
        var sex = new Option<string>("--sex") { Description = "male or female (default: both)." };
        sex.AcceptOnlyFromAmong("male", "female");
        var bornFrom = new Option<string>("--born-from") { Description = "生年月日 from, yyyy-MM-dd." };
        var bornTo = new Option<string>("--born-to") { Description = "生年月日 to, yyyy-MM-dd." };
        var district = new Option<string[]>("--district") { Description = "地区 code of the city's configuration (repeat for several).", AllowMultipleArgumentsPerToken = true };
        var kind = new Option<string>("--kind") { Description = "japanese or foreign (default: both)." };
        kind.AcceptOnlyFromAmong("japanese", "foreign");
        var stratify = new Option<string>("--stratify") { Description = "Share the count among strata in proportion: sex, district or age10." };
        stratify.AcceptOnlyFromAmong("sex", "district", "age10");

        var extract = new Command("extract", "9.6 無作為抽出・条件指定抽出: draw residents at random among those who meet the conditions.")
            { count, seed, sex, bornFrom, bornTo, district, kind, stratify, again, reason, watch };
        extract.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var parameters = new RandomExtractionParameters();
            if (r.GetValue(again))
            {
                var previous = (await jobs.ListOperationsAsync(new ListOperationsRequest { PageSize = 500 }, headers, cancellationToken: ct)).Operations
                    .LastOrDefault(o => o.Metadata.Kind == JobKind.RandomExtraction)
                    ?? throw new AdminCommands.UsageException("前回の無作為抽出がありません。--again なしで条件を指定してください。");
                parameters = previous.Metadata.RandomExtraction.Clone();
            }
            else if (r.GetResult(count) is null)
            {
                throw new AdminCommands.UsageException("--count を指定してください (前回の条件で行うときは --again)。");
            }
            // Only what is given changes the parameters (all of them without --again).
            bool Given(Option option) => r.GetResult(option) is not null;
            if (Given(count)) { parameters.Count = r.GetValue(count); }
            if (Given(seed)) { parameters.Seed = r.GetValue(seed); }
            if (Given(sex)) { parameters.Sex = r.GetValue(sex) switch { "male" => 1, "female" => 2, _ => 0 }; }
            if (Given(bornFrom)) { parameters.BornFrom = r.GetValue(bornFrom) ?? ""; }
            if (Given(bornTo)) { parameters.BornTo = r.GetValue(bornTo) ?? ""; }
            if (Given(district)) { parameters.Districts.Clear(); parameters.Districts.AddRange(r.GetValue(district) ?? []); }
            if (Given(kind)) { parameters.ResidentKind = r.GetValue(kind) switch { "japanese" => 1, "foreign" => 2, _ => 0 }; }
            if (Given(stratify)) { parameters.StratifyBy = r.GetValue(stratify) ?? ""; }
            var started = await jobs.StartJobAsync(new StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = JobKind.RandomExtraction, Reason = r.GetValue(reason)!, RandomExtraction = parameters,
            }, headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, started, r.GetValue(watch), ct);
        }));

        var town = new Option<string[]>("--town") { Description = "町字 of the city's address dictionary (repeat for several).", AllowMultipleArgumentsPerToken = true };
        var order = new Option<string>("--order") { Description = "address (住所順, the default) or random (無作為順, by --seed).", DefaultValueFactory = _ => "address" };
        order.AcceptOnlyFromAmong("address", "random");
        var inspection = new Command("inspection-copy", "9.5 閲覧用写し: 氏名, 生年月日, 性別 and 住所 of an area's residents (whoever is protected left out), CSV and PDF.")
            { district, town, sex, bornFrom, bornTo, order, seed, reason, watch };
        inspection.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var parameters = new InspectionCopyParameters
            {
                Districts = { r.GetValue(district) ?? [] }, Towns = { r.GetValue(town) ?? [] }, Sex = r.GetValue(sex) switch { "male" => 1, "female" => 2, _ => 0 },
                BornFrom = r.GetValue(bornFrom) ?? "", BornTo = r.GetValue(bornTo) ?? "", Order = r.GetValue(order)!, Seed = r.GetValue(seed),
            };
            var started = await jobs.StartJobAsync(new StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = JobKind.InspectionCopy, Reason = r.GetValue(reason)!, InspectionCopy = parameters,
            }, headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, started, r.GetValue(watch), ct);
        }));

        var consistency = new Command("consistency", "7.1.1.2 整合性確認 against the CS, as a job (every difference in 相違一覧.csv).") { reason, watch };
        consistency.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var started = await jobs.StartJobAsync(new StartJobRequest { RequestId = Guid.NewGuid().ToString(), Kind = JobKind.CsConsistency, Reason = r.GetValue(reason)! },
                headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, started, r.GetValue(watch), ct);
        }));

        var restore = new Option<string[]>("--restore")
        {
            Description = "宛名番号 of 除票 in the 除票用データベース to bring back to the register (repeat, at most 100); without it: the move and the deletion.",
            AllowMultipleArgumentsPerToken = true,
        };
        var archive = new Command("archive-removed",
            "9.3 除票用データベースへの移行: 除票 past retention.archiveAfterYears move to the archive, those past their retention (150 years) are deleted; with --restore, 除票 come back.")
            { restore, reason, watch };
        archive.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var started = await jobs.StartJobAsync(new StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = JobKind.RemovedRecordsArchive, Reason = r.GetValue(reason)!,
                RemovedRecordsArchive = new RemovedRecordsArchiveParameters { Restore = { r.GetValue(restore) ?? [] } },
            }, headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, started, r.GetValue(watch), ct);
        }));

        var lifted = new Option<bool>("--include-lifted") { Description = "解除された抑止 too." };
        var suppressionList = new Command("suppression-list", "9.2 抑止対象者一覧: every 抑止 in force with whom it protects (CSV and PDF).") { lifted, reason, watch };
        suppressionList.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var started = await jobs.StartJobAsync(new StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = JobKind.SuppressionList, Reason = r.GetValue(reason)!,
                SuppressionList = new SuppressionListParameters { IncludeLifted = r.GetValue(lifted) },
            }, headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, started, r.GetValue(watch), ct);
        }));

        var asOf = new Option<string>("--as-of") { Description = "基準日, yyyy-MM-dd (default: 1 January of this year).", DefaultValueFactory = _ => "" };
        var from = new Option<string>("--from") { Description = "The period's first day, yyyy-MM-dd (default: 1 January of last year).", DefaultValueFactory = _ => "" };
        var to = new Option<string>("--to") { Description = "The period's last day, yyyy-MM-dd (default: 31 December of last year).", DefaultValueFactory = _ => "" };
        var annual = new Command("annual-report", "6.1 住民基本台帳関係年報 and the 入管 定期報告's items: 年報.xlsx, and each table as CSV and PDF.") { asOf, from, to, reason, watch };
        annual.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var started = await jobs.StartJobAsync(new StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AnnualReport, Reason = r.GetValue(reason)!,
                AnnualReport = new AnnualReportParameters { AsOf = r.GetValue(asOf)!, From = r.GetValue(from)!, To = r.GetValue(to)! },
            }, headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, started, r.GetValue(watch), ct);
        }));

        var retention = new Command("retention",
            "The 交付履歴 and the access log past the city's retention (retention.issuanceLedgerYears, accessLogYears) deleted; the access log's chain verified from its signed start.")
            { reason, watch };
        retention.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var started = await jobs.StartJobAsync(new StartJobRequest { RequestId = Guid.NewGuid().ToString(), Kind = JobKind.Retention, Reason = r.GetValue(reason)! },
                headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, started, r.GetValue(watch), ct);
        }));

        var euc = new Command("euc-snapshot",
            "10.1 EUC: a new analytical copy of the whole register (history, 除票 and the 除票用データベース) for srs-admin euc; usually on a nightly schedule.") { reason, watch };
        euc.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var started = await jobs.StartJobAsync(new StartJobRequest { RequestId = Guid.NewGuid().ToString(), Kind = JobKind.EucSnapshot, Reason = r.GetValue(reason)! },
                headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, started, r.GetValue(watch), ct);
        }));

        var name = new Argument<string>("JOB") { Description = "The job's number (or its name tenants/{code}/operations/{number})." };
        var addressChange = AddressChange(reason, watch, name);
        var show = new Command("show", "One job: its state, progress, and result or error.") { name, watch };
        show.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var operation = await jobs.GetOperationAsync(new GetOperationRequest { Name = await NameAsync(jobs, headers, r.GetValue(name)!, ct) }, headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, operation, r.GetValue(watch), ct);
        }));

        var cancel = new Command("cancel", "Ask a running job to stop after its current step.") { name };
        cancel.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var jobs = new JobService.JobServiceClient(invoker);
            var operation = await jobs.CancelOperationAsync(new CancelOperationRequest { RequestId = Guid.NewGuid().ToString(), Name = await NameAsync(jobs, headers, r.GetValue(name)!, ct) },
                headers, cancellationToken: ct);
            return await ShowAsync(jobs, headers, output, operation, false, ct);
        }));

        var list = new Command("list", "The city's jobs, in the order they were started.");
        list.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var reply = await new JobService.JobServiceClient(invoker).ListOperationsAsync(new ListOperationsRequest { PageSize = 500 }, headers, cancellationToken: ct);
            if (output.Json)
            {
                output.Write(Formatter.Format(reply));
                return ExitCodes.Done;
            }
            foreach (var o in reply.Operations)
            {
                output.Write($"{Number(o)}\t{o.Metadata.Kind}\t{o.Metadata.State}\t{o.Metadata.Percent}%\t{o.Metadata.Staff}\t{o.Metadata.Reason}");
            }
            return ExitCodes.Done;
        }));

        return new Command("job", "The city's jobs (バッチ処理, 9.x): extract, inspection-copy, consistency, address-change, archive-removed, suppression-list, retention, annual-report, euc-snapshot, list, show, cancel.")
            { extract, inspection, consistency, addressChange, archive, suppressionList, retention, annual, euc, list, show, cancel };
    }

    /// <summary>9.7 住所一括変更: preview (仮処理) from a definition file, apply (本処理) of a preview, undo (取消し) of an apply.</summary>
    private static Command AddressChange(Option<string> reason, Option<bool> watch, Argument<string> name)
    {
        var definition = new Option<FileInfo>("--definition") { Description = "The definition (CSV, UTF-8): see docs/jobs.md for its two headers.", Required = true };
        var target = new Option<string>("--target") { Description = "address (現住所, the default) or domicile (本籍).", DefaultValueFactory = _ => "address" };
        target.AcceptOnlyFromAmong("address", "domicile");
        var date = new Option<string>("--date") { Description = "実施日 (the 異動日), yyyy-MM-dd.", Required = true };
        var notices = new Option<bool>("--notices") { Description = "Print the 通知 to each household (事前 with preview, 事後 with apply) as PDF." };

        var preview = new Command("preview", "仮処理: list the households the definition finds and what would change; nothing is recorded.") { definition, target, date, notices, reason, watch };
        preview.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var file = r.GetValue(definition)!;
            if (!file.Exists)
            {
                throw new AdminCommands.UsageException($"定義のファイル {file.FullName} がありません。");
            }
            var parameters = new AddressBulkChangeParameters
            {
                Mode = AddressBulkChangeMode.Preview,
                Target = r.GetValue(target) == "domicile" ? AddressBulkChangeTarget.Domicile : AddressBulkChangeTarget.Address,
                EffectiveDate = r.GetValue(date)!,
                Notices = r.GetValue(notices),
                DefinitionCsv = ByteString.CopyFrom(await File.ReadAllBytesAsync(file.FullName, ct)),
            };
            return await StartAsync(invoker, headers, output, r.GetValue(reason)!, parameters, r.GetValue(watch), ct);
        }));
        Command Following(string verb, string description, AddressBulkChangeMode mode)
        {
            var command = new Command(verb, description) { name, reason, watch };
            if (mode == AddressBulkChangeMode.Apply)
            {
                command.Options.Add(notices);
            }
            command.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
            {
                var from = await NameAsync(new JobService.JobServiceClient(invoker), headers, r.GetValue(name)!, ct);
                var parameters = new AddressBulkChangeParameters { Mode = mode, FromOperation = from, Notices = mode == AddressBulkChangeMode.Apply && r.GetValue(notices) };
                return await StartAsync(invoker, headers, output, r.GetValue(reason)!, parameters, r.GetValue(watch), ct);
            }));
            return command;
        }
        return new Command("address-change", "9.7 住所一括変更 (住居表示の実施, 区画整理): preview, then apply the preview; undo an apply.")
        {
            preview,
            Following("apply", "本処理 of a preview (JOB): one 軽微な修正 per household; whoever changed since the preview is left out and listed.", AddressBulkChangeMode.Apply),
            Following("undo", "取消し of an apply (JOB): each of its 異動 cancelled.", AddressBulkChangeMode.Undo),
        };
    }

    private static async Task<int> StartAsync(CallInvoker invoker, Metadata headers, AdminCommands.Output output, string reason, AddressBulkChangeParameters parameters, bool watch,
        CancellationToken ct)
    {
        var jobs = new JobService.JobServiceClient(invoker);
        var started = await jobs.StartJobAsync(new StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AddressBulkChange, Reason = reason, AddressBulkChange = parameters,
        }, headers, cancellationToken: ct);
        return await ShowAsync(jobs, headers, output, started, watch, ct);
    }

    private static string Number(Operation o) => o.Name[(o.Name.LastIndexOf('/') + 1)..];

    /// <summary>A bare number is the job of the caller's city with that number.</summary>
    private static async Task<string> NameAsync(JobService.JobServiceClient jobs, Metadata headers, string given, CancellationToken ct)
    {
        if (given.Contains('/', StringComparison.Ordinal))
        {
            return given;
        }
        var all = await jobs.ListOperationsAsync(new ListOperationsRequest { PageSize = 500 }, headers, cancellationToken: ct);
        return all.Operations.FirstOrDefault(o => Number(o) == given)?.Name ?? throw new AdminCommands.UsageException($"ジョブ {given} はありません。");
    }

    private static async Task<int> ShowAsync(JobService.JobServiceClient jobs, Metadata headers, AdminCommands.Output output, Operation operation, bool watch, CancellationToken ct)
    {
        var bar = new MigrateCommands.ProgressBar(output.Json || !watch ? TextWriter.Null : Console.Error);
        while (watch && !operation.Done)
        {
            bar.Show(operation.Metadata.State.ToString(), $"ジョブ {Number(operation)}", operation.Metadata.DoneCount, operation.Metadata.TotalCount);
            // An infrastructure wait: how often the tool asks.
            await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, ct);
            operation = await jobs.GetOperationAsync(new GetOperationRequest { Name = operation.Name }, headers, cancellationToken: ct);
        }
        bar.End();
        if (output.Json)
        {
            output.Write(Formatter.Format(operation));
        }
        else
        {
            var m = operation.Metadata;
            output.Write($"ジョブ {Number(operation)} ({operation.Name})　{m.Kind}　{m.State}　{m.Percent}% ({m.DoneCount.ToString(CultureInfo.InvariantCulture)}/{m.TotalCount.ToString(CultureInfo.InvariantCulture)})");
            output.Write($"開始 {m.Staff} (端末 {m.Terminal})　理由: {m.Reason}" + (m.RandomExtraction is { } p ? $"　シード {p.Seed.ToString(CultureInfo.InvariantCulture)}" : "")
                + (m.Schedule.Length > 0 ? $"　スケジュール {m.Schedule}" : "") + (m.Resumed > 0 ? $"　再開 {m.Resumed} 回" : ""));
            if (m.ChangedFromLast.Count > 0)
            {
                output.Write($"＊前回から変更した条件: {string.Join("、", m.ChangedFromLast)}");
            }
            if (m.RandomExtraction is { } given)
            {
                output.Write($"条件: 抽出人数 {given.Count}　性別 {given.Sex}　生年月日 {given.BornFrom}〜{given.BornTo}　地区 {string.Join("・", given.Districts)}　日本人・外国人 {given.ResidentKind}　層 {given.StratifyBy}");
            }
            if (m.AddressBulkChange is { } change)
            {
                output.Write($"住所一括変更: {change.Mode}　{change.Target}　実施日 {change.EffectiveDate}" + (change.FromOperation.Length > 0 ? $"　元のジョブ {change.FromOperation}" : $"　定義 {change.Rows} 行")
                    + (change.Notices ? "　通知あり" : ""));
            }
            if (operation.Response is { } result)
            {
                foreach (var file in result.Files)
                {
                    output.Write($"ファイル: {file}");
                }
                output.Write(string.Join("　", result.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.ToString(CultureInfo.InvariantCulture)}")));
                foreach (var error in result.Errors)
                {
                    output.Write($"※ {error}");
                }
            }
            if (operation.Error is { } error2)
            {
                output.Write($"{error2.Reason}: {error2.Message}");
            }
        }
        return operation.Done && operation.Metadata.State != JobState.Succeeded && operation.Metadata.State != JobState.Cancelled ? ExitCodes.Server : ExitCodes.Done;
    }
}
