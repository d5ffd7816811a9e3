using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>
/// 9.3 除票用データベースへの移行 (Core/Jobs/RemovedRecordsArchiving) as a job, in phases:
/// move (each page of due 除票 copied to the archive, then deleted from the register in one
/// transaction with its access-log entry and the checkpoint; a 除票 changed meanwhile stays),
/// tidy (copies a cut move left in the archive of persons the register holds are removed), and
/// delete (除票 past their retention: logged with the checkpoint first, then deleted, so a cut step
/// deletes them again and never without the log). With restore: the 除票 named are copied back to
/// the register with their log entry, then deleted from the archive.
/// </summary>
public sealed class RemovedRecordsArchiveJob(IServiceScopeFactory scopes, IOptions<JobOptions> options) : IJobKind
{
    private const string Moving = "move";
    private const string Tidying = "tidy";
    private const string Deleting = "delete";
    private const string Restoring = "restore";
    private const string Restored = "restored";
    private const string Function = "/srs.jobs.v1.JobService/run " + RemovedRecordsArchiving.Kind;

    public string Kind => RemovedRecordsArchiving.Kind;

    public Contracts.Jobs.V1.JobKind Contract => Contracts.Jobs.V1.JobKind.RemovedRecordsArchive;

    public string Title => "9.3 除票用データベースへの移行";

    /// <summary>Persons a step moves: every version of each is read and written, so fewer than the page of other jobs.</summary>
    private int PageSize => Math.Max(1, options.Value.PageSize / 5);

