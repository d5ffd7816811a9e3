using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>
/// 9.7 住所一括変更 (Core/Jobs/AddressBulkChange) as a job. Unlike a reading job, each of its
/// steps writes: a page of the 仮処理's extraction in one transaction with the job's checkpoint;
/// in a 本処理 or 取消し, each household's 異動 in its own transaction with its result line, its
/// access-log entry and the checkpoint, so a crash neither repeats nor loses one. The lists
/// (and the 通知 PDFs) are written last, a page a step, from the stored lines.
/// </summary>
public sealed class AddressBulkChangeJob(IServiceScopeFactory scopes, ICertificateRenderer renderer, TimeProvider time, IOptions<JobOptions> options) : IJobKind
{
    private const string Extracting = "extract";
    private const string Recording = "record";
    private const string Writing = "output";

    /// <summary>
    /// Households a step of a 本処理 or 取消し records (each its own transaction): fewer than a page
    /// read, so that a step is short, the other jobs take theirs in turn and a cancel is soon seen.
    /// </summary>
    private const int RecordsPerStep = 10;

    public string Kind => AddressBulkChange.Kind;

    public Contracts.Jobs.V1.JobKind Contract => Contracts.Jobs.V1.JobKind.AddressBulkChange;

    public string Title => "9.7 住所一括変更";

    private static string Function => "/srs.jobs.v1.JobService/run " + AddressBulkChange.Kind;

