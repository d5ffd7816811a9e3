namespace SharedResidentSystem.Core.Numbers;

/// <summary>
/// Check-digit rules of the numbers the register uses (宛名番号, 世帯番号, 住民票コード,
/// 個人番号, 地方公共団体コード). All work on ASCII digit strings; anything else is invalid.
/// </summary>
public static class CheckDigits
{
    /// <summary>
    /// Modulus 11 with weights 2..7 repeating from the rightmost digit of the body;
    /// a remainder of 0 or 1 gives 0 (used by 宛名番号, 世帯番号 and 住民票コード).
    /// </summary>
    public static int Modulus11Weights2To7(ReadOnlySpan<char> body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = Digit(body[body.Length - 1 - i]);
            sum += digit * (2 + (i % 6));
        }
        var remainder = sum % 11;
        return remainder <= 1 ? 0 : 11 - remainder;
    }

    /// <summary>個人番号: check = 11 − (Σ Pn·Qn mod 11), Qn = n+1 (n≤6) or n−5 (n≥7); remainder ≤ 1 → 0.</summary>
    public static int IndividualNumber(ReadOnlySpan<char> body11)
    {
        if (body11.Length != 11)
        {
            throw new ArgumentException("個人番号の本体は11桁です。", nameof(body11));
        }
        var sum = 0;
        for (var n = 1; n <= 11; n++)
        {
            var p = Digit(body11[11 - n]);
            var q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        var remainder = sum % 11;
        return remainder <= 1 ? 0 : 11 - remainder;
    }

    /// <summary>地方公共団体コード: weights 6,5,4,3,2 over the first five digits; check = last digit of 11 − (Σ mod 11).</summary>
    public static int LocalGovernmentCode(ReadOnlySpan<char> body5)
    {
        if (body5.Length != 5)
        {
            throw new ArgumentException("団体コードの本体は5桁です。", nameof(body5));
        }
        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            sum += Digit(body5[i]) * (6 - i);
        }
        return (11 - (sum % 11)) % 10;
    }

    public static bool IsValidLocalGovernmentCode(string? code) =>
        IsDigits(code, 6) && LocalGovernmentCode(code.AsSpan(0, 5)) == Digit(code![5]);

    public static bool IsValidIndividualNumber(string? number) =>
        IsDigits(number, 12) && IndividualNumber(number.AsSpan(0, 11)) == Digit(number![11]);

    /// <summary>住民票コード: 11 digits, the last a modulus-11 check over the first ten.</summary>
    public static bool IsValidResidentCode(string? code) =>
        IsDigits(code, 11) && Modulus11Weights2To7(code.AsSpan(0, 10)) == Digit(code![10]);

    /// <summary>宛名番号 or 世帯番号 of any length ≥ 2: serial followed by its check digit.</summary>
    public static bool IsValidSerialWithCheck(string? number) =>
        number is { Length: >= 2 } && IsDigits(number, number.Length)
        && Modulus11Weights2To7(number.AsSpan(0, number.Length - 1)) == Digit(number[^1]);

    /// <summary>Formats a serial as a fixed-width body followed by its check digit.</summary>
    public static string WithCheckDigit(long serial, int bodyWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(serial);
        var body = serial.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(bodyWidth, '0');
        if (body.Length > bodyWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(serial), "番号の桁数を超えました。");
        }
        return body + Modulus11Weights2To7(body).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool IsDigits(string? s, int length) =>
        s is not null && s.Length == length && s.All(char.IsAsciiDigit);

    private static int Digit(char c) => char.IsAsciiDigit(c)
        ? c - '0'
        : throw new ArgumentException($"数字ではない文字 '{c}' があります。");
}
