namespace SharedResidentSystem.Testing;

/// <summary>Configuration documents for tests: the smallest valid city, to vary per test.</summary>
public static class TenantDocuments
{
    /// <summary>A valid document for a city with one office, terminal T001 (printer P-001), one mayor and one town.</summary>
    public static string Minimal(string code = "132136", string name = "東村山市", string mayor = "見本　太郎", string extra = "") => $$"""
        {
          "code": "{{code}}", "name": "{{name}}", "nameKana": "みほんし", "prefecture": "東京都",
          "offices": [ { "id": "honcho", "name": "本庁", "terminals": [ { "id": "T001", "name": "本庁1", "printers": [ { "id": "P-001", "name": "プリンタ001" } ] } ] } ],
          "authenticators": [ { "role": "mayor", "title": "{{name}}長", "name": "{{mayor}}", "from": "2020-01-01" } ],
          {{extra}}
          "towns": [ { "name": "本町", "code": "001", "postalCode": "1890014", "chome": { "from": 1, "to": 4 } } ]
        }
        """;

    /// <summary>
    /// A CSV in the shape of Japan Post's town list (local_government_code, city, postal_code,
    /// town) with the towns of a city's seed file, another city's row and the extra towns given.
    /// </summary>
    public static string PostalCsv(string code, params (string PostalCode, string Town)[] extra)
    {
        using var seed = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.TenantsDirectory, code + ".json")));
        var city = seed.RootElement.GetProperty("name").GetString();
        var lines = new List<string> { "local_government_code,city,postal_code,town", "999997,他市,1000001,他町" };
        foreach (var town in seed.RootElement.GetProperty("towns").EnumerateArray())
        {
            lines.Add($"{code},{city},{town.GetProperty("postalCode").GetString()},{town.GetProperty("name").GetString()}");
        }
        lines.AddRange(extra.Select(e => $"{code},{city},{e.PostalCode},{e.Town}"));
        return string.Join('\n', lines) + "\n";
    }
}
