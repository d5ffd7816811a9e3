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
        if (tenant.Towns.All(t => t.Name != address.Town))
        {
            v.Add($"{path}.town", $"町字「{address.Town}」は{tenant.Name}の住所辞書にありません。");
        }
        if (address.Chome is < 0 or > 99)
        {
            v.Add($"{path}.chome", "丁目は0から99までです。");
        }
        v.Required($"{path}.banchi", address.Banchi, "番地");
    }

    /// <summary>Fills what the dictionary knows (prefecture, city, postal code, city code).</summary>
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
            PostalCode = town?.PostalCode ?? address.PostalCode.Trim(),
            LocalGovernmentCode = tenant?.Code ?? address.LocalGovernmentCode.Trim(),
            FreeText = address.FreeText.Trim(),
            Country = address.Country.Trim(),
        };
    }
}
