using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Core.Residents;

/// <summary>住所 in the city must come from its address dictionary (1.3.3); free text is not allowed there.</summary>
public static class AddressRules
{
    public static void CheckInCity(Violations v, string path, AddressValue address, TenantDefinition tenant)
    {
        if (address.IsEmpty)
        {
            v.Add(path, "住所を入力してください。");
            return;
        }
        if (!string.IsNullOrWhiteSpace(address.FreeText) || !string.IsNullOrWhiteSpace(address.Country))
        {
            v.Add($"{path}.free_text", "市内の住所は住所辞書から入力してください (自由入力はできません)。");
        }
        var town = tenant.Towns.FirstOrDefault(t => t.Name == address.Town);
        if (town is null)
        {
            v.Add($"{path}.town", $"町字「{address.Town}」は{tenant.Name}の住所辞書にありません。");
        }
        if (address.Chome is < 0 or > 99)
        {
            v.Add($"{path}.chome", "丁目は0から99までです。");
        }
        else if (town?.Chome is { } range && (address.Chome < range.From || address.Chome > range.To))
        {
            // The dictionary lists this 町字's 丁目 (1.3.3): no other may be entered.
            v.Add($"{path}.chome", $"{town.Name}の丁目は{range.From}から{range.To}までです。");
        }
        v.Required($"{path}.banchi", address.Banchi, "番地");
        if (!string.IsNullOrWhiteSpace(address.Banchi) && town is not null && address.Chome is >= 0 and <= 99
            && AddressMaster.CheckLot(town, address.Chome, address.Banchi) is { } outside)
        {
            // 1.3.2: where the city keeps a 住居表示・地番 master, only its places can be entered.
            v.Add($"{path}.banchi", outside);
        }
    }

    /// <summary>
    /// 転入前住所 or 転出先: free text is allowed. From or to abroad needs the country; in Japan
    /// the prefecture and city (or a free-text address).
    /// </summary>
    public static void CheckPrevious(Violations v, string path, AddressValue address, bool abroad, string label = "転入前住所")
    {
        if (address.IsEmpty)
        {
            v.Add(path, $"{label}を入力してください。");
            return;
        }
        if (abroad && string.IsNullOrWhiteSpace(address.Country))
        {
            v.Add($"{path}.country", $"国外の{label}には国名等を入力してください。");
        }
        if (!abroad && string.IsNullOrWhiteSpace(address.FreeText) && (string.IsNullOrWhiteSpace(address.Prefecture) || string.IsNullOrWhiteSpace(address.City)))
        {
            v.Add($"{path}.city", $"{label}の都道府県・市区町村を入力してください。");
        }
        CheckPostalCode(v, path, address, abroad, label);
    }

    /// <summary>
    /// 1.1.17: the 郵便番号 of an address outside the city (転入前住所, 転出先 planned or confirmed) is
    /// seven digits (a hyphen, 〒, spaces and full-width digits are taken); an address abroad has
    /// none (its own postcode belongs in the address as written). An address in the city takes its
    /// town's from the address dictionary.
    /// </summary>
    public static void CheckPostalCode(Violations v, string path, AddressValue address, bool abroad, string label)
    {
        if (string.IsNullOrWhiteSpace(address.PostalCode))
        {
            return;
        }
        if (abroad)
        {
            v.Add($"{path}.postal_code", $"国外の{label}に郵便番号は入力できません (その国の郵便番号は住所に書いてください)。");
        }
        else if (PostalCode(address.PostalCode) is not { Length: 7 } code || !code.All(char.IsAsciiDigit))
        {
            v.Add($"{path}.postal_code", $"{label}の郵便番号「{address.PostalCode.Trim()}」は7桁の数字で入力してください (例: 203-0053)。");
        }
    }

    /// <summary>A 郵便番号 as stored: seven digits, without 〒, hyphen or spaces, full-width digits made half-width.</summary>
    public static string PostalCode(string text) =>
        new([.. text.Normalize(System.Text.NormalizationForm.FormKC).Where(c => c is not ('〒' or '-' or '‐' or '−' or 'ー') && !char.IsWhiteSpace(c))]);

    /// <summary>
    /// Fills what the dictionary knows (prefecture, city, postal code, city code, and for an
    /// address in the city its 住所コード and the numbers of its 番地 and room, 1.3.2-3).
    /// </summary>
    public static StoredAddress ToStored(AddressValue address, TenantDefinition? tenant = null)
    {
        var town = tenant?.Towns.FirstOrDefault(t => t.Name == address.Town);
        return new StoredAddress
        {
            Prefecture = tenant?.Prefecture ?? address.Prefecture.Trim(),
            City = tenant?.Name ?? address.City.Trim(),
            Town = address.Town.Trim(),
            Chome = address.Chome,
            Banchi = address.Banchi.Trim(),
            Katagaki = address.Katagaki.Trim(),
            PostalCode = town?.PostalCode ?? PostalCode(address.PostalCode),
            LocalGovernmentCode = tenant?.Code ?? address.LocalGovernmentCode.Trim(),
            FreeText = address.FreeText.Trim(),
            Country = address.Country.Trim(),
            AddressCode = tenant is not null && town is not null ? AddressMaster.AddressCode(tenant, town, address.Chome) : "",
            LotCode = tenant is not null && town is not null ? LotNumber.Of(address.Banchi, address.Katagaki, town).Code : "",
        };
    }
}
