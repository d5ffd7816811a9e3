namespace SharedResidentSystem.Japanese;

/// <summary>The register's calendar is Japan's: 処理日 and "today" are dates in Asia/Tokyo.</summary>
public static class JapanTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public static DateOnly Today(TimeProvider time) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone).DateTime);

    /// <summary>The first UTC instant after the end of <paramref name="date"/> in Japan.</summary>
    public static DateTime EndOfDayUtc(DateOnly date)
    {
        var midnight = date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return TimeZoneInfo.ConvertTimeToUtc(midnight, Zone);
    }
}
