using System.Globalization;
using SharedResidentSystem.Core.Certificates;
using SkiaSharp;

namespace SharedResidentSystem.Documents;

/// <summary>
/// A report of charts and tables on A4 landscape: a page per section with its heading, note, a
/// bar chart drawn as vectors (a bar per series in each category, a legend, a scale) and the
/// table under it (continued on further pages when long).
/// </summary>
public sealed partial class PdfCertificateRenderer
{
    private const float ReportWidth = PageHeight;
    private const float ReportHeight = PageWidth;

    /// <summary>The colours of the series, in turn (told apart in grey print too).</summary>
    public static readonly IReadOnlyList<SKColor> SeriesColors = [new(0x1f, 0x5f, 0xa8), new(0xd9, 0x6c, 0x1e), new(0x3a, 0x8f, 0x3e), new(0x8e, 0x3b, 0x9a), new(0x99, 0x99, 0x99)];

    public byte[] RenderReport(ReportContent report)
    {
        var texts = new List<string> { report.Title, report.Subtitle, "0123456789.,%/ " };
        foreach (var section in report.Sections)
        {
            texts.AddRange([section.Heading, section.Note, section.Chart.Unit, .. section.Chart.Categories, .. section.Chart.Series.Select(s => s.Name), .. section.Headers,
                .. section.Rows.SelectMany(r => r)]);
        }
        using var shaper = new TextShaper(_subsetter.Subset(CodePointsOf(texts)));
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, Metadata(report.Title, report.Date)))
        {
            var page = 0;
            foreach (var section in report.Sections)
            {
                var canvas = document.BeginPage(ReportWidth, ReportHeight);
                page++;
                var title = shaper.Shape(report.Title);
                shaper.Draw(canvas, title, Margin, Margin + 12, 12);
                shaper.Draw(canvas, shaper.Fit(report.Subtitle, 8, ReportWidth - (2 * Margin) - title.WidthAt(12) - 20), Margin + title.WidthAt(12) + 20, Margin + 12, 8);
                shaper.Draw(canvas, shaper.Fit(section.Heading, 14, ReportWidth - (2 * Margin)), Margin, Margin + 36, 14);
                shaper.Draw(canvas, shaper.Fit(section.Note, 8, ReportWidth - (2 * Margin)), Margin, Margin + 52, 8);
                Chart(canvas, shaper, section.Chart, Margin, Margin + 64, ReportWidth - (2 * Margin), 210);
                var y = Margin + 300f;
                var rows = section.Rows.ToList();
                var perFirst = (int)((ReportHeight - Margin - y - 14) / 13);
                var perNext = (int)((ReportHeight - (2 * Margin) - 14) / 13);
                var taken = 0;
                while (true)
                {
                    var chunk = rows.Skip(taken).Take(taken == 0 ? perFirst : perNext).ToList();
                    y = Table(canvas, shaper, section.Headers, chunk, Margin, y, ReportWidth - (2 * Margin));
                    taken += chunk.Count;
                    if (taken >= rows.Count)
                    {
                        break;
                    }
                    document.EndPage();
                    canvas = document.BeginPage(ReportWidth, ReportHeight);
                    page++;
                    shaper.Draw(canvas, shaper.Fit(section.Heading + "（続き）", 10, ReportWidth - (2 * Margin)), Margin, Margin + 10, 10);
                    y = Margin + 24;
                }
                var number = shaper.Shape(page.ToString(CultureInfo.InvariantCulture));
                shaper.Draw(canvas, number, (ReportWidth - number.WidthAt(8)) / 2, ReportHeight - 20, 8);
                document.EndPage();
            }
            document.Close();
        }
        return stream.ToArray();
    }

    private static void Chart(SKCanvas canvas, TextShaper shaper, ChartContent chart, float x, float y, float width, float height)
    {
        const float axis = 40f;
        const float legend = 16f;
        var max = chart.Series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max();
        var (step, top) = Scale(max);
        var plotX = x + axis;
        var plotY = y + legend;
        var plotWidth = width - axis;
        var plotHeight = height - legend - 18;
        using var grid = new SKPaint { Color = new SKColor(0xcc, 0xcc, 0xcc), StrokeWidth = 0.4f };
        using var frame = new SKPaint { Color = SKColors.Black, StrokeWidth = 0.6f };
        for (var v = 0d; v <= top + (step / 2); v += step)
        {
            var gy = plotY + plotHeight - (float)(v / top * plotHeight);
            canvas.DrawLine(plotX, gy, plotX + plotWidth, gy, grid);
            var label = shaper.Shape(Number(v));
            shaper.Draw(canvas, label, plotX - 4 - label.WidthAt(7), gy + 2.5f, 7);
        }
        canvas.DrawLine(plotX, plotY + plotHeight, plotX + plotWidth, plotY + plotHeight, frame);
        shaper.Draw(canvas, shaper.Shape(chart.Unit), x, y + 8, 7);
        // The legend: a swatch and the series' name each.
        var lx = plotX;
        for (var s = 0; s < chart.Series.Count; s++)
        {
            using var fill = new SKPaint { Color = SeriesColors[s % SeriesColors.Count], Style = SKPaintStyle.Fill };
            canvas.DrawRect(lx, y + 2, 9, 7, fill);
            var name = shaper.Shape(chart.Series[s].Name);
            shaper.Draw(canvas, name, lx + 12, y + 9, 8);
            lx += 12 + name.WidthAt(8) + 14;
        }
        var categories = Math.Max(1, chart.Categories.Count);
        var slot = plotWidth / categories;
        var bar = Math.Min(18f, slot * 0.8f / Math.Max(1, chart.Series.Count));
        for (var c = 0; c < chart.Categories.Count; c++)
        {
            var start = plotX + (c * slot) + ((slot - (bar * chart.Series.Count)) / 2);
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var value = c < chart.Series[s].Values.Count ? chart.Series[s].Values[c] : 0;
                var h = top <= 0 ? 0 : (float)(value / top * plotHeight);
                using var fill = new SKPaint { Color = SeriesColors[s % SeriesColors.Count], Style = SKPaintStyle.Fill };
                canvas.DrawRect(start + (s * bar), plotY + plotHeight - h, bar - 1, h, fill);
            }
            var label = shaper.Fit(chart.Categories[c], 7, slot - 2);
            shaper.Draw(canvas, label, plotX + (c * slot) + ((slot - label.WidthAt(7)) / 2), plotY + plotHeight + 10, 7);
        }
    }

    private static readonly double[] Steps = [1, 2, 5, 10];

    /// <summary>A scale's step and top: 1, 2 or 5 times a power of ten, four to eight steps up to at least <paramref name="max"/>.</summary>
    public static (double Step, double Top) Scale(double max)
    {
        if (max <= 0)
        {
            return (1, 4);
        }
        var raw = max / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = Steps.Select(f => f * power).First(s => s >= raw);
        return (step, Math.Ceiling(max / step) * step);
    }

    private static string Number(double value) =>
        value == Math.Floor(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("N1", CultureInfo.InvariantCulture);

    private static float Table(SKCanvas canvas, TextShaper shaper, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, float x, float y, float width)
    {
        const float size = 7.5f;
        const float line = 13f;
        var first = Math.Min(150f, width / (headers.Count + 1) * 2);
        var rest = headers.Count > 1 ? (width - first) / (headers.Count - 1) : 0;
        using var rule = new SKPaint { Color = SKColors.Black, StrokeWidth = 0.5f };
        void Row(IReadOnlyList<string> cells, float at)
        {
            for (var i = 0; i < cells.Count && i < headers.Count; i++)
            {
                var cellWidth = i == 0 ? first : rest;
                var left = i == 0 ? x : x + first + ((i - 1) * rest);
                var text = shaper.Fit(cells[i], size, cellWidth - 4);
                // Figures right-aligned, names left.
                shaper.Draw(canvas, text, i == 0 ? left + 2 : left + cellWidth - 2 - text.WidthAt(size), at, size);
            }
        }
        Row(headers, y + 9);
        canvas.DrawLine(x, y + 12, x + width, y + 12, rule);
        y += line;
        foreach (var row in rows)
        {
            Row(row, y + 9);
            y += line;
        }
        return y;
    }
}
