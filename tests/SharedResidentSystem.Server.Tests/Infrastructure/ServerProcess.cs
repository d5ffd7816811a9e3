using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Health.V1;
using Grpc.Net.Client;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>The real server binary, started as its own process on a free loopback port.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
    }

    /// <summary>Whether this process's data directory was made for it (and goes with it).</summary>
    private bool OwnsData { get; set; }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    public string DataDirectory { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Where the build put a project's program, in the configuration the tests were built in.</summary>
    public static string ProgramPath(string projectFolder, string assembly)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepositoryPaths.Root, projectFolder, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first", path);
    }

    /// <summary>Starts the server with extra settings in the Development environment (its tokens from srs-token); does not wait for it.</summary>
    public static ServerProcess Start(string? dataDirectory = null, params string[] settings) => StartIn("Development", dataDirectory, settings);

    /// <summary>Starts the server in <paramref name="environment"/> (Production: no development key) with extra settings; does not wait for it.</summary>
    public static ServerProcess StartIn(string environment, string? dataDirectory, params string[] settings) => Launch(environment, dataDirectory, FreePort(), settings);

    /// <summary>Starts the server again on a stopped one's data and port (a client configured with its address finds it there); does not wait for it.</summary>
    public static ServerProcess Restart(ServerProcess stopped, params string[] settings) => Launch("Development", stopped.DataDirectory, stopped.Port, settings);

    /// <summary>
    /// Starts a published server (deploy/publish.sh) as its systemd unit does: its own program
    /// in the publish folder, run from <paramref name="workingDirectory"/>; does not wait for it.
    /// </summary>
    public static ServerProcess StartPublished(string program, string workingDirectory, string dataDirectory, params string[] settings) =>
        Launch("Production", dataDirectory, FreePort(), settings, program, workingDirectory);

    private static ServerProcess Launch(string environment, string? dataDirectory, int port, string[] settings, string? program = null, string? workingDirectory = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= RepositoryPaths.NewTempDirectory("srs-e2e");
        var start = new ProcessStartInfo(program ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        if (program is null)
        {
            start.ArgumentList.Add(ProgramPath("src/SharedResidentSystem.Server", "srs-server.dll"));
        }
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        // No browser counter unless a test asks for one (on a port of its own): servers run side by side.
        foreach (var s in new[] { "--Server:CounterPort=0", $"--Server:Port={port}", $"--Server:DataDirectory={dataDirectory}" }.Concat(settings))
        {
            start.ArgumentList.Add(s);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var server = new ServerProcess(process, port, dataDirectory) { OwnsData = owns };
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// The settings that put a server process on <paramref name="provider"/>: none for the
    /// embedded SQLite default, a new database of the run's PostgreSQL cluster otherwise.
    /// </summary>
    public static async Task<string[]> StorageAsync(string provider) => provider switch
    {
        "sqlite" => [],
        "postgresql" => ["--Storage:Provider=postgresql", $"--Storage:ConnectionString={await (await PostgresCluster.GetAsync()).CreateDatabaseAsync()}"],
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgresql"),
    };

    /// <summary>Starts the server on a new data directory and waits until it serves.</summary>
    public static async Task<ServerProcess> StartServingAsync(TimeSpan timeout, string prefix = "srs-e2e", params string[] settings)
    {
        var server = Start(RepositoryPaths.NewTempDirectory(prefix), settings);
        server.OwnsData = true;
        try
        {
            await server.WaitUntilServingAsync(timeout);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until health says SERVING; fails with the server's output otherwise.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var health = new Health.HealthClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"server exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"server not serving after {timeout}:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager would, and waits for a graceful exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        return await WaitForExitAsync(timeout);
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or a pulled plug would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (OwnsData)
        {
            RepositoryPaths.Remove(DataDirectory);
        }
    }

    /// <summary>A demonstration staff member's password and TOTP secret (config/staff/demo-staff.json, as ./run.sh makes them).</summary>
    public static (string Password, string Secret) DemoStaff(string staffId)
    {
        using var demo = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "config", "staff", "demo-staff.json")));
        var entry = demo.RootElement.GetProperty("staff").EnumerateArray().Single(e => e.GetProperty("staffId").GetString() == staffId);
        return (entry.GetProperty("password").GetString()!, entry.GetProperty("totpSecret").GetString()!);
    }

    /// <summary>Mints a development token with srs-token, using the key under the server's data directory.</summary>
    public static async Task<string> MintAsync(string dataDirectory, string tenant, string role = "clerk", params string[] more)
    {
        // The server makes its key as it starts; srs-token only reads it.
        var key = Path.Combine(dataDirectory, Core.Security.SigningKeys.DevelopmentKeyFile);
        for (var waited = 0; (!File.Exists(key) || new FileInfo(key).Length == 0) && waited < 600; waited++)
        {
            await Task.Delay(100);
        }
        var tool = ProgramPath("tools/SharedResidentSystem.DevTokens", "srs-token.dll");
        var (code, stdout, stderr) = await RunAsync("dotnet", [tool, "--tenant", tenant, "--data-dir", dataDirectory, "--role", role, .. more], TimeSpan.FromSeconds(60));
        return code == 0 ? stdout.Trim() : throw new InvalidOperationException($"srs-token failed: {stderr}");
    }

    /// <summary>Runs a program to its end (its standard input is <paramref name="input"/>, then closed); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string input = "",
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
