using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Core.Jobs;

/// <summary>
/// 9.5 住民基本台帳の一部の写し（閲覧用）: the four items the law lets a 閲覧 show (氏名, 出生の年月日,
/// 男女の別, 住所) of the residents of an area (地区 or 町字) who meet the conditions, in the order
/// of their 住所 or at random (a seed), as a whole list in CSV and PDF. Whoever has a 支援措置 or any
/// other 抑止 in force (on them or their household) is never in it: the count left out is given,
/// never who. The register is read as it was recorded when the job was started, in pages: the
/// first pass writes each resident taken as a <see cref="JobItem"/> keyed by their place in the
/// list (with an access-log entry per page naming them), the second writes the list in that order.
/// </summary>
public static class InspectionCopy
{
    public const string Kind = "inspectionCopy";
    public const string CsvFile = "閲覧用写し.csv";
    public const string ByAddress = "address";
    public const string AtRandom = "random";
    public const string Left = "除外（支援措置・抑止）";
    public const string Title = "住民基本台帳の一部の写し（閲覧用）";

    /// <summary>The area (地区 codes, 町字; neither: the whole city), the conditions, the order and its seed, the 基準日.</summary>
    public sealed record Parameters(IReadOnlyList<string> Districts, IReadOnlyList<string> Towns, int Sex, string BornFrom, string BornTo, string Order, long Seed,
        DateOnly AsOf);

    /// <summary>Where the job is: extracting (after a 宛名番号) or writing (after a place in the list), with what it has written.</summary>
    public sealed class Progress
    {
        public string Phase { get; set; } = "";
        public string After { get; set; } = "";
        public long Next { get; set; } = 1;
        public long CsvLength { get; set; }
        public int Pages { get; set; }
        public Dictionary<string, long> Counts { get; set; } = new(StringComparer.Ordinal);
    }

    public static Progress ProgressOf(JobRecord job) => job.Checkpoint.Length == 0 ? new Progress() : JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;

    /// <summary>The conditions as 9.6's (性別, 生年月日, 地区), which are checked the same way.</summary>
    private static RandomExtractionParameters Conditions(Parameters p) => new(p.Sex, p.BornFrom, p.BornTo, p.Districts, 0, 1, p.Seed, "", p.AsOf);

