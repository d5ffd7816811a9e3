using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>
/// 9.5 閲覧用写し (Core/Jobs/InspectionCopy) as a job: the first pass commits each page's
/// residents taken with the checkpoint and an access-log entry naming them; the second writes
/// 閲覧用写し.csv and a PDF per page of the list (閲覧用写し_0001.pdf …), appending to what the
/// checkpoint says was written.
/// </summary>
public sealed class InspectionCopyJob(IServiceScopeFactory scopes, ICertificateRenderer renderer, IOptions<JobOptions> options) : IJobKind
{
    private const string Extracting = "extract";
    private const string Writing = "output";

    public string Kind => InspectionCopy.Kind;

    public Contracts.Jobs.V1.JobKind Contract => Contracts.Jobs.V1.JobKind.InspectionCopy;

    public string Title => "9.5 閲覧用写し";

    public async Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken)
    {
        var progress = InspectionCopy.ProgressOf(job);
        var pageSize = options.Value.PageSize;
        if (progress.Phase.Length == 0)
        {
            progress.Phase = Extracting;
            job.Total = 2L * await InspectionCopy.Register(db, job).CountAsync(v => v.State == ResidentState.Active, cancellationToken);
            job.Checkpoint = JsonSerializer.Serialize(progress);
            return false;
        }
        if (progress.Phase == Extracting)
        {
            await JobSteps.InTransactionAsync(scopes, job, async (services, transactionDb, token) =>
            {
                var step = InspectionCopy.ProgressOf(job);
                var taken = await InspectionCopy.ExtractPageAsync(transactionDb, services.GetRequiredService<ProtectionGate>(), job, step, tenant, pageSize, token);
                if (taken is null)
                {
                    (step.Phase, step.After) = (Writing, "");
                    job.Done = job.Total / 2;
                }
                else if (taken.Count > 0)
                {
                    await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                        new AccessRecord("/srs.jobs.v1.JobService/run " + InspectionCopy.Kind, taken, false, AccessLogWriter.Ok,
                            $"ジョブ {job.Id} 閲覧用写し: 宛名番号 {step.After} まで、{taken.Count:N0} 人を掲載"), token);
                }
                job.Checkpoint = JsonSerializer.Serialize(step);
            }, cancellationToken);
            return false;
        }
        var written = progress.Counts.GetValueOrDefault("書出し");
        var (rows, last) = await InspectionCopy.ListPageAsync(db, job, progress, written + 1, pageSize, cancellationToken);
        Directory.CreateDirectory(folder);
        progress.CsvLength = await JobSteps.AppendCsvAsync(Path.Combine(folder, InspectionCopy.CsvFile), progress.CsvLength, InspectionCopy.Header, rows, cancellationToken);
        var p = JsonSerializer.Deserialize<InspectionCopy.Parameters>(job.Parameters)!;
        if (rows.Count > 0 || progress.Pages == 0)
        {
            // The PDF of this page of the list (an empty list still gets its page, saying so).
            progress.Pages++;
            var area = string.Join("・", p.Districts.Select(d => tenant.Districts.FirstOrDefault(x => x.Code == d)?.Name ?? d).Concat(p.Towns));
            var subtitle = $"{tenant.Name}　基準日 {Wareki.Format(p.AsOf)}　区域 {(area.Length > 0 ? area : "全域")}　{(p.Order == InspectionCopy.AtRandom ? "無作為順" : "住所順")}"
                + (rows.Count > 0 ? $"　{rows[0][0]}〜{rows[^1][0]}" : "　該当なし");
            var table = new TableContent(InspectionCopy.Title, subtitle, InspectionCopy.Header, [1f, 3f, 2.2f, 0.8f, 7f], rows, p.AsOf);
            await File.WriteAllBytesAsync(Path.Combine(folder, PdfFile(progress.Pages)), renderer.RenderTable(table), cancellationToken);
        }
        if (rows.Count > 0)
        {
            progress.After = last;
            progress.Counts["書出し"] = written + rows.Count;
            job.Done = Math.Min(job.Total, job.Done + rows.Count);
            job.Checkpoint = JsonSerializer.Serialize(progress);
            return false;
        }
        var id = job.Id.ToString(CultureInfo.InvariantCulture);
        progress.Counts.Remove("書出し");
        progress.Counts.TryAdd("掲載", 0);
        job.Result = JsonSerializer.Serialize(new JobOutcome([$"{id}/{InspectionCopy.CsvFile}", .. Enumerable.Range(1, progress.Pages).Select(n => $"{id}/{PdfFile(n)}")],
            progress.Counts, []));
        job.Done = job.Total;
        job.Checkpoint = JsonSerializer.Serialize(progress);
        return true;
    }

    private static string PdfFile(int page) => string.Create(CultureInfo.InvariantCulture, $"閲覧用写し_{page:D4}.pdf");

    /// <summary>Each page's residents are in its access-log entry.</summary>
    public IReadOnlyCollection<string> Touched(JobRecord job) => [];
}
