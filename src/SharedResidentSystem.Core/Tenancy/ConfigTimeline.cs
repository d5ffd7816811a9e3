using System.Text.Json;
using System.Text.Json.Nodes;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>One date of a city's configuration timeline on which a change takes effect, and what it does there.</summary>
/// <param name="Replaces">The version in effect from that date until now.</param>
/// <param name="Document">The document that will be in effect from that date.</param>
/// <param name="Changes">What changes on that date.</param>
/// <param name="Kept">Settings the change would have set but that the version taking effect on that date sets itself (it decides them).</param>
public sealed record DatedConfigChange(DateOnly From, int Replaces, string Document, IReadOnlyList<ConfigChange> Changes, IReadOnlyList<ConfigChange> Kept);

/// <summary>
/// Effective-dated versions compose by date. A city's configuration on day D is the newest
/// version whose effective date is on or before D; a version waiting for a later date is part
/// of the timeline too. A change is what an operator edited in the document they started from
/// (its base): it is applied to the document in effect on its effective date and to every
/// version that takes effect later, each of which then gets a new version on its own date.
/// So a change made today neither brings forward what is planned for later nor is undone when
/// the planned version takes effect; where a later version sets a setting itself, its own value
/// is kept and reported.
/// </summary>
public static partial class ConfigTimeline
{
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u([0-9A-Fa-f]{4})")]
    private static partial System.Text.RegularExpressions.Regex UnicodeEscape();

    /// <summary>
    /// The serializer escapes some characters (全角スペース among them) as \uXXXX; a stored
    /// document stays as an operator would write it: only what JSON requires is escaped.
    /// </summary>
    private static string Readable(string json) => UnicodeEscape().Replace(json, m =>
    {
        var c = (char)int.Parse(m.Groups[2].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return c < 0x20 || c is '"' or '\\' ? m.Value : m.Groups[1].Value + c;
    });

    /// <summary>The version in effect on <paramref name="date"/> (before the first effective date: the first version).</summary>
    public static TenantConfigVersion InEffect(IReadOnlyList<TenantConfigVersion> rows, DateOnly date) =>
        rows.Where(r => r.EffectiveFrom <= date).MaxBy(r => r.Version) ?? rows.MinBy(r => r.Version)!;

    /// <summary>The version in effect on <paramref name="from"/>, then each version that takes effect on a later date, in date order.</summary>
    public static IReadOnlyList<(DateOnly From, TenantConfigVersion Row)> From(IReadOnlyList<TenantConfigVersion> rows, DateOnly from)
    {
        var timeline = new List<(DateOnly, TenantConfigVersion)> { (from, InEffect(rows, from)) };
        foreach (var date in rows.Select(r => r.EffectiveFrom).Where(d => d > from).Distinct().Order())
        {
            var row = InEffect(rows, date);
            if (row.EffectiveFrom == date)
            {
                timeline.Add((date, row));
            }
        }
        return timeline;
    }

    /// <summary>
    /// The versions a document may be based on: the one in effect today and each that takes
    /// effect later (the latest among them). A base that is no longer on the timeline is stale.
    /// </summary>
    public static TenantConfigVersion? Base(IReadOnlyList<TenantConfigVersion> rows, string etag, DateOnly today) =>
        From(rows, today).Select(t => t.Row).Append(rows.MaxBy(r => r.Version)!)
            .FirstOrDefault(r => string.Equals(r.DocumentHash, etag, StringComparison.OrdinalIgnoreCase));

    /// <summary>What the edit <paramref name="baseDocument"/> → <paramref name="edited"/> does on each date from <paramref name="from"/>.</summary>
    public static IReadOnlyList<DatedConfigChange> Plan(IReadOnlyList<TenantConfigVersion> rows, string baseDocument, string edited, DateOnly from)
    {
        var baseNode = Parse(baseDocument);
        var editedNode = Parse(edited);
        var edits = new List<(string[] Path, JsonNode? Value)>();
        Edits(baseNode, editedNode, [], edits);
        var plan = new List<DatedConfigChange>();
        foreach (var (date, row) in From(rows, from))
        {
            if (string.Equals(row.DocumentHash, TenantConfigDocument.Hash(baseDocument), StringComparison.OrdinalIgnoreCase))
            {
                // On the base itself the result is the edited document, exactly as sent.
                plan.Add(new DatedConfigChange(date, row.Version, edited, ConfigDiff.Compare(row.Document, edited), []));
                continue;
            }
            var target = Parse(row.Document);
            var kept = new List<ConfigChange>();
            var applied = 0;
            foreach (var (path, value) in edits)
            {
                var before = Get(baseNode, path);
                var there = Get(target, path);
                if (JsonNode.DeepEquals(there, value))
                {
                    continue;
                }
                if (JsonNode.DeepEquals(before, there) && Set(target, path, value))
                {
                    applied++;
                    continue;
                }
                kept.Add(new ConfigChange(Display(path), ConfigChangeKind.Changed, Text(there), Text(value)));
            }
            // Untouched, a version keeps its document exactly as stored.
            var merged = applied == 0 ? row.Document : Readable(target.ToJsonString(Indented));
            plan.Add(new DatedConfigChange(date, row.Version, merged, ConfigDiff.Compare(row.Document, merged), kept));
        }
        return plan;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonNode Parse(string document) =>
        JsonNode.Parse(document, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
        ?? throw new FormatException("the document is empty");

    /// <summary>The edit as settings: objects compared key by key; a list or a value is one setting.</summary>
    private static void Edits(JsonNode? before, JsonNode? after, string[] path, List<(string[] Path, JsonNode? Value)> edits)
    {
        if (before is JsonObject b && after is JsonObject a)
        {
            foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key)).Distinct(StringComparer.Ordinal))
            {
                Edits(b[key], a[key], [.. path, key], edits);
            }
            return;
        }
        if (!JsonNode.DeepEquals(before, after))
        {
            edits.Add((path, after?.DeepClone()));
        }
    }

    private static JsonNode? Get(JsonNode? node, string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject o ? o[key] : null;
        }
        return node;
    }

    /// <summary>Sets (or removes, for null) one setting; false when the document has no object where the path needs one.</summary>
    private static bool Set(JsonNode root, string[] path, JsonNode? value)
    {
        var node = root;
        foreach (var key in path[..^1])
        {
            if (node is not JsonObject o)
            {
                return false;
            }
            if (o[key] is null)
            {
                if (value is null)
                {
                    return true;
                }
                o[key] = new JsonObject();
            }
            node = o[key]!;
        }
        if (node is not JsonObject parent)
        {
            return false;
        }
        if (value is null)
        {
            parent.Remove(path[^1]);
        }
        else
        {
            parent[path[^1]] = value.DeepClone();
        }
        return true;
    }

    private static string Display(string[] path) =>
        "$" + string.Concat(path.Select(k => k.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "." + k : $"['{k}']"));

    private static string Text(JsonNode? node) => ConfigDiff.Shown(node?.ToJsonString(Indented) ?? "");
}
