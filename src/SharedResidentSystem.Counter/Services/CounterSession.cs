using System.Security.Cryptography;
using System.Text;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Components;
using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Staff.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;

namespace SharedResidentSystem.Counter.Services;

/// <summary>
/// The counter's state in this browser tab: the sign-in (authorization code with PKCE at the
/// system's sign-in page; tokens held in memory only, renewed with the refresh token), the
/// register client over gRPC-Web, who is signed in at which terminal, and the screen lock.
/// </summary>
public sealed class CounterSession : IDisposable
{
    public const string ClientId = "srs-counter";
    private const string VerifierKey = "srs-counter.verifier";
    private const string StateKey = "srs-counter.state";
    private const string TerminalKey = "srs-counter.terminal";

    private readonly NavigationManager _navigation;
    private readonly Browser _browser;
    private readonly TimeProvider _time;
    private StaffSignIn _signIn;
    private ITimer? _idle;

    public CounterSession(NavigationManager navigation, Browser browser, TimeProvider time, CounterSettings settings)
    {
        _navigation = navigation;
        _browser = browser;
        _time = time;
        Settings = settings;
        Origin = new Uri(new Uri(navigation.BaseUri).GetLeftPart(UriPartial.Authority) + "/");
        _signIn = NewSignIn();
        Register = new RegisterClient(new RegisterClientOptions
        {
            Address = Origin,
            Token = () => _signIn.Token(),
            // gRPC-Web (binary) over the browser's fetch: the same services and pipeline as the terminal's h2c.
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
            Time = time,
        });
    }

    public CounterSettings Settings { get; }

    /// <summary>The system's address as this page was loaded from it.</summary>
    public Uri Origin { get; }

    public RegisterClient Register { get; }

    /// <summary>Who is signed in (null: nobody).</summary>
    public Session? Staff { get; private set; }

    public Tenant? City { get; private set; }

    public bool Locked { get; private set; }

    public bool IsSupervisor => Staff?.Roles.Contains("supervisor") == true;

    /// <summary>Something shown in the frame changed (sign-in, lock).</summary>
    public event Action? Changed;

    private Uri RedirectUri => new(_navigation.BaseUri + "signed-in");

    private StaffSignIn NewSignIn() => new(Origin, ClientId, new HttpClientHandler(), _time);

    /// <summary>To the system's sign-in page, with a fresh PKCE verifier and state kept in this tab.</summary>
    public async Task BeginSignInAsync()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        await _browser.SetSessionAsync(VerifierKey, verifier);
        await _browser.SetSessionAsync(StateKey, state);
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var terminal = await _browser.GetLocalAsync(TerminalKey) ?? "";
        var query = new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri.ToString(),
            ["scope"] = "openid offline_access",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = state,
            ["terminal"] = terminal,
        };
        var url = Origin + "connect/authorize?" + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        _navigation.NavigateTo(url, forceLoad: true);
    }

    /// <summary>The sign-in page's answer: the code redeemed for tokens (null), or why not.</summary>
    public async Task<string?> CompleteSignInAsync(string? code, string? state, string? error, string? description)
    {
        var expected = await _browser.GetSessionAsync(StateKey);
        var verifier = await _browser.GetSessionAsync(VerifierKey);
        await _browser.RemoveSessionAsync(StateKey);
        await _browser.RemoveSessionAsync(VerifierKey);
        if (!string.IsNullOrEmpty(error))
        {
            return string.IsNullOrEmpty(description) ? $"サインインできませんでした ({error})。" : description;
        }
        if (string.IsNullOrEmpty(code) || expected is null || verifier is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(state ?? "")))
        {
            return "このサインインの応答はこの画面が求めたものではありません。もう一度サインインしてください。";
        }
        var outcome = await _signIn.RedeemCodeAsync(code, verifier, RedirectUri);
        if (!outcome.Succeeded)
        {
            return outcome.Message;
        }
        return await LoadSessionAsync();
    }

    private async Task<string?> LoadSessionAsync()
    {
        var session = await Register.GetSessionAsync();
        if (!session.Succeeded)
        {
            return session.Problem!.Message;
        }
        var city = await Register.GetTenantAsync();
        Staff = session.Value;
        City = city.Value;
        if (Staff!.Terminal.Length > 0)
        {
            await _browser.SetLocalAsync(TerminalKey, Staff.Terminal);
        }
        Locked = false;
        Touch();
        Changed?.Invoke();
        return null;
    }

    /// <summary>Sign-out at this terminal: the tokens are forgotten, the screen goes back to the start.</summary>
    public void SignOut()
    {
        _signIn.Forget();
        _signIn.Dispose();
        _signIn = NewSignIn();
        Staff = null;
        City = null;
        Locked = false;
        _idle?.Dispose();
        _idle = null;
        Changed?.Invoke();
        _navigation.NavigateTo("", forceLoad: false);
    }

    /// <summary>The screen lock (2.3.2): the screens are hidden until the staff member's password is given again.</summary>
    public void Lock()
    {
        if (Staff is null || Locked)
        {
            return;
        }
        Locked = true;
        Changed?.Invoke();
    }

    /// <summary>Opens the lock with the signed-in staff member's password (a wrong one counts towards the lockout).</summary>
    public async Task<string?> UnlockAsync(string password)
    {
        var answer = await Register.ConfirmPasswordAsync(password);
        if (!answer.Succeeded)
        {
            return answer.Problem!.Kind == ProblemKind.SignInRequired ? "サインインし直してください。" : "パスワードが違います。";
        }
        Locked = false;
        Touch();
        Changed?.Invoke();
        return null;
    }

    /// <summary>The staff member did something: the idle lock starts counting again.</summary>
    public void Touch()
    {
        if (Staff is null || Locked || Settings.LockAfterMinutes <= 0)
        {
            return;
        }
        var after = TimeSpan.FromMinutes(Settings.LockAfterMinutes);
        if (_idle is null)
        {
            _idle = _time.CreateTimer(_ => Lock(), null, after, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _idle.Change(after, Timeout.InfiniteTimeSpan);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _idle?.Dispose();
        Register.Dispose();
        _signIn.Dispose();
    }
}

/// <summary>The counter's settings (wwwroot/appsettings.json, section Counter).</summary>
public sealed class CounterSettings
{
    /// <summary>Minutes without a key or a click before the screen locks (2.3.2); 0: only by hand.</summary>
    public int LockAfterMinutes { get; set; } = 10;
}
