using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using SharedResidentSystem.Contracts.Migration.V1;

namespace SharedResidentSystem.AdminTool;

/// <summary>
/// srs-admin migrate …: a city's register out and in as migration files (10.6), for the city's
/// operator. The files are in the server's migration directory, one folder per set, under the
/// city's code (docs/migration.md).
/// </summary>
public static class MigrateCommands
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    public static Command Build()
    {
        var folder = new Argument<string>("FOLDER") { Description = "The folder of the set of files in the city's part of the server's migration directory." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every file and report; import nothing." };
        var skip = new Option<bool>("--skip-invalid-households") { Description = "Leave out the households whose rows have problems (listed) instead of importing nothing." };
        var resume = new Option<bool>("--resume") { Description = "Continue an import that stopped; the rows already imported are not added again." };
        var encoding = new Option<string>("--encoding")
        {
            Description = "utf-8 (default) or shift_jis (CP932; 外字 as user-defined codes listed in G01_外字一覧.csv).",
            DefaultValueFactory = _ => "utf-8",
        };
        encoding.AcceptOnlyFromAmong("utf-8", "shift_jis");
        var format = new Option<string>("--format")
        {
            Description = "csv (default) or xml (one <行> per record, an element per item; the code and 外字 tables stay CSV).",
            DefaultValueFactory = _ => "csv",
        };
        format.AcceptOnlyFromAmong("csv", "xml");

        var export = new Command("export", "Write the city's whole register as a new set of migration files (with the code table).") { folder, encoding, format };
        export.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var reply = await new MigrationService.MigrationServiceClient(invoker).ExportCityAsync(new ExportCityRequest { Folder = r.GetValue(folder)!, Encoding = Encoding(r.GetValue(encoding)), Format = Format(r.GetValue(format)) }, headers, cancellationToken: ct);
            if (output.Json)
            {
                output.Write(Formatter.Format(reply));
                return ExitCodes.Done;
            }
            foreach (var file in reply.Files)
            {
                output.Write($"{file.File}\t{file.Rows} 行");
            }
            output.Write($"{reply.Folder} に {reply.Files.Count} ファイルを出力しました。");
            return ExitCodes.Done;
        }));

        var import = new Command("import", "Check a set of migration files and import it into the city's empty register (a progress bar as it goes).") { folder, dryRun, skip, resume, encoding, format };
        import.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            using var call = new MigrationService.MigrationServiceClient(invoker).ImportCity(new ImportCityRequest
            {
                Folder = r.GetValue(folder)!, DryRun = r.GetValue(dryRun), SkipInvalidHouseholds = r.GetValue(skip), Resume = r.GetValue(resume),
                Encoding = Encoding(r.GetValue(encoding)),
                Format = Format(r.GetValue(format)),
            }, headers, cancellationToken: ct);
            ImportCityResult? result = null;
            var bar = new ProgressBar(output.Json ? TextWriter.Null : Console.Error);
            await foreach (var step in call.ResponseStream.ReadAllAsync(ct))
            {
                if (step.Result is { } done)
                {
                    result = done;
                    break;
                }
                bar.Show(step.Stage, step.File, step.Done, step.Total);
            }
            bar.End();
            if (result is null)
            {
                output.Error("srs-admin: 取込みの結果が届きませんでした。--resume で続けられます。");
                return ExitCodes.Server;
            }
            if (output.Json)
            {
                output.Write(Formatter.Format(result));
            }
            else
            {
                Print(output, result, r.GetValue(dryRun));
            }
            return result.ProblemCount > 0 && !(result.Imported && r.GetValue(skip)) ? ExitCodes.Problems : ExitCodes.Done;
        }));

        return new Command("migrate", "Migration files of a whole city (10.6): export, import.") { export, import };
    }

    private static MigrationEncoding Encoding(string? name) => name == "shift_jis" ? MigrationEncoding.ShiftJis : MigrationEncoding.Utf8;

    private static MigrationFormat Format(string? name) => name == "xml" ? MigrationFormat.Xml : MigrationFormat.Csv;

    private static void Print(AdminCommands.Output output, ImportCityResult result, bool dryRun)
    {
        foreach (var p in result.Problems)
        {
            output.Error($"{p.File}:{p.Line}: {(p.Item.Length > 0 ? p.Item + ": " : "")}{p.Rule}{(p.Household.Length > 0 ? $"（世帯 {p.Household}）" : "")}");
        }
        if (result.ProblemCount > result.Problems.Count)
        {
            output.Error($"…ほか {result.ProblemCount - result.Problems.Count} 件（すべて {result.ReportFile} にあります）");
        }
        foreach (var file in result.Files)
        {
            output.Write($"{file.File}\t{file.Rows} 行");
        }
        if (result.SkippedHouseholds.Count > 0)
        {
            output.Write($"取り込まなかった世帯 {result.SkippedHouseholds.Count}（{result.SkippedRows} 行）: {string.Join(" ", result.SkippedHouseholds)}");
        }
        output.Write(result.Imported ? "取り込みました。"
            : dryRun ? (result.ProblemCount == 0 ? "検査しました。誤りはありません。" : $"検査しました。誤り {result.ProblemCount} 件（{result.ReportFile}）。")
            : $"誤り {result.ProblemCount} 件のため取り込みませんでした（{result.ReportFile}）。");
    }

    /// <summary>A one-line progress bar on standard error: stage, file, a bar and the counts (also the jobs').</summary>
    internal sealed class ProgressBar(TextWriter writer)
    {
        private const int Width = 30;
        private bool _shown;

        public void Show(string stage, string file, long done, long total)
        {
            var filled = total > 0 ? (int)(Width * Math.Min(done, total) / total) : 0;
            writer.Write($"\r{stage} {file} [{new string('#', filled)}{new string('.', Width - filled)}] {done}{(total > 0 ? "/" + total : "")} 行   ");
            _shown = true;
        }

        public void End()
        {
            if (_shown)
            {
                writer.WriteLine();
            }
        }
    }
}
