using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using SharedResidentSystem.Contracts.Analytics.V1;

namespace SharedResidentSystem.AdminTool;

/// <summary>
/// srs-admin indicators …: the cities' indicators of their counter work (docs/indicators.md) — one
/// series of a city, or the report (HTML and PDF) that puts the cities side by side.
/// </summary>
public static class IndicatorCommands
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    public static Command Build()
    {
        var cities = new Option<string[]>("--city") { Description = "団体コード (repeat for several; default: your own city). An operator of the joint system names them.", AllowMultipleArgumentsPerToken = true };
        var from = new Option<string>("--from") { Description = "First month, yyyy-MM (default: eleven months before --to).", DefaultValueFactory = _ => "" };
        var to = new Option<string>("--to") { Description = "Last month, yyyy-MM (default: this month).", DefaultValueFactory = _ => "" };
        var outDir = new Option<DirectoryInfo>("--out-dir") { Description = "Where to write 指標.html and 指標.pdf (default: here)." };
        var report = new Command("report", "The report of every series for the cities side by side: 指標.html (charts as SVG) and 指標.pdf.") { cities, from, to, outDir };
        report.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var request = new RenderIndicatorReportRequest { FromMonth = r.GetValue(from)!, ToMonth = r.GetValue(to)! };
            request.Tenants.AddRange((r.GetValue(cities) ?? []).Select(c => "tenants/" + c));
            var made = await new IndicatorService.IndicatorServiceClient(invoker).RenderIndicatorReportAsync(request, headers, cancellationToken: ct);
            var folder = r.GetValue(outDir)?.FullName ?? Directory.GetCurrentDirectory();
            Directory.CreateDirectory(folder);
            var html = Path.Combine(folder, "指標.html");
            var pdf = Path.Combine(folder, "指標.pdf");
            await File.WriteAllBytesAsync(html, made.Html.ToByteArray(), ct);
            await File.WriteAllBytesAsync(pdf, made.Pdf.ToByteArray(), ct);
            output.Write(output.Json ? System.Text.Json.JsonSerializer.Serialize(new { html, pdf }) : $"書き出しました: {html}\n書き出しました: {pdf}");
            return ExitCodes.Done;
        }));

        var series = new Argument<string>("SERIES") { Description = "idou, certificates, handling, refusals or paperless." };
        series.AcceptOnlyFromAmong("idou", "certificates", "handling", "refusals", "paperless");
        var show = new Command("show", "One series of one city, month by month.") { series, cities, from, to };
        show.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var client = new IndicatorService.IndicatorServiceClient(invoker);
            var request = new IndicatorRequest { Tenant = r.GetValue(cities) is [var city, ..] ? "tenants/" + city : "", FromMonth = r.GetValue(from)!, ToMonth = r.GetValue(to)! };
            IMessage answer = r.GetValue(series) switch
            {
                "idou" => await client.ListIdouCountsAsync(request, headers, cancellationToken: ct),
                "certificates" => await client.ListCertificateCountsAsync(request, headers, cancellationToken: ct),
                "refusals" => await client.ListRefusalCountsAsync(request, headers, cancellationToken: ct),
                "handling" => await client.ListHandlingTimesAsync(request, headers, cancellationToken: ct),
                _ => await client.ListPaperlessSharesAsync(request, headers, cancellationToken: ct),
            };
            if (output.Json)
            {
                output.Write(Formatter.Format(answer));
                return ExitCodes.Done;
            }
            switch (answer)
            {
                case IndicatorCounts counts:
                    foreach (var c in counts.Counts)
                    {
                        output.Write($"{c.Month}\t{c.Kind}\t{c.Count.ToString(CultureInfo.InvariantCulture)}" + (c.Extra > 0 ? $"\t({c.Extra.ToString(CultureInfo.InvariantCulture)} 通)" : ""));
                    }
                    break;
                case HandlingTimes times:
                    foreach (var t in times.Months)
                    {
                        output.Write($"{t.Month}\t{t.Tasks.ToString(CultureInfo.InvariantCulture)} 件\t中央値 {(t.MedianSeconds / 60).ToString("F1", CultureInfo.InvariantCulture)} 分\t90% {(t.P90Seconds / 60).ToString("F1", CultureInfo.InvariantCulture)} 分");
                    }
                    break;
                case PaperlessShares shares:
                    foreach (var s in shares.Months)
                    {
                        output.Write($"{s.Month}\t{s.Tasks.ToString(CultureInfo.InvariantCulture)} 件\tうち CSV 取込から {s.FromIntake.ToString(CultureInfo.InvariantCulture)} 件\t{(100 * s.Share).ToString("F1", CultureInfo.InvariantCulture)}%");
                    }
                    break;
            }
            return ExitCodes.Done;
        }));
        return new Command("indicators", "The cities' indicators of their counter work: show one series, or report them side by side (HTML and PDF).") { show, report };
    }
}
