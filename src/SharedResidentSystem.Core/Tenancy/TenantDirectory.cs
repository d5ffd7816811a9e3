using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>One applied version of a city's configuration.</summary>
public sealed record TenantConfigSnapshot(
    string Code,
    int Version,
    DateOnly EffectiveFrom,
    TenantDefinition Definition,
    string Hash,
    string Author,
    string Reason,
    DateTime RecordedAt);

/// <summary>
/// The member cities known to this process with every version of their configuration
/// (loaded from the database, refreshed after each change). "The configuration of city C on
/// date D" is the newest version whose effective date is on or before D; before a city's
/// first effective date its first version answers. Versions cannot take effect in the past,
/// so what was in effect on a past day never changes.
/// </summary>
public sealed class TenantDirectory(TimeProvider time)
{
    private volatile IReadOnlyDictionary<string, IReadOnlyList<TenantConfigSnapshot>> _versions =
        new Dictionary<string, IReadOnlyList<TenantConfigSnapshot>>(StringComparer.Ordinal);

    /// <summary>A directory fixed to the given definitions (one version each, in effect from the start).</summary>
    public TenantDirectory(IEnumerable<TenantDefinition> tenants, TimeProvider time) : this(time)
    {
        Replace(tenants.Select(t => new TenantConfigSnapshot(t.Code, 1, DateOnly.MinValue, t, TenantConfigDocument.Hash(t.Document), "", "", DateTime.MinValue)));
    }

    /// <summary>Replaces everything known with <paramref name="snapshots"/> (all versions of all cities).</summary>
    public void Replace(IEnumerable<TenantConfigSnapshot> snapshots) =>
        _versions = snapshots.GroupBy(s => s.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TenantConfigSnapshot>)g.OrderBy(s => s.Version).ToList(), StringComparer.Ordinal);

    public IReadOnlyCollection<string> Codes => _versions.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Every city as configured today.</summary>
    public IReadOnlyCollection<TenantDefinition> All => Codes.Select(Get).ToList();

    public TenantDefinition? Find(string? code) => code is null ? null : SnapshotAt(code, JapanTime.Today(time))?.Definition;

    public TenantDefinition Get(string code) => Find(code) ?? throw new InvalidOperationException($"Unknown tenant {code}.");

    /// <summary>The city as configured on <paramref name="date"/> (e.g. the day a certificate is issued).</summary>
    public TenantDefinition? At(string code, DateOnly date) => SnapshotAt(code, date)?.Definition;

    public TenantConfigSnapshot? SnapshotAt(string code, DateOnly date)
    {
        if (!_versions.TryGetValue(code, out var versions) || versions.Count == 0)
        {
            return null;
        }
        return versions.Where(v => v.EffectiveFrom <= date).MaxBy(v => v.Version) ?? versions[0];
    }

    /// <summary>Every version of a city, oldest first.</summary>
    public IReadOnlyList<TenantConfigSnapshot> Versions(string code) =>
        _versions.TryGetValue(code, out var versions) ? versions : [];

    /// <summary>The last version applied (the base of the next change, whatever its effective date).</summary>
    public TenantConfigSnapshot? Latest(string code) => Versions(code) is { Count: > 0 } v ? v[^1] : null;
}
