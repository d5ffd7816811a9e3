using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharedResidentSystem.Core.Errors;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>
/// Replaces the address dictionary (1.3.3) of a configuration document with the towns of a
/// CSV in the shape of data/town-names-postal.csv (local_government_code, city, postal_code,
/// town). Only the city's own rows are taken; what the document says beyond name and postal
/// code (丁目, 方書) is kept for towns that stay.
/// </summary>
public static class TownImport
{
    private static readonly string[] Header = ["local_government_code", "city", "postal_code", "town"];

    public static readonly JsonSerializerOptions Output = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ReplaceTowns(string document, string csv, string code)
    {
        var lines = csv.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var header = lines.Length > 0 ? lines[0].TrimStart('\uFEFF').Split(',').Select(h => h.Trim()).ToArray() : [];
        if (!header.SequenceEqual(Header))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "csv", $"CSV の1行目は {string.Join(',', Header)} である必要があります。");
        }
        var violations = new List<FieldViolation>();
        var towns = new List<(string Name, string Postal)>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }
            var cells = lines[i].Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            if (cells.Length != Header.Length)
            {
                violations.Add(new FieldViolation($"csv line {i + 1}", $"列の数が {Header.Length} ではありません。"));
                continue;
            }
            if (cells[0] != code)
            {
                continue;
            }
            if (cells[2].Length != 7 || !cells[2].All(char.IsAsciiDigit))
            {
                violations.Add(new FieldViolation($"csv line {i + 1}", $"郵便番号 '{cells[2]}' は7桁の数字ではありません。"));
            }
            if (cells[3].Length == 0)
            {
                violations.Add(new FieldViolation($"csv line {i + 1}", "町字が空です。"));
            }
            else if (towns.Any(t => t.Name == cells[3]))
            {
                violations.Add(new FieldViolation($"csv line {i + 1}", $"町字 '{cells[3]}' が重複しています。"));
            }
            towns.Add((cells[3], cells[2]));
        }
        if (violations.Count == 0 && towns.Count == 0)
        {
            violations.Add(new FieldViolation("csv", $"団体コード {code} の行がありません。"));
        }
        if (violations.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.InvalidField, $"CSV に誤りが {violations.Count} 件あります。何も取り込んでいません。", violations);
        }

        var root = JsonNode.Parse(document, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        var existing = (root["towns"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(t => t["name"] is JsonValue)
            .GroupBy(t => t["name"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.First());
        var replaced = new JsonArray();
        foreach (var (name, postal) in towns.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var town = existing.TryGetValue(name, out var old) ? (JsonObject)old.DeepClone() : new JsonObject { ["name"] = name };
            town["postalCode"] = postal;
            replaced.Add(town);
        }
        root["towns"] = replaced;
        return root.ToJsonString(Output) + "\n";
    }
}