    public async Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken)
    {
        var p = JsonSerializer.Deserialize<AddressBulkChange.Parameters>(job.Parameters)!;
        var progress = AddressBulkChange.ProgressOf(job);
        var pageSize = options.Value.PageSize;
        if (progress.Phase.Length == 0)
        {
            var lines = p.Mode == AddressBulkChange.Preview ? p.Rows
                : await db.JobItems.CountAsync(i => i.JobId == p.FromJob && i.Part == (p.Mode == AddressBulkChange.Apply ? JobItemParts.Target : JobItemParts.Result), cancellationToken);
            progress.Phase = p.Mode == AddressBulkChange.Preview ? Extracting : Recording;
            progress.After = p.Mode == AddressBulkChange.Undo ? long.MaxValue : 0;
            job.Total = 2L * lines;
            Save(job, progress);
            return false;
        }
        switch (progress.Phase)
        {
            case Extracting:
                await JobSteps.InTransactionAsync(scopes, job, async (services, transactionDb, token) =>
                {
                    var step = AddressBulkChange.ProgressOf(job);
                    var before = step.Next;
                    if (!await AddressBulkChange.ExtractPageAsync(transactionDb, job, step, tenant, pageSize, token))
                    {
                        (step.Phase, step.After) = (Writing, 0);
                        job.Total = job.Done + step.Next - 1;
                    }
                    else
                    {
                        // The 仮処理 reads residents' records: the page's households are in the access log.
                        var seen = transactionDb.ChangeTracker.Entries<JobItem>().Select(e => e.Entity)
                            .SelectMany(i => JsonSerializer.Deserialize<AddressBulkChange.Target>(i.Data)!.Members.Select(m => m.Resident)).ToList();
                        await services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
                            new AccessRecord(Function, seen, false, AccessLogWriter.Ok, $"ジョブ {job.Id} 仮処理: 定義 {step.After:N0} 行目まで、{step.Next - before:N0} 件"), token);
                        job.Done = Math.Min(job.Total, step.After);
                    }
                    Save(job, step);
                }, cancellationToken);
                return false;
            case Recording:
                await RecordPageAsync(db, job, p, progress, pageSize, cancellationToken);
                return false;
            default:
                return await WritePageAsync(db, job, p, progress, tenant, folder, pageSize, cancellationToken);
        }
    }

    /// <summary>
    /// 本処理 or 取消し: a page of the lines it works on, each in its own transaction (the 異動, the
    /// result line, the access-log entry and the checkpoint together).
    /// </summary>
    private async Task RecordPageAsync(SrsDbContext db, JobRecord job, AddressBulkChange.Parameters p, AddressBulkChange.Progress progress, int pageSize,
        CancellationToken cancellationToken)
    {
        var after = progress.After;
        pageSize = Math.Min(pageSize, RecordsPerStep);
        var lines = p.Mode == AddressBulkChange.Apply
            ? await db.JobItems.AsNoTracking().Where(i => i.JobId == p.FromJob && i.Part == JobItemParts.Target && i.Seq > after).OrderBy(i => i.Seq).Take(pageSize).ToListAsync(cancellationToken)
            : await db.JobItems.AsNoTracking().Where(i => i.JobId == p.FromJob && i.Part == JobItemParts.Result && i.Seq < after).OrderByDescending(i => i.Seq).Take(pageSize).ToListAsync(cancellationToken);
        if (lines.Count == 0)
        {
            (progress.Phase, progress.After) = (Writing, 0);
            Save(job, progress);
            return;
        }
        foreach (var line in lines)
        {
            await JobSteps.InTransactionAsync(scopes, job, async (services, transactionDb, token) =>
            {
                var register = services.GetRequiredService<RegisterService>();
                register.Entry = IdouEntry.Batch;
                var caller = services.GetRequiredService<CallerContext>().Required;
                var step = AddressBulkChange.ProgressOf(job);
                var target = JsonSerializer.Deserialize<AddressBulkChange.Target>(line.Data)!;
                var (outcome, idou) = p.Mode == AddressBulkChange.Apply
                    ? await ApplyAsync(transactionDb, register, caller, job, p, line, target, token)
                    : await UndoAsync(transactionDb, register, caller, job, line, SharedResidentSystem.Japanese.JapanTime.Today(time), token);
                transactionDb.JobItems.Add(new JobItem
                {
                    TenantCode = job.TenantCode,
                    JobId = job.Id,
                    Part = JobItemParts.Result,
                    Seq = line.Seq,
                    Key = line.Key,
                    Data = line.Data,
                    Outcome = AccessLogWriter.Storable(outcome, JobItemParts.OutcomeLength),
                    IdouId = idou,
                });
                AddressBulkChange.Count(step, outcome.Length == 0 ? p.Mode == AddressBulkChange.Apply ? "更新" : "取消し" : "除外");
                if (idou is not null)
                {
                    await services.GetRequiredService<AccessLogWriter>().AppendAsync(caller,
                        new AccessRecord(Function, [.. target.Members.Select(m => m.Resident)], false, AccessLogWriter.Ok,
                            $"ジョブ {job.Id} {(p.Mode == AddressBulkChange.Apply ? "本処理" : "取消し")}: 世帯 {target.Household} 異動 {idou}"), token);
                }
                step.After = line.Seq;
                job.Done++;
                Save(job, step);
            }, cancellationToken);
        }
    }

    /// <summary>One household's 軽微な修正, unless it was left out by the 仮処理 or changed since (then why).</summary>
    private static async Task<(string Outcome, long? Idou)> ApplyAsync(SrsDbContext db, RegisterService register, Caller caller, JobRecord job, AddressBulkChange.Parameters p,
        JobItem line, AddressBulkChange.Target target, CancellationToken cancellationToken)
    {
        if (line.Outcome.Length > 0)
        {
            return ("仮処理で除外: " + line.Outcome, null);
        }
        var address = p.Target == AddressBulkChange.TargetAddress;
        if (await AddressBulkChange.ChangedSinceAsync(db, target, address, cancellationToken) is { } changed)
        {
            return (changed, null);
        }
        try
        {
            var result = await register.BulkCorrectionAsync(caller, $"job-{job.Id.ToString(CultureInfo.InvariantCulture)}-{line.Seq.ToString(CultureInfo.InvariantCulture)}",
                new BulkCorrectionCommand([.. target.Members.Select(m => new ResidentRefValue(m.Resident, m.ETag))], address ? AddressBulkChange.NewAddress(target) : null,
                    address ? null : target.ToDomicile, p.EffectiveDate, $"住所一括変更 (ジョブ {job.Id}): {job.Reason}"), cancellationToken);
            return ("", result.IdouId);
        }
        catch (DomainException refused)
        {
            // What any 異動 must meet (a date before a later 異動, a 抑止 …) leaves the household out, listed.
            db.ChangeTracker.Clear();
            return (Explain(refused), null);
        }
    }

    /// <summary>The 取消し of one 異動 the 本処理 recorded (its later 異動 first: else listed).</summary>
    private static async Task<(string Outcome, long? Idou)> UndoAsync(SrsDbContext db, RegisterService register, Caller caller, JobRecord job, JobItem line, DateOnly today,
        CancellationToken cancellationToken)
    {
        if (line.IdouId is not { } recorded)
        {
            return ("本処理で更新していません。", null);
        }
        try
        {
            var result = await register.CancelAsync(caller, $"job-{job.Id.ToString(CultureInfo.InvariantCulture)}-{line.Seq.ToString(CultureInfo.InvariantCulture)}",
                new CancellationCommand(new IdouHeader("idou", null, today, new NotifierValue("", "職権"), []), recorded, [], $"住所一括変更の取消し (ジョブ {job.Id}): {job.Reason}"),
                cancellationToken);
            return ("", result.IdouId);
        }
        catch (DomainException refused)
        {
            db.ChangeTracker.Clear();
            return (Explain(refused), null);
        }
    }

    private static string Explain(DomainException refused) =>
        string.Join(" ", new[] { refused.Message }.Concat(refused.Violations.Select(v => v.Description)).Distinct());

    /// <summary>The list (and the 通知), a page of lines a step, appended to what the checkpoint says was written.</summary>
    private async Task<bool> WritePageAsync(SrsDbContext db, JobRecord job, AddressBulkChange.Parameters p, AddressBulkChange.Progress progress, TenantDefinition tenant,
        string folder, int pageSize, CancellationToken cancellationToken)
    {
        var part = p.Mode == AddressBulkChange.Preview ? JobItemParts.Target : JobItemParts.Result;
        var after = progress.After;
        var ascending = db.JobItems.AsNoTracking().Where(i => i.JobId == job.Id && i.Part == part);
        var page = p.Mode == AddressBulkChange.Undo
            ? await ascending.Where(i => after == 0 || i.Seq < after).OrderByDescending(i => i.Seq).Take(pageSize).ToListAsync(cancellationToken)
            : await ascending.Where(i => i.Seq > after).OrderBy(i => i.Seq).Take(pageSize).ToListAsync(cancellationToken);
        var name = p.Mode switch { AddressBulkChange.Preview => AddressBulkChange.PreviewFile, AddressBulkChange.Apply => AddressBulkChange.ResultFile, _ => AddressBulkChange.UndoFile };
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name);
        var taken = p.Mode switch { AddressBulkChange.Preview => "対象", AddressBulkChange.Apply => "更新", _ => "取消し" };
        progress.CsvLength = await JobSteps.AppendCsvAsync(file, progress.CsvLength, AddressBulkChange.ListHeader(p), page.Select(item => AddressBulkChange.ListRow(p, item, taken)),
            cancellationToken);
        var letters = p.Notices && p.Mode != AddressBulkChange.Undo
            ? page.Where(i => i.Outcome.Length == 0)
                .Select(i => AddressBulkChange.Notice(p, JsonSerializer.Deserialize<AddressBulkChange.Target>(i.Data)!, tenant,
                    SharedResidentSystem.Japanese.JapanTime.Today(time), after: p.Mode == AddressBulkChange.Apply)).ToList()
            : [];
        if (letters.Count > 0)
        {
            progress.Pages++;
            await File.WriteAllBytesAsync(Path.Combine(folder, NoticeFile(progress.Pages)), renderer.RenderLetters(letters), cancellationToken);
        }
        if (page.Count > 0)
        {
            progress.After = page[^1].Seq;
            job.Done = Math.Min(job.Total, job.Done + page.Count);
            Save(job, progress);
            return false;
        }
        var id = job.Id.ToString(CultureInfo.InvariantCulture);
        var excluded = await db.JobItems.AsNoTracking().Where(i => i.JobId == job.Id && i.Part == part && i.Outcome != "").OrderBy(i => i.Seq).Take(50)
            .Select(i => new { i.Key, i.Outcome }).ToListAsync(cancellationToken);
        job.Result = JsonSerializer.Serialize(new JobOutcome(
            [$"{id}/{name}", .. Enumerable.Range(1, progress.Pages).Select(n => $"{id}/{NoticeFile(n)}")],
            progress.Counts,
            [.. excluded.Select(e => $"{e.Key}: {e.Outcome}")]));
        job.Done = job.Total;
        Save(job, progress);
        return true;
    }

    private static string NoticeFile(int page) => string.Create(CultureInfo.InvariantCulture, $"通知書_{page:D4}.pdf");

    private static void Save(JobRecord job, AddressBulkChange.Progress progress) => job.Checkpoint = JsonSerializer.Serialize(progress);

    /// <summary>The residents a finished job touched are in its access-log entries of each page and household.</summary>
    public IReadOnlyCollection<string> Touched(JobRecord job) => [];
}
