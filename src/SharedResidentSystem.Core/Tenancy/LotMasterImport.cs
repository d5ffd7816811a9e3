using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using SharedResidentSystem.Core.Errors;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>
/// The 住居表示・地番 master (1.3.2) read from a CSV an operator keeps in a spreadsheet and put
/// into a configuration document: for every 町字 the CSV names, its numbering, 街区 or 地番 and
/// 特殊地番 are replaced; other towns keep theirs. Columns (Japanese headers, UTF-8 with or
/// without BOM): 町字, 丁目, 区分 (住居表示 / 地番 / 特殊地番), 番号 (街区符号 or 本番),
/// 始番号, 終番号 (住居番号 or 枝番; 0 for the 本番 alone), 名称 (the 特殊地番's name).
/// The document that comes out is checked as every document is (ranges, overlaps, 丁目).
/// </summary>
public static class LotMasterImport
{
    public static readonly string[] Header = ["町字", "丁目", "区分", "番号", "始番号", "終番号", "名称"];

    private sealed record Row(string Town, int Chome, string Kind, int Number, int From, int To, string Name);

    public static (string Document, int Towns, int Lines) Merge(string document, string csv)
    {
        var problems = new List<FieldViolation>();
        var rows = Read(csv, problems);
        var root = JsonNode.Parse(document, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        var towns = (root["towns"] as JsonArray ?? []).OfType<JsonObject>().Where(t => t["name"] is JsonValue)
            .GroupBy(t => t["name"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.First());
        foreach (var (line, row) in rows.Where(r => !towns.ContainsKey(r.Row.Town)))
        {
            problems.Add(new FieldViolation($"csv line {line}.町字", $"町字「{row.Town}」は住所辞書にありません。"));
        }
        foreach (var group in rows.GroupBy(r => r.Row.Town))
        {
            var kinds = group.Select(r => r.Row.Kind).Where(k => k != "特殊地番").Distinct().ToList();
            if (kinds.Count > 1)
            {
                problems.Add(new FieldViolation($"csv line {group.First(r => r.Row.Kind == kinds[1]).Line}.区分", $"{group.Key}に住居表示と地番が混在しています。町字ごとにどちらか一方です。"));
            }
        }
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.InvalidField, $"CSV に誤りが {problems.Count} 件あります。何も取り込んでいません。", problems);
        }
        foreach (var group in rows.Select(r => r.Row).GroupBy(r => r.Town))
        {
            var town = towns[group.Key];
            var kind = group.Select(r => r.Kind).FirstOrDefault(k => k != "特殊地番") ?? "地番";
            town["numbering"] = kind == "住居表示" ? "residence" : "lot";
            town["blocks"] = new JsonArray([.. group.Where(r => r.Kind != "特殊地番").OrderBy(r => r.Chome).ThenBy(r => r.Number).ThenBy(r => r.From)
                .Select(r => (JsonNode)new JsonObject { ["chome"] = r.Chome, ["number"] = r.Number, ["from"] = r.From, ["to"] = r.To })]);
            var specials = group.Where(r => r.Kind == "特殊地番").Select(r => (JsonNode)JsonValue.Create(r.Name)!).ToArray();
            town.Remove("specialLots");
            if (specials.Length > 0)
            {
                town["specialLots"] = new JsonArray(specials);
            }
        }
        return (root.ToJsonString(TownImport.Output) + "\n", rows.Select(r => r.Row.Town).Distinct().Count(), rows.Count);
    }

    private static List<(int Line, Row Row)> Read(string csv, List<FieldViolation> problems)
    {
        var rows = new List<(int, Row)>();
        using var reader = CsvText.Open(csv);
        var header = CsvText.Headers(reader) ?? [];
        if (!header.SequenceEqual(Header))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "csv", $"CSV の1行目は {string.Join(',', Header)} である必要があります。");
        }
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            if (reader.FieldCount != Header.Length)
            {
                problems.Add(new FieldViolation($"csv line {line}", $"列の数が {Header.Length} ではありません。"));
                continue;
            }
            var cells = Enumerable.Range(0, Header.Length).Select(i => reader.GetString(i)).ToArray();
            if (cells.All(c => c.Length == 0))
            {
                continue;
            }
            var before = problems.Count;
            if (cells[0].Length == 0)
            {
                problems.Add(new FieldViolation($"csv line {line}.町字", "町字が空です。"));
            }
            var kind = cells[2];
            if (kind is not ("住居表示" or "地番" or "特殊地番"))
            {
                problems.Add(new FieldViolation($"csv line {line}.区分", $"区分「{kind}」は 住居表示・地番・特殊地番 のいずれかです。"));
            }
            var chome = Number(cells[1], "丁目", line, problems, allowEmpty: true);
            int number = 0, from = 0, to = 0;
            if (kind == "特殊地番")
            {
                if (cells[6].Length == 0)
                {
                    problems.Add(new FieldViolation($"csv line {line}.名称", "特殊地番の名称が空です。"));
                }
            }
            else
            {
                number = Number(cells[3], "番号", line, problems);
                from = Number(cells[4], "始番号", line, problems, allowEmpty: kind == "地番");
                to = cells[5].Length == 0 ? from : Number(cells[5], "終番号", line, problems);
            }
            if (problems.Count == before)
            {
                rows.Add((line, new Row(cells[0], chome, kind, number, from, to, cells[6])));
            }
        }
        if (rows.Count == 0 && problems.Count == 0)
        {
            problems.Add(new FieldViolation("csv", "取り込む行がありません。"));
        }
        return rows;
    }

    private static int Number(string text, string column, int line, List<FieldViolation> problems, bool allowEmpty = false)
    {
        var normal = text.Normalize(NormalizationForm.FormKC);
        if (normal.Length == 0 && allowEmpty)
        {
            return 0;
        }
        if (!int.TryParse(normal, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 99_999)
        {
            problems.Add(new FieldViolation($"csv line {line}.{column}", $"{column}「{text}」は0から99999までの数字です。"));
            return 0;
        }
        return value;
    }
}
