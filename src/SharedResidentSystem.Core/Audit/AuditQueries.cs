using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Audit;

/// <summary>A search of the caller's city's access log.</summary>
public sealed record AccessLogSearch(
    string ResidentNumber, string Staff, string Terminal, string Function, string Outcome,
    DateTime? From, DateTime? Until, bool IndividualNumberOnly, int PageSize, string PageToken);

/// <summary>One line of an analysis.</summary>
public sealed record AnalysisRow(string Key, long Count, IReadOnlyList<AccessLogEntry> Samples);

/// <summary>The analyses of 10.2.</summary>
public enum AnalysisKind
{
    NightAndHoliday = 1,
    FailedLogins = 2,
    AccessPerStaff = 3,
    MassSearches = 4,
    SearchesByResidentNumber = 5,
}

/// <summary>Reads the access log of the caller's city (the tenant filter applies), for auditors.</summary>
public sealed class AuditQueries(SrsDbContext db)
{
    public const string AuthenticationFailed = "AUTHENTICATION_FAILED";

    public IQueryable<AccessLogEntry> Filter(AccessLogSearch search)
    {
        var query = db.AccessLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search.ResidentNumber))
        {
            var needle = "," + search.ResidentNumber.Trim() + ",";
            query = query.Where(e => ("," + e.Targets + ",").Contains(needle));
        }
        if (!string.IsNullOrWhiteSpace(search.Staff))
        {
            query = query.Where(e => e.StaffId == search.Staff.Trim());
        }
        if (!string.IsNullOrWhiteSpace(search.Terminal))
        {
            query = query.Where(e => e.TerminalId == search.Terminal.Trim());
        }
        if (!string.IsNullOrWhiteSpace(search.Function))
        {
            query = query.Where(e => e.Function.Contains(search.Function.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(search.Outcome))
        {
            query = query.Where(e => e.Outcome == search.Outcome.Trim());
        }
        if (search.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }
        if (search.Until is { } until)
        {
            query = query.Where(e => e.At < until);
        }
        if (search.IndividualNumberOnly)
        {
            query = query.Where(e => e.TouchedIndividualNumber);
        }
        return query;
    }

    /// <summary>Newest first, paged by sequence.</summary>
    public async Task<(IReadOnlyList<AccessLogEntry> Entries, string Next)> SearchAsync(AccessLogSearch search, CancellationToken cancellationToken)
    {
        var size = search.PageSize switch { <= 0 => 100, > 1000 => 1000, _ => search.PageSize };
        var query = Filter(search);
        if (!string.IsNullOrEmpty(search.PageToken))
        {
            var decoded = new byte[search.PageToken.Length];
            if (!Convert.TryFromBase64String(search.PageToken, decoded, out var length)
                || !long.TryParse(Encoding.UTF8.GetString(decoded, 0, length), NumberStyles.None, CultureInfo.InvariantCulture, out var before))
            {
                throw DomainException.Invalid(ErrorReasons.InvalidPageToken, "page_token", "page_token が正しくありません。");
            }
            query = query.Where(e => e.Sequence < before);
        }
        var rows = await query.OrderByDescending(e => e.Sequence).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? Convert.ToBase64String(Encoding.UTF8.GetBytes(rows[size - 1].Sequence.ToString(CultureInfo.InvariantCulture))) : "";
        return (rows.Take(size).ToList(), next);
    }

    /// <summary>
    /// Whom a failed sign-in is counted against: the staff member when the failure is theirs
    /// (a verified account), else the source address (what a token claimed is not trusted to
    /// name anyone); an entry that counts the failures of a minute weighs their number.
    /// </summary>
    /// <summary>
    /// The detail of an AUTHENTICATION_FAILED entry that names no staff member: its source, how
    /// many failures it counts, then what was claimed or when counting began. Read back by
    /// <see cref="FailedSignInKey"/>.
    /// </summary>
    public static string FailureDetail(string source, int count, string rest) =>
        string.Create(CultureInfo.InvariantCulture, $"source={source}; count={count}; {rest}");

    private static string FailedSignInKey(AccessLogEntry e, out long weight)
    {
        weight = 1;
        if (e.StaffId.Length > 0)
        {
            return e.StaffId;
        }
        var parts = e.Detail.Split("; ", 3);
        var source = parts.Length > 0 && parts[0].StartsWith("source=", StringComparison.Ordinal) ? parts[0]["source=".Length..] : "unknown";
        if (parts.Length > 1 && parts[1].StartsWith("count=", StringComparison.Ordinal)
            && long.TryParse(parts[1]["count=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            weight = count;
        }
        return source;
    }

    public async Task<IReadOnlyList<AnalysisRow>> AnalyseAsync(AnalysisKind kind, DateTime? from, DateTime? until, int threshold, CancellationToken cancellationToken)
    {
        var search = new AccessLogSearch("", "", "", "", "", from, until, false, 0, "");
        var query = Filter(search);
        query = kind switch
        {
            AnalysisKind.FailedLogins => query.Where(e => e.Outcome == AuthenticationFailed),
            AnalysisKind.MassSearches => query.Where(e => e.Function.EndsWith("/SearchResidents")),
            AnalysisKind.SearchesByResidentNumber => query.Where(e => e.Function.EndsWith("/SearchResidents") && e.Detail.Contains("\"residentNumber\"")),
            _ => query,
        };
        // Streamed in sequence order and counted as it goes: every entry in the period is
        // analysed, however long the log is; only the counts and five samples per key are kept.
        var massThreshold = threshold <= 0 ? 100 : threshold;
        var groups = new Dictionary<string, (long Count, List<AccessLogEntry> Samples)>(StringComparer.Ordinal);
        await foreach (var e in query.OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var weight = 1L;
            string? key = kind switch
            {
                AnalysisKind.FailedLogins => FailedSignInKey(e, out weight),
                AnalysisKind.NightAndHoliday => IsNightOrHoliday(e.At) ? e.StaffId : null,
                AnalysisKind.AccessPerStaff => $"{e.StaffId} {Local(e.At):yyyy-MM-dd}",
                AnalysisKind.MassSearches => $"{e.StaffId} {Local(e.At):yyyy-MM-dd HH}:00",
                _ => e.StaffId,
            };
            if (key is null)
            {
                continue;
            }
            var group = groups.TryGetValue(key, out var g) ? g : (0L, new List<AccessLogEntry>(5));
            if (group.Item2.Count < 5)
            {
                group.Item2.Add(e);
            }
            groups[key] = (group.Item1 + weight, group.Item2);
        }
        return groups.Where(g => kind != AnalysisKind.MassSearches || g.Value.Count > massThreshold)
            .OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AnalysisRow(g.Key, g.Value.Count, g.Value.Samples))
            .ToList();
    }

    /// <summary>Every entry in sequence order, streamed (for verification and export).</summary>
    public IAsyncEnumerable<AccessLogEntry> AllInOrder() => db.AccessLog.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable();

    public Task<AccessLogEntry?> HeadAsync(CancellationToken cancellationToken) =>
        db.AccessLog.AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(cancellationToken);

    /// <summary>夜間・休日: before 8:00 or from 20:00 in Japan, Saturdays, Sundays and national holidays.</summary>
    public static bool IsNightOrHoliday(DateTime utc)
    {
        var local = Local(utc);
        return local.Hour < 8 || local.Hour >= 20 || local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || JapaneseHolidays.IsHoliday(DateOnly.FromDateTime(local));
    }

    private static DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), JapanTime.Zone);

    /// <summary>The log as CSV lines (header first).</summary>
    public static string CsvHeader => "sequence,at,staff,roles,terminal,function,residents,individual_number,outcome,detail,previous_hash,hash";

    public static string CsvLine(AccessLogEntry e) => string.Join(',',
        e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        Csv(e.StaffId), Csv(e.Roles), Csv(e.TerminalId), Csv(e.Function), Csv(e.Targets), e.TouchedIndividualNumber ? "1" : "0",
        Csv(e.Outcome), Csv(e.Detail), e.PreviousHash, e.Hash);

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
