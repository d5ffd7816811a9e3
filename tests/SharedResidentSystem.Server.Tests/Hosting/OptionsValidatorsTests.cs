using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Tests.Hosting;

/// <summary>One validator per options section: every problem is found, and each names its key.</summary>
public sealed class OptionsValidatorsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new ServerOptionsValidator().Validate(null, new ServerOptions()).Succeeded);
        Assert.True(new StorageOptionsValidator().Validate(null, new StorageOptions()).Succeeded);
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions()).Succeeded);
    }

    [Fact]
    public void Every_problem_of_a_section_is_reported_with_its_key()
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions
        {
            Host = "localhost.example",
            Port = 70000,
            CounterPort = -1,
            DataDirectory = " ",
            ConfigRefreshSeconds = 0,
            CertificatePath = "/nonexistent/server.pfx",
        });
        Assert.False(result.Succeeded);
        Assert.Equal(["Server:Host", "Server:Port", "Server:CounterPort", "Server:DataDirectory", "Server:ConfigRefreshSeconds", "Server:CertificatePath"],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
        // The browser counter's port cannot be the gRPC port (h2c there, HTTP/1.1 here).
        var same = new ServerOptionsValidator().Validate(null, new ServerOptions { Port = 6000, CounterPort = 6000 });
        Assert.Equal(["Server:CounterPort"], same.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void The_first_problem_stops_start_up_naming_its_key()
    {
        var refused = Assert.Throws<ConfigurationProblemException>(() => new StorageOptionsValidator().ThrowIfInvalid(new StorageOptions { Provider = "PostgreSQL" }));
        Assert.Equal("Storage:ConnectionString", refused.Key);
        Assert.Throws<ConfigurationProblemException>(() => new StorageOptionsValidator().ThrowIfInvalid(new StorageOptions { Provider = "oracle" }));
        Assert.Equal("Auth:SigningKey", Assert.Throws<ConfigurationProblemException>(() => new AuthOptionsValidator().ThrowIfInvalid(new AuthOptions { SigningKey = "c2hvcnQ=" })).Key);
        new StorageOptionsValidator().ThrowIfInvalid(new StorageOptions { Provider = " SQLite " });
    }
}
