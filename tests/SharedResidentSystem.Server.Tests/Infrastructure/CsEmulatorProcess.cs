using System.Diagnostics;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>The CS emulator (tools/SharedResidentSystem.CsEmulator) as its own process, on a port it keeps across restarts.</summary>
public sealed class CsEmulatorProcess : IAsyncDisposable
{
    private Process? _process;
    private readonly GrpcChannel _channel;

    private readonly string[] _options;

    /// <summary>An emulator on a free port; <paramref name="options"/> are passed to it (--submit-delay-ms 50 …).</summary>
    public CsEmulatorProcess(string? dataDirectory = null, params string[] options)
    {
        _options = options;
        Port = ServerProcess.FreePort();
        DataDirectory = dataDirectory ?? RepositoryPaths.NewTempDirectory("srs-cs");
        _channel = GrpcChannel.ForAddress(Address);
        Client = new CsGateway.CsGatewayClient(_channel);
    }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    public string DataDirectory { get; }

    public CsGateway.CsGatewayClient Client { get; }

    /// <summary>Starts (or starts again) the emulator and waits until it answers.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(ServerProcess.ProgramPath("tools/SharedResidentSystem.CsEmulator", "srs-cs-emulator.dll"));
        foreach (var a in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", DataDirectory }.Concat(_options))
        {
            start.ArgumentList.Add(a);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the CS emulator");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await Client.ListReceivedAsync(new ListReceivedRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                return;
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < until && !_process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Stops it at once, as a failed CS or a cut line would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>What the emulator has taken from one city, in order.</summary>
    public async Task<IReadOnlyList<CsMessage>> ReceivedAsync(string sender) =>
        (await Client.ListReceivedAsync(new ListReceivedRequest { SenderCode = sender })).Messages;

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _channel.Dispose();
        RepositoryPaths.Remove(DataDirectory);
    }
}
