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
          "towns": [ { "name": "本町", "postalCode": "1890014", "chome": { "from": 1, "to": 4 } } ]
        }
        """;
}
