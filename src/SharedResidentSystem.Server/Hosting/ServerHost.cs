using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Storage;

namespace SharedResidentSystem.Server.Hosting;

/// <summary>Starts the server; a bad configuration stops it with a message naming the key.</summary>
public static class ServerHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            // appsettings.json ships beside the binary; relative data paths stay relative to the working directory.
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            builder.AddSharedResidentSystem();
            app = builder.Build();
            app.MapSharedResidentSystem();
            await app.InitializeStorageAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is ConfigurationProblemException or TenantConfigurationException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync("起動できません (configuration error):");
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        await app.RunAsync();
        return 0;
    }
}

/// <summary>A setting is wrong; the message names the key.</summary>
public sealed class ConfigurationProblemException(string key, string message) : Exception($"{key}: {message}")
{
    public string Key { get; } = key;
}
