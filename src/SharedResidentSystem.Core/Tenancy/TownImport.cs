using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using SharedResidentSystem.Core.Errors;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>
/// Replaces the address dictionary (1.3.3) of a configuration document with the towns of a
/// CSV (local_government_code, city, postal_code, town and optionally town_kana). Only the
/// city's own rows are taken; what the document says beyond name, reading and postal code
/// (its code, 丁目, 住居表示・地番, 方書) is kept for towns that stay, and a new town gets the
/// next free 町字コード, so that a 住所コード once given never changes meaning.
/// </summary>
public static class TownImport
{
    private static readonly string[] Header = ["local_government_code", "city", "postal_code", "town"];

    private const string KanaColumn = "town_kana";

    public static readonly JsonSerializerOptions Output = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="earlier">The towns of every earlier version of the city (name → code): a town that
    /// comes back gets its old code, and a new town a code no version has used.</param>
    public static string ReplaceTowns(string document, string csv, string code, IReadOnlyDictionary<string, string>? earlier = null)
    {
        var violations = new List<FieldViolation>();
        var towns = new List<(string Name, string Postal, string Kana)>();
        using (var reader = CsvText.Open(csv))
        {
            var header = CsvText.Headers(reader) ?? [];
            var withKana = header.SequenceEqual([.. Header, KanaColumn]);
            if (!withKana && !header.SequenceEqual(Header))
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, "csv", $"CSV の1行目は {string.Join(',', Header)}[,{KanaColumn}] である必要があります。");
            }
            while (reader.Read())
            {
                var line = (int)reader.LineNumber;
                if (reader.FieldCount != header.Length)
                {
                    violations.Add(new FieldViolation($"csv line {line}", $"列の数が {header.Length} ではありません。"));
                    continue;
                }
                if (reader.GetString(0) != code)
                {
                    continue;
                }
                var (postal, name) = (reader.GetString(2), reader.GetString(3));
                if (postal.Length != 7 || !postal.All(char.IsAsciiDigit))
                {
                    violations.Add(new FieldViolation($"csv line {line}", $"郵便番号 '{postal}' は7桁の数字ではありません。"));
                }
                if (name.Length == 0)
                {
                    violations.Add(new FieldViolation($"csv line {line}", "町字が空です。"));
                }
                else if (towns.Any(t => t.Name == name))
                {
                    violations.Add(new FieldViolation($"csv line {line}", $"町字 '{name}' が重複しています。"));
                }
                towns.Add((name, postal, withKana ? reader.GetString(4) : ""));
            }
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
        var present = (root["towns"] as JsonArray ?? []).OfType<JsonObject>().Where(t => t["name"] is JsonValue).ToList();
        var existing = present.GroupBy(t => t["name"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.First());
        var used = present.Select(t => t["code"] is JsonValue v ? v.GetValue<string>() : "").Concat(earlier?.Values ?? []);
        var lastCode = used.Select(c => int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max();
        var replaced = new JsonArray();
        foreach (var (name, postal, kana) in towns.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var town = existing.TryGetValue(name, out var old) ? (JsonObject)old.DeepClone() : new JsonObject { ["name"] = name };
            if (town["code"] is null && earlier is not null && earlier.TryGetValue(name, out var before))
            {
                town["code"] = before;
            }
            else if (town["code"] is null)
            {
                if (++lastCode > 999)
                {
                    throw DomainException.Invalid(ErrorReasons.InvalidField, "csv", "町字コード (3桁) が足りません。使われていない町字を整理してください。");
                }
                town["code"] = lastCode.ToString("D3", CultureInfo.InvariantCulture);
            }
            town["postalCode"] = postal;
            if (kana.Length > 0)
            {
                town["kana"] = kana;
            }
            replaced.Add(town);
        }
        root["towns"] = replaced;
        return root.ToJsonString(Output) + "\n";
    }
}
