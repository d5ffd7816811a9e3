using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Statistics;

/// <summary>One table of the 年報: a title, its column headings and rows (the first cell of each row is its heading).</summary>
public sealed record StatisticsTable(string Name, string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// 6.1 統計: the tables of the 住民基本台帳関係年報 and the items of the 入管 定期報告, computed from
/// the register's history (and the 除票用データベース's) for any 基準日 and period.
/// <para>
/// Population on the 基準日 is the register at the start of that day: each person as their newest
/// version valid before it (by 異動日) stands, as recorded now; whoever is a 住民 then counts, and so
/// does a 転出予定者 whose 転出予定年月日 has not passed (is on or after the 基準日, 6.1#4). Movement
/// over the period counts each person's 異動 whose 異動日 falls in it, by its 異動事由: 転入 (国内,
/// 国外), 出生, その他の記載 (職権記載 of every kind), 転出 (国内, 国外), 死亡, その他の消除 (職権消除 of
/// every kind); a 異動 later cancelled, and its 取消し, count neither. So the population on the day
/// after the period is the population on its first day plus its increase less its decrease.
/// Ages are full years on the 基準日; a birth date without its month is taken as 1 July, without its
/// day as the 15th; without its year, 年齢不詳.
/// </para>
/// </summary>
public sealed class AnnualReport
{
    public const string Japanese = "日本人住民";
    public const string Foreign = "外国人住民";

    /// <summary>The 基準日 and the period of the movement (both ends included).</summary>
    public sealed record Period(DateOnly AsOf, DateOnly From, DateOnly To);

    /// <summary>What a person's version the computation reads.</summary>
    public sealed record Row(string ResidentNumber, int HistoryNumber, DateOnly ValidFrom, ResidentState State, DateOnly? RemovalOn, int Sex, ResidentKind Kind,
        int BirthYear, int BirthMonth, int BirthDay, string HouseholdNumber, long IdouId, string Nationality, string ResidenceStatus);

    /// <summary>What a 異動 the movement reads.</summary>
    public sealed record Movement(long Id, string Reason, DateOnly OccurredOn, bool Counts);

    public static readonly string[] Increases = ["転入（国内）", "転入（国外）", "出生", "その他の記載"];
    public static readonly string[] Decreases = ["転出（国内）", "転出（国外）", "死亡", "その他の消除"];

    /// <summary>The column of the movement a 異動事由 counts in, or null.</summary>
    public static string? MovementOf(string reason) => reason switch
    {
        IdouReasons.DomesticMoveIn => Increases[0],
        IdouReasons.MoveInFromAbroad => Increases[1],
        IdouReasons.Birth => Increases[2],
        IdouReasons.OfficialEntry or IdouReasons.OfficialEntryNaturalization or IdouReasons.OfficialEntryLossOfNationality => Increases[3],
        IdouReasons.DomesticMoveOut => Decreases[0],
        IdouReasons.MoveOutAbroad => Decreases[1],
        IdouReasons.Death => Decreases[2],
        IdouReasons.OfficialRemoval or IdouReasons.OfficialRemovalNaturalization or IdouReasons.OfficialRemovalLossOfNationality => Decreases[3],
        _ => null,
    };

    /// <summary>The age band of 表3 (5-year bands to 100以上), or 年齢不詳.</summary>
    public static string AgeBand(Row p, DateOnly asOf)
    {
        if (p.BirthYear <= 0)
        {
            return "年齢不詳";
        }
        var month = p.BirthMonth is >= 1 and <= 12 ? p.BirthMonth : 7;
        var day = p.BirthDay is >= 1 and <= 31 ? Math.Min(p.BirthDay, DateTime.DaysInMonth(p.BirthYear, month)) : p.BirthMonth is >= 1 and <= 12 ? 15 : 1;
        var age = asOf.Year - p.BirthYear - (asOf.Month < month || (asOf.Month == month && asOf.Day < day) ? 1 : 0);
        return age < 0 ? "年齢不詳" : age >= 100 ? "100歳以上" : $"{age / 5 * 5}〜{age / 5 * 5 + 4}歳";
    }

    public static IEnumerable<string> AgeBands() => Enumerable.Range(0, 20).Select(i => $"{i * 5}〜{i * 5 + 4}歳").Append("100歳以上").Append("年齢不詳");

    private readonly Period _period;
    private readonly Dictionary<long, Movement> _events;
    private readonly Dictionary<(string Kind, int Sex), long> _population = [];
    private readonly Dictionary<string, (bool Japanese, bool Foreign)> _households = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Band, string Kind, int Sex), long> _ages = [];
    private readonly Dictionary<(string Column, string Kind, int Sex), long> _movement = [];
    private readonly Dictionary<string, long> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _nationalities = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Year, int Month, string Column), long> _residenceNotices = [];
    private Row? _standing;
    private string _person = "";

    public AnnualReport(Period period, IEnumerable<Movement> events)
    {
        _period = period;
        _events = events.ToDictionary(e => e.Id);
    }

    /// <summary>The versions of the city, each person's in 履歴番号 order, persons one after another.</summary>
    public void Add(Row row)
    {
        if (row.ResidentNumber != _person)
        {
            Close();
            _person = row.ResidentNumber;
        }
        if (row.ValidFrom < _period.AsOf)
        {
            _standing = row;
        }
        if (_events.TryGetValue(row.IdouId, out var e) && e.Counts && e.OccurredOn >= _period.From && e.OccurredOn <= _period.To)
        {
            if (MovementOf(e.Reason) is { } column)
            {
                Bump(_movement, (column, KindOf(row), row.Sex));
            }
            if (row.Kind == ResidentKind.Foreign && ResidenceNoticeOf(e.Reason) is { } notice)
            {
                Bump(_residenceNotices, (e.OccurredOn.Year, e.OccurredOn.Month, notice));
            }
        }
    }

    /// <summary>入管 定期報告: the 住居地 notices a foreign resident's 異動 stands for.</summary>
    public static string? ResidenceNoticeOf(string reason) => reason switch
    {
        IdouReasons.MoveInFromAbroad => "新規上陸後の住居地届出",
        IdouReasons.DomesticMoveIn => "住居地の変更届出（転入）",
        IdouReasons.AddressChange => "住居地の変更届出（転居）",
        _ => null,
    };

    private void Close()
    {
        if (_standing is { } p && (p.State == ResidentState.Active || (p.State == ResidentState.Removed && p.RemovalOn >= _period.AsOf)))
        {
            var kind = KindOf(p);
            Bump(_population, (kind, p.Sex));
            Bump(_ages, (AgeBand(p, _period.AsOf), kind, p.Sex));
            var (japanese, foreign) = _households.GetValueOrDefault(p.HouseholdNumber);
            _households[p.HouseholdNumber] = (japanese || p.Kind == ResidentKind.Japanese, foreign || p.Kind == ResidentKind.Foreign);
            if (p.Kind == ResidentKind.Foreign)
            {
                Bump(_statuses, p.ResidenceStatus.Length > 0 ? p.ResidenceStatus : "（在留資格なし・特別永住者等）");
                Bump(_nationalities, p.Nationality.Length > 0 ? p.Nationality : "（不詳）");
            }
        }
        _standing = null;
    }

    private static string KindOf(Row p) => p.Kind == ResidentKind.Foreign ? Foreign : Japanese;

    private static void Bump<TKey>(Dictionary<TKey, long> counts, TKey key) where TKey : notnull => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The tables, once every row was added.</summary>
    public IReadOnlyList<StatisticsTable> Tables()
    {
        Close();
        _person = "";
        string[] kinds = [Japanese, Foreign];
        long Population(string kind, int sex) => _population.GetValueOrDefault((kind, sex));
        var population = kinds.Select(k => (IReadOnlyList<string>)[k, N(Population(k, 1)), N(Population(k, 2)), N(Population(k, 1) + Population(k, 2) + Population(k, 0) + Population(k, 9)), N(Population(k, 0) + Population(k, 9))]).ToList();
        population.Add(["計", N(kinds.Sum(k => Population(k, 1))), N(kinds.Sum(k => Population(k, 2))), N(_population.Values.Sum()), N(kinds.Sum(k => Population(k, 0) + Population(k, 9)))]);
        var households = _households.Values.ToList();
        var japaneseOnly = households.Count(h => h.Japanese && !h.Foreign);
        var foreignOnly = households.Count(h => h.Foreign && !h.Japanese);
        var mixed = households.Count(h => h.Japanese && h.Foreign);

        var movement = new List<IReadOnlyList<string>>();
        foreach (var kind in kinds)
        {
            foreach (var (sex, label) in new[] { (1, "男"), (2, "女") })
            {
                var cells = Increases.Concat(Decreases).Select(c => _movement.GetValueOrDefault((c, kind, sex))).ToList();
                movement.Add([$"{kind} {label}", .. cells.Take(4).Select(N), N(cells.Take(4).Sum()), .. cells.Skip(4).Select(N), N(cells.Skip(4).Sum())]);
            }
        }
        var all = Increases.Concat(Decreases).Select(c => _movement.Where(m => m.Key.Column == c).Sum(m => m.Value)).ToList();
        movement.Add(["計", .. all.Take(4).Select(N), N(all.Take(4).Sum()), .. all.Skip(4).Select(N), N(all.Skip(4).Sum())]);

        var ages = AgeBands().Select(band => (IReadOnlyList<string>)[band,
            N(_ages.GetValueOrDefault((band, Japanese, 1))), N(_ages.GetValueOrDefault((band, Japanese, 2))),
            N(_ages.GetValueOrDefault((band, Foreign, 1))), N(_ages.GetValueOrDefault((band, Foreign, 2))),
            N(_ages.Where(a => a.Key.Band == band).Sum(a => a.Value))]).ToList();

        var notices = new[] { "新規上陸後の住居地届出", "住居地の変更届出（転入）", "住居地の変更届出（転居）" };
        var months = new List<(int Year, int Month)>();
        for (var m = new DateOnly(_period.From.Year, _period.From.Month, 1); m <= _period.To; m = m.AddMonths(1))
        {
            months.Add((m.Year, m.Month));
        }
        var immigration = months.Select(m => (IReadOnlyList<string>)[$"{m.Year}年{m.Month}月", .. notices.Select(n => N(_residenceNotices.GetValueOrDefault((m.Year, m.Month, n)))),
            N(notices.Sum(n => _residenceNotices.GetValueOrDefault((m.Year, m.Month, n))))]).ToList();
        immigration.Add(["計", .. notices.Select(n => N(_residenceNotices.Where(r => r.Key.Column == n).Sum(r => r.Value))), N(_residenceNotices.Values.Sum())]);

        var on = _period.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var span = $"{_period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}〜{_period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        return
        [
            new("表1_人口", $"表1 住民基本台帳人口（{on} 現在）", ["区分", "男", "女", "計", "性別不詳"], population),
            new("表2_世帯数", $"表2 世帯数（{on} 現在）", ["区分", "世帯数"],
                [["日本人住民のみの世帯", N(japaneseOnly)], ["外国人住民のみの世帯", N(foreignOnly)], ["複数国籍世帯", N(mixed)], ["計", N(households.Count)]]),
            new("表3_人口動態", $"表3 人口動態（{span}）", ["区分", .. Increases, "増加計", .. Decreases, "減少計"], movement),
            new("表4_年齢別人口", $"表4 年齢階級別人口（{on} 現在）", ["年齢", "日本人 男", "日本人 女", "外国人 男", "外国人 女", "計"], ages),
            new("入管1_在留資格別", $"入管 定期報告 在留資格別 外国人住民数（{on} 現在）", ["在留資格", "人数"],
                [.. _statuses.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => (IReadOnlyList<string>)[s.Key, N(s.Value)]), ["計", N(_statuses.Values.Sum())]]),
            new("入管2_国籍別", $"入管 定期報告 国籍・地域別 外国人住民数（{on} 現在）", ["国籍・地域", "人数"],
                [.. _nationalities.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => (IReadOnlyList<string>)[s.Key, N(s.Value)]), ["計", N(_nationalities.Values.Sum())]]),
            new("入管3_住居地届出", $"入管 定期報告 住居地届出等の件数（{span}）", ["月", .. notices, "計"], immigration),
        ];
    }

    /// <summary>
    /// Computes the tables from a store (and the 除票用データベース, whose persons the register does
    /// not hold), reading each store's versions once in 宛名番号 and 履歴番号 order.
    /// </summary>
    public static async Task<IReadOnlyList<StatisticsTable>> ComputeAsync(SrsDbContext register, SrsDbContext? archive, Period period, CancellationToken cancellationToken)
    {
        var events = new List<Movement>();
        foreach (var store in archive is null ? [register] : new[] { register, archive })
        {
            var cancelled = store.Idous.AsNoTracking().Where(i => i.CancelsIdouId != null && i.State == IdouState.Final).Select(i => i.CancelsIdouId!.Value);
            events.AddRange(await store.Idous.AsNoTracking()
                .Where(i => i.OccurredOn >= period.From && i.OccurredOn <= period.To)
                .Select(i => new Movement(i.Id, i.Reason, i.OccurredOn, i.State == IdouState.Final && i.CancelsIdouId == null && !cancelled.Contains(i.Id)))
                .ToListAsync(cancellationToken));
        }
        var report = new AnnualReport(period, events.DistinctBy(e => e.Id));
        HashSet<string>? held = null;
        foreach (var store in archive is null ? [register] : new[] { register, archive })
        {
            var rows = store.PersonVersions.AsNoTracking()
                .OrderBy(p => p.ResidentNumber).ThenBy(p => p.HistoryNumber)
                .Select(p => new Row(p.ResidentNumber, p.HistoryNumber, p.ValidFrom, p.State, p.RemovalOn, p.Sex, p.Kind, p.BirthYear, p.BirthMonth, p.BirthDay,
                    p.HouseholdNumber, p.IdouId, p.Nationality, p.ResidenceStatus))
                .AsAsyncEnumerable();
            var inRegister = store == register ? new HashSet<string>(StringComparer.Ordinal) : null;
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                // A copy the archive kept of someone the register holds again is not counted twice.
                if (held is not null && held.Contains(row.ResidentNumber))
                {
                    continue;
                }
                inRegister?.Add(row.ResidentNumber);
                report.Add(row);
            }
            held ??= inRegister;
        }
        return report.Tables();
    }
}
