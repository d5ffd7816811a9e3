using System.Globalization;
using System.Text;

namespace SharedResidentSystem.Core.Residents;

/// <summary>
/// Folds names for loose search (2.1.2, 2.1.3): half-width and hiragana become katakana;
/// voiced and semi-voiced marks, small kana, long-vowel marks, dashes and spaces are
/// ignored; the pairs 2.1.2 names are one sound (ヂ/ジ, ヅ/ズ, ワ/ハ, ヴァ/バ, ヴィ/ビ, ヴ/ブ,
/// オ/ヲ, ヒ/ピ); オウ and オオ (any o-row kana followed by ウ or オ) fold to one sound. Written
/// names drop variation selectors and fold common variant kanji (辺/邊/邉).
/// </summary>
public static class KanaFolding
{
    private static readonly Dictionary<char, char> SmallToLarge = new()
    {
        ['ァ'] = 'ア',
        ['ィ'] = 'イ',
        ['ゥ'] = 'ウ',
        ['ェ'] = 'エ',
        ['ォ'] = 'オ',
        ['ッ'] = 'ツ',
        ['ャ'] = 'ヤ',
        ['ュ'] = 'ユ',
        ['ョ'] = 'ヨ',
        ['ヮ'] = 'ワ',
        ['ヵ'] = 'カ',
        ['ヶ'] = 'ケ',
    };

    private const string ORow = "オコソトノホモヨロヲゴゾドボポョォ";

    /// <summary>Spellings 2.1.2 treats as one sound, longest first (ヴァ before ヴ).</summary>
    private static readonly (string From, string To)[] SameSound =
    [
        ("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴ", "ブ"),
        ("ヂ", "ジ"), ("ヅ", "ズ"), ("ヲ", "オ"), ("ワ", "ハ"), ("ヮ", "ハ"),
    ];

    private static readonly Dictionary<char, char> VariantKanji = BuildVariants(
        "辺邊邉", "高髙", "崎﨑嵜", "斉齊斎齋", "沢澤", "浜濱濵", "島嶋嶌", "国國", "桜櫻", "竜龍",
        "広廣", "恵惠", "柳栁", "槙槇", "徳德", "富冨");

    /// <summary>The search key of a reading (any kana form, any spacing).</summary>
    public static string FoldKana(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        // NFKC turns half-width katakana into full-width; hiragana become katakana; the pairs of
        // one sound are made one; NFD then splits off the voicing marks.
        var katakana = new StringBuilder(text.Normalize(NormalizationForm.FormKC));
        for (var i = 0; i < katakana.Length; i++)
        {
            if (katakana[i] is >= 'ぁ' and <= 'ゖ')
            {
                katakana[i] = (char)(katakana[i] + ('ァ' - 'ぁ'));
            }
        }
        foreach (var (from, to) in SameSound)
        {
            katakana.Replace(from, to);
        }
        var decomposed = katakana.ToString().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var raw in decomposed)
        {
            var c = raw;
            if (c is '\u3099' or '\u309A' || char.IsWhiteSpace(c) || IsDashOrLongVowel(c) || c == '・')
            {
                continue;
            }
            if (SmallToLarge.TryGetValue(c, out var large))
            {
                c = large;
            }
            if (c is 'ウ' or 'オ' && builder.Length > 0 && ORow.Contains(builder[^1], StringComparison.Ordinal))
            {
                continue;
            }
            builder.Append(char.ToUpperInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>The search key of a written name: no spaces, no variation selectors, variants folded.</summary>
    public static string FoldName(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(normalized.Length);
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (char.IsHighSurrogate(c) && i + 1 < normalized.Length)
            {
                var codePoint = char.ConvertToUtf32(c, normalized[i + 1]);
                i++;
                if (codePoint is >= 0xE0100 and <= 0xE01EF)
                {
                    continue;
                }
                builder.Append(char.ConvertFromUtf32(codePoint));
                continue;
            }
            if (c is >= '\uFE00' and <= '\uFE0F' || char.IsWhiteSpace(c))
            {
                continue;
            }
            builder.Append(VariantKanji.TryGetValue(c, out var canonical) ? canonical : c);
        }
        return builder.ToString();
    }

    /// <summary>True when <paramref name="text"/> holds only kana (either script), marks and spaces.</summary>
    public static bool IsKana(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        return normalized.All(c => c is >= '\u3041' and <= '\u30FF' || char.IsWhiteSpace(c) || c is '－' or '-');
    }

    private static bool IsDashOrLongVowel(char c) =>
        c is 'ー' or '－' or '-' or '‐' or '—' or '―' or '〜' or '~' or 'ｰ'
        || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DashPunctuation;

    private static Dictionary<char, char> BuildVariants(params string[] groups)
    {
        var map = new Dictionary<char, char>();
        foreach (var group in groups)
        {
            var elements = StringInfo.GetTextElementEnumerator(group);
            char? canonical = null;
            while (elements.MoveNext())
            {
                var element = (string)elements.Current;
                if (element.Length != 1)
                {
                    continue;
                }
                canonical ??= element[0];
                if (element[0] != canonical)
                {
                    map[element[0]] = canonical.Value;
                }
            }
        }
        return map;
    }
}
