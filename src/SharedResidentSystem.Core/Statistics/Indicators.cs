using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Statistics;

/// <summary>A month of the indicators, yyyy-MM (日本時間).</summary>
public readonly record struct Month(int Year, int Number) : IComparable<Month>
{
    public static Month Of(DateTime utc) => Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), JapanTime.Zone)));

    public static Month Of(DateOnly day) => new(day.Year, day.Month);

    public static bool TryParse(string text, out Month month)
    {
        month = default;
        if (!DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }
        month = Of(day);
        return true;
    }

    public DateOnly First => new(Year, Number, 1);

    public Month Next => Number == 12 ? new(Year + 1, 1) : new(Year, Number + 1);

    /// <summary>The first moment of the month in 日本時間, as UTC.</summary>
    public DateTime StartUtc => TimeZoneInfo.ConvertTimeToUtc(First.ToDateTime(TimeOnly.MinValue), JapanTime.Zone);

    public int CompareTo(Month other) => (Year, Number).CompareTo((other.Year, other.Number));

    public static bool operator <(Month a, Month b) => a.CompareTo(b) < 0;

    public static bool operator <=(Month a, Month b) => a.CompareTo(b) <= 0;

    public static bool operator >(Month a, Month b) => a.CompareTo(b) > 0;

    public static bool operator >=(Month a, Month b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Year:D4}-{Number:D2}";

    /// <summary>Every month from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public static IReadOnlyList<Month> Range(Month from, Month to)
    {
        var months = new List<Month>();
        for (var m = from; m <= to; m = m.Next)
        {
            months.Add(m);
        }
        return months;
    }
}

/// <summary>A count of one kind in one month (with a second figure where the series has one: copies of certificates).</summary>
public sealed record IndicatorCount(Month Month, string Kind, long Count, long Extra = 0);

/// <summary>Counter handling times of one month: tasks completed, median and 90th percentile in seconds.</summary>
public sealed record HandlingTime(Month Month, long Tasks, double MedianSeconds, double P90Seconds);

/// <summary>Counter work of one month done without paper: tasks, and how many began from data already written (10.8 CSV intake).</summary>
public sealed record PaperlessShare(Month Month, long Tasks, long FromIntake);

/// <summary>
/// The city's indicators, per month (日本時間), from what the register already records — nobody is
/// named in them: 異動 by 事由 (the 異動 recorded, a 取消し as its own kind), certificates by kind
/// (issued, with copies), counter handling time and paperless share from the access log, and
/// refusals and errors by reason from the access log. A counter task is one clerk's run of
/// entries at one terminal ending in a recorded 異動 or an issued certificate; it begins with
/// their first entry after the previous task ended or after a pause of <see cref="TaskGap"/>.
/// </summary>
public static class Indicators
{
    /// <summary>A pause longer than this ends what a clerk was doing (the next entry begins a new task).</summary>
    public static readonly TimeSpan TaskGap = TimeSpan.FromMinutes(10);

    private const string Registration = "/srs.registration.v1.RegistrationService/";
    private const string Issue = "/srs.certificates.v1.CertificateService/IssueCertificate";
    private const string Intake = "/srs.registration.v1.IntakeService/ReadIntakeCsv";

    /// <summary>An entry that ends a counter task: a 異動 recorded (or corrected) or a certificate issued, at a counter (not by a job or a linked system).</summary>
    public static bool Completes(string function, string outcome) =>
        outcome == AccessLogWriter.Ok && ((function.StartsWith(Registration + "Record", StringComparison.Ordinal) && function != Registration + "RecordMoveInNotice")
            || function == Registration + "CorrectResident" || function == Issue);

    /// <summary>An entry of work at a counter: not a job's run (logged in its starter's name) nor a linked system's call.</summary>
    public static bool AtCounter(string function) =>
        !function.StartsWith("/srs.jobs.v1.JobService/run ", StringComparison.Ordinal) && !function.StartsWith("/srs.link.", StringComparison.Ordinal);

