using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Core.Jobs;

/// <summary>9.6's conditions, how many to draw, the seed and the strata, on the day the job was started.</summary>
public sealed record RandomExtractionParameters(int Sex, string BornFrom, string BornTo, IReadOnlyList<string> Districts, int ResidentKind, int Count, long Seed,
    string StratifyBy, DateOnly AsOf);

/// <summary>
/// 9.6 無作為抽出・条件指定抽出: residents (not 除票) who meet the conditions (性別, 生年月日, 地区,
/// 日本人・外国人の別) are drawn at random. The draw is reproducible: each resident's place is a
/// keyed hash of the seed and their 宛名番号, and the lowest places are drawn, so the same seed
/// over the same register draws the same residents, whatever the order of reading or a resume.
/// Stratified, the count is shared among the strata in proportion to their size (largest
/// remainders, ties by the stratum's name). The job reads the register as it was recorded when
/// the job was started (a 異動 recorded while it runs is not seen), twice, in pages: first the
/// size of each stratum, then the draw; its checkpoint (committed with each page) holds where it
/// is, the sizes and the residents drawn so far.
/// </summary>
public static class RandomExtraction
{
    public const string Kind = "randomExtraction";
    public const int MaxCount = 10_000;
    public const string FileName = "抽出結果.csv";

    public static readonly IReadOnlyList<string> Strata = ["", "sex", "district", "age10"];

    /// <summary>Where the job is: the pass (1: sizes, 2: the draw), the last 宛名番号 read, the sizes and the drawn.</summary>
    public sealed class Progress
    {
        public int Pass { get; set; } = 1;
        public string After { get; set; } = "";
        public Dictionary<string, long> Sizes { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<Pick>> Drawn { get; set; } = new(StringComparer.Ordinal);
    }

    /// <summary>A drawn resident and their place in the draw.</summary>
    public sealed record Pick(ulong Place, string Resident);