    public async Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken)
    {
        var progress = RemovedRecordsArchiving.ProgressOf(job);
        var parameters = JsonSerializer.Deserialize<RemovedRecordsArchiving.Parameters>(job.Parameters)!;
        Directory.CreateDirectory(folder);
        switch (progress.Phase)
        {
            case "":
                return await StartAsync(job, progress, parameters, tenant, cancellationToken);
            case Moving:
                await MoveAsync(job, progress, folder, cancellationToken);
                return false;
            case Tidying:
                await TidyAsync(job, progress, cancellationToken);
                return false;
            case Deleting:
                return await DeleteAsync(job, progress, folder, cancellationToken);
            case Restoring:
                await RestoreAsync(job, progress, parameters, folder, cancellationToken);
                return false;
            default:
                // Restored: the copies are in the register; the archive's go.
                await JobSteps.InScopeAsync(scopes, job, (services, ct) =>
                    RemovedRecordsArchiving.DeleteAsync(services.GetRequiredService<RemovedRecordsArchive>().Db, parameters.Restore, ct), cancellationToken);
                return Finish(job, progress, RemovedRecordsArchiving.RestoredFile);
        }
    }

    private async Task<bool> StartAsync(JobRecord job, RemovedRecordsArchiving.Progress progress, RemovedRecordsArchiving.Parameters parameters, TenantDefinition tenant, CancellationToken cancellationToken)
    {
        if (parameters.Restore.Count > 0)
        {
            (progress.Phase, job.Total) = (Restoring, parameters.Restore.Count);
        }
        else
        {
            progress.Phase = Moving;
            progress.ArchiveBefore = RemovedRecordsArchiving.Before(parameters.AsOf, tenant.Retention.ArchiveAfterYears);
            progress.DeleteBefore = RemovedRecordsArchiving.Before(parameters.AsOf, tenant.Retention.RemovedRecordsYears);
            await JobSteps.InScopeAsync(scopes, job, async (services, ct) =>
            {
                var register = services.GetRequiredService<SrsDbContext>();
                var archive = services.GetRequiredService<RemovedRecordsArchive>().Db;
                job.Total = await RemovedRecordsArchiving.RemovedBefore(register, progress.ArchiveBefore).CountAsync(ct)
                    + await RemovedRecordsArchiving.RemovedBefore(archive, progress.DeleteBefore).CountAsync(ct);
            }, cancellationToken);
        }
        progress.Counts[Counted(progress.Phase)] = 0;
        job.Checkpoint = JsonSerializer.Serialize(progress);
        return false;
    }

    private static string Counted(string phase) => phase == Restoring ? "戻し" : "移行";

    /// <summary>One page of due 除票: copied to the archive, then taken out of the register with the log entry and the checkpoint.</summary>
    private async Task MoveAsync(JobRecord job, RemovedRecordsArchiving.Progress progress, string folder, CancellationToken cancellationToken)
    {
        List<PersonVersion> page = [];
        List<PersonVersion> due = [];
        await JobSteps.InScopeAsync(scopes, job, async (services, ct) =>
        {
            var register = services.GetRequiredService<SrsDbContext>();
            page = await RemovedRecordsArchiving.RemovedBefore(register, progress.ArchiveBefore)
                .Where(p => p.ResidentNumber.CompareTo(progress.After) > 0)
                .OrderBy(p => p.ResidentNumber).Take(PageSize).ToListAsync(ct);
            // Whoever a 仮登録 waits on stays until it is decided (its 決裁 records on them).
            var waiting = page.Count == 0 ? [] : await register.PendingIdous.AsNoTracking().Where(p => p.State == PendingState.Pending).Select(p => p.Targets).ToListAsync(ct);
            due = page.Where(p => !waiting.Any(t => t.Contains($",r:{p.ResidentNumber},", StringComparison.Ordinal))).ToList();
            if (due.Count > 0)
            {
                var archive = services.GetRequiredService<RemovedRecordsArchive>().Db;
                await InArchiveAsync(services, archive, token => RemovedRecordsArchiving.CopyAsync(register, archive, [.. due.Select(p => p.ResidentNumber)], token), ct);
            }
        }, cancellationToken);
        if (page.Count == 0)
        {
            (progress.Phase, progress.After) = (Tidying, "");
            job.Checkpoint = JsonSerializer.Serialize(progress);
            return;
        }
        await JobSteps.InTransactionAsync(scopes, job, async (services, register, token) =>
        {
            var step = RemovedRecordsArchiving.ProgressOf(job);
            // Read again in the transaction: a 除票 changed since it was copied (取消し, 再転入) stays.
            var numbers = due.Select(p => p.ResidentNumber).ToList();
            var now = await RemovedRecordsArchiving.RemovedBefore(register, step.ArchiveBefore).Where(p => numbers.Contains(p.ResidentNumber)).ToListAsync(token);
            var moving = now.Where(p => due.Any(d => d.ResidentNumber == p.ResidentNumber && d.HistoryNumber == p.HistoryNumber)).OrderBy(p => p.ResidentNumber, StringComparer.Ordinal).ToList();
            var movingNumbers = moving.Select(p => p.ResidentNumber).ToList();
            if (movingNumbers.Count > 0)
            {
                await RemovedRecordsArchiving.DeleteAsync(register, movingNumbers, token);
                if (await register.PersonVersions.AnyAsync(p => movingNumbers.Contains(p.ResidentNumber), token))
                {
                    // A version written between the read and the delete: the step is taken again.
                    throw new DbUpdateConcurrencyException("A 除票 being moved was changed meanwhile.");
                }
                await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                    new AccessRecord(Function, movingNumbers, false, AccessLogWriter.Ok,
                        $"ジョブ {job.Id} 除票用データベースへの移行: 消除日 {step.ArchiveBefore:yyyy-MM-dd} より前の除票 {moving.Count:N0} 人"), token);
                step.Lengths[RemovedRecordsArchiving.MovedFile] = await JobSteps.AppendCsvAsync(Path.Combine(folder, RemovedRecordsArchiving.MovedFile),
                    step.Lengths.GetValueOrDefault(RemovedRecordsArchiving.MovedFile), RemovedRecordsArchiving.Header, moving.Select(RemovedRecordsArchiving.Row), token);
            }
            Add(step, "移行", moving.Count);
            Add(step, "見送り（仮登録中）", page.Count - due.Count);
            Add(step, "見送り（処理中に変更）", due.Count - moving.Count);
            step.After = page[^1].ResidentNumber;
            job.Done = Math.Min(job.Total, job.Done + page.Count);
            job.Checkpoint = JsonSerializer.Serialize(step);
        }, cancellationToken);
    }

    private static void Add(RemovedRecordsArchiving.Progress progress, string count, long n)
    {
        if (n > 0)
        {
            progress.Counts[count] = progress.Counts.GetValueOrDefault(count) + n;
        }
    }

    /// <summary>One page of the archive's persons: those the register holds again lose the archive's copy.</summary>
    private async Task TidyAsync(JobRecord job, RemovedRecordsArchiving.Progress progress, CancellationToken cancellationToken)
    {
        await JobSteps.InScopeAsync(scopes, job, async (services, ct) =>
        {
            var archive = services.GetRequiredService<RemovedRecordsArchive>().Db;
            var register = services.GetRequiredService<SrsDbContext>();
            var page = await archive.PersonVersions.AsNoTracking().Where(p => p.ResidentNumber.CompareTo(progress.After) > 0)
                .Select(p => p.ResidentNumber).Distinct().OrderBy(n => n).Take(options.Value.PageSize).ToListAsync(ct);
            if (page.Count == 0)
            {
                (progress.Phase, progress.After) = (Deleting, "");
                progress.Counts.TryAdd("削除", 0);
                return;
            }
            var held = await register.PersonVersions.AsNoTracking().Where(p => page.Contains(p.ResidentNumber)).Select(p => p.ResidentNumber).Distinct().ToListAsync(ct);
            if (held.Count > 0)
            {
                await InArchiveAsync(services, archive, async token =>
                {
                    await RemovedRecordsArchiving.DeleteAsync(archive, held, token);
                    return 0;
                }, ct);
                progress.Counts["重複の解消"] = progress.Counts.GetValueOrDefault("重複の解消") + held.Count;
            }
            progress.After = page[^1];
        }, cancellationToken);
        job.Checkpoint = JsonSerializer.Serialize(progress);
    }

    /// <summary>
    /// 除票 past their retention: the deletion of the last page is finished, then the next page is
    /// logged with the checkpoint (and listed) before it is deleted.
    /// </summary>
    private async Task<bool> DeleteAsync(JobRecord job, RemovedRecordsArchiving.Progress progress, string folder, CancellationToken cancellationToken)
    {
        if (progress.Deleting.Count > 0)
        {
            await JobSteps.InScopeAsync(scopes, job, async (services, ct) =>
            {
                var archive = services.GetRequiredService<RemovedRecordsArchive>().Db;
                await InArchiveAsync(services, archive, async token =>
                {
                    await RemovedRecordsArchiving.DeleteAsync(archive, progress.Deleting, token);
                    return 0;
                }, ct);
            }, cancellationToken);
            progress.Deleting = [];
            job.Checkpoint = JsonSerializer.Serialize(progress);
            return false;
        }
        List<PersonVersion> past = [];
        var looked = 0;
        await JobSteps.InScopeAsync(scopes, job, async (services, ct) =>
        {
            var archive = services.GetRequiredService<RemovedRecordsArchive>().Db;
            var register = services.GetRequiredService<SrsDbContext>();
            past = await RemovedRecordsArchiving.RemovedBefore(archive, progress.DeleteBefore).Where(p => p.ResidentNumber.CompareTo(progress.After) > 0)
                .OrderBy(p => p.ResidentNumber).Take(PageSize).ToListAsync(ct);
            looked = past.Count;
            if (past.Count > 0)
            {
                progress.After = past[^1].ResidentNumber;
            }
            // A copy of someone the register holds again is not theirs to delete (the tidy phase removed it; this is a second look).
            var numbers = past.Select(p => p.ResidentNumber).ToList();
            var held = await register.PersonVersions.AsNoTracking().Where(p => numbers.Contains(p.ResidentNumber)).Select(p => p.ResidentNumber).Distinct().ToListAsync(ct);
            past.RemoveAll(p => held.Contains(p.ResidentNumber));
        }, cancellationToken);
        if (looked == 0)
        {
            return Finish(job, progress, RemovedRecordsArchiving.MovedFile, RemovedRecordsArchiving.DeletedFile);
        }
        if (past.Count == 0)
        {
            job.Checkpoint = JsonSerializer.Serialize(progress);
            return false;
        }
        var after = progress.After;
        await JobSteps.InTransactionAsync(scopes, job, async (services, register, token) =>
        {
            var step = RemovedRecordsArchiving.ProgressOf(job);
            var numbers = past.Select(p => p.ResidentNumber).ToList();
            await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                new AccessRecord(Function, numbers, false, AccessLogWriter.Ok,
                    $"ジョブ {job.Id} 保存期間を経過した除票の削除: 消除日 {step.DeleteBefore:yyyy-MM-dd} より前の除票 {numbers.Count:N0} 人を除票用データベースから削除"), token);
            step.Lengths[RemovedRecordsArchiving.DeletedFile] = await JobSteps.AppendCsvAsync(Path.Combine(folder, RemovedRecordsArchiving.DeletedFile),
                step.Lengths.GetValueOrDefault(RemovedRecordsArchiving.DeletedFile), RemovedRecordsArchiving.Header, past.Select(RemovedRecordsArchiving.Row), token);
            step.Counts["削除"] = step.Counts.GetValueOrDefault("削除") + numbers.Count;
            // Their 抑止 protect nobody any more: lifted with the deletion's log entry.
            Add(step, "抑止の解除", await services.GetRequiredService<Suppressions>().LiftForDeletedAsync(numbers, token));
            step.Deleting = numbers;
            step.After = after;
            job.Done = Math.Min(job.Total, job.Done + numbers.Count);
            job.Checkpoint = JsonSerializer.Serialize(step);
        }, cancellationToken);
        return false;
    }

    /// <summary>The 除票 named are copied back to the register (those it holds again are left), with their log entry.</summary>
    private async Task RestoreAsync(JobRecord job, RemovedRecordsArchiving.Progress progress, RemovedRecordsArchiving.Parameters parameters, string folder, CancellationToken cancellationToken)
    {
        await JobSteps.InTransactionAsync(scopes, job, async (services, register, token) =>
        {
            var step = RemovedRecordsArchiving.ProgressOf(job);
            var archive = services.GetRequiredService<RemovedRecordsArchive>().Db;
            var held = await register.PersonVersions.AsNoTracking().Where(p => parameters.Restore.Contains(p.ResidentNumber)).Select(p => p.ResidentNumber).Distinct().ToListAsync(token);
            var back = parameters.Restore.Except(held).ToList();
            var versions = await RemovedRecordsArchiving.CopyAsync(archive, register, back, token);
            var current = versions.GroupBy(v => v.ResidentNumber).Select(g => g.MaxBy(v => v.HistoryNumber)!).OrderBy(v => v.ResidentNumber, StringComparer.Ordinal).ToList();
            if (current.Count > 0)
            {
                await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                    new AccessRecord(Function, [.. current.Select(p => p.ResidentNumber)], false, AccessLogWriter.Ok,
                        $"ジョブ {job.Id} 除票用データベースから住民記録へ戻す: {current.Count:N0} 人 ({job.Reason})"), token);
            }
            step.Lengths[RemovedRecordsArchiving.RestoredFile] = await JobSteps.AppendCsvAsync(Path.Combine(folder, RemovedRecordsArchiving.RestoredFile), 0,
                RemovedRecordsArchiving.Header, current.Select(RemovedRecordsArchiving.Row), token);
            step.Counts["戻し"] = current.Count;
            step.Phase = Restored;
            job.Done = job.Total;
            job.Checkpoint = JsonSerializer.Serialize(step);
        }, cancellationToken);
    }

    private static bool Finish(JobRecord job, RemovedRecordsArchiving.Progress progress, params string[] files)
    {
        var id = job.Id.ToString(CultureInfo.InvariantCulture);
        job.Result = JsonSerializer.Serialize(new JobOutcome([.. files.Where(f => progress.Lengths.ContainsKey(f)).Select(f => $"{id}/{f}")], progress.Counts, []));
        job.Done = job.Total;
        job.Checkpoint = JsonSerializer.Serialize(progress);
        return true;
    }

    /// <summary>Work on the archive in one transaction of its own, retried as a whole on a transient fault.</summary>
    private static async Task InArchiveAsync<T>(IServiceProvider services, SrsDbContext archive, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var pipeline = RegisterTransaction.BuildPipeline(services.GetRequiredService<IStorageProvider>(), TimeProvider.System);
        await pipeline.ExecuteAsync(async token =>
        {
            archive.ChangeTracker.Clear();
            await using var transaction = await archive.Database.BeginTransactionAsync(token);
            await work(token);
            await archive.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            archive.ChangeTracker.Clear();
        }, cancellationToken);
    }

    public string Scheduled(string parameters, DateOnly due) => JsonSerializer.Serialize(new RemovedRecordsArchiving.Parameters([], due));

    /// <summary>Each page's residents are in its access-log entry.</summary>
    public IReadOnlyCollection<string> Touched(JobRecord job) => [];
}
