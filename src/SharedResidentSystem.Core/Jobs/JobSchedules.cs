using System.Globalization;
using System.Text.RegularExpressions;

namespace SharedResidentSystem.Core.Jobs;

/// <summary>
/// A job the city's configuration starts on a schedule (9.1): at a time of day (JST), once on a
/// date, every day, every week on a weekday, every month on a day, at every month's end, or every
/// year on a date (9.3: once a year outside the busy season); with
/// its kind, parameters (JSON of the kind's parameters) and reason.
/// </summary>
public sealed record JobSchedule(string Id, string Kind, TimeOnly At, string Every, string Parameters, string Reason);

/// <summary>When a schedule is due, and how its runs are told apart.</summary>
public static partial class JobSchedules
{
    /// <summary>A run missed while the server was down is made up for within this long; older ones are not.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromHours(24);

    private static readonly string[] Weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    [GeneratedRegex("^(day|monthEnd|week:(sun|mon|tue|wed|thu|fri|sat)|month:([1-9]|[12][0-9]|3[01])|year:(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])|once:[0-9]{4}-[0-9]{2}-[0-9]{2})$")]
    private static partial Regex EveryPattern();

    /// <summary>Why <paramref name="every"/> is not a schedule, or null.</summary>
    public static string? Problem(string every)
    {
        if (!EveryPattern().IsMatch(every))
        {
            return "every は day、week:曜日 (sun … sat)、month:日 (1-31)、monthEnd、year:月-日 (MM-dd)、once:yyyy-MM-dd のいずれかです。";
        }
        if (every.StartsWith("year:", StringComparison.Ordinal))
        {
            // Any year's date: 02-29 runs in leap years only, so it is refused (once a year is asked for).
            return DateOnly.TryParseExact("2025-" + every[5..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? null : $"毎年の日付「{every[5..]}」は毎年ある日ではありません。";
        }
        return every.StartsWith("once:", StringComparison.Ordinal) && !DateOnly.TryParseExact(every[5..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? $"日付「{every[5..]}」がありません。" : null;
    }

    /// <summary>
    /// The latest time (JST) at or before <paramref name="now"/> the schedule was due, if within
    /// <see cref="CatchUp"/>; null otherwise. A month with fewer days than month:31 has no run.
    /// </summary>
    public static DateTime? LastDue(JobSchedule schedule, DateTime now)
    {
        for (var day = DateOnly.FromDateTime(now); day >= DateOnly.FromDateTime(now - CatchUp).AddDays(-1); day = day.AddDays(-1))
        {
            var due = day.ToDateTime(schedule.At);
            if (due <= now && now - due <= CatchUp && Falls(schedule.Every, day))
            {
                return due;
            }
        }
        return null;
    }

    private static bool Falls(string every, DateOnly day) => every switch
    {
        "day" => true,
        "monthEnd" => day.AddDays(1).Month != day.Month,
        _ when every.StartsWith("week:", StringComparison.Ordinal) => Weekdays[(int)day.DayOfWeek] == every[5..],
        _ when every.StartsWith("month:", StringComparison.Ordinal) => day.Day == int.Parse(every[6..], CultureInfo.InvariantCulture),
        _ when every.StartsWith("year:", StringComparison.Ordinal) => day.ToString("MM-dd", CultureInfo.InvariantCulture) == every[5..],
        _ when every.StartsWith("once:", StringComparison.Ordinal) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) == every[5..],
        _ => false,
    };

    /// <summary>The run's key: the schedule and the time it was due (one job per run).</summary>
    public static string RunKey(JobSchedule schedule, DateTime due) =>
        string.Create(CultureInfo.InvariantCulture, $"{schedule.Id}@{due:yyyy-MM-ddTHH:mm}");
}
