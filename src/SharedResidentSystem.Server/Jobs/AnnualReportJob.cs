using System.Globalization;
using System.Text.Json;
using MiniExcelLibs;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Statistics;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>
/// 6.1 統計 as a job (Core/Statistics/AnnualReport): the 年報's tables and the 入管 定期報告's items
/// for a 基準日 and a period, from the register's history and the 除票用データベース; each table as
/// CSV and PDF, and all of them as one workbook (年報.xlsx) — the deliverable a yearly schedule
/// makes by itself (9.1#9). Only counts leave it: nobody's record is named.
/// </summary>
public sealed class AnnualReportJob(IServiceScopeFactory scopes, ICertificateRenderer renderer) : IJobKind
{
    public const string KindName = "annualReport";
    public const string Workbook = "年報.xlsx";
    private const string Function = "/srs.jobs.v1.JobService/run " + KindName;

    /// <summary>The 基準日 (population at its start) and the period of the movement, both ends included.</summary>
    public sealed record Parameters(DateOnly AsOf, DateOnly From, DateOnly To)
    {
        /// <summary>The 年報 of a year's run: population on 1 January, movement over the year before.</summary>
        public static Parameters ForYear(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year - 1, 1, 1), new DateOnly(year - 1, 12, 31));
    }

    public string Kind => KindName;

    public Contracts.Jobs.V1.JobKind Contract => Contracts.Jobs.V1.JobKind.AnnualReport;

    public string Title => "6.1 住民基本台帳関係年報";

    /// <summary>
    /// Reads the parameters given (yyyy-MM-dd; empty: this year's 年報), refusing a contradiction with
    /// the field named. <paramref name="startedOn"/>: the city's 稼働日 (6.1#3) — a 基準日 or a period
    /// before its month is the old system's to count; empty parameters begin the period there.
    /// </summary>
    public static Parameters Check(string asOf, string from, string to, DateOnly today, DateOnly? startedOn = null)
    {
        var problems = new List<FieldViolation>();
        DateOnly? Read(string text, string field)
        {
            if (text.Trim().Length == 0)
            {
                return null;
            }
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }
            problems.Add(new FieldViolation($"annual_report.{field}", $"日付「{text.Trim()}」は yyyy-MM-dd で書いてください。"));
            return null;
        }
        var defaults = Parameters.ForYear(today.Year);
        var p = new Parameters(Read(asOf, "as_of") ?? defaults.AsOf, Read(from, "from") ?? defaults.From, Read(to, "to") ?? defaults.To);
        if (problems.Count == 0)
        {
            if (p.From > p.To)
            {
                problems.Add(new FieldViolation("annual_report.to", "期間の終わりが始まりより前です。"));
            }
            if (p.AsOf > today)
            {
                problems.Add(new FieldViolation("annual_report.as_of", "基準日は今日以前にしてください (まだない日の人口は数えられません)。"));
            }
            if (p.To >= today)
            {
                problems.Add(new FieldViolation("annual_report.to", "期間は昨日までにしてください (今日の異動はまだ終わっていません)。"));
            }
            if (startedOn is { } started)
            {
                var month = GoLive(started);
                var old = $"{started:yyyy年M月}より前は旧システムで集計してください (この市の稼働日は {started:yyyy-MM-dd}、6.1#3)。";
                if (from.Trim().Length == 0 && p.From < month && p.To >= month)
                {
                    p = p with { From = month };
                }
                if (p.From < month)
                {
                    problems.Add(new FieldViolation("annual_report.from", old));
                }
                if (p.AsOf < month)
                {
                    problems.Add(new FieldViolation("annual_report.as_of", old));
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.InvalidField, problems[0].Description, problems);
        }
        return p;
    }

    /// <summary>The first day of the month a city went live: statistics are made from there (6.1#3).</summary>
    public static DateOnly GoLive(DateOnly startedOn) => new(startedOn.Year, startedOn.Month, 1);

    /// <summary>Where the job is: the tables counted (kept with the checkpoint), and how many are written.</summary>
    private sealed class Progress
    {
        public List<StatisticsTable> Tables { get; set; } = [];
        public int Written { get; set; }
    }

    /// <summary>
    /// First the tables are counted (one read of the history, kept with the checkpoint); then each
    /// is written as CSV and PDF, a step each; then the workbook and the access-log entry.
    /// </summary>
    public async Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken)
    {
        var p = JsonSerializer.Deserialize<Parameters>(job.Parameters)!;
        if (tenant.StartedOn is { } started && p.From < GoLive(started))
        {
            // A scheduled year the city went live in: its movement from that month on (6.1#3); a year
            // before it is the old system's.
            p = p.To >= GoLive(started) && p.AsOf >= GoLive(started) ? p with { From = GoLive(started) }
                : throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible,
                    $"{started:yyyy年M月}より前の年報は旧システムで作成してください (この市の稼働日は {started:yyyy-MM-dd}、6.1#3)。");
        }
        var progress = job.Checkpoint.Length == 0 ? null : JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;
        if (progress is null)
        {
            IReadOnlyList<StatisticsTable> counted = [];
            await JobSteps.InScopeAsync(scopes, job, async (services, ct) =>
                counted = await AnnualReport.ComputeAsync(services.GetRequiredService<SrsDbContext>(), services.GetRequiredService<RemovedRecordsArchive>().Db,
                    new AnnualReport.Period(p.AsOf, p.From, p.To), ct), cancellationToken);
            (job.Done, job.Total) = (1, counted.Count + 2);
            job.Checkpoint = JsonSerializer.Serialize(new Progress { Tables = [.. counted] });
            return false;
        }
        Directory.CreateDirectory(folder);
        var tables = progress.Tables;
        if (progress.Written < tables.Count)
        {
            var table = tables[progress.Written];
            var csv = Path.Combine(folder, table.Name + ".csv");
            await JobSteps.AppendCsvAsync(csv, 0, table.Headers, table.Rows.Select(r => r.ToArray()), cancellationToken);
            var widths = table.Headers.Select((_, i) => i == 0 ? 2.4f : 1f).ToList();
            await File.WriteAllBytesAsync(Path.Combine(folder, table.Name + ".pdf"),
                renderer.RenderTable(new TableContent(table.Title, $"{tenant.Name}　{Wareki.Format(p.AsOf)}現在・{Wareki.Format(p.From)}〜{Wareki.Format(p.To)}", table.Headers, widths, table.Rows, p.AsOf)),
                cancellationToken);
            progress.Written++;
            job.Done = progress.Written + 1;
            job.Checkpoint = JsonSerializer.Serialize(progress);
            return false;
        }
        // One workbook, a sheet per table, numbers as numbers.
        var sheets = tables.ToDictionary(t => t.Name, t => (object)t.Rows.Select(r => t.Headers.Select((h, i) => (h, (object)(i > 0 && long.TryParse(r[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : r[i])))
            .ToDictionary(x => x.h, x => x.Item2)).ToList());
        await MiniExcel.SaveAsAsync(Path.Combine(folder, Workbook), sheets, overwriteFile: true, cancellationToken: cancellationToken);
        var id = job.Id.ToString(CultureInfo.InvariantCulture);
        var population = tables[0].Rows[^1][3];
        if (progress.Written == tables.Count)
        {
            // Logged with the checkpoint that says so: a step cut after it does not log it twice.
            progress.Written++;
            var logged = JsonSerializer.Serialize(progress);
            await JobSteps.InTransactionAsync(scopes, job, async (services, register, token) =>
            {
                await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                    new AccessRecord(Function, [], false, AccessLogWriter.Ok,
                        $"ジョブ {job.Id} 年報: 基準日 {p.AsOf:yyyy-MM-dd} の人口 {population} 人、期間 {p.From:yyyy-MM-dd}〜{p.To:yyyy-MM-dd} の異動 (集計のみ、個人の記録は出力しない)"), token);
                job.Checkpoint = logged;
            }, cancellationToken);
        }
        job.Result = JsonSerializer.Serialize(new JobOutcome([$"{id}/{Workbook}", .. tables.SelectMany(t => new[] { $"{id}/{t.Name}.csv", $"{id}/{t.Name}.pdf" })],
            new Dictionary<string, long>
            {
                ["人口"] = long.Parse(population, CultureInfo.InvariantCulture),
                ["世帯"] = long.Parse(tables[1].Rows[^1][1], CultureInfo.InvariantCulture),
            }, []));
        job.Done = job.Total;
        return true;
    }

    /// <summary>A yearly run's 年報: population on 1 January of the year it was due, movement over the year before.</summary>
    public string Scheduled(string parameters, DateOnly due) => JsonSerializer.Serialize(Parameters.ForYear(due.Year));

    /// <summary>Counts only.</summary>
    public IReadOnlyCollection<string> Touched(JobRecord job) => [];
}
