using System.Globalization;
using System.Text;
using SharedResidentSystem.Core.Migration;

namespace SharedResidentSystem.Core.Cs;

/// <summary>
/// 住基ネット統一文字 (7.1.1.1): what the register sends the CS is written in the network's
/// character set. The official table is not public here, so the set is taken as the characters
/// of JIS X 0208 with the vendor extensions of CP932, and each city keeps its own conversions for
/// the rest (its 外字 and the MJ characters it records) in its configuration
/// (<c>csLink.characters</c>: character → 統一文字), managed with history like every setting. A
/// character is sent as the table says, else without its variation selector (統一文字 has no IVS)
/// when the base character is in the set; any other character is listed, and the message waits
/// for the city to add its conversion.
/// </summary>
public sealed class UnifiedCharacters(IReadOnlyDictionary<string, string> table)
{
    public static readonly UnifiedCharacters Basic = new(new Dictionary<string, string>());

    /// <summary>The text in 統一文字; characters it cannot convert are added to <paramref name="unconvertible"/> and kept as they are.</summary>
    public string Convert(string text, ICollection<string> unconvertible)
    {
        var converted = new StringBuilder(text.Length);
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            var bare = WithoutSelectors(element);
            if (table.TryGetValue(element, out var mapped) || table.TryGetValue(bare, out mapped))
            {
                converted.Append(mapped);
            }
            else if (IsInSet(bare))
            {
                converted.Append(bare);
            }
            else
            {
                unconvertible.Add(element);
                converted.Append(element);
            }
        }
        return converted.ToString();
    }

    /// <summary>Whether the text is in the set as it is (what a conversion may give).</summary>
    public static bool IsInSet(string text)
    {
        try
        {
            return text.Length > 0 && GaijiTable.Cp932.GetString(GaijiTable.Cp932.GetBytes(text)) == text;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>A character and its code points, for a clerk ("𠮷 (U+20BB7)").</summary>
    public static string Describe(string element) =>
        $"{element} ({string.Join(" ", element.EnumerateRunes().Select(r => $"U+{r.Value:X4}"))})";

    private static string WithoutSelectors(string element) =>
        string.Concat(element.EnumerateRunes().Where(r => r.Value is not (>= 0xFE00 and <= 0xFE0F) and not (>= 0xE0100 and <= 0xE01EF)).Select(r => r.ToString()));
}
