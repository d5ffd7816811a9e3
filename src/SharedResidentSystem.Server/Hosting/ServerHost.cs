using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Storage;

namespace SharedResidentSystem.Server.Hosting;

/// <summary>Starts the server; a bad configuration stops it with a message naming the key.</summary>
public static partial class ServerHost
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
            // No host, so no logging of its own yet: a plain logger to standard error says why.
            var problem = e.Message;
            using (var factory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)))
            {
                var logger = factory.CreateLogger(typeof(ServerHost));
                LogCannotStart(logger, problem);
            }
            return 2;
        }
        await app.RunAsync();
        return 0;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "起動できません (configuration error): {Problem}")]
    private static partial void LogCannotStart(ILogger logger, string problem);
}

/// <summary>A setting is wrong; the message names the key.</summary>
public sealed class ConfigurationProblemException(string key, string message) : Exception($"{key}: {message}")
{
    public string Key { get; } = key;
}
