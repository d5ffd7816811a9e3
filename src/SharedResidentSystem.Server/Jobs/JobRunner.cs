using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>How the jobs run: how often the runner looks, and how many records one step reads.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    public double PollSeconds { get; set; } = 1;

    /// <summary>Records one step reads (each step is its own short transaction, so the counter is never held long).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>A pause (milliseconds) between steps, leaving the database to the counter.</summary>
    public int StepPauseMilliseconds { get; set; }

    /// <summary>
    /// While the counter is busy, how long (milliseconds) a job waits for a quiet moment before
    /// its next step; it takes the step anyway after that, so a job goes on, slowly, under a
    /// counter that never rests. 0: jobs do not wait for the counter.
    /// </summary>
    public int YieldMilliseconds { get; set; } = 2000;

    /// <summary>
    /// 9.1#8: where a job's abnormal end is reported (an HTTP endpoint of the operators' alerting
    /// system, given a JSON POST); empty: reported only in the operation and the access log.
    /// </summary>
    public string FailureWebhook { get; set; } = "";

    /// <summary>Seconds before a report the alerting system did not take is tried again.</summary>
    public double FailureRetrySeconds { get; set; } = 30;
}

/// <summary>Wakes the runner when a job is started (otherwise it looks every poll interval).</summary>
public sealed class JobSignal
{
    private TaskCompletionSource _turn = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() => Interlocked.Exchange(ref _turn, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Until woken or <paramref name="timeout"/> has passed (real time: an infrastructure wait).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var woken = Volatile.Read(ref _turn).Task;
        await Task.WhenAny(woken, Task.Delay(timeout, TimeProvider.System, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// Runs the cities' jobs in the background, one step at a time, every running job taking its
/// step in turn (a long job of one city or kind never holds back another): each step reads a
/// page and commits the job's checkpoint and progress, so that a crash loses at most the step
/// under way and the job goes on from its checkpoint when the server is back (a job found
/// Running that this process did not start is such a job: its resume is counted). A cancel takes
/// effect between steps. In a city, the oldest queued job of a kind starts only when none of its
/// kind runs. A finished job writes its access-log entry (who started it, what it gave, the
/// residents it touched) with its last step. One runner per database: several server instances
/// on one database are issue 23's.
/// </summary>
public sealed partial class JobRunner(IServiceScopeFactory scopes, TenantDirectory tenants, TimeProvider time, IOptions<JobOptions> options, IOptions<ServerOptions> server,
    JobSignal signal, IEnumerable<IJobKind> kinds, IHttpClientFactory http, CounterLoad counter, ILogger<JobRunner> logger) : BackgroundService
{
    private readonly Dictionary<string, IJobKind> _kinds = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    /// <summary>A new job, queued for the runner (by hand through JobService, or by a schedule).</summary>
    public static async Task<JobRecord> QueueAsync(SrsDbContext db, NumberIssuer numbers, Caller caller, string kind, string parameters, string reason, string schedule,
        DateTime now, CancellationToken cancellationToken)
    {
        var job = new JobRecord
        {
            TenantCode = caller.TenantCode,
            Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.Job, cancellationToken),
            Kind = kind,
            State = JobState.Queued,
            Parameters = parameters,
            Reason = reason,
            StaffId = caller.StaffId,
            TerminalId = caller.TerminalId,
            CreatedAt = now,
            Schedule = schedule,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        db.Jobs.Add(job);
        return job;
    }
    private readonly HashSet<(string Tenant, long Id)> _mine = [];

    /// <summary>The folder of one city's job outputs: {DataDirectory}/jobs/{city}.</summary>
    public static string CityFolder(ServerOptions options, string tenant) => Path.Combine(Path.GetFullPath(options.DataDirectory), "jobs", tenant);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var going = false;
                var busy = await BusyCitiesAsync(stoppingToken);
                foreach (var code in tenants.Codes)
                {
                    try
                    {
                        if (await ScheduleAsync(code, stoppingToken))
                        {
                            busy.Add(code);
                        }
                        if (!busy.Contains(code))
                        {
                            continue;
                        }
                        going |= await StepCityAsync(code, stoppingToken);
                        await ReportFailuresAsync(code, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        var withheld = Common.WithheldException.Of(e);
                        LogRoundFailed(logger, code, withheld);
                    }
                }
                if (going)
                {
                    // Jobs still running take their next steps at once (after the pause between steps, if any).
                    if (options.Value.StepPauseMilliseconds > 0)
                    {
                        // An infrastructure pause between steps, in real time.
                        await Task.Delay(TimeSpan.FromMilliseconds(options.Value.StepPauseMilliseconds), TimeProvider.System, stoppingToken);
                    }
                    continue;
                }
                // An infrastructure timer: the runner's rhythm is real time, not the register's clock.
                await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The cities with a job to step or a failure to report (none when the database cannot say: the round is skipped).</summary>
    private async Task<HashSet<string>> BusyCitiesAsync(CancellationToken cancellationToken)
    {
        try
        {
            // No caller: the one read across cities, of their codes.
            using var scope = scopes.CreateScope();
            return await JobWork.CitiesAsync(scope.ServiceProvider.GetRequiredService<SrsDbContext>(), options.Value.FailureWebhook.Length > 0, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var withheld = Common.WithheldException.Of(e);
            LogRoundFailed(logger, "*", withheld);
            return [];
        }
    }

    /// <summary>One step of each job of the city that may run now; whether any is still running after it.</summary>
    private async Task<bool> StepCityAsync(string code, CancellationToken cancellationToken)
    {
        List<JobRecord> runnable;
        using (var scope = Scope(code, "job-runner", "server"))
        {
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            var open = await db.Jobs.AsNoTracking().Where(j => j.State == JobState.Running || j.State == JobState.Queued).OrderBy(j => j.Id).ToListAsync(cancellationToken);
            runnable = [.. open.Where(j => j.State == JobState.Running)];
            runnable.AddRange(open.Where(j => j.State == JobState.Queued).GroupBy(j => j.Kind)
                .Where(g => !runnable.Any(r => r.Kind == g.Key)).Select(g => g.First()));
        }
        var going = false;
        foreach (var job in runnable)
        {
            await YieldToCounterAsync(cancellationToken);
            going |= await StepAsync(job, cancellationToken);
        }
        return going;
    }

    /// <summary>Waits (up to Jobs:YieldMilliseconds) for a quiet moment of the counter: jobs take their steps between its calls.</summary>
    private Task YieldToCounterAsync(CancellationToken cancellationToken) => counter.QuietAsync(TimeSpan.FromMilliseconds(options.Value.YieldMilliseconds), cancellationToken);

    /// <summary>
    /// 9.1: queues each scheduled run of the city that is due (once per run, told apart by its key;
    /// a run missed while the server was down is made up for within a day), in the name of the
    /// schedule, with its access-log entry. Whether it queued any.
    /// </summary>
    private async Task<bool> ScheduleAsync(string code, CancellationToken cancellationToken)
    {
        var schedules = tenants.Get(code).JobSchedules;
        var queued = false;
        if (schedules.Count == 0)
        {
            return queued;
        }
        var now = TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, SharedResidentSystem.Japanese.JapanTime.Zone);
        foreach (var schedule in schedules)
        {
            if (JobSchedules.LastDue(schedule, now) is not { } due || !_kinds.ContainsKey(schedule.Kind))
            {
                continue;
            }
            var key = JobSchedules.RunKey(schedule, due);
            // A run already queued is the usual case (every round of the day): known in memory once seen, else seen by a read, without taking the write turn.
            if (_runsSeen.GetValueOrDefault((code, schedule.Id)) == key)
            {
                continue;
            }
            using var scope = Scope(code, $"schedule:{schedule.Id}", "server");
            var transaction = scope.ServiceProvider.GetRequiredService<RegisterTransaction>();
            if (await transaction.Db.Jobs.AsNoTracking().AnyAsync(j => j.Schedule == key, cancellationToken))
            {
                _runsSeen[(code, schedule.Id)] = key;
                continue;
            }
            queued |= await transaction.RunAsync(async ct =>
            {
                var db = transaction.Db;
                if (await db.Jobs.AnyAsync(j => j.Schedule == key, ct))
                {
                    return 0;
                }
                // The day it was due is the run's 基準日.
                var parameters = _kinds[schedule.Kind].Scheduled(schedule.Parameters, DateOnly.FromDateTime(due));
                var job = await QueueAsync(db, scope.ServiceProvider.GetRequiredService<NumberIssuer>(), scope.ServiceProvider.GetRequiredService<CallerContext>().Required,
                    schedule.Kind, parameters, schedule.Reason, key, time.GetUtcNow().UtcDateTime, ct);
                await LogAsync(scope.ServiceProvider, job, [], $"ジョブ {job.Id} ({_kinds[schedule.Kind].Title}) をスケジュール {key} により開始: {schedule.Reason}", ct);
                return 1;
            }, cancellationToken) == 1;
        }
        return queued;
    }

    /// <summary>Of each schedule (city, schedule id), the key of its latest run known to be queued already.</summary>
    private readonly Dictionary<(string Tenant, string Schedule), string> _runsSeen = [];

    /// <summary>
    /// One step of a job, with its checkpoint and progress committed; whether it is still running
    /// after it (finished, failed or cancelled: not). Jobs take their steps in turn, so a long job
    /// of one city or kind never holds back another.
    /// </summary>
    private async Task<bool> StepAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (!_kinds.TryGetValue(job.Kind, out var kind))
        {
            return false;
        }
        // The first step this process takes: a job found RUNNING was cut by a crash and is resumed.
        var first = _mine.Add((job.TenantCode, job.Id));
        var resumed = first && job.State == JobState.Running;
        var tenant = tenants.Get(job.TenantCode);
        // Each step a span of its own (and a trace id on the lines it logs).
        using var activity = Core.Telemetry.SrsTelemetry.Start($"job step {job.Kind}", job.TenantCode);
        activity.SetTag("srs.job.kind", job.Kind);
        activity.SetTag("srs.job.id", job.Id);
        var folder = Path.Combine(CityFolder(server.Value, job.TenantCode), job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var scope = Scope(job.TenantCode, job.StaffId, job.TerminalId);
        var transaction = scope.ServiceProvider.GetRequiredService<RegisterTransaction>();
        var db = transaction.Db;
        var current = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id, cancellationToken);
        if (current.State is not (JobState.Running or JobState.Queued))
        {
            // Ended elsewhere (another instance, a cancellation): no longer shown as running.
            Core.Telemetry.SrsTelemetry.JobProgress(job.TenantCode, job.Id, job.Kind, current.Done, current.Total, running: false);
            return false;
        }
        if (current.State == JobState.Queued && !current.CancelRequested)
        {
            // RUNNING from the start of its first step: a job cut by a crash inside that step is
            // resumed (and counted so) like one cut later.
            await transaction.RunAsync(async ct =>
            {
                var row = await db.Jobs.SingleAsync(j => j.Id == job.Id, ct);
                if (row.State == JobState.Queued)
                {
                    (row.State, row.StartedAt, row.ConcurrencyStamp) = (JobState.Running, time.GetUtcNow().UtcDateTime, Guid.NewGuid());
                }
                return 0;
            }, cancellationToken);
        }
        bool finished;
        string? failure = null;
        try
        {
            // A reading step reads outside any write transaction (a kind whose steps write commits
            // its work with the checkpoint itself, JobSteps); then the job's row is written here.
            finished = !current.CancelRequested && await kind.StepAsync(db, current, tenant, folder, cancellationToken);
        }
        catch (Core.Errors.DomainException refused)
        {
            // What the job needs is not there (a CS not configured …): it ends FAILED with the reason.
            (finished, failure) = (true, $"{refused.Reason}: {refused.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var withheld = Common.WithheldException.Of(e);
            LogJobFailed(logger, job.TenantCode, job.Id, withheld);
            (finished, failure) = (true, $"{e.GetType().Name}: {e.Message}");
        }
        var state = await transaction.RunAsync(async ct =>
        {
            var row = await db.Jobs.SingleAsync(j => j.Id == job.Id, ct);
            var now = time.GetUtcNow().UtcDateTime;
            if (first || row.State == JobState.Queued)
            {
                row.StartedAt ??= now;
                row.Resumed += resumed ? 1 : 0;
                row.State = JobState.Running;
            }
            if (row.CancelRequested)
            {
                (row.State, row.FinishedAt) = (JobState.Cancelled, now);
                await LogAsync(scope.ServiceProvider, row, [], $"ジョブ {row.Id} ({kind.Title}) を取消し ({row.Done:N0} 件まで処理)", ct);
            }
            else
            {
                (row.Done, row.Total, row.Checkpoint) = (current.Done, current.Total, current.Checkpoint);
                if (failure is not null)
                {
                    (row.State, row.FinishedAt, row.Result) = (JobState.Failed, now, failure);
                    row.AlertPending = options.Value.FailureWebhook.Length > 0;
                    await LogAsync(scope.ServiceProvider, row, [], $"ジョブ {row.Id} ({kind.Title}) が異常終了: {failure}", ct, "JOB_FAILED");
                }
                else if (finished)
                {
                    (row.State, row.FinishedAt, row.Result) = (JobState.Succeeded, now, current.Result);
                    var outcome = JsonSerializer.Deserialize<JobOutcome>(current.Result)!;
                    await LogAsync(scope.ServiceProvider, row, kind.Touched(current),
                        $"ジョブ {row.Id} ({kind.Title}) 完了: {string.Join("、", outcome.Counts.Select(c => $"{c.Key} {c.Value:N0}"))}; 理由: {row.Reason}", ct);
                }
            }
            row.ConcurrencyStamp = Guid.NewGuid();
            return row.State;
        }, cancellationToken);
        Core.Telemetry.SrsTelemetry.JobSteps.Add(1, new KeyValuePair<string, object?>("srs.city", job.TenantCode), new KeyValuePair<string, object?>("srs.job.kind", job.Kind),
            new KeyValuePair<string, object?>("srs.job.state", state.ToString()));
        Core.Telemetry.SrsTelemetry.JobProgress(job.TenantCode, job.Id, job.Kind, current.Done, current.Total, state == JobState.Running);
        return state == JobState.Running;
    }

    public const string AlertClient = "job-alerts";
    private readonly Dictionary<(string Tenant, long Id), DateTimeOffset> _retryAfter = [];

    /// <summary>
    /// 9.1#8: each job of the city that ended FAILED is reported to the alerting system (a JSON
    /// POST to Jobs:FailureWebhook) until it answers 2xx; the report is marked sent with the job.
    /// One not taken is tried again after Jobs:FailureRetrySeconds.
    /// </summary>
    private async Task ReportFailuresAsync(string code, CancellationToken cancellationToken)
    {
        var webhook = options.Value.FailureWebhook;
        if (webhook.Length == 0)
        {
            return;
        }
        using var scope = Scope(code, "job-runner", "server");
        var transaction = scope.ServiceProvider.GetRequiredService<RegisterTransaction>();
        var pending = await transaction.Db.Jobs.AsNoTracking().Where(j => j.AlertPending).OrderBy(j => j.Id).ToListAsync(cancellationToken);
        var city = tenants.Get(code);
        foreach (var job in pending)
        {
            // The retry rhythm is real time (the alerting system's), not the register's clock.
            if (_retryAfter.TryGetValue((code, job.Id), out var after) && TimeProvider.System.GetUtcNow() < after)
            {
                continue;
            }
            var report = new
            {
                type = "srs.job.failed",
                city = code,
                cityName = city.Name,
                operation = $"{TenantResourceNames.Tenant(code)}/operations/{job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                kind = job.Kind,
                title = _kinds.TryGetValue(job.Kind, out var kind) ? kind.Title : job.Kind,
                staff = job.StaffId,
                terminal = job.TerminalId,
                reason = job.Reason,
                startedAt = job.StartedAt,
                failedAt = job.FinishedAt,
                error = job.Result,
            };
            try
            {
                using var client = http.CreateClient(AlertClient);
                using var answer = await client.PostAsJsonAsync(webhook, report, cancellationToken);
                answer.EnsureSuccessStatusCode();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogAlertNotTaken(logger, code, job.Id, e);
                _retryAfter[(code, job.Id)] = TimeProvider.System.GetUtcNow().AddSeconds(options.Value.FailureRetrySeconds);
                continue;
            }
            _retryAfter.Remove((code, job.Id));
            await transaction.RunAsync(async ct =>
            {
                var row = await transaction.Db.Jobs.SingleAsync(j => j.Id == job.Id, ct);
                row.AlertPending = false;
                row.ConcurrencyStamp = Guid.NewGuid();
                await LogAsync(scope.ServiceProvider, row, [], $"ジョブ {row.Id} ({report.title}) の異常終了を通報システムへ連携", ct);
                return 0;
            }, cancellationToken);
        }
    }

    private static Task LogAsync(IServiceProvider services, JobRecord job, IReadOnlyCollection<string> residents, string detail, CancellationToken ct, string outcome = AccessLogWriter.Ok) =>
        services.GetRequiredService<AccessLogWriter>().AppendAsync(services.GetRequiredService<CallerContext>().Required,
            new AccessRecord("/srs.jobs.v1.JobService/run " + job.Kind, residents, false, outcome, AccessLogWriter.Storable(detail, 1000)), ct);

    private IServiceScope Scope(string tenant, string staff, string terminal)
    {
        var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant, staff, terminal, new HashSet<string>()));
        return scope;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The job round of city {City} failed")]
    private static partial void LogRoundFailed(ILogger logger, string city, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alerting system did not take the failure of job {Id} of city {City}")]
    private static partial void LogAlertNotTaken(ILogger logger, string city, long id, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Id} of city {City} failed")]
    private static partial void LogJobFailed(ILogger logger, string city, long id, Exception exception);
}
