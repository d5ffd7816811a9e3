using System.Text.Json;

namespace SharedResidentSystem.Core.Tenancy;

public enum ConfigChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One difference between two configuration documents, at a leaf path.</summary>
public sealed record ConfigChange(string Path, ConfigChangeKind Kind, string Before, string After)
{
    public override string ToString() => Kind switch
    {
        ConfigChangeKind.Added => $"+ {Path}: {After}",
        ConfigChangeKind.Removed => $"- {Path}: {Before}",
        _ => $"~ {Path}: {Before} → {After}",
    };
}

/// <summary>
/// Compares two documents leaf by leaf (objects by key, arrays by position), so an operator
/// and an auditor see exactly which settings a version changes.
/// </summary>
public static class ConfigDiff
{
    public static IReadOnlyList<ConfigChange> Compare(string before, string after)
    {
        var left = Flatten(before);
        var right = Flatten(after);
        var changes = new List<ConfigChange>();
        foreach (var (path, value) in left)
        {
            if (!right.TryGetValue(path, out var other))
            {
                changes.Add(new ConfigChange(path, ConfigChangeKind.Removed, value.Shown, ""));
            }
            else if (other.Value != value.Value)
            {
                changes.Add(new ConfigChange(path, ConfigChangeKind.Changed, value.Shown, other.Shown));
            }
        }
        changes.AddRange(right.Where(r => !left.ContainsKey(r.Key)).Select(r => new ConfigChange(r.Key, ConfigChangeKind.Added, "", r.Value.Shown)));
        return changes.OrderBy(c => c.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>A leaf: its value (a string decoded, so that "　" and "\u3000" are one value) and how it is shown.</summary>
    private readonly record struct Leaf(string Value, string Shown);

    /// <summary>A value as a diff shows it: a long one (a seal image's base64) by its size and a digest.</summary>
    internal static string Shown(string json) =>
        json.Length > 120 ? $"({json.Length} chars, sha256 {TenantConfigDocument.Hash(json)[..12]})" : json;

    private static Dictionary<string, Leaf> Flatten(string document)
    {
        var leaves = new Dictionary<string, Leaf>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(document))
        {
            return leaves;
        }
        using var parsed = JsonDocument.Parse(document, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Walk(parsed.RootElement, "$", leaves);
        return leaves;
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, Leaf> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"{path}.{property.Name}" : $"{path}['{property.Name}']";
                    Walk(property.Value, name, leaves);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", leaves);
                }
                if (index == 0)
                {
                    leaves[path] = new Leaf("[]", "[]");
                }
                break;
            default:
                var text = element.GetRawText();
                var value = element.ValueKind == JsonValueKind.String ? "s:" + element.GetString() : text;
                leaves[path] = new Leaf(value, Shown(text));
                break;
        }
    }
}
