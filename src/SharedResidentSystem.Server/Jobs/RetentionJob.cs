using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>
/// The retention the city's configuration sets, applied to what it keeps for a time (the 除票's
/// 150 years are 9.3's, RemovedRecordsArchiveJob): the 交付履歴 (1.3.8) issued before
/// retention.issuanceLedgerYears — each issuance with its copies, its 処分 and its 本人通知 — and
/// the access log (10.2) written before retention.accessLogYears. The access log is cut from its
/// head only: the last entry to go is first written, signed, as the chain's start outside the
/// database (CheckpointStore.SignStart), then the entries up to it are deleted page by page, so
/// the chain verifies from the start and a cut anywhere else is still found. Counted from the
/// day the job was started; each deletion in the access log.
/// </summary>
public sealed class RetentionJob(IServiceScopeFactory scopes, CheckpointStore checkpoints, IOptions<JobOptions> options, TimeProvider time) : IJobKind
{
    public const string KindName = "retention";
    private const string Ledger = "ledger";
    private const string Log = "log";
    private const string Logged = "logged";
    private const string Function = "/srs.jobs.v1.JobService/run " + KindName;

    /// <summary><paramref name="AsOf"/>: the day the job was started (JST).</summary>
    public sealed record Parameters(DateOnly AsOf);

    private sealed class Progress
    {
        public string Phase { get; set; } = "";
        /// <summary>What was issued or logged before this instant (UTC) has passed its retention.</summary>
        public DateTime LedgerBefore { get; set; }
        public DateTime LogBefore { get; set; }
        /// <summary>The last access-log entry to delete (signed as the chain's start); 0: not chosen yet.</summary>
        public long LogUpTo { get; set; }
        public Dictionary<string, long> Counts { get; set; } = new(StringComparer.Ordinal);
    }

    public string Kind => KindName;

    public Contracts.Jobs.V1.JobKind Contract => Contracts.Jobs.V1.JobKind.Retention;

    public string Title => "保存期間を経過した交付履歴・アクセスログの削除";

