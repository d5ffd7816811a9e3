namespace SharedResidentSystem.Core.Residents;

/// <summary>
/// 続柄 (1.1.11): 世帯主; 夫, 妻, 夫（未届）, 妻（未届）, 子, 父, 母, 兄, 姉, 弟, 妹 and chains of them
/// joined by 「の」 up to four generations; 縁故者; 同居人. Nothing else (祖父, 孫, ...).
/// </summary>
public static class Relationships
{
    public const string Head = "世帯主";
    public const string Kin = "縁故者";
    public const string Lodger = "同居人";
    public const int MaxGenerations = 4;

    private static readonly HashSet<string> Links =
        ["夫", "妻", "夫（未届）", "妻（未届）", "子", "父", "母", "兄", "姉", "弟", "妹"];

    /// <summary>Null when valid, else the Japanese reason it is not.</summary>
    public static string? Check(string? relationship)
    {
        if (string.IsNullOrWhiteSpace(relationship))
        {
            return "続柄を入力してください。";
        }
        var value = relationship.Replace('(', '（').Replace(')', '）');
        if (value is Head or Kin or Lodger)
        {
            return null;
        }
        var links = value.Split('の');
        if (links.Any(l => !Links.Contains(l)))
        {
            return $"続柄「{relationship}」は使えません (祖父・孫などは「の」でつなげて表します)。";
        }
        return links.Length > MaxGenerations
            ? $"続柄「{relationship}」は5世代以上です。「縁故者」としてください。"
            : null;
    }

    /// <summary>The stored form (full-width parentheses).</summary>
    public static string Normalize(string relationship) => relationship.Trim().Replace('(', '（').Replace(')', '）');
}