    public static async Task<IReadOnlyList<IndicatorCount>> IdouByKindAsync(SrsDbContext db, Month from, Month to, CancellationToken cancellationToken)
    {
        var (start, end) = (from.StartUtc, to.Next.StartUtc);
        var rows = await db.Idous.AsNoTracking().Where(i => i.RecordedAt >= start && i.RecordedAt < end && i.State != IdouState.Provisional)
            .Select(i => new { i.RecordedAt, i.Reason, i.CancelsIdouId }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => (Month.Of(r.RecordedAt), r.CancelsIdouId is null ? r.Reason : "異動の取消し"))
            .Select(g => new IndicatorCount(g.Key.Item1, g.Key.Item2, g.Count())).OrderBy(c => c.Month).ThenBy(c => c.Kind, StringComparer.Ordinal)];
    }

    public static async Task<IReadOnlyList<IndicatorCount>> CertificatesByKindAsync(SrsDbContext db, Month from, Month to, CancellationToken cancellationToken)
    {
        var (first, last) = (from.First, to.Next.First);
        var rows = await db.Issuances.AsNoTracking().Where(i => i.IssuedOn >= first && i.IssuedOn < last && i.Outcome == Issuances.Issued)
            .Select(i => new { i.IssuedOn, i.Kind, i.Copies }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => (Month.Of(r.IssuedOn), Enum.TryParse<CertificateKind>(r.Kind, out var kind) ? CertificateComposer.Title(kind) : r.Kind))
            .Select(g => new IndicatorCount(g.Key.Item1, g.Key.Item2, g.Count(), g.Sum(r => (long)r.Copies))).OrderBy(c => c.Month).ThenBy(c => c.Kind, StringComparer.Ordinal)];
    }

    public static async Task<IReadOnlyList<IndicatorCount>> RefusalsByReasonAsync(SrsDbContext db, Month from, Month to, CancellationToken cancellationToken)
    {
        var (start, end) = (from.StartUtc, to.Next.StartUtc);
        var rows = await db.AccessLog.AsNoTracking().Where(e => e.At >= start && e.At < end && e.Outcome != AccessLogWriter.Ok)
            .Select(e => new { e.At, e.Outcome }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => (Month.Of(r.At), r.Outcome)).Select(g => new IndicatorCount(g.Key.Item1, g.Key.Outcome, g.Count()))
            .OrderBy(c => c.Month).ThenBy(c => c.Kind, StringComparer.Ordinal)];
    }

    /// <summary>A counter task: the month it ended in, how long it took, and whether it began from a CSV read in (10.8).</summary>
    public sealed record CounterTask(Month Month, TimeSpan Duration, bool FromIntake);

    /// <summary>The counter tasks that ended in the months, read from the access log in its order (a clerk's open task at a time).</summary>
    public static async Task<IReadOnlyList<CounterTask>> CounterTasksAsync(SrsDbContext db, Month from, Month to, CancellationToken cancellationToken)
    {
        // A task may begin up to a gap before the first month: read from there.
        var (start, end) = (from.StartUtc - TaskGap, to.Next.StartUtc);
        var first = from.StartUtc;
        var open = new Dictionary<(string Staff, string Terminal), (DateTime Began, DateTime Last, bool Intake)>();
        var tasks = new List<CounterTask>();
        await foreach (var e in db.AccessLog.AsNoTracking().Where(e => e.At >= start && e.At < end).OrderBy(e => e.Sequence)
            .Select(e => new { e.At, e.StaffId, e.TerminalId, e.Function, e.Outcome }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!AtCounter(e.Function))
            {
                continue;
            }
            var who = (e.StaffId, e.TerminalId);
            var at = DateTime.SpecifyKind(e.At, DateTimeKind.Utc);
            var task = open.TryGetValue(who, out var going) && at - going.Last <= TaskGap ? going : (Began: at, Last: at, Intake: false);
            task = (task.Began, at, task.Intake || (e.Function == Intake && e.Outcome == AccessLogWriter.Ok));
            if (Completes(e.Function, e.Outcome))
            {
                if (at >= first)
                {
                    tasks.Add(new CounterTask(Month.Of(at), at - task.Began, task.Intake));
                }
                open.Remove(who);
            }
            else
            {
                open[who] = task;
            }
        }
        return tasks;
    }

    public static IReadOnlyList<HandlingTime> HandlingTimes(IReadOnlyList<CounterTask> tasks) =>
        [.. tasks.GroupBy(t => t.Month).OrderBy(g => g.Key).Select(g =>
        {
            var seconds = g.Select(t => t.Duration.TotalSeconds).Order().ToList();
            return new HandlingTime(g.Key, seconds.Count, Percentile(seconds, 0.5), Percentile(seconds, 0.9));
        })];

    public static IReadOnlyList<PaperlessShare> PaperlessShares(IReadOnlyList<CounterTask> tasks) =>
        [.. tasks.GroupBy(t => t.Month).OrderBy(g => g.Key).Select(g => new PaperlessShare(g.Key, g.Count(), g.Count(t => t.FromIntake)))];

    /// <summary>The value below which the share <paramref name="p"/> of the sorted values lie (linear between ranks).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
