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

/// <summary>
/// Many cities created by configuration only, for the scale runs (issue 23): the member cities'
/// seed documents and as many more minimal ones, each with a code of its own (its check digit
/// from <paramref name="checkDigit"/>) in one of the 47 prefectures.
/// </summary>
public static class ManyCities
{
    private static readonly string[] Prefectures =
    [
        "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
        "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
        "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
    ];

    /// <summary>
    /// Writes <paramref name="count"/> seed documents into <paramref name="directory"/> (the member
    /// cities' own among them); the codes of the cities written, the member cities first.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, int count, Func<string, int> checkDigit)
    {
        Directory.CreateDirectory(directory);
        var codes = new List<string>();
        foreach (var seed in Directory.GetFiles(RepositoryPaths.TenantsDirectory, "*.json").Order(StringComparer.Ordinal).Take(count))
        {
            File.Copy(seed, Path.Combine(directory, Path.GetFileName(seed)), overwrite: true);
            codes.Add(Path.GetFileNameWithoutExtension(seed));
        }
        for (var i = 0; codes.Count < count; i++)
        {
            // City numbers from 500 up: apart from every member city's (and from the real ones
            // this project's tests name).
            var prefecture = i % Prefectures.Length;
            var body = $"{prefecture + 1:00}{500 + i / Prefectures.Length:000}";
            var code = body + checkDigit(body);
            var json = TenantDocuments.Minimal(code, $"試験市{i + 1:0000}").Replace("\"東京都\"", $"\"{Prefectures[prefecture]}\"", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(directory, code + ".json"), json);
            codes.Add(code);
        }
        return codes;
    }
}
