using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Jobs;

/// <summary>
/// 9.3 除票用データベースへの移行, and the retention of 除票 (1.1.5: 150 years). A 除票 moves whole:
/// every version of the person, their search keys, and the 異動 that made them (a 異動 that also
/// made versions of someone who stays is copied and stays in the register too). Moving copies into
/// the target where missing (by key) and then deletes from the source, so a move cut anywhere is
/// made again from the start without loss or double rows; whoever the register holds is never read
/// from the archive (Residents/ResidentQueries), so a copy left behind by a cut move changes no answer
/// until the job removes it.
/// </summary>
public static class RemovedRecordsArchiving
{
    public const string Kind = "removedRecordsArchive";
    public const string MovedFile = "移行一覧.csv";
    public const string DeletedFile = "削除一覧.csv";
    public const string RestoredFile = "戻し一覧.csv";
    public const int MaxRestore = 100;

    /// <summary>The lists name the 除票 by number and 消除 only: a list of the deleted must not keep what was deleted.</summary>
    public static readonly string[] Header = ["宛名番号", "消除年月日", "消除事由"];

    /// <summary>
    /// <paramref name="Restore"/>: 除票 to bring back to the register (nothing else is done); none:
    /// the move and the deletion, counted from <paramref name="AsOf"/> (the day the job was started).
    /// </summary>
    public sealed record Parameters(IReadOnlyList<string> Restore, DateOnly AsOf);

    public sealed class Progress
    {
        public string Phase { get; set; } = "";
        public string After { get; set; } = "";
        /// <summary>The day before which a 消除 moves the 除票 (retention.archiveAfterYears before the job's day).</summary>
        public DateOnly ArchiveBefore { get; set; }
        /// <summary>The day before which a 消除 ends the 除票's retention (retention.removedRecordsYears before the job's day).</summary>
        public DateOnly DeleteBefore { get; set; }
        /// <summary>Logged as deleted, to be deleted from the archive before the next page (a cut step deletes them again).</summary>
        public List<string> Deleting { get; set; } = [];
        public Dictionary<string, long> Lengths { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Counts { get; set; } = new(StringComparer.Ordinal);
    }

    public static Progress ProgressOf(JobRecord job) => job.Checkpoint.Length == 0 ? new Progress() : JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;

    /// <summary>
    /// The first day on which a 消除 has not yet passed <paramref name="years"/> years on
    /// <paramref name="asOf"/>: a 除票 removed before it has (the day of the 消除 is not counted,
    /// so one removed on 2021-12-01 has passed five years on 2026-12-02).
    /// </summary>
    public static DateOnly Before(DateOnly asOf, int years) => asOf.AddYears(-years);

    /// <summary>The 除票 of a store whose 消除 is before <paramref name="before"/>, as their current versions.</summary>
    public static IQueryable<PersonVersion> RemovedBefore(SrsDbContext store, DateOnly before) =>
        store.CurrentVersions.AsNoTracking().Where(p => p.State == ResidentState.Removed && p.RemovalOn != null && p.RemovalOn < before);

    /// <summary>One row of a list: 宛名番号, 消除年月日, 消除事由.</summary>
    public static string[] Row(PersonVersion p) =>
        [p.ResidentNumber, p.RemovalOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", p.RemovalReason];

    /// <summary>Refuses what cannot be brought back, naming the field (removed_records_archive.restore[i]).</summary>
    public static async Task CheckRestoreAsync(IReadOnlyList<string> restore, SrsDbContext register, SrsDbContext archive, CancellationToken cancellationToken)
    {
        var problems = new List<FieldViolation>();
        if (restore.Count > MaxRestore)
        {
            problems.Add(new FieldViolation("removed_records_archive.restore", $"一度に戻せる除票は {MaxRestore} 人までです。"));
        }
        var numbers = restore.Distinct().ToList();
        var archived = await archive.PersonVersions.AsNoTracking().Where(p => numbers.Contains(p.ResidentNumber)).Select(p => p.ResidentNumber).Distinct().ToListAsync(cancellationToken);
        var held = await register.PersonVersions.AsNoTracking().Where(p => numbers.Contains(p.ResidentNumber)).Select(p => p.ResidentNumber).Distinct().ToListAsync(cancellationToken);
        for (var i = 0; i < restore.Count; i++)
        {
            var field = $"removed_records_archive.restore[{i}]";
            if (restore.Take(i).Contains(restore[i]))
            {
                problems.Add(new FieldViolation(field, $"宛名番号 {restore[i]} が重なっています。"));
            }
            else if (held.Contains(restore[i]))
            {
                problems.Add(new FieldViolation(field, $"宛名番号 {restore[i]} は住民記録にあります (除票用データベースから戻す必要はありません)。"));
            }
            else if (!archived.Contains(restore[i]))
            {
                problems.Add(new FieldViolation(field, $"宛名番号 {restore[i]} の除票は除票用データベースにありません。"));
            }
        }
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.InvalidField, problems[0].Description, problems);
        }
    }

