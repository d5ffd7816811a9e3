using System.Globalization;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Terminal;

/// <summary>
/// 1.3.6: eras the platform's calendar does not know yet, given to the terminal as the server is
/// given them (`--eras` or SRS_ERAS: "名前:略号:yyyy-MM-dd", several separated by ";"), so that
/// the screens write and read the same 和暦 as the certificates.
/// </summary>
public static class EraSetting
{
    public static IReadOnlyList<(string Name, char Initial, DateOnly First)> Parse(string? text)
    {
        var eras = new List<(string, char, DateOnly)>();
        foreach (var item in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length != 3 || parts[1].Length != 1
                || !DateOnly.TryParseExact(parts[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
            {
                throw new FormatException($"元号の指定「{item}」を読めません (例: 新元:N:2031-05-01)。");
            }
            eras.Add((parts[0], parts[1][0], first));
        }
        return eras;
    }

    /// <summary>Adds the eras of the setting (none: the platform's eras only).</summary>
    public static void Apply(string? text)
    {
        try
        {
            Wareki.AddEras(Parse(text));
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }
}
