using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SharedResidentSystem.Client;

/// <summary>What a staff member types to sign in (10.3): city, staff ID, password, the authenticator app's code.</summary>
public sealed record SignInCredentials(string Tenant, string StaffId, string Password, string Code, string Terminal)
{
    /// <summary>The new password, when the sign-in asked for one (after an operator's reset).</summary>
    public string? NewPassword { get; init; }
}

/// <summary>The answer of a sign-in: success, or why not (a message for the staff member).</summary>
public sealed record SignInOutcome(bool Succeeded, string Error, string Message)
{
    /// <summary>The password must be changed first: ask for a new one and sign in again with it.</summary>
    public bool PasswordChangeRequired => Error == "password_change_required";
}

/// <summary>
/// The programs' side of the system's sign-in: ID, password and TOTP code for an access token
/// and a refresh token at /connect/token (the public client of the program: srs-terminal,
/// srs-admin or srs-audit); the access token is renewed with the refresh token before it
/// expires, so a clerk signs in once a working day. A city's linked system (7.2) signs in with
/// its client id and secret instead (client credentials), and is signed in again before its
/// token expires. <see cref="Token"/> is what <see cref="RegisterClientOptions.Token"/> reads.
/// </summary>
public sealed class StaffSignIn : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _clientId;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private string? _accessToken;
    private string? _refreshToken;
    private string? _secret;
    private DateTimeOffset _expires;

    public StaffSignIn(Uri address, string clientId, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        _clientId = clientId;
        _time = time ?? TimeProvider.System;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = address,
            // The server speaks HTTP/2 without TLS (h2c) on its gRPC port.
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = address.Scheme == Uri.UriSchemeHttps ? HttpVersionPolicy.RequestVersionOrLower : HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The current access token (null before a sign-in); renewed in the background when it nears its end.</summary>
    public string? Token()
    {
        if ((_refreshToken is not null || _secret is not null) && _time.GetUtcNow() > _expires - TimeSpan.FromMinutes(1))
        {
            _ = RenewAsync(CancellationToken.None);
        }
        return _accessToken;
    }

    public bool SignedIn => _accessToken is not null;

    public async Task<SignInOutcome> SignInAsync(SignInCredentials credentials, CancellationToken cancellationToken = default)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = _clientId,
            ["scope"] = "offline_access",
            ["tenant"] = credentials.Tenant.Trim(),
            ["username"] = credentials.StaffId.Trim(),
            ["password"] = credentials.Password,
            ["totp"] = credentials.Code.Trim(),
            ["terminal"] = credentials.Terminal.Trim(),
        };
        if (!string.IsNullOrEmpty(credentials.NewPassword))
        {
            form["new_password"] = credentials.NewPassword;
        }
        return await PostAsync(form, cancellationToken);
    }

    /// <summary>
    /// The browser counter's sign-in: the code the sign-in page sent back to
    /// <paramref name="redirectUri"/>, with the PKCE verifier its challenge was made from.
    /// </summary>
    public Task<SignInOutcome> RedeemCodeAsync(string code, string verifier, Uri redirectUri, CancellationToken cancellationToken = default) =>
        PostAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = _clientId,
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri.ToString(),
        }, cancellationToken);

    /// <summary>A linked system's sign-in with the secret an operator issued (srs-admin link secret).</summary>
    public async Task<SignInOutcome> SignInAsSystemAsync(string secret, CancellationToken cancellationToken = default)
    {
        var outcome = await PostAsync(SystemForm(secret), cancellationToken);
        _secret = outcome.Succeeded ? secret : null;
        return outcome;
    }

    private Dictionary<string, string> SystemForm(string secret) => new()
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = _clientId,
        ["client_secret"] = secret,
    };

    /// <summary>Renews the access token with the refresh token, or a system's secret (false: sign in again).</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken = default)
    {
        if (!await _renewing.WaitAsync(0, cancellationToken))
        {
            return _accessToken is not null;
        }
        try
        {
            if (_refreshToken is null && _secret is null)
            {
                return false;
            }
            var outcome = await PostAsync(_secret is not null ? SystemForm(_secret) : new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["client_id"] = _clientId,
                ["refresh_token"] = _refreshToken!,
            }, cancellationToken);
            return outcome.Succeeded;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Unreachable or too slow for now: the token in hand is used until it expires; the next call tries again.
            return false;
        }
        finally
        {
            _renewing.Release();
        }
    }

    /// <summary>Forgets the tokens (sign-out at this terminal).</summary>
    public void Forget()
    {
        _accessToken = null;
        _refreshToken = null;
        _secret = null;
    }

    private async Task<SignInOutcome> PostAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync("connect/token", new FormUrlEncodedContent(form), cancellationToken);
        JsonElement json;
        try
        {
            json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (JsonException)
        {
            return new SignInOutcome(false, "server_error", $"サインインの応答が読めません (HTTP {(int)response.StatusCode})。");
        }
        string Text(string name) => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
        if (!response.IsSuccessStatusCode || Text("access_token").Length == 0)
        {
            var error = Text("error");
            var message = Text("error_description");
            return new SignInOutcome(false, error.Length == 0 ? "server_error" : error, message.Length == 0 ? $"サインインできません (HTTP {(int)response.StatusCode})。" : message);
        }
        _accessToken = Text("access_token");
        if (Text("refresh_token") is { Length: > 0 } refresh)
        {
            _refreshToken = refresh;
        }
        var lifetime = json.TryGetProperty("expires_in", out var seconds) && seconds.TryGetInt32(out var s) ? s : 600;
        _expires = _time.GetUtcNow() + TimeSpan.FromSeconds(lifetime);
        return new SignInOutcome(true, "", "");
    }

    public void Dispose()
    {
        _http.Dispose();
        _renewing.Dispose();
    }
}
