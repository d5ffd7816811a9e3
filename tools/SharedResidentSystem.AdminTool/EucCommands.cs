using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using SharedResidentSystem.Contracts.Analytics.V1;

namespace SharedResidentSystem.AdminTool;

/// <summary>
/// srs-admin euc …: EUC (10.1) for the city's supervisors — the source's tables and items, an
/// extraction by SQL, and the wizard that asks for the table, items, conditions, grouping, order
/// and output one question at a time (answers by number), shows the first rows, and saves the
/// file (docs/euc.md). Every extraction is in the city's access log with its reason.
/// </summary>
public static class EucCommands
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    private static readonly (string Key, EucFormat Format, string Title, string File)[] Formats =
    [
        ("table", EucFormat.Table, "画面に表示するだけ", ""),
        ("csv", EucFormat.Csv, "CSV", "抽出結果.csv"),
        ("xml", EucFormat.Xml, "XML", "抽出結果.xml"),
        ("pdf-list", EucFormat.PdfList, "一覧 (リスト形式の PDF)", "抽出結果_一覧.pdf"),
        ("pdf-label", EucFormat.PdfLabel, "宛名 (宛名形式の PDF、12 面)", "抽出結果_宛名.pdf"),
    ];

    public static Command Build()
    {
        var reason = new Option<string>("--reason") { Description = "Why the data is extracted (required; in the access log).", Required = true };
        var source = new Command("source", "The EUC source: when it was copied, its tables and their items (type, digits, 外字, code list), and what is withheld.");
        source.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var described = await new EucService.EucServiceClient(invoker).DescribeSourceAsync(new DescribeSourceRequest(), headers, cancellationToken: ct);
            if (output.Json)
            {
                output.Write(Formatter.Format(described));
                return ExitCodes.Done;
            }
            PrintSource(output, described, items: true);
            return ExitCodes.Done;
        }));

        var sql = new Argument<string>("SQL") { Description = "One SELECT over the source's tables (DuckDB's SQL), e.g. 'SELECT 性別, count(*) FROM 現在の住民 GROUP BY 性別'." };
        var format = new Option<string>("--format") { Description = "table (default), csv, xml, pdf-list or pdf-label.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong([.. Formats.Select(f => f.Key)]);
        var file = new Option<FileInfo>("--out") { Description = "Where to save the file (csv, xml, pdf-…); default: the answer's file name here." };
        var rows = new Option<int>("--rows") { Description = "table: at most this many rows shown (default 100, at most 1,000)." };
        var query = new Command("sql", "An extraction by SQL, shown or saved.") { sql, format, file, rows, reason };
        query.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var request = new ExtractRequest { Sql = r.GetValue(sql)!, Reason = r.GetValue(reason)!, Format = Formats.Single(f => f.Key == r.GetValue(format)).Format, DisplayRows = r.GetValue(rows) };
            return await ExtractAsync(new EucService.EucServiceClient(invoker), headers, output, request, r.GetValue(file)?.FullName, ct);
        }));

        var wizard = new Command("wizard", "The wizard: choose the table, items, conditions, grouping and order by number, see the first rows, then save as CSV, XML, a list PDF or a label PDF.")
            { reason };
        wizard.SetAction((r, ct) => AdminCommands.RunWith(r, (invoker, headers, output) =>
            WizardAsync(new EucService.EucServiceClient(invoker), headers, output, r.GetValue(reason)!, ct)));

        return new Command("euc", "EUC (10.1): the city's data source for extraction and analysis: source, sql, wizard.") { source, query, wizard };
    }

    private static void PrintSource(AdminCommands.Output output, EucSource source, bool items)
    {
        if (source.TakenAt is null)
        {
            output.Write("EUC のデータソースはまだありません (srs-admin job euc-snapshot で作ります)。");
            return;
        }
        output.Write($"データソース: {source.TakenAt.ToDateTime().AddHours(9):yyyy-MM-dd HH:mm} (日本時間) 時点の写し ({source.Operation})");
        for (var t = 0; t < source.Tables.Count; t++)
        {
            var table = source.Tables[t];
            output.Write($"{t + 1,3}) {table.Name}　{table.Title}" + (table.Rows >= 0 ? $"　{table.Rows.ToString("N0", CultureInfo.InvariantCulture)} 行" : ""));
            if (items)
            {
                foreach (var item in table.Items)
                {
                    output.Write($"       {item.Name}　{item.Type} {item.Digits}桁" + (item.Gaiji ? "　外字あり" : "") + (item.Code.Length > 0 ? $"　コード: {item.Code}" : ""));
                }
            }
        }
        foreach (var withheld in source.Withheld)
        {
            output.Write($"＊含まない項目 {withheld}");
        }
    }

    /// <summary>Runs one extraction: the summary, then the rows shown or the file saved.</summary>
    private static async Task<int> ExtractAsync(EucService.EucServiceClient euc, Metadata headers, AdminCommands.Output output, ExtractRequest request, string? path, CancellationToken ct)
    {
        using var call = euc.Extract(request, headers, cancellationToken: ct);
        ExtractSummary? summary = null;
        FileStream? saved = null;
        var table = new List<ExtractRow>();
        try
        {
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(ct))
            {
                switch (chunk.ChunkCase)
                {
                    case ExtractChunk.ChunkOneofCase.Summary:
                        summary = chunk.Summary;
                        break;
                    case ExtractChunk.ChunkOneofCase.Rows:
                        table.AddRange(chunk.Rows.Rows);
                        break;
                    case ExtractChunk.ChunkOneofCase.Data:
                        saved ??= File.Create(path ?? Path.GetFullPath(summary!.FileName));
                        chunk.Data.WriteTo(saved);
                        break;
                }
            }
        }
        finally
        {
            saved?.Dispose();
        }
        if (summary is null)
        {
            return ExitCodes.Server;
        }
        if (output.Json)
        {
            output.Write(Formatter.Format(summary));
        }
        else
        {
            output.Write($"抽出: {summary.Rows.ToString("N0", CultureInfo.InvariantCulture)} 件" + (summary.Columns.Count > 0 ? $"　{summary.Persons.ToString("N0", CultureInfo.InvariantCulture)} 人" : "")
                + $"　({summary.TakenAt.ToDateTime().AddHours(9):yyyy-MM-dd HH:mm} 時点の写し)");
            output.Write($"SQL: {summary.Sql}");
            if (summary.ProtectedPersons > 0)
            {
                output.Write($"＊支援措置の対象者が {summary.ProtectedPersons} 人含まれています。市の中での利用に限り、外部へ渡さないでください。");
            }
            if (request.Format == EucFormat.Table)
            {
                output.Write(string.Join("\t", summary.Columns));
                foreach (var row in table)
                {
                    output.Write(string.Join("\t", row.Values));
                }
            }
            else
            {
                output.Write($"保存しました: {saved?.Name ?? "(0 バイト)"}");
            }
        }
        return ExitCodes.Done;
    }

    /// <summary>The wizard (10.1#12, #17): questions on standard error, answers a line each on standard input.</summary>
    private static async Task<int> WizardAsync(EucService.EucServiceClient euc, Metadata headers, AdminCommands.Output output, string reason, CancellationToken ct)
    {
        var source = await euc.DescribeSourceAsync(new DescribeSourceRequest(), headers, cancellationToken: ct);
        var screen = new AdminCommands.Output(false, Console.Error, Console.Error);
        PrintSource(screen, source, items: false);
        if (source.TakenAt is null)
        {
            return ExitCodes.Server;
        }
        while (true)
        {
            var table = source.Tables[Choose(screen, "表の番号", source.Tables.Count, 1) - 1];
            screen.Write($"「{table.Name}」の項目:");
            for (var i = 0; i < table.Items.Count; i++)
            {
                var item = table.Items[i];
                screen.Write($"{i + 1,4}) {item.Name}　{item.Type}" + (item.Codes.Count > 0 ? $"　({string.Join(" ", item.Codes.Select(c => $"{c.Code}:{c.Name}"))})" : ""));
            }
            var question = new WizardQuestion { Table = table.Name };
            var groups = Numbers(screen, "集計する項目の番号 (カンマ区切り、空欄で集計しない)", table.Items.Count);
            question.GroupBy.AddRange(groups.Select(n => table.Items[n - 1].Name));
            if (groups.Count == 0)
            {
                question.Items.AddRange(Numbers(screen, "表示する項目の番号 (カンマ区切り、空欄ですべて)", table.Items.Count).Select(n => table.Items[n - 1].Name));
            }
            while (Numbers(screen, "条件にする項目の番号 (一つ、空欄で条件の終わり)", table.Items.Count) is [var number, ..])
            {
                var item = table.Items[number - 1];
                screen.Write(string.Join("　", Operators.Select((o, i) => $"{i + 1}) {o}")));
                var op = Operators[Choose(screen, $"「{item.Name}」の演算子の番号", Operators.Length, 1) - 1];
                var condition = new WizardCondition { Item = item.Name, Operator = op };
                var hint = item.Type switch { "日付" => " (yyyy-MM-dd)", "真偽" => " (1 か 0)", _ when item.Codes.Count > 0 => " (コード)", _ => "" };
                if (op == "の間")
                {
                    condition.Values.Add(Ask(screen, $"始まりの値{hint}"));
                    condition.Values.Add(Ask(screen, $"終わりの値{hint}"));
                }
                else if (op is not ("空" or "空でない"))
                {
                    condition.Values.Add(Ask(screen, $"値{hint}"));
                }
                question.Conditions.Add(condition);
            }
            var shown = groups.Count > 0 ? [.. question.GroupBy, "件数", "人数"] : question.Items.Count > 0 ? question.Items.ToList() : table.Items.Select(i => i.Name).ToList();
            screen.Write("並べ替え: " + string.Join("　", shown.Select((s, i) => $"{i + 1}) {s}")));
            foreach (var order in Ask(screen, "並べ替える項目の番号 (カンマ区切り、降順は - を付ける、空欄で既定)").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var descending = order.StartsWith('-');
                if (int.TryParse(order.TrimStart('-'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= shown.Count)
                {
                    question.OrderBy.Add((descending ? "-" : "") + shown[n - 1]);
                }
            }
            try
            {
                screen.Write("── 先頭の 20 行 ──");
                await ExtractAsync(euc, headers, screen, new ExtractRequest { Wizard = question, Reason = reason, Format = EucFormat.Table, DisplayRows = 20 }, null, ct);
            }
            catch (RpcException refused) when (refused.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition)
            {
                screen.Write($"この条件では抽出できません: {refused.Status.Detail}");
                if (Ask(screen, "初めからやり直しますか (y/n)") == "y")
                {
                    continue;
                }
                return ExitCodes.Server;
            }
            screen.Write(string.Join("　", Formats.Select((f, i) => $"{i + 1}) {f.Title}")));
            var chosen = Formats[Choose(screen, "出力の番号", Formats.Length, 1) - 1];
            if (chosen.Format == EucFormat.Table)
            {
                return ExitCodes.Done;
            }
            var path = Ask(screen, $"保存するファイル名 [{chosen.File}]") is { Length: > 0 } given ? given : chosen.File;
            return await ExtractAsync(euc, headers, output, new ExtractRequest { Wizard = question, Reason = reason, Format = chosen.Format }, Path.GetFullPath(path), ct);
        }
    }

    private static readonly string[] Operators = ["=", "!=", "<", "<=", ">", ">=", "含む", "始まる", "空", "空でない", "の間"];

    /// <summary>A line of the answer (the input ended: the wizard stops).</summary>
    private static string Ask(AdminCommands.Output screen, string question)
    {
        screen.Error($"{question}: ");
        return Console.In.ReadLine()?.Trim() ?? throw new AdminCommands.UsageException("入力が終わりました。ウィザードを中止します。");
    }

    private static int Choose(AdminCommands.Output screen, string question, int count, int fallback)
    {
        while (true)
        {
            var answer = Ask(screen, $"{question} [{fallback}]");
            if (answer.Length == 0)
            {
                return fallback;
            }
            if (int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= count)
            {
                return n;
            }
            screen.Write($"1 から {count} の番号で答えてください。");
        }
    }

    private static List<int> Numbers(AdminCommands.Output screen, string question, int count)
    {
        while (true)
        {
            var parts = Ask(screen, question).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var numbers = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= count ? n : 0).ToList();
            if (numbers.All(n => n > 0))
            {
                return numbers;
            }
            screen.Write($"1 から {count} の番号をカンマで区切って答えてください。");
        }
    }
}