    public async Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken)
    {
        var progress = job.Checkpoint.Length == 0 ? new Progress() : JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;
        var asOf = JsonSerializer.Deserialize<Parameters>(job.Parameters)!.AsOf;
        switch (progress.Phase)
        {
            case "":
                // The start of the day that many years before, in Japan: what came before it has passed.
                progress.LedgerBefore = JapanTime.EndOfDayUtc(asOf.AddYears(-tenant.Retention.IssuanceLedgerYears).AddDays(-1));
                progress.LogBefore = JapanTime.EndOfDayUtc(asOf.AddYears(-tenant.Retention.AccessLogYears).AddDays(-1));
                progress.Phase = Ledger;
                (progress.Counts["交付履歴"], progress.Counts["アクセスログ"]) = (0, 0);
                job.Total = await db.Issuances.CountAsync(i => i.IssuedAt < progress.LedgerBefore, cancellationToken)
                    + await db.AccessLog.CountAsync(e => e.At < progress.LogBefore, cancellationToken);
                break;
            case Ledger:
                await LedgerPageAsync(job, progress, cancellationToken);
                break;
            default:
                if (progress.Phase == Logged || !await LogStepAsync(db, job, progress, tenant, cancellationToken))
                {
                    job.Result = JsonSerializer.Serialize(new JobOutcome([], progress.Counts, []));
                    job.Done = job.Total;
                    job.Checkpoint = JsonSerializer.Serialize(progress);
                    return true;
                }
                break;
        }
        job.Checkpoint = JsonSerializer.Serialize(progress);
        return false;
    }

    /// <summary>One page of issuances past their retention, deleted whole with its log entry (and the checkpoint, in one transaction).</summary>
    private async Task LedgerPageAsync(JobRecord job, Progress progress, CancellationToken cancellationToken)
    {
        var done = false;
        await JobSteps.InTransactionAsync(scopes, job, async (services, register, token) =>
        {
            var step = JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;
            var ids = await register.Issuances.AsNoTracking().Where(i => i.IssuedAt < step.LedgerBefore).OrderBy(i => i.Id).Select(i => i.Id)
                .Take(options.Value.PageSize).ToListAsync(token);
            if (ids.Count == 0)
            {
                step.Phase = Log;
                done = true;
            }
            else
            {
                await register.PersonalNotices.Where(n => ids.Contains(n.IssuanceId)).ExecuteDeleteAsync(token);
                await register.IssuedCopies.Where(c => ids.Contains(c.IssuanceId)).ExecuteDeleteAsync(token);
                await register.IssuanceDisposals.Where(d => ids.Contains(d.IssuanceId)).ExecuteDeleteAsync(token);
                await register.Issuances.Where(i => ids.Contains(i.Id)).ExecuteDeleteAsync(token);
                await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                    new AccessRecord(Function, [], false, AccessLogWriter.Ok,
                        $"ジョブ {job.Id} 保存期間を経過した交付履歴の削除: {Day(step.LedgerBefore)} より前の交付 {ids.Count:N0} 件 (交付番号 {ids[0]}〜{ids[^1]})"), token);
                step.Counts["交付履歴"] += ids.Count;
                job.Done = Math.Min(job.Total, job.Done + ids.Count);
            }
            job.Checkpoint = JsonSerializer.Serialize(step);
        }, cancellationToken);
        var now = JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;
        (progress.Phase, progress.Counts) = (done ? Log : now.Phase, now.Counts);
    }

    /// <summary>
    /// The access log's head: its last entry to go chosen and signed as the chain's start, then a
    /// page deleted per step; false when nothing (more) is to go.
    /// </summary>
    private async Task<bool> LogStepAsync(SrsDbContext db, JobRecord job, Progress progress, TenantDefinition tenant, CancellationToken cancellationToken)
    {
        if (progress.LogUpTo == 0)
        {
            var last = await db.AccessLog.AsNoTracking().Where(e => e.At < progress.LogBefore).OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(cancellationToken);
            var (start, _) = await checkpoints.ReadStartAsync(tenant.Code, cancellationToken);
            if (last is null || last.Sequence <= (start?.Sequence ?? 0))
            {
                return false;
            }
            // The start is written before anything is deleted: a cut deletion leaves entries the verification passes over.
            await checkpoints.WriteStartAsync(checkpoints.SignStart(tenant.Code, last.Sequence, last.Hash, time.GetUtcNow().UtcDateTime), cancellationToken);
            progress.LogUpTo = last.Sequence;
            return true;
        }
        var first = await db.AccessLog.AsNoTracking().Where(e => e.Sequence <= progress.LogUpTo).OrderBy(e => e.Sequence).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(cancellationToken);
        if (first is { } from)
        {
            var upTo = Math.Min(progress.LogUpTo, from + options.Value.PageSize - 1);
            var deleted = await db.AccessLog.Where(e => e.Sequence <= upTo).ExecuteDeleteAsync(cancellationToken);
            progress.Counts["アクセスログ"] += deleted;
            job.Done = Math.Min(job.Total, job.Done + deleted);
            return true;
        }
        if (progress.Counts["アクセスログ"] > 0)
        {
            // Logged with the checkpoint that says so: a step cut after it does not log it twice.
            progress.Phase = Logged;
            var logged = JsonSerializer.Serialize(progress);
            await JobSteps.InTransactionAsync(scopes, job, async (services, register, token) =>
            {
                await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                    new AccessRecord(Function, [], false, AccessLogWriter.Ok,
                        $"ジョブ {job.Id} 保存期間を経過したアクセスログの削除: {Day(progress.LogBefore)} より前の記録 {progress.Counts["アクセスログ"]:N0} 件 (番号 {progress.LogUpTo.ToString(CultureInfo.InvariantCulture)} まで)。以後の連鎖はこの番号の署名済みの始点から検証する"), token);
                job.Checkpoint = logged;
            }, cancellationToken);
        }
        return false;
    }

    /// <summary>The day (JST) an instant of the progress begins.</summary>
    private static string Day(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), JapanTime.Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string Scheduled(string parameters, DateOnly due) => JsonSerializer.Serialize(new Parameters(due));

    /// <summary>Nobody's record is read: the deletions are in the access log.</summary>
    public IReadOnlyCollection<string> Touched(JobRecord job) => [];
}
