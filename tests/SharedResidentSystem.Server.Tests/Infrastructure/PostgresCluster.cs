using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster on a free loopback port, started once per test run from
/// Debian's postgresql binaries under the run's temporary folder and removed when the run
/// ends (stopped at process exit; a run killed before that is swept by the next run and by
/// ./test.sh). When the binaries are missing the tests fail (never skip) with a message that
/// says how to install them.
/// </summary>
public sealed class PostgresCluster
{
    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);

    private PostgresCluster(string directory, int port, string binDirectory, bool asPostgresUser)
    {
        Directory_ = directory;
        Port = port;
        BinDirectory = binDirectory;
        AsPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    private string Directory_ { get; }
    private string BinDirectory { get; }
    private bool AsPostgresUser { get; }

    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    /// <summary>A new empty database; the connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "srs_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=srs;Database={database};Pooling=true;Maximum Pool Size=20";

    private static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. " +
            "Run ./test.sh, which installs Debian's postgresql package, or set SRS_PG_BIN.");
        var directory = RepositoryPaths.NewTempDirectory("srs-pg");
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            // initdb refuses to run as root; the cluster belongs to the postgres user.
            await RunAsync("chown", ["-R", "postgres:postgres", directory], asUser: false);
            await RunAsync("chmod", ["755", directory], asUser: false);
        }
        var data = Path.Combine(directory, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "srs", "--auth=trust", "-E", "UTF8", "--no-locale"], asPostgres);
        var port = FreePort();
        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
             "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
             "start"], asPostgres);
        var cluster = new PostgresCluster(directory, port, bin, asPostgres);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        return cluster;
    }

    private void Stop()
    {
        try
        {
            RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", Path.Combine(Directory_, "data"), "-m", "immediate", "-w", "stop"], AsPostgresUser).GetAwaiter().GetResult();
            Directory.Delete(Directory_, recursive: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"PostgreSQL test cluster at {Directory_} was not removed: {e.Message}");
        }
    }

    private static string? FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("SRS_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.EnumerateDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] arguments, bool asUser)
    {
        var start = new ProcessStartInfo(asUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }
    }
}
