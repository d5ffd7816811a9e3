using System.Globalization;
using System.Net;
using System.Text;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Statistics;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Server.Analytics;

/// <summary>
/// The cities' indicators side by side: a section per series, each a bar chart (a bar per city in
/// each month) and the table of its figures; as one report content that the PDF renderer draws and
/// that is written here as HTML with the charts as SVG.
/// </summary>
public static class IndicatorReportBuilder
{
    /// <summary>One city's figures over the months.</summary>
    public sealed record CityFigures(string Name, IReadOnlyList<IndicatorCount> Idou, IReadOnlyList<IndicatorCount> Certificates,
        IReadOnlyList<IndicatorCount> Refusals, IReadOnlyList<Indicators.CounterTask> Tasks);

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Minutes(double seconds) => (seconds / 60).ToString("F1", CultureInfo.InvariantCulture);

    public static ReportContent Build(IReadOnlyList<CityFigures> cities, Month from, Month to, DateOnly today)
    {
        var months = Month.Range(from, to);
        var labels = months.Select(m => m.ToString()).ToList();
        IReadOnlyList<string> Headers(string first) => [first, .. labels, "計"];

        // Counts by kind: a bar per city of the month's total; a row per city and kind.
        ReportSection CountSection(string heading, string note, string unit, Func<CityFigures, IReadOnlyList<IndicatorCount>> of, Func<IndicatorCount, long> value)
        {
            var series = cities.Select(c => new ChartSeries(c.Name, [.. months.Select(m => (double)of(c).Where(x => x.Month == m).Sum(value))])).ToList();
            var rows = new List<IReadOnlyList<string>>();
            foreach (var city in cities)
            {
                foreach (var kind in of(city).Select(c => c.Kind).Distinct().Order(StringComparer.Ordinal))
                {
                    var cells = months.Select(m => of(city).Where(c => c.Month == m && c.Kind == kind).Sum(value)).ToList();
                    rows.Add([$"{city.Name}　{kind}", .. cells.Select(N), N(cells.Sum())]);
                }
                var totals = months.Select(m => of(city).Where(c => c.Month == m).Sum(value)).ToList();
                rows.Add([$"{city.Name}　計", .. totals.Select(N), N(totals.Sum())]);
            }
            return new ReportSection(heading, note, new ChartContent(unit, labels, series), Headers("団体・種類"), rows);
        }

        var handling = cities.Select(c => (c.Name, Times: Indicators.HandlingTimes(c.Tasks))).ToList();
        var handlingRows = new List<IReadOnlyList<string>>();
        foreach (var (name, times) in handling)
        {
            HandlingTime? At(Month m) => times.FirstOrDefault(t => t.Month == m);
            var all = cities.Single(c => c.Name == name).Tasks.Select(t => t.Duration.TotalSeconds).Order().ToList();
            handlingRows.Add([$"{name}　処理件数", .. months.Select(m => N(At(m)?.Tasks ?? 0)), N(all.Count)]);
            handlingRows.Add([$"{name}　中央値（分）", .. months.Select(m => At(m) is { } t ? Minutes(t.MedianSeconds) : "-"), all.Count > 0 ? Minutes(Indicators.Percentile(all, 0.5)) : "-"]);
            handlingRows.Add([$"{name}　90%（分）", .. months.Select(m => At(m) is { } t ? Minutes(t.P90Seconds) : "-"), all.Count > 0 ? Minutes(Indicators.Percentile(all, 0.9)) : "-"]);
        }

        var paperRows = new List<IReadOnlyList<string>>();
        var paperSeries = new List<ChartSeries>();
        foreach (var city in cities)
        {
            var shares = Indicators.PaperlessShares(city.Tasks);
            PaperlessShare? At(Month m) => shares.FirstOrDefault(s => s.Month == m);
            static string Percent(long part, long whole) => whole == 0 ? "-" : (100d * part / whole).ToString("F1", CultureInfo.InvariantCulture);
            paperSeries.Add(new ChartSeries(city.Name, [.. months.Select(m => At(m) is { Tasks: > 0 } s ? 100d * s.FromIntake / s.Tasks : 0)]));
            var (tasks, intake) = (city.Tasks.Count, city.Tasks.Count(t => t.FromIntake));
            paperRows.Add([$"{city.Name}　窓口の処理", .. months.Select(m => N(At(m)?.Tasks ?? 0)), N(tasks)]);
            paperRows.Add([$"{city.Name}　うち CSV 取込から", .. months.Select(m => N(At(m)?.FromIntake ?? 0)), N(intake)]);
            paperRows.Add([$"{city.Name}　割合（%）", .. months.Select(m => At(m) is { } s ? Percent(s.FromIntake, s.Tasks) : "-"), Percent(intake, tasks)]);
        }

        return new ReportContent("住民記録 窓口の指標", $"{string.Join("・", cities.Select(c => c.Name))}　{from}〜{to}　{Wareki.Format(today)}作成", [
            CountSection("異動の件数", "記録した異動を処理日の月で数えた (異動事由ごと。取消しは「異動の取消し」として数える。仮登録のままのものは含まない)。", "件",
                c => c.Idou, c => c.Count),
            CountSection("証明書の交付", "交付した証明書を交付日の月で数えた (種類ごと。表は交付の件数、グラフも件数)。拒否したものは含まない。", "件",
                c => c.Certificates, c => c.Count),
            new ReportSection("窓口の処理時間", "アクセスログから: 職員が端末で始めた一連の操作が、異動の記録か証明書の交付で終わるまでの時間 (10 分の間があれば次の処理とする)。グラフは中央値。", 
                new ChartContent("分", labels, [.. handling.Select(h => new ChartSeries(h.Name, [.. months.Select(m => (h.Times.FirstOrDefault(t => t.Month == m)?.MedianSeconds ?? 0) / 60)]))]),
                Headers("団体"), handlingRows),
            CountSection("エラー・拒否", "アクセスログで OK 以外に終わった操作を理由 (理由コード) ごとに数えた。", "件", c => c.Refusals, c => c.Count),
            new ReportSection("紙によらない処理の割合", "窓口の処理のうち、既に書かれたデータ (10.8 の CSV: 転出証明書・異動届・交付申請書・個人番号カードの券面事項) の読込みから始めたもの。電子申請の受付は本システムにまだない。",
                new ChartContent("%", labels, paperSeries), Headers("団体"), paperRows),
        ], today);
    }

