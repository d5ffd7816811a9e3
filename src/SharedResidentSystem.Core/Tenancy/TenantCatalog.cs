using System.Globalization;
using System.Text.Json;
using SharedResidentSystem.Core.Numbers;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>A tenant file is wrong; the message names the file and the key.</summary>
public sealed class TenantConfigurationException(IReadOnlyList<string> problems)
    : Exception("団体設定に誤りがあります:\n" + string.Join('\n', problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Loads the member cities from one JSON file each (config/tenants/{code}.json).
/// Every problem of every file is reported at once, each as "file: $.key: message".
/// </summary>
public static class TenantCatalog
{
    public static IReadOnlyList<TenantDefinition> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new TenantConfigurationException([$"{directory}: 団体設定のフォルダがありません。"]);
        }
        var problems = new List<string>();
        var tenants = new List<TenantDefinition>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var tenant = Parse(file, File.ReadAllText(file), problems);
            if (tenant is not null)
            {
                tenants.Add(tenant);
            }
        }
        foreach (var duplicate in tenants.GroupBy(t => t.Code).Where(g => g.Count() > 1))
        {
            problems.Add($"{string.Join(", ", duplicate.Select(t => t.SourceFile))}: $.code: 団体コード {duplicate.Key} が重複しています。");
        }
        if (tenants.Count == 0 && problems.Count == 0)
        {
            problems.Add($"{directory}: 団体設定ファイル (*.json) が一つもありません。");
        }
        return problems.Count > 0 ? throw new TenantConfigurationException(problems) : tenants;
    }

    /// <summary>Parses one document; adds "file: $.key: message" lines to <paramref name="problems"/>.</summary>
    public static TenantDefinition? Parse(string sourceFile, string json, List<string> problems)
    {
        var before = problems.Count;
        void Problem(string path, string message) => problems.Add($"{sourceFile}: {path}: {message}");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            Problem($"line {e.LineNumber + 1}", $"JSONとして読めません ({e.Message})");
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Problem("$", "オブジェクトである必要があります。");
                return null;
            }
            string Text(string key, bool required = true)
            {
                if (root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0)
                {
                    return value.GetString()!.Trim();
                }
                if (required)
                {
                    Problem($"$.{key}", "必須です (空でない文字列)。");
                }
                return "";
            }

            var code = Text("code");
            if (code.Length > 0 && !CheckDigits.IsValidLocalGovernmentCode(code))
            {
                Problem("$.code", $"地方公共団体コード '{code}' は6桁で検査数字が正しい必要があります。");
            }
            var fileStem = Path.GetFileNameWithoutExtension(sourceFile);
            if (code.Length > 0 && fileStem != code)
            {
                Problem("$.code", $"ファイル名 '{fileStem}' と団体コード '{code}' が一致しません。");
            }
            var name = Text("name");
            var nameKana = Text("nameKana");
            var prefecture = Text("prefecture");
            var effectiveText = Text("effectiveFrom");
            var effectiveFrom = default(DateOnly);
            if (effectiveText.Length > 0 && !DateOnly.TryParseExact(effectiveText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out effectiveFrom))
            {
                Problem("$.effectiveFrom", $"日付 (yyyy-MM-dd) ではありません: '{effectiveText}'");
            }
            var towns = new List<TownEntry>();
            if (!root.TryGetProperty("towns", out var townArray) || townArray.ValueKind != JsonValueKind.Array)
            {
                Problem("$.towns", "必須です (町字の配列)。");
            }
            else
            {
                var index = 0;
                foreach (var town in townArray.EnumerateArray())
                {
                    var path = $"$.towns[{index++}]";
                    var townName = town.ValueKind == JsonValueKind.Object && town.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : "";
                    var postal = town.ValueKind == JsonValueKind.Object && town.TryGetProperty("postalCode", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()!.Trim() : "";
                    if (townName.Length == 0)
                    {
                        Problem($"{path}.name", "必須です。");
                    }
                    if (postal.Length != 7 || !postal.All(char.IsAsciiDigit))
                    {
                        Problem($"{path}.postalCode", $"郵便番号は7桁の数字です: '{postal}'");
                    }
                    towns.Add(new TownEntry(townName, postal));
                }
                foreach (var duplicate in towns.GroupBy(t => t.Name).Where(g => g.Count() > 1 && g.Key.Length > 0))
                {
                    Problem("$.towns", $"町字 '{duplicate.Key}' が重複しています。");
                }
            }
            var approval = new HashSet<string>(StringComparer.Ordinal);
            if (root.TryGetProperty("approval", out var approvalElement))
            {
                if (approvalElement.ValueKind != JsonValueKind.Object || !approvalElement.TryGetProperty("requiredFor", out var required) || required.ValueKind != JsonValueKind.Array)
                {
                    Problem("$.approval", "{ \"requiredFor\": [異動事由, ...] } の形式で指定してください。");
                }
                else
                {
                    var index = 0;
                    foreach (var reason in required.EnumerateArray())
                    {
                        var text = reason.ValueKind == JsonValueKind.String ? reason.GetString()! : "";
                        if (!Registration.IdouReasons.IsKnown(text))
                        {
                            Problem($"$.approval.requiredFor[{index}]", $"「{text}」は異動事由 (1.2.2) ではありません。");
                        }
                        approval.Add(text);
                        index++;
                    }
                }
            }
            if (problems.Count > before)
            {
                return null;
            }
            return new TenantDefinition(code, name, nameKana, prefecture, effectiveFrom, towns, json, sourceFile) { ApprovalRequiredFor = approval };
        }
    }
}
