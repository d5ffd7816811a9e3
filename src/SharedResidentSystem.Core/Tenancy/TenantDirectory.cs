namespace SharedResidentSystem.Core.Tenancy;

/// <summary>The member cities known to this process, by code.</summary>
public sealed class TenantDirectory
{
    private readonly Dictionary<string, TenantDefinition> _tenants;

    public TenantDirectory(IEnumerable<TenantDefinition> tenants)
    {
        _tenants = tenants.ToDictionary(t => t.Code, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<TenantDefinition> All => _tenants.Values;

    public TenantDefinition? Find(string? code) => code is not null && _tenants.TryGetValue(code, out var t) ? t : null;

    public TenantDefinition Get(string code) => Find(code) ?? throw new InvalidOperationException($"Unknown tenant {code}.");
}
