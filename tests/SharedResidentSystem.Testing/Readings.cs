namespace SharedResidentSystem.Testing;

/// <summary>Readings (フリガナ) that make each test's people its own.</summary>
public static class Readings
{
    /// <summary>A family name reading no other test uses (katakana, 6 letters).</summary>
    public static string UniqueKana()
    {
        const string letters = "アイウエカキクケサシスセタチテナニヌネハヒフヘマミムメヤユラリルレワ";
        var bytes = Guid.NewGuid().ToByteArray();
        return string.Concat(bytes.Take(6).Select(b => letters[b % letters.Length]));
    }
}
