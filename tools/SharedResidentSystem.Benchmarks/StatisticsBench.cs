using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Statistics;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Benchmarks;

/// <summary>
/// srs-bench --statistics: the 6.1 年報 of every city (population on this year's 1 January, the
/// movement of last year) as the job counts it, beside a bare read of the same rows (the same
/// query, every row read and dropped): what the counting adds to reading the history once.
/// </summary>
internal static class StatisticsBench
{
    public static async Task RunAsync(IServiceProvider services, IReadOnlyList<string> cities, int rounds)
    {
        var year = SharedResidentSystem.Japanese.JapanTime.Today(TimeProvider.System).Year;
        var period = new AnnualReport.Period(new DateOnly(year, 1, 1), new DateOnly(year - 1, 1, 1), new DateOnly(year - 1, 12, 31));
        // The first pass of a process compiles the queries: a warm-up, not counted.
        await ReportAsync(services, cities, period);
        await BareAsync(services, cities);
        Console.WriteLine();
        Console.WriteLine("| round | person versions read | bare read s | 年報 of every city s | 年報 / bare | population on 1 January |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= rounds; round++)
        {
            var bare = Stopwatch.StartNew();
            var rows = await BareAsync(services, cities);
            bare.Stop();
            var report = Stopwatch.StartNew();
            var population = await ReportAsync(services, cities, period);
            report.Stop();
            Console.WriteLine($"| {round} | {rows:N0} | {bare.Elapsed.TotalSeconds:F1} | {report.Elapsed.TotalSeconds:F1} | {report.Elapsed.TotalSeconds / bare.Elapsed.TotalSeconds:F2}× | {population:N0} |");
        }
    }

    private static Caller Supervisor(string city) => new(city, "bench", "bench", new HashSet<string> { Roles.Supervisor });

    private static async Task<long> ReportAsync(IServiceProvider services, IReadOnlyList<string> cities, AnnualReport.Period period)
    {
        long population = 0;
        foreach (var city in cities)
        {
            using var scope = services.CreateScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Supervisor(city));
            var tables = await AnnualReport.ComputeAsync(scope.ServiceProvider.GetRequiredService<SrsDbContext>(), scope.ServiceProvider.GetRequiredService<RemovedRecordsArchive>().Db, period, CancellationToken.None);
            population += long.Parse(tables[0].Rows[^1][3], System.Globalization.CultureInfo.InvariantCulture);
        }
        return population;
    }

    private static async Task<long> BareAsync(IServiceProvider services, IReadOnlyList<string> cities)
    {
        long rows = 0;
        foreach (var city in cities)
        {
            using var scope = services.CreateScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Supervisor(city));
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            await foreach (var _ in db.PersonVersions.AsNoTracking().OrderBy(p => p.ResidentNumber).ThenBy(p => p.HistoryNumber)
                .Select(p => new AnnualReport.Row(p.ResidentNumber, p.HistoryNumber, p.ValidFrom, p.State, p.RemovalOn, p.Sex, p.Kind, p.BirthYear, p.BirthMonth, p.BirthDay,
                    p.HouseholdNumber, p.IdouId, p.Nationality, p.ResidenceStatus)).AsAsyncEnumerable())
            {
                rows++;
            }
        }
        return rows;
    }
}
