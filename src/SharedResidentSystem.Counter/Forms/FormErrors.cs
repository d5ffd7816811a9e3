namespace SharedResidentSystem.Counter.Forms;

/// <summary>
/// The errors of one form by the proto path of their item: those the server named (11.1) and
/// those found before sending (a date that cannot be read). An error of a whole item (a date)
/// is shown at its field; one of a part of it ("members[0].birth_date.year") too.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, string> _byPath = new(StringComparer.Ordinal);

    public int Count => _byPath.Count;

    public IEnumerable<KeyValuePair<string, string>> All => _byPath;

    public void Clear() => _byPath.Clear();

    public void Add(string path, string description)
    {
        _byPath[path] = _byPath.TryGetValue(path, out var before) ? $"{before} {description}" : description;
    }

    public void AddAll(IEnumerable<SharedResidentSystem.Client.FieldError> fields)
    {
        foreach (var f in fields)
        {
            Add(f.Field, f.Description);
        }
    }

    /// <summary>The error of <paramref name="path"/> as a whole (not of its parts); null when none.</summary>
    public string? Exactly(string path) => _byPath.GetValueOrDefault(path);

    /// <summary>The errors at <paramref name="path"/> or within it; null when none.</summary>
    public string? At(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }
        var found = _byPath.Where(p => p.Key == path || p.Key.StartsWith(path + ".", StringComparison.Ordinal) || p.Key.StartsWith(path + "[", StringComparison.Ordinal))
            .Select(p => p.Value).ToList();
        return found.Count == 0 ? null : string.Join(" ", found);
    }
}
