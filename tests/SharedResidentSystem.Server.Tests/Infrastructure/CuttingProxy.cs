using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>Where the proxy cuts the armed call.</summary>
public enum CutAt
{
    /// <summary>The server has the request, did the work and committed; its answer is lost.</summary>
    Answer,

    /// <summary>The request never reaches the server.</summary>
    Request,
}

/// <summary>
/// A TCP proxy in front of the server that reads the HTTP/2 frames passing through. Armed
/// with a gRPC method, it cuts that call where the test says: when the server starts
/// answering it (its response HEADERS frame: the server has done the work and committed),
/// withholding the answer, or when the client sends it, withholding the request. There it
/// runs <c>onCut</c> (the test kills the server) and drops the connection. Later connections
/// go to whatever port <see cref="Target"/> names then.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private const int FrameHeaders = 0x1;
    private static readonly byte[] Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly byte[] _method;
    private readonly Func<Task> _onCut;
    private int _armed = 1;

    private readonly CutAt _at;

    public CuttingProxy(int target, string method, Func<Task> onCut, CutAt at = CutAt.Answer)
    {
        _at = at;
        Target = target;
        _method = Encoding.ASCII.GetBytes(method);
        _onCut = onCut;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The server's port new connections go to.</summary>
    public int Target { get; set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>Set once the answer of the armed call was cut off.</summary>
    public TaskCompletionSource Cut { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, Target, _stop.Token);
            }
            catch (SocketException)
            {
                return; // the server is down: the client sees the connection close
            }
            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var watched = new HashSet<uint>();
            var fromClient = PumpAsync(client.GetStream(), upstream.GetStream(), fromClient: true, watched, done.Token);
            var fromServer = PumpAsync(upstream.GetStream(), client.GetStream(), fromClient: false, watched, done.Token);
            await Task.WhenAny(fromClient, fromServer);
            await done.CancelAsync();
            try
            {
                await Task.WhenAll(fromClient, fromServer);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
            {
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool fromClient, HashSet<uint> watched, CancellationToken ct)
    {
        if (fromClient)
        {
            var preface = new byte[Preface.Length];
            await from.ReadExactlyAsync(preface, ct);
            await to.WriteAsync(preface, ct);
        }
        var header = new byte[9];
        while (true)
        {
            await from.ReadExactlyAsync(header, ct);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var type = header[3];
            var stream = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFFFFFF;
            var payload = new byte[length];
            await from.ReadExactlyAsync(payload, ct);
            if (type == FrameHeaders && Volatile.Read(ref _armed) == 1)
            {
                if (fromClient && payload.AsSpan().IndexOf(_method) >= 0)
                {
                    if (_at == CutAt.Request && Interlocked.Exchange(ref _armed, 0) == 1)
                    {
                        await _onCut();
                        Cut.TrySetResult();
                        return; // the request is withheld; the connection closes
                    }
                    lock (watched)
                    {
                        watched.Add(stream);
                    }
                }
                else if (!fromClient)
                {
                    bool answerOfWatched;
                    lock (watched)
                    {
                        answerOfWatched = watched.Contains(stream);
                    }
                    if (answerOfWatched && Interlocked.Exchange(ref _armed, 0) == 1)
                    {
                        await _onCut();
                        Cut.TrySetResult();
                        return; // the answer is withheld; the connection closes
                    }
                }
            }
            await to.WriteAsync(header, ct);
            await to.WriteAsync(payload, ct);
        }
    }
}
