namespace SharedResidentSystem.Core.Tenancy;

/// <summary>A town (町字) of a city's address dictionary (住所辞書).</summary>
public sealed record TownEntry(string Name, string PostalCode);

/// <summary>
/// 共同利用団体: one member city as its configuration file describes it. Everything that
/// differs between cities lives here (or in later configuration sections), never in code.
/// </summary>
public sealed record TenantDefinition(
    string Code,
    string Name,
    string NameKana,
    string Prefecture,
    DateOnly EffectiveFrom,
    IReadOnlyList<TownEntry> Towns,
    string Document,
    string SourceFile)
{
    /// <summary>異動事由 that must go through 仮登録 and a supervisor's 決裁 in this city (4.0.8).</summary>
    public IReadOnlySet<string> ApprovalRequiredFor { get; init; } = new HashSet<string>();

    public string ResourceName => TenantResourceNames.Tenant(Code);
}

/// <summary>Resource names under a tenant: tenants/{code}/...</summary>
public static class TenantResourceNames
{
    public const string Prefix = "tenants/";

    public static string Tenant(string code) => Prefix + code;

    public static string Resident(string tenant, string residentNumber) => $"{Prefix}{tenant}/residents/{residentNumber}";

    public static string Household(string tenant, string householdNumber) => $"{Prefix}{tenant}/households/{householdNumber}";

    public static string Idou(string tenant, long id) => $"{Prefix}{tenant}/idou/{id}";

    /// <summary>
    /// Splits "tenants/{code}/{collection}/{id}". Returns false for any other shape.
    /// </summary>
    public static bool TryParse(string? name, string collection, out string tenant, out string id)
    {
        tenant = id = "";
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        var parts = name.Split('/');
        if (parts.Length != 4 || parts[0] != "tenants" || parts[2] != collection || parts[1].Length == 0 || parts[3].Length == 0)
        {
            return false;
        }
        tenant = parts[1];
        id = parts[3];
        return true;
    }
}
