using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Jobs;

public enum JobState
{
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
    Cancelled = 5,
}

/// <summary>
/// One job of a city (バッチ処理, 9.x): who started it and why, its parameters, where it got to
/// (its checkpoint, committed with each step) and what it gave. A job cut by a crash is Running
/// with its last checkpoint: the runner goes on from there.
/// </summary>
public sealed class JobRecord : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long Id { get; set; }
    /// <summary>randomExtraction …</summary>
    public string Kind { get; set; } = "";
    public JobState State { get; set; }
    /// <summary>The parameters as started (JSON of the kind's parameters)</summary>
    public string Parameters { get; set; } = "";
    public string Reason { get; set; } = "";
    public string StaffId { get; set; } = "";
    public string TerminalId { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>Records looked at, of how many</summary>
    public long Done { get; set; }
    public long Total { get; set; }
    /// <summary>Where the job got to (the kind's own JSON); empty before its first step</summary>
    public string Checkpoint { get; set; } = "";
    /// <summary>What it gave (JobOutcome as JSON), once finished</summary>
    public string Result { get; set; } = "";
    public bool CancelRequested { get; set; }
    /// <summary>How many times it went on after the server stopped under it</summary>
    public int Resumed { get; set; }
    /// <summary>The scheduled run that started it ("{schedule id}@{due, JST}"; empty when started by hand)</summary>
    public string Schedule { get; set; } = "";
    /// <summary>9.1#8: a failure still to be reported to the alerting system (Jobs:FailureWebhook)</summary>
    public bool AlertPending { get; set; }
    public Guid ConcurrencyStamp { get; set; }
}

internal sealed class JobRecordConfiguration : IEntityTypeConfiguration<JobRecord>
{
    public void Configure(EntityTypeBuilder<JobRecord> builder)
    {
        builder.ToTable("Jobs");
        builder.HasKey(e => new { e.TenantCode, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Kind).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Parameters).HasMaxLength(4000);
        builder.Property(e => e.Reason).HasMaxLength(ColumnSizes.Text);
        builder.Property(e => e.StaffId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.TerminalId).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.CreatedAt).HasConversion(ColumnSizes.Utc);
        // The checkpoint and the result may be long (the drawn so far); no limit on any engine.
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.Property(e => e.Schedule).HasMaxLength(ColumnSizes.Short);
        builder.HasIndex(e => new { e.TenantCode, e.State });
        builder.HasIndex(e => new { e.TenantCode, e.Schedule });
    }
}

/// <summary>What a finished job gave: its files (relative to the city's job folder), counts and problems.</summary>
public sealed record JobOutcome(IReadOnlyList<string> Files, IReadOnlyDictionary<string, long> Counts, IReadOnlyList<string> Errors);

/// <summary>
/// One line of a job's work (9.7's definition rows, the households it found, what became of
/// each): written with the job's checkpoint in one transaction, so a resume neither repeats nor
/// loses a line, and a later job (the 本処理 of a 仮処理, the 取消し of a 本処理) reads them.
/// </summary>
public sealed class JobItem : ITenantOwned
{
    public string TenantCode { get; set; } = "";
    public long JobId { get; set; }
    /// <summary>definition / target / result (<see cref="JobItemParts"/>)</summary>
    public string Part { get; set; } = "";
    /// <summary>Its place in the part (a target keeps its number in the 本処理's results)</summary>
    public long Seq { get; set; }
    /// <summary>世帯番号 or 宛名番号</summary>
    public string Key { get; set; } = "";
    /// <summary>The kind's own JSON</summary>
    public string Data { get; set; } = "";
    /// <summary>Empty when taken (or done); else why it was left out</summary>
    public string Outcome { get; set; } = "";
    /// <summary>The 異動 it recorded (a 本処理 or 取消し)</summary>
    public long? IdouId { get; set; }
}

public static class JobItemParts
{
    public const string Definition = "definition";
    public const string Target = "target";
    public const string Result = "result";
    public const int OutcomeLength = 1000;
}

internal sealed class JobItemConfiguration : IEntityTypeConfiguration<JobItem>
{
    public void Configure(EntityTypeBuilder<JobItem> builder)
    {
        builder.ToTable("JobItems");
        builder.HasKey(e => new { e.TenantCode, e.JobId, e.Part, e.Seq });
        builder.Property(e => e.TenantCode).HasMaxLength(ColumnSizes.Tenant);
        builder.Property(e => e.Part).HasMaxLength(ColumnSizes.Short);
        builder.Property(e => e.Key).HasMaxLength(ColumnSizes.Short);
        // Data holds a household's members: no limit on any engine.
        builder.Property(e => e.Outcome).HasMaxLength(JobItemParts.OutcomeLength);
        builder.HasIndex(e => new { e.TenantCode, e.JobId, e.Part, e.Key });
    }
}

/// <summary>
/// The cities the job runner has something to do for: a job queued or running, or a failure
/// still to report. One read across cities (codes only, nothing of any job), so that a round of
/// the runner costs the same with three cities or with every city in Japan.
/// </summary>
public static class JobWork
{
    public static async Task<HashSet<string>> CitiesAsync(SrsDbContext db, bool failuresToReport, CancellationToken cancellationToken) =>
        (await db.Jobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.State == JobState.Running || j.State == JobState.Queued || (failuresToReport && j.AlertPending))
            .Select(j => j.TenantCode).Distinct().ToListAsync(cancellationToken))
        .ToHashSet(StringComparer.Ordinal);
}
