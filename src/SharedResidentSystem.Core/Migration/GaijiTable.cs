using System.Globalization;
using System.Text;
using CsvHelper;

namespace SharedResidentSystem.Core.Migration;

/// <summary>
/// 外字 of migration files in Shift_JIS (CP932): every character the code page cannot hold — an
/// MJ character beyond JIS X 0208 and the vendor extensions, a character with its variation
/// selector (IVS) — is given a code of CP932's user-defined area (F040–F9FC, 1,880 codes) in
/// the order first met, written in the data as that code and listed in the 外字 table file
/// (外字コード, 文字, Unicode) so that the receiving side maps it to its own 外字. Reading maps
/// the codes back by the same table.
/// </summary>
public sealed class GaijiTable
{
    /// <summary>The user-defined area as CP932 decodes it: U+E000 onwards, 188 codes a lead byte from F0 to F9.</summary>
    private const int First = 0xE000;
    public const int Capacity = 1880;

    private readonly Dictionary<string, char> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _characters = [];
    private readonly HashSet<int> _representable = [];
    private readonly HashSet<int> _notRepresentable = [];

    /// <summary>Shift_JIS as Windows writes it (CP932), failing on a character it cannot hold.</summary>
    public static Encoding Cp932 { get; } = CodePage932();

    private static Encoding CodePage932()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    public int Count => _characters.Count;

    /// <summary>The text with each character CP932 cannot hold replaced by its user-defined code (as the PUA character CP932 writes there).</summary>
    public string Map(string text)
    {
        if (text.All(c => c < 0x80))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (element.Length == 1 && Representable(element[0]))
            {
                builder.Append(element);
                continue;
            }
            if (!_codes.TryGetValue(element, out var code))
            {
                if (_characters.Count == Capacity)
                {
                    throw new GaijiOverflowException($"外字が {Capacity} 字を超えるため Shift_JIS では出力できません。UTF-8 で出力してください。");
                }
                code = (char)(First + _characters.Count);
                _codes[element] = code;
                _characters.Add(element);
            }
            builder.Append(code);
        }
        return builder.ToString();
    }

    /// <summary>The text with each user-defined code replaced by the 外字 the table gives it; an unlisted code is the problem answered.</summary>
    public (string Text, string? Problem) Unmap(string text)
    {
        if (!text.Any(c => c is >= (char)First and < (char)(First + Capacity)))
        {
            return (text, null);
        }
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is >= (char)First and < (char)(First + Capacity))
            {
                var index = c - First;
                if (index >= _characters.Count)
                {
                    return (text, $"外字コード {SjisCode(index)} が外字一覧にありません。");
                }
                builder.Append(_characters[index]);
            }
            else
            {
                builder.Append(c);
            }
        }
        return (builder.ToString(), null);
    }

    /// <summary>Writes the table (外字コード, 文字, Unicode) as UTF-8 CSV: the characters themselves cannot be in CP932.</summary>
    public void Write(Stream stream)
    {
        using var csv = CsvWriter.Create(stream);
        csv.WriteHeader(["外字コード", "文字", "Unicode"]);
        for (var i = 0; i < _characters.Count; i++)
        {
            csv.WriteRecord([SjisCode(i), _characters[i], string.Join(" ", _characters[i].EnumerateRunes().Select(r => $"U+{r.Value:X4}"))]);
        }
        csv.Flush();
    }

    /// <summary>Reads a table written by <see cref="Write"/>; the codes must follow each other from F040.</summary>
    public static GaijiTable Read(Stream stream)
    {
        var table = new GaijiTable();
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true });
        while (csv.Read())
        {
            var expected = SjisCode(table._characters.Count);
            if (csv.GetString(0) != expected)
            {
                throw new FormatException($"外字一覧 {csv.LineNumber} 行目: 外字コードは {expected} のはずです（{csv.GetString(0)}）。");
            }
            table._codes[csv.GetString(1)] = (char)(First + table._characters.Count);
            table._characters.Add(csv.GetString(1));
        }
        return table;
    }

    /// <summary>The CP932 bytes of the n-th user-defined code: lead F0–F9, trail 40–7E then 80–FC.</summary>
    public static string SjisCode(int index)
    {
        var lead = 0xF0 + index / 188;
        var trail = index % 188;
        trail += trail < 63 ? 0x40 : 0x41;
        return $"{lead:X2}{trail:X2}";
    }

    private bool Representable(char c)
    {
        if (c < 0x80 || _representable.Contains(c))
        {
            return true;
        }
        if (_notRepresentable.Contains(c) || char.IsSurrogate(c) || c is >= (char)First and <= '\uF8FF')
        {
            return false;
        }
        // Held only when it comes back as itself (a character that shares its bytes with another would not).
        try
        {
            if (Cp932.GetString(Cp932.GetBytes([c])) == c.ToString())
            {
                _representable.Add(c);
                return true;
            }
        }
        catch (EncoderFallbackException)
        {
        }
        _notRepresentable.Add(c);
        return false;
    }
}

/// <summary>More 外字 than CP932's user-defined area holds.</summary>
public sealed class GaijiOverflowException(string message) : Exception(message);
