using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SharedResidentSystem.Japanese;

/// <summary>
/// 和暦 (1.3.6, 1.1.9): formats dates with the eras of <see cref="JapaneseCalendar"/> (so a new
/// era arrives with the platform's calendar data) and reads dates typed in 西暦 or 和暦:
/// "1985-06-15", "昭和60年6月15日", "S60.6.15", "令和元年5月1日", "昭和60年".
/// </summary>
public static partial class Wareki
{
    private static readonly CultureInfo JapaneseCulture = CreateCulture();

    /// <summary>"昭和60年6月15日"; the first year of an era is written 元年.</summary>
    public static string Format(DateOnly date) => $"{FormatYear(date)}{date.Month}月{date.Day}日";

    /// <summary>The era and year of a date: "昭和60年", "令和元年" (for dates whose month or day is unknown).</summary>
    public static string FormatYear(DateOnly date)
    {
        var dt = date.ToDateTime(TimeOnly.MinValue);
        var calendar = JapaneseCulture.DateTimeFormat.Calendar;
        var era = JapaneseCulture.DateTimeFormat.GetEraName(calendar.GetEra(dt));
        var year = calendar.GetYear(dt);
        return $"{era}{(year == 1 ? "元" : year.ToString(CultureInfo.InvariantCulture))}年";
    }

    /// <summary>A date typed by a clerk: year, and month and day when given (0 = not given).</summary>
    public static bool TryParse(string? text, out int year, out int month, out int day)
    {
        year = month = day = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Normalize(NormalizationForm.FormKC).Trim().Replace(" ", "", StringComparison.Ordinal);
        var western = WesternPattern().Match(s);
        if (western.Success)
        {
            year = int.Parse(western.Groups[1].Value, CultureInfo.InvariantCulture);
            month = western.Groups[2].Success ? int.Parse(western.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            day = western.Groups[3].Success ? int.Parse(western.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            return Valid(year, month, day);
        }
        var japanese = JapanesePattern().Match(s);
        if (!japanese.Success)
        {
            return false;
        }
        var eraText = japanese.Groups[1].Value;
        var eraYear = japanese.Groups[2].Value == "元" ? 1 : int.Parse(japanese.Groups[2].Value, CultureInfo.InvariantCulture);
        month = japanese.Groups[3].Success ? int.Parse(japanese.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        day = japanese.Groups[4].Success ? int.Parse(japanese.Groups[4].Value, CultureInfo.InvariantCulture) : 0;
        var era = FindEra(eraText);
        if (era < 0 || eraYear < 1)
        {
            return false;
        }
        try
        {
            var calendar = JapaneseCulture.DateTimeFormat.Calendar;
            // The era's first year may start mid-year: take the latest day of the month asked for.
            var probe = calendar.ToDateTime(eraYear, month == 0 ? 12 : month, 1, 0, 0, 0, 0, era);
            year = probe.Year;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
        return Valid(year, month, day);
    }

    private static int FindEra(string text)
    {
        var format = JapaneseCulture.DateTimeFormat;
        foreach (var era in format.Calendar.Eras)
        {
            var name = format.GetEraName(era);
            var abbreviation = format.GetAbbreviatedEraName(era);
            if (text == name || text == abbreviation || (text.Length == 1 && EnglishInitial(name) == char.ToUpperInvariant(text[0])))
            {
                return era;
            }
        }
        return -1;
    }

    private static char EnglishInitial(string eraName) => eraName switch
    {
        "明治" => 'M',
        "大正" => 'T',
        "昭和" => 'S',
        "平成" => 'H',
        "令和" => 'R',
        _ => '\0',
    };

    private static bool Valid(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 0 and <= 12 && day >= 0 && (month > 0 || day == 0)
        && (day == 0 || day <= DateTime.DaysInMonth(year, month));

    private static CultureInfo CreateCulture()
    {
        var culture = new CultureInfo("ja-JP");
        culture.DateTimeFormat.Calendar = new JapaneseCalendar();
        return culture;
    }

    [GeneratedRegex(@"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?$")]
    private static partial Regex WesternPattern();

    [GeneratedRegex(@"^([^\d元.]+?)\.?(元|\d{1,2})[年.]?(?:(\d{1,2})[月.]?(?:(\d{1,2})日?)?)?$")]
    private static partial Regex JapanesePattern();
}
