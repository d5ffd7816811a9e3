using Microsoft.Playwright;
using Xunit.Abstractions;
using SharedResidentSystem.Core.Staff;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>
/// The browser counter end to end: the server process as ./run.sh starts it (Production, the
/// demonstration staff, its counter on a port of its own) and Debian's chromium, headless,
/// driven by Playwright (its own browser download is not used). One per test; disposing stops both.
/// </summary>
public sealed class CounterBrowser : IAsyncDisposable
{
    /// <summary>Debian's chromium (the apt package; ./test.sh installs it when missing).</summary>
    public const string Chromium = "/usr/lib/chromium/chromium";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly IPlaywright _playwright;
    private readonly string _profile;
    private readonly Dictionary<string, long> _lastCodeStep = new(StringComparer.Ordinal);

    private CounterBrowser(ServerProcess server, int counterPort, IPlaywright playwright, IBrowserContext context, IPage page, string profile)
    {
        Server = server;
        CounterPort = counterPort;
        _playwright = playwright;
        Context = context;
        Page = page;
        _profile = profile;
    }

    public ServerProcess Server { get; }

    public int CounterPort { get; }

    /// <summary>The counter's address, as ./run.sh prints it.</summary>
    public string Address => $"http://127.0.0.1:{CounterPort}/counter/";

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>
    /// Starts both, the server with any more <paramref name="settings"/>; the browser's console
    /// and page errors go to <paramref name="output"/> (shown when a test fails).
    /// </summary>
    public static async Task<CounterBrowser> StartAsync(ITestOutputHelper output, params string[] settings)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (./test.sh does)");
        var counterPort = ServerProcess.FreePort();
        var server = ServerProcess.StartIn("Production", null, [$"--Server:CounterPort={counterPort}", "--Auth:SignIn:DemoStaffFile=config/staff/demo-staff.json", .. settings]);
        IPlaywright? playwright = null;
        try
        {
            await server.WaitUntilServingAsync(StartTimeout);
            playwright = await Playwright.CreateAsync();
            var profile = RepositoryPaths.NewTempDirectory("srs-chromium");
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-quic"],
                ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
                Locale = "ja-JP",
                TimezoneId = "Asia/Tokyo",
                AcceptDownloads = true,
            });
            context.SetDefaultTimeout(60_000);
            // The app's first load compiles and starts the .NET runtime in the page: slow on a busy machine.
            Assertions.SetDefaultExpectTimeout(20_000);
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            page.Console += (_, message) => Tell(output, $"console {message.Type}: {message.Text}");
            page.PageError += (_, error) => Tell(output, $"page error: {error}");
            page.FrameNavigated += (_, frame) =>
            {
                if (frame == page.MainFrame)
                {
                    Tell(output, $"navigated to {frame.Url}");
                }
            };
            page.Response += (_, response) =>
            {
                if (response.Status >= 400)
                {
                    Tell(output, $"HTTP {response.Status} {response.Url}");
                }
            };
            return new CounterBrowser(server, counterPort, playwright, context, page, profile);
        }
        catch
        {
            playwright?.Dispose();
            await server.DisposeAsync();
            throw;
        }
    }

    private static void Tell(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has ended; nobody is listening any more.
        }
    }

    /// <summary>Signs a demonstration staff member in through the system's sign-in page, as a clerk would; ends on the search screen.</summary>
    public async Task SignInAsync(string tenant, string staffId, string terminal = "")
    {
        var (password, secret) = ServerProcess.DemoStaff(staffId);
        await Page.GotoAsync(Address);
        await Page.Locator("#sign-in").ClickAsync();
        await Page.WaitForURLAsync("**/connect/authorize**");
        await Page.FillAsync("#tenant", tenant);
        await Page.FillAsync("#username", staffId);
        await Page.FillAsync("#password", password);
        // A code is good once (the server refuses one already used, and counts it towards the
        // lockout): the same staff member signing in again waits for the next code, as a person would.
        var now = DateTimeOffset.UtcNow;
        if (_lastCodeStep.TryGetValue(staffId, out var last) && now.ToUnixTimeSeconds() / 30 <= last)
        {
            await Task.Delay(TimeSpan.FromSeconds((last + 1) * 30 - now.ToUnixTimeSeconds() + 1));
            now = DateTimeOffset.UtcNow;
        }
        _lastCodeStep[staffId] = now.ToUnixTimeSeconds() / 30;
        await Page.FillAsync("#totp", StaffTotp.Code(secret, now));
        if (terminal.Length > 0)
        {
            await Page.FillAsync("#terminal", terminal);
        }
        await Page.Locator("button[type=submit]").ClickAsync();
        await Page.WaitForURLAsync("**/counter/search");
        await Page.Locator("#who").WaitForAsync();
    }

    /// <summary>Writes the page as it is now to docs/counter/{name}.png (shown in docs/counter.md).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "docs", "counter");
        Directory.CreateDirectory(directory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = false });
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // The browser may still hold a file for a moment; the temp directory is cleaned with the machine.
        }
    }
}

/// <summary>
/// The browser tests run by themselves, after the rest: a browser running .NET in WebAssembly
/// beside its server takes both cores of the machine, and the service tests' waits (jobs, ticks)
/// would then measure chromium rather than the register.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserTests
{
    public const string Name = "browser";
}
