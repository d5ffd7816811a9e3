using System.Text;
using SharedResidentSystem.Core.Residents;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>One place of the city's dictionary: a 町字 and one of its 丁目 (0 when it has none).</summary>
public sealed record AddressPlace(TownEntry Town, int Chome, string AddressCode, DistrictEntry? District);

/// <summary>
/// 住所入力補助 (1.3.3): the city's places found by 郵便番号 or by 住所カナ入力 — the first kana of
/// each part (都道府県 市区町村 町字, 市区町村 町字, or 町字 alone), matched loosely as names are.
/// </summary>
public static class AddressLookup
{
    public const int MaxCandidates = 100;

    /// <summary>Every place of the city, in the dictionary's order.</summary>
    public static IEnumerable<AddressPlace> Places(TenantDefinition tenant, TownEntry town) =>
        (town.Chome is { } range ? Enumerable.Range(range.From, range.To - range.From + 1) : [0])
        .Select(chome => new AddressPlace(town, chome, AddressMaster.AddressCode(tenant, town, chome), AddressMaster.DistrictOf(tenant, town.Name, chome)));

    public static IReadOnlyList<AddressPlace> Suggest(TenantDefinition tenant, string query)
    {
        var text = query.Normalize(NormalizationForm.FormKC).Trim().TrimStart('〒').Trim();
        var digits = text.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length is >= 3 and <= 7 && digits.All(char.IsAsciiDigit))
        {
            return tenant.Towns.Where(t => t.PostalCode.StartsWith(digits, StringComparison.Ordinal))
                .SelectMany(t => Places(tenant, t)).Take(MaxCandidates).ToList();
        }
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(KanaFolding.FoldKana).ToArray();
        if (parts.Length is 0 or > 3 || parts.Any(p => p.Length == 0))
        {
            return [];
        }
        var prefecture = Prefectures.ByCode(tenant.Code)?.Kana ?? "";
        if (parts.Length == 3 && !KanaFolding.FoldKana(prefecture).StartsWith(parts[0], StringComparison.Ordinal)
            || parts.Length >= 2 && !KanaFolding.FoldKana(tenant.NameKana).StartsWith(parts[^2], StringComparison.Ordinal))
        {
            return [];
        }
        return tenant.Towns.Where(t => t.Kana.Length > 0 && KanaFolding.FoldKana(t.Kana).StartsWith(parts[^1], StringComparison.Ordinal))
            .SelectMany(t => Places(tenant, t)).Take(MaxCandidates).ToList();
    }
}