    /// <summary>
    /// Adds to <paramref name="to"/> (tracked, saved by the caller) every row of the residents that
    /// <paramref name="from"/> holds and <paramref name="to"/> does not: versions, search keys, 異動.
    /// Returns the versions read.
    /// </summary>
    public static async Task<List<PersonVersion>> CopyAsync(SrsDbContext from, SrsDbContext to, IReadOnlyCollection<string> residents, CancellationToken cancellationToken)
    {
        var versions = await from.PersonVersions.AsNoTracking().Where(p => residents.Contains(p.ResidentNumber)).ToListAsync(cancellationToken);
        var keys = await from.PersonSearchKeys.AsNoTracking().Where(k => residents.Contains(k.ResidentNumber)).ToListAsync(cancellationToken);
        var idouIds = versions.Select(v => v.IdouId).Distinct().ToList();
        var idous = await from.Idous.AsNoTracking().Where(i => idouIds.Contains(i.Id)).ToListAsync(cancellationToken);

        var haveVersions = (await to.PersonVersions.AsNoTracking().Where(p => residents.Contains(p.ResidentNumber))
            .Select(p => new { p.ResidentNumber, p.HistoryNumber }).ToListAsync(cancellationToken)).Select(v => (v.ResidentNumber, v.HistoryNumber)).ToHashSet();
        var haveKeys = (await to.PersonSearchKeys.AsNoTracking().Where(k => residents.Contains(k.ResidentNumber))
            .Select(k => new { k.Key, k.ResidentNumber, k.HistoryNumber }).ToListAsync(cancellationToken)).Select(k => (k.Key, k.ResidentNumber, k.HistoryNumber)).ToHashSet();
        var haveIdous = (await to.Idous.AsNoTracking().Where(i => idouIds.Contains(i.Id)).Select(i => i.Id).ToListAsync(cancellationToken)).ToHashSet();

        to.PersonVersions.AddRange(versions.Where(v => !haveVersions.Contains((v.ResidentNumber, v.HistoryNumber))));
        to.PersonSearchKeys.AddRange(keys.Where(k => !haveKeys.Contains((k.Key, k.ResidentNumber, k.HistoryNumber))));
        to.Idous.AddRange(idous.Where(i => !haveIdous.Contains(i.Id)));
        return versions;
    }

    /// <summary>
    /// Deletes every version and search key of the residents from <paramref name="store"/>, and each
    /// 異動 that made them which no version left there refers to. The append-only rows of a person go
    /// whole, by a statement (never one version alone, never through the change tracker).
    /// </summary>
    public static async Task DeleteAsync(SrsDbContext store, IReadOnlyCollection<string> residents, CancellationToken cancellationToken)
    {
        var idouIds = await store.PersonVersions.AsNoTracking().Where(p => residents.Contains(p.ResidentNumber)).Select(p => p.IdouId).Distinct().ToListAsync(cancellationToken);
        await store.PersonSearchKeys.Where(k => residents.Contains(k.ResidentNumber)).ExecuteDeleteAsync(cancellationToken);
        await store.PersonVersions.Where(p => residents.Contains(p.ResidentNumber)).ExecuteDeleteAsync(cancellationToken);
        await store.Idous.Where(i => idouIds.Contains(i.Id) && !store.PersonVersions.Any(p => p.IdouId == i.Id)).ExecuteDeleteAsync(cancellationToken);
    }
}
