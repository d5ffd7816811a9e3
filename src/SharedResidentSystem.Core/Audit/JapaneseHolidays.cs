namespace SharedResidentSystem.Core.Audit;

/// <summary>
/// 国民の祝日 (祝日法) as computed from its rules: fixed days, the Monday holidays, the
/// equinoxes (by the usual approximation, valid 1980-2099) and substitute holidays.
/// </summary>
public static class JapaneseHolidays
{
    public static bool IsHoliday(DateOnly date)
    {
        if (IsNamedHoliday(date))
        {
            return true;
        }
        // 振替休日: a holiday on Sunday moves to the next day that is not a holiday.
        if (date.DayOfWeek != DayOfWeek.Sunday)
        {
            for (var back = date.AddDays(-1); IsNamedHoliday(back); back = back.AddDays(-1))
            {
                if (back.DayOfWeek == DayOfWeek.Sunday)
                {
                    return true;
                }
            }
        }
        // 国民の休日: a day between two holidays.
        return date.DayOfWeek != DayOfWeek.Sunday && IsNamedHoliday(date.AddDays(-1)) && IsNamedHoliday(date.AddDays(1));
    }

    private static bool IsNamedHoliday(DateOnly d) => (d.Month, d.Day) switch
    {
        (1, 1) or (2, 11) or (4, 29) or (5, 3) or (5, 4) or (5, 5) or (8, 11) or (11, 3) or (11, 23) => true,
        (2, 23) when d.Year >= 2020 => true,
        (1, _) => IsNthMonday(d, 2),
        (7, _) => IsNthMonday(d, 3),
        (9, _) => IsNthMonday(d, 3) || d.Day == Equinox(d.Year, autumn: true),
        (10, _) => IsNthMonday(d, 2),
        (3, _) => d.Day == Equinox(d.Year, autumn: false),
        _ => false,
    };

    private static bool IsNthMonday(DateOnly d, int n) => d.DayOfWeek == DayOfWeek.Monday && (d.Day - 1) / 7 == n - 1;

    private static int Equinox(int year, bool autumn) => autumn
        ? (int)(23.2488 + (0.242194 * (year - 1980)) - ((year - 1980) / 4))
        : (int)(20.8431 + (0.242194 * (year - 1980)) - ((year - 1980) / 4));
}
