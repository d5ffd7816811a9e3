using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SharedResidentSystem.Japanese;

/// <summary>
/// 和暦 (1.3.6, 1.1.9): formats dates with the eras of <see cref="JapaneseCalendar"/> and any
/// era added by setting (<see cref="AddEras"/>: a new era is announced before the platform's
/// calendar data knows it), and reads dates typed in 西暦 or 和暦:
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
        // On the day an era changed on an emperor's death both eras hold it; the new one is written.
        var era = Eras.LastOrDefault(e => e.First <= date);
        if (era is null)
        {
            return $"{date.Year.ToString(CultureInfo.InvariantCulture)}年";
        }
        var year = date.Year - era.First.Year + 1;
        return $"{era.Name}{(year == 1 ? "元" : year.ToString(CultureInfo.InvariantCulture))}年";
    }

    /// <summary>One era of the calendar with its exact first and last day (the last is open for the current era).</summary>
    /// <param name="Initial">The letter clerks type for it (S, H, R …).</param>
    public sealed record Era(int Number, string Name, DateOnly First, DateOnly? Last, char Initial = '\0')
    {
        public string Describe() => Last is { } last
            ? $"{Name}は{Format(First)}から{Format(last)}まで"
            : $"{Name}は{Format(First)}から";
    }

    /// <summary>
    /// The eras, oldest first, each with its first and last day: those of <see cref="JapaneseCalendar"/>
    /// and those added by setting after them.
    /// </summary>
    public static IReadOnlyList<Era> Eras => _eras ?? ErasOfCalendar.Value;

    private static volatile IReadOnlyList<Era>? _eras;

    /// <summary>
    /// 1.3.6: adds eras the platform does not know yet (a 改元 announced by the government), each
    /// from its first day, after the last era of the platform; the era before it then ends the day
    /// before. Called once at start from the setting (e.g. Japanese:Eras of the server).
    /// </summary>
    public static void AddEras(IEnumerable<(string Name, char Initial, DateOnly First)> added)
    {
        var eras = ErasOfCalendar.Value.ToList();
        foreach (var (name, initial, first) in added.OrderBy(a => a.First))
        {
            if (string.IsNullOrWhiteSpace(name) || eras.Any(e => e.Name == name.Trim()))
            {
                throw new ArgumentException($"元号「{name}」は名前が空か、既にある元号です。");
            }
            if (first <= eras[^1].First)
            {
                throw new ArgumentException($"元号「{name}」の始まり {first:yyyy-MM-dd} は{eras[^1].Name}の始まりより後でなければなりません。");
            }
            if (!char.IsAsciiLetter(initial) || eras.Any(e => char.ToUpperInvariant(e.Initial) == char.ToUpperInvariant(initial)))
            {
                throw new ArgumentException($"元号「{name}」の略号 '{initial}' は英字1文字で、ほかの元号と重なってはいけません。");
            }
            eras[^1] = eras[^1] with { Last = first.AddDays(-1) };
            eras.Add(new Era(eras[^1].Number + 1, name.Trim(), first, null, char.ToUpperInvariant(initial)));
        }
        _eras = eras;
    }

    private static readonly Lazy<IReadOnlyList<Era>> ErasOfCalendar = new(() =>
    {
        // The calendar publishes era numbers but not their first days: walk the days once and
        // note where the era changes.
        var calendar = JapaneseCulture.DateTimeFormat.Calendar;
        var firsts = new List<(int Era, DateOnly First)>();
        var day = DateOnly.FromDateTime(calendar.MinSupportedDateTime);
        var lastDay = DateOnly.FromDateTime(calendar.MaxSupportedDateTime);
        var current = -1;
        while (true)
        {
            var era = calendar.GetEra(day.ToDateTime(TimeOnly.MinValue));
            if (era != current)
            {
                firsts.Add((era, day));
                current = era;
            }
            if (day == lastDay || day.Year >= 2200)
            {
                break;
            }
            day = day.AddDays(1);
        }
        return firsts.Select((f, i) =>
        {
            var name = JapaneseCulture.DateTimeFormat.GetEraName(f.Era);
            return new Era(f.Era, name, f.First, i + 1 < firsts.Count ? LastDay(firsts[i + 1].First) : null, EnglishInitial(name));
        }).ToList();
    });

    /// <summary>
    /// The last day of the era before one that began on <paramref name="nextFirst"/>. Where the
    /// era changed on the day of the emperor's death (明治→大正, 大正→昭和), that day is written in
    /// both eras (戸籍 hold 明治45年7月30日 and 大正15年12月25日; 1.1.8 allows them); since 昭和→平成
    /// the new era began on the next day.
    /// </summary>
    private static DateOnly LastDay(DateOnly nextFirst) =>
        nextFirst == new DateOnly(1912, 7, 30) || nextFirst == new DateOnly(1926, 12, 25) ? nextFirst : nextFirst.AddDays(-1);

    /// <summary>
    /// The typed text in its compatibility form (全角 digits and letters as ASCII, ㍼ as 昭和).
    /// The browser's runtime has no NFKC; there the folds a date needs are made by hand.
    /// </summary>
    private static string Compatible(string text)
    {
        if (!OperatingSystem.IsBrowser())
        {
            return text.Normalize(NormalizationForm.FormKC);
        }
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            folded.Append(c switch
            {
                >= '\uFF01' and <= '\uFF5E' => ((char)(c - 0xFEE0)).ToString(),
                '\u3000' => " ",
                '\u337E' => "明治",
                '\u337D' => "大正",
                '\u337C' => "昭和",
                '\u337B' => "平成",
                '\u32FF' => "令和",
                _ => c.ToString(),
            });
        }
        return folded.ToString();
    }

    /// <summary>A date typed by a clerk: year, and month and day when given (0 = not given).</summary>
    public static bool TryParse(string? text, out int year, out int month, out int day) => TryParse(text, out year, out month, out day, out _);

    /// <summary>
    /// A date typed by a clerk; when it cannot be read, <paramref name="problem"/> says why in
    /// Japanese. A 和暦 date must lie within its era to the day (昭和65年, 平成元年1月7日 and
    /// 明治45年7月30日 never existed): nothing is carried over into the next era or the Western
    /// year silently.
    /// </summary>
    public static bool TryParse(string? text, out int year, out int month, out int day, out string problem)
    {
        year = month = day = 0;
        problem = "日付を読めません。";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = Compatible(text).Trim().Replace(" ", "", StringComparison.Ordinal);
        var western = WesternPattern().Match(s);
        if (western.Success)
        {
            year = int.Parse(western.Groups[1].Value, CultureInfo.InvariantCulture);
            month = western.Groups[2].Success ? int.Parse(western.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            day = western.Groups[3].Success ? int.Parse(western.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            return Valid(year, month, day, ref problem);
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
        if (era is null)
        {
            problem = $"元号「{eraText}」を読めません。";
            return false;
        }
        if (eraYear < 1)
        {
            problem = "年は元年（1年）からです。";
            return false;
        }
        year = era.First.Year + eraYear - 1;
        if (!Valid(year, month, day, ref problem))
        {
            return false;
        }
        // The date (or, when the month or day is unknown, the month or the year) must overlap the era.
        var (from, until) = (month, day) switch
        {
            (0, _) => (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)),
            (_, 0) => (new DateOnly(year, month, 1), new DateOnly(year, month, DateTime.DaysInMonth(year, month))),
            _ => (new DateOnly(year, month, day), new DateOnly(year, month, day)),
        };
        if (until < era.First || (era.Last is { } last && from > last))
        {
            problem = $"{s}はありません（{era.Describe()}）。";
            return false;
        }
        return true;
    }

    private static Era? FindEra(string text)
    {
        var format = JapaneseCulture.DateTimeFormat;
        foreach (var era in Eras)
        {
            var abbreviation = era.Number <= format.Calendar.Eras.Length ? format.GetAbbreviatedEraName(era.Number) : "";
            if (text == era.Name || (abbreviation.Length > 0 && text == abbreviation) || (text.Length == 1 && era.Initial != '\0' && era.Initial == char.ToUpperInvariant(text[0])))
            {
                return era;
            }
        }
        return null;
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

    private static bool Valid(int year, int month, int day, ref string problem)
    {
        if (year is >= 1 and <= 9999 && month is >= 0 and <= 12 && day >= 0 && (month > 0 || day == 0)
            && (day == 0 || day <= DateTime.DaysInMonth(year, month)))
        {
            return true;
        }
        problem = month is < 1 or > 12 ? "月は1から12までです。" : "その月にその日はありません。";
        return false;
    }

    private static CultureInfo CreateCulture()
    {
        var culture = new CultureInfo("ja-JP");
        culture.DateTimeFormat.Calendar = new JapaneseCalendar();
        return culture;
    }

    [GeneratedRegex(@"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?$")]
    private static partial Regex WesternPattern();

    [GeneratedRegex(@"^([^\d.]+?)\.?(元|\d{1,2})[年.]?(?:(\d{1,2})[月.]?(?:(\d{1,2})日?)?)?$")]
    private static partial Regex JapanesePattern();
}
