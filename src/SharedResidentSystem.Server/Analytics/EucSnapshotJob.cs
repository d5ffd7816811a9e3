using System.Globalization;
using System.Text.Json;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Jobs;

namespace SharedResidentSystem.Server.Analytics;

/// <summary>
/// 10.1 EUC: a new analytical copy of the city's register. First the whole register (and the
/// 除票用データベース) is written as the migration layout's files in one read snapshot — a reader
/// that holds no writer back; then each file becomes the copy's Parquet files, a step each; then the
/// copy is named current, with the access-log entry saying so. Cut by a crash, it goes on from its
/// last step (the export again if it was cut inside it).
/// </summary>
public sealed class EucSnapshotJob(IServiceScopeFactory scopes, EucSnapshots snapshots, MigrationLayout layout, TimeProvider time) : IJobKind
{
    public const string KindName = "eucSnapshot";
    private const string Function = "/srs.jobs.v1.JobService/run " + KindName;
    private const string ExportFolder = "export";

    private sealed class Progress
    {
        public DateTime TakenAt { get; set; }
        public List<string> Files { get; set; } = [];
        public int Converted { get; set; }
        public List<EucSnapshots.Table> Tables { get; set; } = [];
    }

    public string Kind => KindName;

    public Contracts.Jobs.V1.JobKind Contract => Contracts.Jobs.V1.JobKind.EucSnapshot;

    public string Title => "10.1 EUC データソースの更新";

    public async Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken)
    {
        var building = snapshots.Building(job.TenantCode, job.Id);
        var progress = job.Checkpoint.Length == 0 ? null : JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;
        if (progress is null)
        {
            if (Directory.Exists(building))
            {
                Directory.Delete(building, recursive: true);
            }
            var export = Path.Combine(building, ExportFolder);
            var takenAt = time.GetUtcNow().UtcDateTime;
            // On a thread of the lowest priority: the counter has the cores first (10.1#11).
            await JobSteps.InScopeAsync(scopes, job, (services, _) => Common.LowPriority.RunAsync(() =>
                MigrationExporter.Export(services.GetRequiredService<SrsDbContext>(), layout, export, services.GetRequiredService<IStorageProvider>().ReadSnapshot,
                    archive: services.GetRequiredService<RemovedRecordsArchive>().Db)), cancellationToken);
            var files = layout.Files.Where(f => EucData.Entities.Contains(f.Entity)).Select(f => f.Id).ToList();
            (job.Done, job.Total) = (1, files.Count + 2);
            job.Checkpoint = JsonSerializer.Serialize(new Progress { TakenAt = takenAt, Files = files });
            return false;
        }
        if (progress.Converted < progress.Files.Count)
        {
            var id = progress.Files[progress.Converted];
            progress.Tables.RemoveAll(t => layout.Files.Single(f => f.Id == id).File.StartsWith(t.Name + ".", StringComparison.Ordinal));
            progress.Tables.AddRange(await Common.LowPriority.RunAsync(() => EucSnapshots.Convert(layout, Path.Combine(building, ExportFolder), building, id)));
            progress.Converted++;
            job.Done = progress.Converted + 1;
            job.Checkpoint = JsonSerializer.Serialize(progress);
            return false;
        }
        var manifest = new EucSnapshots.Manifest(progress.TakenAt, job.Id, progress.Tables, [.. EucData.WithheldItems(layout)]);
        if (Directory.Exists(Path.Combine(building, ExportFolder)))
        {
            Directory.Delete(Path.Combine(building, ExportFolder), recursive: true);
        }
        // Logged, then named current: a crash between the two makes it again and logs it again, never the reverse.
        await JobSteps.InTransactionAsync(scopes, job, async (services, register, token) =>
            await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                new AccessRecord(Function, [], false, AccessLogWriter.Ok,
                    $"ジョブ {job.Id} EUC データソース: {progress.TakenAt:yyyy-MM-dd HH:mm:ss}Z 時点の写し ({string.Join("、", progress.Tables.Select(t => $"{t.Name} {t.Rows:N0} 行"))})"), token),
            cancellationToken);
        if (Directory.Exists(building))
        {
            snapshots.Publish(job.TenantCode, job.Id, manifest);
        }
        job.Result = JsonSerializer.Serialize(new JobOutcome([], progress.Tables.ToDictionary(t => t.Name, t => t.Rows), []));
        job.Done = job.Total;
        return true;
    }

    /// <summary>The copy names nobody: each extraction from it is logged with its persons.</summary>
    public IReadOnlyCollection<string> Touched(JobRecord job) => [];
}
