using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Telemetry;

/// <summary>
/// The register's own traces and metrics (System.Diagnostics; the server exports them through
/// OpenTelemetry when configured). Tags carry only city codes, kinds and outcomes: never a name,
/// 宛名番号 or any other item of a person.
/// </summary>
public static class SrsTelemetry
{
    public const string Name = "SharedResidentSystem";

    public static readonly ActivitySource Source = new(Name, "1.0");

    public static readonly Meter Meter = new(Name, "1.0");

    /// <summary>異動 committed, by city, 記載/消除/修正 and 異動事由.</summary>
    public static readonly Counter<long> IdouRecorded = Meter.CreateCounter<long>("srs.idou.recorded", "{idou}", "異動 committed to the register");

    /// <summary>Certificate requests written to the ledger (issued or refused), by city, kind and outcome.</summary>
    public static readonly Counter<long> CertificatesIssued = Meter.CreateCounter<long>("srs.certificates.issued", "{certificate}", "Certificate requests committed to the issuance ledger");

    /// <summary>How long one commit of read access-log entries took (a read's answer waits for it).</summary>
    public static readonly Histogram<double> AuditCommitDuration = Meter.CreateHistogram<double>("srs.audit.commit.duration", "s", "Commit of a batch of access-log entries");

    /// <summary>Entries per access-log commit.</summary>
    public static readonly Histogram<long> AuditCommitEntries = Meter.CreateHistogram<long>("srs.audit.commit.entries", "{entry}", "Access-log entries in one commit");

    /// <summary>From a message's creation to its delivery, by city and topic (CS, 連携).</summary>
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>("srs.outbox.lag", "s", "Time from a 異動's outbox message to its delivery");

    /// <summary>Job steps taken, by city, kind and outcome.</summary>
    public static readonly Counter<long> JobSteps = Meter.CreateCounter<long>("srs.jobs.steps", "{step}", "Job steps taken");

    private static readonly ConcurrentDictionary<(string Tenant, long Id), (string Kind, long Done, long Total)> RunningJobs = new();

    static SrsTelemetry()
    {
        Meter.CreateObservableGauge("srs.jobs.progress", ObserveJobs, "1", "Share of its items a running job has done (0-1)");
        Meter.CreateObservableGauge("srs.jobs.done", ObserveDone, "{item}", "Items a running job has done");
    }

    /// <summary>A job's progress after a step; a job no longer running is forgotten.</summary>
    public static void JobProgress(string tenant, long id, string kind, long done, long total, bool running)
    {
        if (running)
        {
            RunningJobs[(tenant, id)] = (kind, done, total);
        }
        else
        {
            RunningJobs.TryRemove((tenant, id), out _);
        }
    }

    private static IEnumerable<Measurement<double>> ObserveJobs() =>
        RunningJobs.Where(j => j.Value.Total > 0).Select(j => new Measurement<double>(Math.Min(1.0, (double)j.Value.Done / j.Value.Total), JobTags(j.Key, j.Value.Kind)));

    private static IEnumerable<Measurement<long>> ObserveDone() =>
        RunningJobs.Select(j => new Measurement<long>(j.Value.Done, JobTags(j.Key, j.Value.Kind)));

    private static KeyValuePair<string, object?>[] JobTags((string Tenant, long Id) job, string kind) =>
        [new("srs.city", job.Tenant), new("srs.job.kind", kind), new("srs.job.id", job.Id)];

    /// <summary>
    /// A span of background work (a job step, a delivery round): from the source when traces are
    /// exported, else a plain activity, so that its log lines still carry a trace id.
    /// </summary>
    public static Activity Start(string name, string tenant)
    {
        var activity = Source.StartActivity(name, ActivityKind.Internal) ?? new Activity(name).Start();
        activity.SetTag("srs.city", tenant);
        return activity;
    }

    /// <summary>What a committed unit of work added, counted once it is durable.</summary>
    internal static void Committed(IReadOnlyList<object> added)
    {
        foreach (var entity in added)
        {
            switch (entity)
            {
                case Idou idou:
                    IdouRecorded.Add(1, new("srs.city", idou.TenantCode), new("srs.idou.category", idou.Category), new("srs.idou.reason", idou.Reason));
                    break;
                case Issuance issuance:
                    CertificatesIssued.Add(1, new("srs.city", issuance.TenantCode), new("srs.certificate.kind", issuance.Kind), new("srs.certificate.outcome", issuance.Outcome));
                    break;
            }
        }
    }
}
