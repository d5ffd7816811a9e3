using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>
/// 9.2 抑止対象者一覧 as a job (the same list ListSuppressions pages through): each page of 抑止
/// appended to 抑止対象者一覧.csv with the residents it names in the access log and the
/// checkpoint; at the end the whole list as one PDF table. A moved 除票 (9.3) is named from the
/// 除票用データベース.
/// </summary>
public sealed class SuppressionListJob(IServiceScopeFactory scopes, ICertificateRenderer renderer, IOptions<JobOptions> options) : IJobKind
{
    public const string KindName = "suppressionList";
    public const string CsvFile = "抑止対象者一覧.csv";
    public const string PdfFile = "抑止対象者一覧.pdf";
    private const string Function = "/srs.jobs.v1.JobService/run " + KindName;

    public static readonly string[] Header = ["抑止番号", "宛名番号", "世帯番号", "氏名", "種類", "程度", "抑止する処理", "開始日", "終了日", "状態"];

    /// <summary><paramref name="IncludeLifted"/>: 解除された抑止 too; <paramref name="AsOf"/>: the day the job was started.</summary>
    public sealed record Parameters(bool IncludeLifted, DateOnly AsOf);

    private sealed class Progress
    {
        public long After { get; set; }
        public long CsvLength { get; set; }
        public long Listed { get; set; }
    }

    public string Kind => KindName;

    public Contracts.Jobs.V1.JobKind Contract => Contracts.Jobs.V1.JobKind.SuppressionList;

    public string Title => "9.2 抑止対象者一覧";

    public async Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken)
    {
        var progress = job.Checkpoint.Length == 0 ? new Progress() : JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;
        var parameters = JsonSerializer.Deserialize<Parameters>(job.Parameters)!;
        Directory.CreateDirectory(folder);
        var csv = Path.Combine(folder, CsvFile);
        var pageSize = options.Value.PageSize;
        var more = false;
        await JobSteps.InTransactionAsync(scopes, job, async (services, register, token) =>
        {
            var step = job.Checkpoint.Length == 0 ? new Progress() : JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;
            var page = await services.GetRequiredService<Suppressions>().ListSuppressionsAsync(parameters.IncludeLifted, step.After, pageSize + 1, token);
            more = page.Count > pageSize;
            var listed = page.Take(pageSize).ToList();
            var queries = services.GetRequiredService<ResidentQueries>();
            var rows = new List<string[]>();
            foreach (var (s, releases) in listed)
            {
                var person = s.ResidentNumber.Length > 0 ? await queries.GetAsync(s.ResidentNumber, null, null, token) : null;
                rows.Add(Row(s, releases, person));
            }
            step.CsvLength = await JobSteps.AppendCsvAsync(csv, step.CsvLength, Header, rows, token);
            var named = listed.Select(x => x.Suppression.ResidentNumber).Where(n => n.Length > 0).Distinct().ToList();
            if (named.Count > 0)
            {
                await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                    new AccessRecord(Function, named, false, AccessLogWriter.Ok, $"ジョブ {job.Id} 抑止対象者一覧: 抑止 {listed.Count:N0} 件を掲載"), token);
            }
            step.Listed += listed.Count;
            step.After = listed.Count > 0 ? listed[^1].Suppression.Id : step.After;
            (job.Done, job.Total) = (step.Listed, step.Listed + (more ? 1 : 0));
            job.Checkpoint = JsonSerializer.Serialize(step);
        }, cancellationToken);
        if (more)
        {
            return false;
        }
        // The whole list as one table (a city's 抑止 are hundreds, not millions).
        progress = JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;
        var lines = new List<IReadOnlyList<string>>();
        using (var reader = CsvText.Open(await File.ReadAllTextAsync(csv, cancellationToken)))
        {
            while (reader.Read())
            {
                lines.Add([.. Enumerable.Range(0, Header.Length).Select(reader.GetString)]);
            }
        }
        var subtitle = $"{tenant.Name}　{Wareki.Format(parameters.AsOf)}現在　{(parameters.IncludeLifted ? "解除されたものを含む" : "有効なもの")}　{lines.Count:N0} 件";
        await File.WriteAllBytesAsync(Path.Combine(folder, PdfFile),
            renderer.RenderTable(new TableContent("抑止対象者一覧", subtitle, Header, [1f, 1.3f, 1.3f, 2.4f, 1.2f, 0.9f, 1.8f, 1.3f, 1.3f, 1f], lines, parameters.AsOf)), cancellationToken);
        var id = job.Id.ToString(CultureInfo.InvariantCulture);
        job.Result = JsonSerializer.Serialize(new JobOutcome([$"{id}/{CsvFile}", $"{id}/{PdfFile}"], new Dictionary<string, long> { ["掲載"] = progress.Listed }, []));
        job.Done = job.Total = progress.Listed;
        return true;
    }

    private static string[] Row(Suppression s, IReadOnlyList<SuppressionRelease> releases, PersonVersion? person) =>
    [
        s.Id.ToString(CultureInfo.InvariantCulture),
        s.ResidentNumber,
        s.HouseholdNumber.Length > 0 ? s.HouseholdNumber : person?.HouseholdNumber ?? "",
        person is null ? "" : $"{person.FamilyName}　{person.GivenName}".Trim('　'),
        s.Category switch { SuppressionCategory.SupportMeasure => "支援措置", SuppressionCategory.ExclusiveControl => "排他制御", _ => "その他" },
        s.Level == SuppressionLevel.Error ? "エラー" : "アラート",
        string.Join("・", new[] { (SuppressedProcesses.Idou, "異動"), (SuppressedProcesses.Issuance, "証明書発行"), (SuppressedProcesses.Inquiry, "照会") }
            .Where(p => s.Processes.HasFlag(p.Item1)).Select(p => p.Item2)),
        s.StartsOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        s.EndsOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        !s.Active ? "解除" : releases.Count > 0 ? "一時解除中" : "有効",
    ];

    public string Scheduled(string parameters, DateOnly due) => JsonSerializer.Serialize(new Parameters(false, due));

    /// <summary>Each page's residents are in its access-log entry.</summary>
    public IReadOnlyCollection<string> Touched(JobRecord job) => [];
}