    /// <summary>Refuses conditions that cannot be met or contradict each other, naming the field.</summary>
    public static void Check(RandomExtractionParameters p, TenantDefinition tenant)
    {
        var problems = new List<FieldViolation>();
        const string prefix = "random_extraction.";
        if (p.Sex is < 0 or > 2)
        {
            problems.Add(new FieldViolation(prefix + "sex", "性別は 0（指定なし）、1（男）、2（女）のいずれかです。"));
        }
        if (p.ResidentKind is < 0 or > 2)
        {
            problems.Add(new FieldViolation(prefix + "resident_kind", "日本人・外国人の別は 0（両方）、1（日本人住民）、2（外国人住民）のいずれかです。"));
        }
        if (p.Count is < 1 or > MaxCount)
        {
            problems.Add(new FieldViolation(prefix + "count", $"抽出人数は 1 人から {MaxCount:N0} 人までです。"));
        }
        var from = Date(p.BornFrom, prefix + "born_from", problems);
        var to = Date(p.BornTo, prefix + "born_to", problems);
        if (from is not null && to is not null && from > to)
        {
            problems.Add(new FieldViolation(prefix + "born_to", "生年月日の終わりが始まりより前です。"));
        }
        for (var i = 0; i < p.Districts.Count; i++)
        {
            if (!tenant.Districts.Any(d => d.Code == p.Districts[i]))
            {
                problems.Add(new FieldViolation($"{prefix}districts[{i}]", $"地区コード「{p.Districts[i]}」は団体の設定にありません。"));
            }
        }
        if (!Strata.Contains(p.StratifyBy))
        {
            problems.Add(new FieldViolation(prefix + "stratify_by", "層の区分は 空欄・sex・district・age10 のいずれかです。"));
        }
        else if (p.StratifyBy == "district" && tenant.Districts.Count == 0)
        {
            problems.Add(new FieldViolation(prefix + "stratify_by", "団体の設定に地区がないため、地区で層別できません。"));
        }
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.InvalidField, "抽出の条件に誤りがあります。", problems);
        }
    }

    private static DateOnly? Date(string text, string field, List<FieldViolation> problems)
    {
        if (text.Length == 0)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        problems.Add(new FieldViolation(field, $"日付「{text}」は yyyy-MM-dd で入力してください。"));
        return null;
    }

    /// <summary>Whether a resident meets the conditions (a 除票 never does).</summary>
    public static bool Matches(PersonVersion person, RandomExtractionParameters p, TenantDefinition tenant)
    {
        if (person.State != ResidentState.Active
            || (p.Sex != 0 && person.Sex != p.Sex)
            || (p.ResidentKind == 1 && person.Kind != ResidentKind.Japanese)
            || (p.ResidentKind == 2 && person.Kind != ResidentKind.Foreign))
        {
            return false;
        }
        // A birth date with unknown parts compares as its known parts (an unknown month or day is 0).
        var born = (person.BirthYear * 10000) + (person.BirthMonth * 100) + person.BirthDay;
        if ((p.BornFrom.Length > 0 && born < Number(p.BornFrom)) || (p.BornTo.Length > 0 && born > Number(p.BornTo)))
        {
            return false;
        }
        return p.Districts.Count == 0 || (DistrictOf(person, tenant) is { } district && p.Districts.Contains(district));
    }

    private static int Number(string date) => int.Parse(date.Replace("-", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static string? DistrictOf(PersonVersion person, TenantDefinition tenant) => AddressMaster.DistrictOf(tenant, person.Address.Town, person.Address.Chome)?.Code;

    /// <summary>The stratum a resident falls in ("" when not stratified).</summary>
    public static string StratumOf(PersonVersion person, RandomExtractionParameters p, TenantDefinition tenant) => p.StratifyBy switch
    {
        "sex" => person.Sex switch { 1 => "男", 2 => "女", _ => "不明" },
        "district" => DistrictOf(person, tenant) ?? "地区外",
        "age10" => person.BirthYear == 0 ? "年齢不詳" : $"{Math.Max(0, Age(person, p.AsOf)) / 10 * 10}歳代",
        _ => "",
    };

    private static int Age(PersonVersion person, DateOnly asOf)
    {
        var age = asOf.Year - person.BirthYear;
        var month = Math.Max(person.BirthMonth, 1);
        var day = Math.Max(person.BirthDay, 1);
        return asOf.Month < month || (asOf.Month == month && asOf.Day < day) ? age - 1 : age;
    }

    /// <summary>A resident's place in the draw of <paramref name="seed"/>: a keyed hash of their 宛名番号.</summary>
    public static ulong PlaceOf(long seed, string residentNumber)
    {
        var key = BitConverter.GetBytes(seed);
        var hash = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(residentNumber));
        return BitConverter.ToUInt64(hash, 0);
    }

    /// <summary>How many of <paramref name="count"/> each stratum gets: in proportion to its size, the rest to the largest remainders.</summary>
    public static IReadOnlyDictionary<string, int> Allocate(IReadOnlyDictionary<string, long> sizes, int count)
    {
        var total = sizes.Values.Sum();
        var shares = new Dictionary<string, int>(StringComparer.Ordinal);
        if (total == 0)
        {
            return shares;
        }
        var wanted = (int)Math.Min(count, total);
        var remainders = new List<(string Stratum, long Remainder)>();
        foreach (var (stratum, size) in sizes.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var exact = (long)wanted * size;
            shares[stratum] = (int)(exact / total);
            remainders.Add((stratum, exact % total));
        }
        var left = wanted - shares.Values.Sum();
        foreach (var (stratum, _) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Stratum, StringComparer.Ordinal).Take(left))
        {
            shares[stratum]++;
        }
        return shares;
    }

    /// <summary>Keeps <paramref name="pick"/> if it is among the <paramref name="room"/> lowest places of its stratum.</summary>
    public static void Offer(List<Pick> drawn, Pick pick, int room)
    {
        if (room <= 0)
        {
            return;
        }
        var at = drawn.BinarySearch(pick, PickOrder.Instance);
        if (at >= 0)
        {
            return;
        }
        at = ~at;
        if (at >= room)
        {
            return;
        }
        drawn.Insert(at, pick);
        if (drawn.Count > room)
        {
            drawn.RemoveAt(drawn.Count - 1);
        }
    }

    private sealed class PickOrder : IComparer<Pick>
    {
        public static readonly PickOrder Instance = new();

        public int Compare(Pick? x, Pick? y)
        {
            var byPlace = x!.Place.CompareTo(y!.Place);
            return byPlace != 0 ? byPlace : string.CompareOrdinal(x.Resident, y.Resident);
        }
    }

    /// <summary>
    /// One step: a page of the register read in 宛名番号 order after the checkpoint. Returns true
    /// when the job has finished (the file written, <paramref name="job"/>'s result set).
    /// </summary>
    /// <param name="more">Given the drawn in order when the draw is complete, writes any further file (the 宛名シール) and returns its name.</param>
    public static async Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, int pageSize, CancellationToken cancellationToken,
        Func<IReadOnlyList<PersonVersion>, string?>? more = null)
    {
        var p = JsonSerializer.Deserialize<RandomExtractionParameters>(job.Parameters)!;
        var progress = job.Checkpoint.Length == 0 ? new Progress() : JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;
        // The register as it was recorded when the job was started: both passes, and a resume, read the same.
        var asRecorded = DateTime.SpecifyKind(job.CreatedAt, DateTimeKind.Utc);
        var register = db.PersonVersions.Where(v => v.RecordedAt <= asRecorded
            && !db.PersonVersions.Any(o => o.ResidentNumber == v.ResidentNumber && o.HistoryNumber > v.HistoryNumber && o.RecordedAt <= asRecorded));
        if (job.Total == 0)
        {
            job.Total = 2L * await register.CountAsync(v => v.State == ResidentState.Active, cancellationToken);
        }
        var after = progress.After;
        var page = await register.AsNoTracking()
            .Where(v => v.State == ResidentState.Active && v.ResidentNumber.CompareTo(after) > 0)
            .OrderBy(v => v.ResidentNumber)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        if (page.Count > 0)
        {
            var shares = progress.Pass == 2 ? Allocate(progress.Sizes, p.Count) : null;
            foreach (var person in page.Where(v => Matches(v, p, tenant)))
            {
                var stratum = StratumOf(person, p, tenant);
                if (shares is null)
                {
                    progress.Sizes[stratum] = progress.Sizes.GetValueOrDefault(stratum) + 1;
                    continue;
                }
                if (!progress.Drawn.TryGetValue(stratum, out var drawn))
                {
                    progress.Drawn[stratum] = drawn = [];
                }
                Offer(drawn, new Pick(PlaceOf(p.Seed, person.ResidentNumber), person.ResidentNumber), shares.GetValueOrDefault(stratum));
            }
            progress.After = page[^1].ResidentNumber;
            job.Done = Math.Min(job.Total, job.Done + page.Count);
            job.Checkpoint = JsonSerializer.Serialize(progress);
            return false;
        }
        if (progress.Pass == 1)
        {
            progress.Pass = 2;
            progress.After = "";
            job.Checkpoint = JsonSerializer.Serialize(progress);
            return false;
        }
        // The draw is complete: the drawn in the order of their places, each with their 宛名 (for labels).
        var picks = progress.Drawn.SelectMany(d => d.Value.Select(pick => (Stratum: d.Key, Pick: pick)))
            .OrderBy(x => x.Pick, PickOrder.Instance).ToList();
        var numbers = picks.Select(x => x.Pick.Resident).ToList();
        var persons = new Dictionary<string, PersonVersion>(StringComparer.Ordinal);
        foreach (var chunk in numbers.Chunk(500))
        {
            foreach (var person in await register.AsNoTracking().Where(v => chunk.Contains(v.ResidentNumber)).ToListAsync(cancellationToken))
            {
                persons[person.ResidentNumber] = person;
            }
        }
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, FileName);
        await using (var stream = File.Create(file))
        {
            WriteCsv(stream, picks.Select(x => (x.Stratum, persons[x.Pick.Resident])).ToList(), p.StratifyBy.Length > 0);
        }
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["対象者"] = progress.Sizes.Values.Sum(),
            ["抽出"] = picks.Count,
        };
        foreach (var (stratum, size) in progress.Sizes.Where(_ => p.StratifyBy.Length > 0))
        {
            counts[$"対象者:{stratum}"] = size;
            counts[$"抽出:{stratum}"] = progress.Drawn.GetValueOrDefault(stratum)?.Count ?? 0;
        }
        var extra = picks.Count > 0 ? more?.Invoke([.. picks.Select(x => persons[x.Pick.Resident])]) : null;
        var id = job.Id.ToString(CultureInfo.InvariantCulture);
        job.Result = JsonSerializer.Serialize(new JobOutcome([$"{id}/{FileName}", .. extra is null ? Array.Empty<string>() : [$"{id}/{extra}"]], counts,
            picks.Count < p.Count ? [$"条件に合う住民が {progress.Sizes.Values.Sum():N0} 人のため、{picks.Count:N0} 人を抽出しました。"] : []));
        job.Done = job.Total;
        return true;
    }

    /// <summary>The drawn as CSV (UTF-8 with a byte order mark): 抽出順位, 宛名番号, 氏名, カナ, 生年月日, 性別, 郵便番号, 住所 (the 宛名シール's items).</summary>
    private static void WriteCsv(Stream stream, List<(string Stratum, PersonVersion Person)> drawn, bool stratified)
    {
        using var csv = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvHelper.CsvInjection.Escape });
        csv.WriteHeader(stratified ? ["抽出順位", "層", "宛名番号", "氏名", "氏名カナ", "生年月日", "性別", "郵便番号", "住所"] : ["抽出順位", "宛名番号", "氏名", "氏名カナ", "生年月日", "性別", "郵便番号", "住所"]);
        for (var i = 0; i < drawn.Count; i++)
        {
            var (stratum, p) = drawn[i];
            var row = new List<string>
            {
                (i + 1).ToString(CultureInfo.InvariantCulture),
                p.ResidentNumber,
                $"{p.FamilyName}　{p.GivenName}".Trim('　'),
                $"{p.FamilyKana} {p.GivenKana}".Trim(),
                string.Create(CultureInfo.InvariantCulture, $"{p.BirthYear:D4}-{p.BirthMonth:D2}-{p.BirthDay:D2}"),
                p.Sex switch { 1 => "男", 2 => "女", _ => "" },
                p.Address.PostalCode,
                Residents.PersonMapping.Describe(p.Address),
            };
            if (stratified)
            {
                row.Insert(1, stratum);
            }
            csv.WriteRecord([.. row]);
        }
        csv.Flush();
    }
}
