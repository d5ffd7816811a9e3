using System.Security.Cryptography;
using System.Text;

namespace SharedResidentSystem.Core.Certificates;

/// <summary>
/// The short code printed on each copy (and held by its QR): 15 random symbols from the first
/// 31 of Crockford's base-32 alphabet (74 bits, so codes cannot be guessed) and a check symbol
/// (weighted sum modulo the prime 31) that catches any one changed symbol and any swap of
/// neighbours before a lookup. Shown as XXXX-XXXX-XXXX-XXXX.
/// </summary>
public static class VerificationCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXY";
    private const int RandomLength = 15;

    /// <summary>The text a QR holds: a fixed prefix and the code.</summary>
    public const string QrPrefix = "SRS-VERIFY:";

    public static string New()
    {
        var symbols = new char[RandomLength + 1];
        for (var i = 0; i < RandomLength; i++)
        {
            symbols[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        symbols[RandomLength] = Check(symbols.AsSpan(0, RandomLength));
        return Format(new string(symbols));
    }

    /// <summary>The canonical form of a typed code (upper case, no separators, O→0, I/L→1), or null when it is not a well-formed code.</summary>
    public static string? Normalize(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }
        var text = typed.Trim();
        if (text.StartsWith(QrPrefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[QrPrefix.Length..];
        }
        var builder = new StringBuilder();
        foreach (var raw in text.ToUpperInvariant())
        {
            var c = raw switch { 'O' => '0', 'I' or 'L' => '1', _ => raw };
            if (c is '-' or ' ')
            {
                continue;
            }
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }
            builder.Append(c);
        }
        var plain = builder.ToString();
        if (plain.Length != RandomLength + 1 || Check(plain.AsSpan(0, RandomLength)) != plain[^1])
        {
            return null;
        }
        return Format(plain);
    }

    private static string Format(string plain) => $"{plain[..4]}-{plain[4..8]}-{plain[8..12]}-{plain[12..]}";

    /// <summary>Weights 1..15 modulo 31: a changed symbol (difference 1..30) or swapped neighbours always change it.</summary>
    private static char Check(ReadOnlySpan<char> symbols)
    {
        var sum = 0;
        for (var i = 0; i < symbols.Length; i++)
        {
            sum += (i + 1) * Alphabet.IndexOf(symbols[i], StringComparison.Ordinal);
        }
        return Alphabet[sum % 31];
    }
}
