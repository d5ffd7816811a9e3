using System.Collections.Concurrent;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Storage;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>
/// The real server wired as in production, hosted in-process on a TestServer and called
/// through a real GrpcChannel. One database per fixture; each test makes its own data.
/// Any error the server logs fails the fixture (an unexpected INTERNAL never passes unseen).
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    /// <summary>10:00 in Japan on 2026-11-26: the register's "today" in service tests.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string SigningKeyBase64 => _signingKey;
    private WebApplication? _app;
    private GrpcChannel? _channel;

    public FakeTimeProvider Time { get; } = new(Now);

    /// <summary>Moves the clock on to <paramref name="year"/>-<paramref name="month"/>-<paramref name="day"/> in Japan, at the same hour.</summary>
    public void MoveClockTo(int year, int month, int day) =>
        Time.Advance(TimeSpan.FromDays(new DateOnly(year, month, day).DayNumber - SharedResidentSystem.Japanese.JapanTime.Today(Time).DayNumber));

    public ConcurrentQueue<string> LoggedErrors { get; } = new();

    /// <summary>A test broke this server's database on purpose: what it logs until it stops is expected.</summary>
    public bool BrokenOnPurpose { get; set; }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("not started");

    public abstract string ProviderName { get; }

    /// <summary>The member cities' files this server loads.</summary>
    protected virtual string TenantsDirectory => RepositoryPaths.TenantsDirectory;

    protected abstract Task<string?> CreateConnectionStringAsync();

    /// <summary>Settings of this server beyond the usual ones.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Server:AuthenticationFailuresPerMinute for this server.</summary>
    protected virtual int AuthenticationFailuresPerMinute => 1_000_000;

    private readonly List<string> _made = [];
    private readonly List<Func<ValueTask>> _alsoDispose = [];

    /// <summary>Something of this fixture's (an emulator, an issuer) stopped with it.</summary>
    protected T Owned<T>(T thing) where T : IAsyncDisposable
    {
        _alsoDispose.Add(thing.DisposeAsync);
        return thing;
    }

    /// <summary>A temporary folder of this fixture's, removed with it.</summary>
    protected string TempDirectory(string prefix)
    {
        var path = RepositoryPaths.NewTempDirectory(prefix);
        _made.Add(path);
        return path;
    }

    public async Task InitializeAsync()
    {
        var connectionString = await CreateConnectionStringAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseTestServer();
        var settings = new Dictionary<string, string?>
        {
            ["Server:DataDirectory"] = TempDirectory("srs-data"),
            ["Server:TenantsDirectory"] = TenantsDirectory,
            // The browser counter's files are the server program's static web assets; the in-process host has none (CounterBrowser tests the counter).
            ["Server:CounterPort"] = "0",
            ["Storage:Provider"] = ProviderName,
            ["Storage:ConnectionString"] = connectionString,
            ["Auth:SigningKey"] = _signingKey,
            ["Logging:LogLevel:Default"] = "Warning",
            // Every test of a class calls from the same in-process "address": the flood limit is its own test's.
            ["Server:AuthenticationFailuresPerMinute"] = AuthenticationFailuresPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.AddSharedResidentSystem();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ErrorCollector(LoggedErrors));
        _app = builder.Build();
        _app.MapSharedResidentSystem();
        await _app.InitializeStorageAsync(CancellationToken.None);
        await _app.StartAsync();
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = _app.GetTestServer().CreateHandler() });
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        foreach (var dispose in _alsoDispose)
        {
            await dispose();
        }
        // SQLite keeps no handle once the pools are cleared.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var path in _made)
        {
            RepositoryPaths.Remove(path);
        }
        Assert.True(LoggedErrors.IsEmpty || BrokenOnPurpose, "The server logged errors:\n" + string.Join("\n", LoggedErrors));
    }

    /// <summary>
    /// A token signed with this server's development key (Development environment), issued on
    /// the server's clock and valid long enough for tests that move the clock by weeks.
    /// </summary>
    public string Token(string tenant, string staff = "staff-1", string terminal = "T001", params string[] roles) =>
        SigningKeys.Mint(SigningKeys.FromBase64(_signingKey), new Caller(tenant, staff, terminal, (roles.Length == 0 ? [Roles.Clerk] : roles).ToHashSet()), Time, TimeSpan.FromDays(400));

    /// <summary>An HTTP handler that reaches this in-process server (for clients built on their own channel).</summary>
    public HttpMessageHandler CreateHandler() => (_app ?? throw new InvalidOperationException("not started")).GetTestServer().CreateHandler();

    /// <summary>A call invoker that sends <paramref name="token"/> (none when null).</summary>
    public CallInvoker Invoker(string? token)
    {
        var invoker = (_channel ?? throw new InvalidOperationException("not started")).CreateCallInvoker();
        return token is null ? invoker : invoker.Intercept(metadata =>
        {
            metadata.Add("Authorization", $"Bearer {token}");
            return metadata;
        });
    }

    /// <summary>A call invoker for a caller of <paramref name="tenant"/> with <paramref name="roles"/> (clerk by default).</summary>
    public CallInvoker As(string tenant, params string[] roles) => Invoker(Token(tenant, roles: roles));

    private sealed class ErrorCollector(ConcurrentQueue<string> errors) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(categoryName, errors);

        public void Dispose()
        {
        }

        private sealed class Collector(string category, ConcurrentQueue<string> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Error)
                {
                    errors.Enqueue($"{category}: {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}

/// <summary>The embedded default: a SQLite file of its own.</summary>
public class SqliteServer : ServerFixture
{
    public override string ProviderName => "sqlite";

    protected override Task<string?> CreateConnectionStringAsync() =>
        Task.FromResult<string?>($"Data Source={Path.Combine(TempDirectory("srs-sqlite"), "srs.db")};Default Timeout=30");
}

/// <summary>SQLite, with 東久留米市 configured to need 決裁 for 職権消除 and 異動の取消し (4.0.8).</summary>
public sealed class ApprovalConfiguredServer : ServerFixture
{
    private string? _tenants;

    private string ConfiguredTenants()
    {
        var dir = TempDirectory("srs-tenants");
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.TenantsDirectory, "*.json"))
        {
            var text = File.ReadAllText(file);
            if (Path.GetFileName(file) == "132225.json")
            {
                var node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
                node["approval"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "requiredFor": ["職権消除", "異動の取消し（修正）"] }""");
                text = node.ToJsonString();
            }
            File.WriteAllText(Path.Combine(dir, Path.GetFileName(file)), text);
        }
        return dir;
    }

    public override string ProviderName => "sqlite";

    protected override string TenantsDirectory => _tenants ??= ConfiguredTenants();

    protected override Task<string?> CreateConnectionStringAsync() =>
        Task.FromResult<string?>($"Data Source={Path.Combine(TempDirectory("srs-sqlite"), "srs.db")};Default Timeout=30");
}

/// <summary>A database of its own in the run's throwaway PostgreSQL cluster.</summary>
public class PostgresServer : ServerFixture
{
    public override string ProviderName => "postgresql";

    protected override async Task<string?> CreateConnectionStringAsync() =>
        await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();
}
