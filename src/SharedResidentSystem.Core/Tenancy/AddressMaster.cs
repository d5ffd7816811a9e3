using System.Globalization;
using System.Text;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>How the places of a 町字 are numbered (1.3.2).</summary>
public enum LotNumbering
{
    /// <summary>No master: any 番地 as written is accepted.</summary>
    None,
    /// <summary>住居表示: 街区符号 and 住居番号 ("3番5号").</summary>
    Residence,
    /// <summary>地番: 本番 and 枝番 ("123番地の4").</summary>
    Lot,
}

/// <summary>
/// One line of the 住居表示・地番 master (1.3.2): in 丁目 <paramref name="Chome"/> (0 when the
/// 町字 has none), the 街区符号 (住居表示) or 本番 (地番) <paramref name="Number"/> with the
/// 住居番号 or 枝番 from <paramref name="From"/> to <paramref name="To"/> (枝番 0: the 本番 alone).
/// </summary>
public sealed record BlockEntry(int Chome, int Number, int From, int To);

/// <summary>An area of a 地区 (1.3.5): a 町字, all of it or some of its 丁目.</summary>
public sealed record DistrictArea(string Town, IReadOnlyList<int> Chome)
{
    public bool Covers(string town, int chome) => Town == town && (Chome.Count == 0 || Chome.Contains(chome));
}

/// <summary>地区 (1.3.5): a part of the city made of whole 町字 or 丁目.</summary>
public sealed record DistrictEntry(string Code, string Name, IReadOnlyList<DistrictArea> Areas);

/// <summary>
/// 番地・枝番・号 and the room number as numbers (1.3.2: "ソート機能のため…数値によりコード管理"):
/// read from the 番地 as written ("12番地の3", "3番5号", "１２－３") and the 方書's last number
/// ("コーポ本町203号室" → 203). A 特殊地番 (無番地 …) sorts after every number.
/// </summary>
public readonly record struct LotNumber(int Main, int Branch, int Sub, int Room)
{
    private const int Max = 99_999;

    /// <summary>The first 特殊地番's 本番 code: they come after every numbered lot.</summary>
    public const int SpecialBase = 90_000;

    private static readonly string[] Separators = ["番地の", "番地", "番の", "番", "号の", "号", "の", "-", "‐", "−", "ー", "―", "ｰ"];

    /// <summary>
    /// The numbers of a 番地 that is only numbers and the usual separators; null for anything
    /// else (a 特殊地番, a name, text after the numbers).
    /// </summary>
    public static IReadOnlyList<int>? ParseStrict(string banchi)
    {
        var text = banchi.Normalize(NormalizationForm.FormKC).Trim();
        var numbers = new List<int>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
                if (i - start > 5)
                {
                    return null;
                }
                numbers.Add(int.Parse(text.AsSpan(start, i - start), CultureInfo.InvariantCulture));
                continue;
            }
            var separator = numbers.Count == 0 ? null : Separators.FirstOrDefault(s => text.AsSpan(i).StartsWith(s, StringComparison.Ordinal));
            if (separator is null)
            {
                return null;
            }
            i += separator.Length;
        }
        return numbers.Count == 0 ? null : numbers;
    }

    /// <summary>The numbers found in a 番地 and 方書 as written, best effort (no number: 0).</summary>
    public static LotNumber Of(string banchi, string katagaki, TownEntry? town = null)
    {
        var special = -1;
        for (var i = 0; town is not null && i < town.SpecialLots.Count && special < 0; i++)
        {
            special = town.SpecialLots[i] == banchi.Trim() ? i : -1;
        }
        var numbers = special >= 0 ? [SpecialBase + special] : ParseStrict(banchi) ?? Digits(banchi);
        var room = Digits(katagaki);
        return new LotNumber(At(numbers, 0), At(numbers, 1), At(numbers, 2), room.Count > 0 ? Math.Min(room[^1], Max) : 0);
    }

    /// <summary>20 digits: 本番 (街区符号), 枝番 (住居番号), 号, 部屋番号, five each.</summary>
    public string Code => string.Create(CultureInfo.InvariantCulture, $"{Main:D5}{Branch:D5}{Sub:D5}{Room:D5}");

    private static int At(IReadOnlyList<int> numbers, int index) => index < numbers.Count ? Math.Min(numbers[index], Max) : 0;

    private static List<int> Digits(string text)
    {
        var normal = text.Normalize(NormalizationForm.FormKC);
        var numbers = new List<int>();
        var current = -1L;
        foreach (var c in normal.Append(' '))
        {
            if (char.IsAsciiDigit(c))
            {
                current = Math.Min((current < 0 ? 0 : current * 10) + (c - '0'), Max);
            }
            else if (current >= 0)
            {
                numbers.Add((int)current);
                current = -1;
            }
        }
        return numbers;
    }
}

