using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>One thing wrong in a configuration document, at its JSON path (e.g. $.towns[3].postalCode).</summary>
public sealed record ConfigProblem(string Path, string Code, string Message)
{
    public override string ToString() => $"{Path}: {Code}: {Message}";
}

/// <summary>The outcome of reading a document: the city it describes, or every problem found.</summary>
public sealed record ConfigReadResult(TenantDefinition? Definition, IReadOnlyList<ConfigProblem> Problems)
{
    public bool IsValid => Definition is not null && Problems.Count == 0;
}

/// <summary>
/// Reads a city's configuration document: first against the published JSON Schema
/// (config/schema/tenant-config.schema.json, embedded in this assembly), then the rules a
/// schema cannot say (check digits, periods, references). Every problem is reported with
/// its path; a document with any problem yields no definition, so nothing is applied in part.
/// </summary>
public static partial class TenantConfigDocument
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(TenantConfigDocument).Assembly.GetManifestResourceStream("tenant-config.schema.json")
            ?? throw new InvalidOperationException("The configuration schema is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return JsonSchema.FromText(reader.ReadToEnd());
    });

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The schema text as published.</summary>
    public static string SchemaText()
    {
        using var stream = typeof(TenantConfigDocument).Assembly.GetManifestResourceStream("tenant-config.schema.json")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>SHA-256 of the document text: the etag of a configuration version.</summary>
    public static string Hash(string document) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    public static ConfigReadResult Read(string document)
    {
        var problems = new List<ConfigProblem>();
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(document, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            problems.Add(new ConfigProblem($"$ (line {e.LineNumber + 1})", "json", $"JSONとして読めません: {e.Message}"));
            return new ConfigReadResult(null, problems);
        }
        using (parsed)
        {
            var results = Schema.Value.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!results.IsValid)
            {
                foreach (var detail in results.Details ?? [])
                {
                    foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
                    {
                        problems.AddRange(FromSchema(ToJsonPath(detail.InstanceLocation.ToString()), keyword, message));
                    }
                }
                if (problems.Count == 0)
                {
                    problems.Add(new ConfigProblem("$", "schema", "スキーマに適合しません。"));
                }
                return new ConfigReadResult(null, Distinct(problems));
            }
        }
        var dto = JsonSerializer.Deserialize<DocumentDto>(document, Json)!;
        var definition = Build(dto, document, problems);
        return new ConfigReadResult(problems.Count == 0 ? definition : null, problems);
    }

    private static List<ConfigProblem> Distinct(List<ConfigProblem> problems) =>
        problems.DistinctBy(p => (p.Path, p.Code)).OrderBy(p => p.Path, StringComparer.Ordinal).ToList();

    /// <summary>"/towns/3/postalCode" → "$.towns[3].postalCode".</summary>
    internal static string ToJsonPath(string pointer)
    {
        var builder = new StringBuilder("$");
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (segment.All(char.IsAsciiDigit))
            {
                builder.Append('[').Append(segment).Append(']');
            }
            else if (segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                builder.Append('.').Append(segment);
            }
            else
            {
                builder.Append("['").Append(segment).Append("']");
            }
        }
        return builder.ToString();
    }

    private static IEnumerable<ConfigProblem> FromSchema(string path, string keyword, string message)
    {
        switch (keyword)
        {
            case "required":
                foreach (Match m in QuotedName().Matches(message))
                {
                    yield return new ConfigProblem(Child(path, m.Groups[1].Value), "required", "必須です。");
                }
                yield break;
            case "":
            case "false":
                yield return new ConfigProblem(path, "unknown", "この項目は定義されていません (綴りを確認してください)。");
                yield break;
            default:
                yield return new ConfigProblem(path, keyword, keyword switch
                {
                    "type" => "型が違います。",
                    "pattern" => "書式が違います (空欄・桁数・日付 yyyy-MM-dd などを確認してください)。",
                    "enum" => "決められた値のいずれかを指定してください。",
                    "minItems" => "一つ以上必要です。",
                    "minimum" or "maximum" => "値が範囲外です。",
                    "uniqueItems" => "同じ値が重複しています。",
                    "minLength" => "短すぎます。",
                    _ => message,
                });
                yield break;
        }
    }

    private static string Child(string path, string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"{path}.{name}" : $"{path}['{name}']";

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();

    private static DateOnly? Date(string? text, string path, List<ConfigProblem> problems)
    {
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        problems.Add(new ConfigProblem(path, "date", $"日付ではありません: '{text}'"));
        return null;
    }

    private static void Unique<T>(IEnumerable<T> items, Func<T, string> key, string path, string label, List<ConfigProblem> problems)
    {
        foreach (var duplicate in items.GroupBy(key).Where(g => g.Count() > 1))
        {
            problems.Add(new ConfigProblem(path, "duplicate", $"{label} '{duplicate.Key}' が重複しています。"));
        }
    }
}