    /// <summary>Refuses conditions that cannot be met, naming the field (prefix inspection_copy.).</summary>
    public static void Check(Parameters p, TenantDefinition tenant)
    {
        var problems = new List<FieldViolation>();
        try
        {
            RandomExtraction.Check(Conditions(p), tenant);
        }
        catch (DomainException refused)
        {
            problems.AddRange(refused.Violations.Select(v => v with { Field = v.Field.Replace("random_extraction.", "inspection_copy.", StringComparison.Ordinal) }));
        }
        for (var i = 0; i < p.Towns.Count; i++)
        {
            if (!tenant.Towns.Any(t => t.Name == p.Towns[i]))
            {
                problems.Add(new FieldViolation($"inspection_copy.towns[{i}]", $"町字「{p.Towns[i]}」は{tenant.Name}の住所辞書にありません。"));
            }
        }
        if (p.Order is not (ByAddress or AtRandom))
        {
            problems.Add(new FieldViolation("inspection_copy.order", "並び順は address (住所順) か random (無作為) です。"));
        }
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.InvalidField, "閲覧用写しの条件に誤りがあります。", problems);
        }
    }

    public static bool Matches(PersonVersion person, Parameters p, TenantDefinition tenant) =>
        RandomExtraction.Matches(person, Conditions(p), tenant) && (p.Towns.Count == 0 || p.Towns.Contains(person.Address.Town));

    /// <summary>A resident's place in the list: by 住所コード, 番地 and 世帯, or by the seed's keyed hash.</summary>
    public static string PlaceOf(PersonVersion person, Parameters p) => p.Order == AtRandom
        ? string.Create(CultureInfo.InvariantCulture, $"{RandomExtraction.PlaceOf(p.Seed, person.ResidentNumber):x16}{person.ResidentNumber}")
        : $"{person.Address.AddressCode.PadLeft(11, '0')}{person.Address.LotCode.PadLeft(20, '0')}{person.HouseholdNumber}{person.ResidentNumber}";

    /// <summary>The register as it was recorded when the job was started.</summary>
    public static IQueryable<PersonVersion> Register(SrsDbContext db, JobRecord job)
    {
        var asRecorded = DateTime.SpecifyKind(job.CreatedAt, DateTimeKind.Utc);
        return db.PersonVersions.Where(v => v.RecordedAt <= asRecorded
            && !db.PersonVersions.Any(o => o.ResidentNumber == v.ResidentNumber && o.HistoryNumber > v.HistoryNumber && o.RecordedAt <= asRecorded));
    }

    /// <summary>
    /// The first pass: a page of residents after the checkpoint; those who meet the conditions
    /// and have no 抑止 become items (added to <paramref name="db"/>, to be committed with the
    /// checkpoint). Returns the residents taken, or null when the register has been read.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> ExtractPageAsync(SrsDbContext db, ProtectionGate gate, JobRecord job, Progress progress, TenantDefinition tenant, int pageSize,
        CancellationToken cancellationToken)
    {
        var p = JsonSerializer.Deserialize<Parameters>(job.Parameters)!;
        var after = progress.After;
        var page = await Register(db, job).AsNoTracking()
            .Where(v => v.State == ResidentState.Active && v.ResidentNumber.CompareTo(after) > 0)
            .OrderBy(v => v.ResidentNumber).Take(pageSize).ToListAsync(cancellationToken);
        if (page.Count == 0)
        {
            return null;
        }
        var matching = page.Where(v => Matches(v, p, tenant)).ToList();
        var protectedOnes = await gate.MarkedAsync([.. matching.Select(v => new ProtectionTarget(v.ResidentNumber, v.HouseholdNumber))], cancellationToken);
        var taken = new List<string>();
        foreach (var person in matching)
        {
            if (protectedOnes.Contains(person.ResidentNumber))
            {
                Count(progress, Left);
                continue;
            }
            db.JobItems.Add(new JobItem
            {
                TenantCode = job.TenantCode, JobId = job.Id, Part = JobItemParts.Target, Seq = progress.Next++, Key = PlaceOf(person, p), Data = person.ResidentNumber,
            });
            taken.Add(person.ResidentNumber);
            Count(progress, "掲載");
        }
        progress.After = page[^1].ResidentNumber;
        job.Done += page.Count;
        return taken;
    }

    private static void Count(Progress progress, string name) => progress.Counts[name] = progress.Counts.GetValueOrDefault(name) + 1;

    public static readonly IReadOnlyList<string> Header = ["番号", "氏名", "生年月日", "性別", "住所"];

    /// <summary>The second pass: the next page of the list in its order, as rows (番号 on from <paramref name="first"/>).</summary>
    public static async Task<(IReadOnlyList<string[]> Rows, string Last)> ListPageAsync(SrsDbContext db, JobRecord job, Progress progress, long first, int pageSize,
        CancellationToken cancellationToken)
    {
        var after = progress.After;
        var items = await db.JobItems.AsNoTracking().Where(i => i.JobId == job.Id && i.Part == JobItemParts.Target && i.Key.CompareTo(after) > 0)
            .OrderBy(i => i.Key).Take(pageSize).Select(i => new { i.Key, i.Data }).ToListAsync(cancellationToken);
        if (items.Count == 0)
        {
            return ([], "");
        }
        var numbers = items.Select(i => i.Data).ToList();
        var persons = await Register(db, job).AsNoTracking().Where(v => numbers.Contains(v.ResidentNumber)).ToDictionaryAsync(v => v.ResidentNumber, cancellationToken);
        var rows = items.Select((item, i) =>
        {
            var person = persons[item.Data];
            var name = $"{person.FamilyName}　{person.GivenName}".Trim('　') + (person.CommonName.Length > 0 ? $"（{person.CommonName}）" : "");
            return new[]
            {
                (first + i).ToString(CultureInfo.InvariantCulture),
                name,
                CertificateComposer.PartialDate(person.BirthYear, person.BirthMonth, person.BirthDay, person.Kind == ResidentKind.Foreign),
                person.Sex switch { 1 => "男", 2 => "女", _ => "" },
                PersonMapping.Describe(person.Address),
            };
        }).ToList();
        return (rows, items[^1].Key);
    }
}