/// <summary>The city's address master (1.3.2, 1.3.3, 1.3.5) as the register uses it.</summary>
public static class AddressMaster
{
    /// <summary>
    /// 住所コード (1.3.3): 11 digits, 都道府県 (2) + 市区町村 (3) of the 全国地方公共団体コード, then
    /// 大字 (3: the 町字's code in the dictionary) and 小字 (3: the 丁目, 000 for none).
    /// </summary>
    public static string AddressCode(TenantDefinition tenant, TownEntry town, int chome) =>
        string.Create(CultureInfo.InvariantCulture, $"{tenant.Code[..5]}{town.Code}{Math.Clamp(chome, 0, 999):D3}");

    /// <summary>The 地区 an address in the city lies in, or null.</summary>
    public static DistrictEntry? DistrictOf(TenantDefinition tenant, string town, int chome) =>
        tenant.Districts.FirstOrDefault(d => d.Areas.Any(a => a.Covers(town, chome)));

    /// <summary>
    /// Why a 番地 is not in the town's 住居表示・地番 master, or null when it is (or the town has no
    /// master). 住居表示: 街区符号 and 住居番号 (a third number, the 住居番号's 枝番, is allowed);
    /// 地番: 本番 and an optional 枝番 within the listed range; a 特殊地番 as listed.
    /// </summary>
    public static string? CheckLot(TownEntry town, int chome, string banchi)
    {
        if (town.Numbering == LotNumbering.None || town.Blocks.Count == 0 && town.SpecialLots.Count == 0)
        {
            return null;
        }
        if (town.SpecialLots.Contains(banchi.Trim()))
        {
            return null;
        }
        var place = chome > 0 ? $"{town.Name}{chome}丁目" : town.Name;
        var numbers = LotNumber.ParseStrict(banchi);
        // 住居表示 has no 番地: "3番地の5" there is a 地番 written where the 住居番号 belongs.
        if (numbers is null || town.Numbering == LotNumbering.Residence && banchi.Normalize(NormalizationForm.FormKC).Contains("番地", StringComparison.Ordinal))
        {
            return town.Numbering == LotNumbering.Residence
                ? $"{place}は住居表示の区域です。番地は「3番5号」のように街区符号と住居番号で入力してください。"
                : $"{place}の番地は「123番地」「123番地の4」のように地番で入力してください{Specials(town)}。";
        }
        var blocks = town.Blocks.Where(b => b.Chome == chome && b.Number == numbers[0]).ToList();
        if (blocks.Count == 0)
        {
            return town.Numbering == LotNumbering.Residence
                ? $"{place}に{numbers[0]}番 (街区符号) はありません。"
                : $"{place}に{numbers[0]}番地はありません{Specials(town)}。";
        }
        if (town.Numbering == LotNumbering.Residence)
        {
            if (numbers.Count < 2)
            {
                return $"{place}{numbers[0]}番の住居番号 (〜号) を入力してください。";
            }
            return blocks.Any(b => b.From <= numbers[1] && numbers[1] <= b.To) ? null
                : $"{place}{numbers[0]}番に{numbers[1]}号 (住居番号) はありません ({Ranges(blocks)}号)。";
        }
        var branch = numbers.Count > 1 ? numbers[1] : 0;
        if (numbers.Count > 2)
        {
            return $"{place}の地番は本番と枝番までです (「{numbers[0]}番地の{numbers[1]}」)。";
        }
        return blocks.Any(b => b.From <= branch && branch <= b.To) ? null
            : branch == 0 ? $"{place}{numbers[0]}番地には枝番が必要です ({Ranges(blocks)})。"
            : $"{place}{numbers[0]}番地に枝番 {branch} はありません ({Ranges(blocks)})。";
    }

    private static string Ranges(IEnumerable<BlockEntry> blocks) =>
        string.Join("、", blocks.Select(b => b.From == b.To ? $"{b.From}" : $"{b.From}〜{b.To}"));

    private static string Specials(TownEntry town) =>
        town.SpecialLots.Count == 0 ? "" : $" (特殊地番: {string.Join("、", town.SpecialLots)})";
}
