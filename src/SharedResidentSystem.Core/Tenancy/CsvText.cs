using System.Text;
using CsvHelper;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>CSV text a person sent (a BOM allowed), read with a header line and line numbers.</summary>
public static class CsvText
{
    public static CsvReader Open(string text) =>
        CsvReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF'))), new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true, TrimWhitespace = true });

    /// <summary>The header line's names, trimmed; null when there is no line that reads as one.</summary>
    public static string[]? Headers(CsvReader reader)
    {
        try
        {
            return [.. reader.Headers.Select(h => h.Trim())];
        }
        catch (Exception e) when (e is CsvFormatException or CsvValidationException or InvalidOperationException)
        {
            return null;
        }
    }
}
