using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Tenancy;

public class TenantCatalogTests
{
    private static readonly string Valid = TenantDocuments.Minimal();

    [Fact]
    public void The_repository_configuration_holds_the_three_member_cities()
    {
        var tenants = TenantCatalog.LoadDirectory(RepositoryPaths.TenantsDirectory).Select(s => s.Definition).ToList();
        Assert.Equal(["132110", "132136", "132225"], tenants.Select(t => t.Code).Order());
        Assert.Equal("東久留米市", tenants.Single(t => t.Code == "132225").Name);
        Assert.All(tenants, t => Assert.NotEmpty(t.Towns));
        Assert.All(tenants, t => Assert.NotNull(t.AuthenticatorOn(new DateOnly(2026, 11, 26))));
    }

    [Fact]
    public void A_valid_file_loads()
    {
        var dir = WriteFiles(("132136.json", Valid));
        var tenant = Assert.Single(TenantCatalog.LoadDirectory(dir)).Definition;
        Assert.Equal("東村山市", tenant.Name);
        Assert.Equal("1890014", Assert.Single(tenant.Towns).PostalCode);
    }

    [Fact]
    public void A_wrong_check_digit_names_the_file_and_the_key()
    {
        var dir = WriteFiles(("132137.json", Valid.Replace("132136", "132137", StringComparison.Ordinal)));
        var error = Assert.Throws<TenantConfigurationException>(() => TenantCatalog.LoadDirectory(dir));
        var problem = Assert.Single(error.Problems);
        Assert.Contains("132137.json", problem, StringComparison.Ordinal);
        Assert.Contains("$.code", problem, StringComparison.Ordinal);
        Assert.Contains("検査数字", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_line()
    {
        var dir = WriteFiles(("132136.json", "{ \"code\": \"132136\",\n  \"name\": }"));
        var error = Assert.Throws<TenantConfigurationException>(() => TenantCatalog.LoadDirectory(dir));
        Assert.Contains(error.Problems, p => p.Contains("132136.json", StringComparison.Ordinal) && p.Contains("line 2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_whose_name_is_not_its_code_is_refused()
    {
        var dir = WriteFiles(("132225.json", Valid));
        var error = Assert.Throws<TenantConfigurationException>(() => TenantCatalog.LoadDirectory(dir));
        Assert.Contains(error.Problems, p => p.Contains("132225.json: $.code", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_or_missing_folder_is_refused()
    {
        Assert.Throws<TenantConfigurationException>(() => TenantCatalog.LoadDirectory(WriteFiles()));
        Assert.Throws<TenantConfigurationException>(() => TenantCatalog.LoadDirectory(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
    }

    private static string WriteFiles(params (string Name, string Text)[] files)
    {
        var dir = RepositoryPaths.NewTempDirectory("srs-tenants");
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(dir, name), text);
        }
        return dir;
    }
}