    /// <summary>The report as one HTML document (no script, no outside resource), each chart as inline SVG.</summary>
    public static string Html(ReportContent report)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>").Append(E(report.Title)).Append("</title>\n<style>")
            .Append("body{font-family:'IPAmj明朝','IPAex明朝',serif;margin:2em;color:#111}h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}")
            .Append("p.note{font-size:.85em;color:#333}table{border-collapse:collapse;font-size:.8em;margin-top:.5em}th,td{border:1px solid #999;padding:2px 6px}")
            .Append("td{text-align:right}td:first-child,th:first-child{text-align:left}th{background:#eee}</style></head>\n<body>\n")
            .Append("<h1>").Append(E(report.Title)).Append("</h1>\n<p>").Append(E(report.Subtitle)).Append("</p>\n");
        foreach (var section in report.Sections)
        {
            html.Append("<section>\n<h2>").Append(E(section.Heading)).Append("</h2>\n<p class=\"note\">").Append(E(section.Note)).Append("</p>\n");
            html.Append(Svg(section.Chart, section.Heading)).Append('\n');
            html.Append("<table>\n<tr>").Append(string.Concat(section.Headers.Select(h => $"<th scope=\"col\">{E(h)}</th>"))).Append("</tr>\n");
            foreach (var row in section.Rows)
            {
                html.Append("<tr>").Append(string.Concat(row.Select((cell, i) => i == 0 ? $"<th scope=\"row\">{E(cell)}</th>" : $"<td>{E(cell)}</td>"))).Append("</tr>\n");
            }
            html.Append("</table>\n</section>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>A bar chart as SVG: a bar per series in each category, a scale, a legend; labelled for screen readers.</summary>
    public static string Svg(ChartContent chart, string title)
    {
        const int width = 900, height = 260, left = 50, top = 24, bottom = 24;
        static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        static string E(string text) => WebUtility.HtmlEncode(text);
        var max = chart.Series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max();
        var (step, peak) = Documents.PdfCertificateRenderer.Scale(max);
        var plotWidth = width - left - 10;
        var plotHeight = height - top - bottom;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"10\">")
            .Append("<title>").Append(E(title)).Append("</title>");
        for (var v = 0d; v <= peak + (step / 2); v += step)
        {
            var y = top + plotHeight - (v / peak * plotHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{F(y)}\" x2=\"{left + plotWidth}\" y2=\"{F(y)}\" stroke=\"#ccc\" stroke-width=\"0.5\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{F(y + 3)}\" text-anchor=\"end\">{F(v)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"12\">{E(chart.Unit)}</text>");
        var legend = left + 0d;
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var color = Documents.PdfCertificateRenderer.SeriesColors[s % Documents.PdfCertificateRenderer.SeriesColors.Count];
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(legend)}\" y=\"4\" width=\"10\" height=\"8\" fill=\"#{color.Red:x2}{color.Green:x2}{color.Blue:x2}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(legend + 13)}\" y=\"12\">{E(chart.Series[s].Name)}</text>");
            legend += 13 + (chart.Series[s].Name.Length * 11) + 16;
        }
        var slot = (double)plotWidth / Math.Max(1, chart.Categories.Count);
        var bar = Math.Min(18, slot * 0.8 / Math.Max(1, chart.Series.Count));
        for (var c = 0; c < chart.Categories.Count; c++)
        {
            var start = left + (c * slot) + ((slot - (bar * chart.Series.Count)) / 2);
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var value = c < chart.Series[s].Values.Count ? chart.Series[s].Values[c] : 0;
                var h = value / peak * plotHeight;
                var color = Documents.PdfCertificateRenderer.SeriesColors[s % Documents.PdfCertificateRenderer.SeriesColors.Count];
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(start + (s * bar))}\" y=\"{F(top + plotHeight - h)}\" width=\"{F(bar - 1)}\" height=\"{F(h)}\" fill=\"#{color.Red:x2}{color.Green:x2}{color.Blue:x2}\">")
                    .Append("<title>").Append(E($"{chart.Series[s].Name} {chart.Categories[c]}: {F(value)}{chart.Unit}")).Append("</title></rect>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + (c * slot) + (slot / 2))}\" y=\"{height - 8}\" text-anchor=\"middle\">{E(chart.Categories[c])}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{left + plotWidth}\" y2=\"{top + plotHeight}\" stroke=\"#000\"/>");
        return svg.Append("</svg>").ToString();
    }
}
