using System.Diagnostics;

namespace SharedResidentSystem.Testing;

/// <summary>Reads PDFs back with poppler-utils (pdftotext, pdffonts), as an independent reader would.</summary>
public static class PdfTools
{
    /// <summary>The text of the whole document, or of one page (1-based).</summary>
    public static string Text(byte[] pdf, int? page = null, bool layout = false)
    {
        var args = new List<string> { "-enc", "UTF-8" };
        if (layout)
        {
            args.Add("-layout");
        }
        if (page is { } p)
        {
            args.AddRange(["-f", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", p.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        return Run("pdftotext", pdf, [.. args, "{file}", "-"]);
    }

    /// <summary>pdffonts' table of the fonts the document uses.</summary>
    public static string Fonts(byte[] pdf) => Run("pdffonts", pdf, ["{file}"]);

    public static int Pages(byte[] pdf)
    {
        var info = Run("pdfinfo", pdf, ["{file}"]);
        var line = info.Split('\n').First(l => l.StartsWith("Pages:", StringComparison.Ordinal));
        return int.Parse(line["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Run(string tool, byte[] pdf, IEnumerable<string> arguments)
    {
        var file = Path.Combine(Path.GetTempPath(), $"srs-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a == "{file}" ? file : a);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (install poppler-utils)");
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{tool} failed: {error}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
