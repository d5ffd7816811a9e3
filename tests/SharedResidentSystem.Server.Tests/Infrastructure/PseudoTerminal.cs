using System.Diagnostics;
using System.Text;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>
/// Runs a program on a pseudo-terminal (util-linux <c>script</c>, present on every Debian) and
/// talks to it as a clerk would: wait for a prompt, type a line, press Enter.
/// </summary>
public sealed class PseudoTerminal : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _screen = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Task _reader;
    private int _mark;

    private PseudoTerminal(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Everything the program wrote so far.</summary>
    public string Screen
    {
        get
        {
            lock (_screen)
            {
                return _screen.ToString();
            }
        }
    }

    public static PseudoTerminal Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var command = string.Join(' ', new[] { program }.Concat(arguments).Select(Quote));
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Testing.RepositoryPaths.Root,
        };
        foreach (var a in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["TERM"] = "dumb";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        start.StandardInputEncoding = new UTF8Encoding(false);
        start.StandardOutputEncoding = new UTF8Encoding(false);
        return new PseudoTerminal(Process.Start(start) ?? throw new InvalidOperationException("could not start script"));
    }

    /// <summary>Waits until the program shows <paramref name="text"/> after what was already read; returns what it showed up to there.</summary>
    public async Task<string> ExpectAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var screen = Screen;
            var at = screen.IndexOf(text, _mark, StringComparison.Ordinal);
            if (at >= 0)
            {
                var shown = screen[_mark..(at + text.Length)];
                _mark = at + text.Length;
                return shown;
            }
            if (_process.HasExited && _reader.IsCompleted)
            {
                throw new InvalidOperationException($"the program ended (exit {_process.ExitCode}) without showing '{text}':\n{screen[_mark..]}");
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"'{text}' did not appear; the screen since the last answer:\n{screen[_mark..]}");
            }
            await _changed.WaitAsync(left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>Waits for the prompt, then types the answer and Enter.</summary>
    public async Task<string> AnswerAsync(string prompt, string answer)
    {
        var shown = await ExpectAsync(prompt);
        await TypeAsync(answer);
        return shown;
    }

    public async Task TypeAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\r");
        await _process.StandardInput.FlushAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await _reader;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new char[4096];
        while (true)
        {
            var n = await _process.StandardOutput.ReadAsync(buffer);
            if (n == 0)
            {
                _changed.Release();
                return;
            }
            lock (_screen)
            {
                _screen.Append(buffer, 0, n);
            }
            _changed.Release();
        }
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
