using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Tenancy.V1;

namespace SharedResidentSystem.Terminal;

/// <summary>
/// The terminal's settings: where the server is, who signs in, where certificates go. Without
/// <see cref="Token"/> the staff member signs in with ID, password and TOTP code (the
/// system's sign-in); a token (from a city's own sign-in, or the development tool) is taken as
/// it is.
/// </summary>
public sealed record TerminalSettings(
    Uri Address,
    string? Token,
    string? SaveDirectory,
    string? Printer,
    string? PrintCommand,
    TimeSpan LockAfter,
    RegisterClientOptions ClientOptions)
{
    /// <summary>This terminal's ID (the access log names it).</summary>
    public string TerminalId { get; init; } = Environment.MachineName;

    /// <summary>The city offered at sign-in (団体コード).</summary>
    public string? Tenant { get; init; }

    /// <summary>The staff ID offered at sign-in.</summary>
    public string? StaffId { get; init; }
}

/// <summary>A signed-in clerk at a terminal: the client, the sign-in, the city.</summary>
public sealed class Session : IDisposable
{
    private string? _token;
    private readonly StaffSignIn _signIn;

    public Session(TerminalSettings settings)
    {
        Settings = settings;
        _token = string.IsNullOrWhiteSpace(settings.Token) ? null : settings.Token.Trim();
        settings.ClientOptions.Address = settings.Address;
        _signIn = new StaffSignIn(settings.Address, "srs-terminal");
        settings.ClientOptions.Token = () => _token ?? _signIn.Token();
        Client = new RegisterClient(settings.ClientOptions);
    }

    public TerminalSettings Settings { get; }

    public RegisterClient Client { get; }

    public Tenant? Tenant { get; private set; }

    public Screen? Screen { get; set; }

    /// <summary>Who is signed in (staff id, roles, terminal), as the server says.</summary>
    public string Staff { get; private set; } = "";

    public string Terminal { get; private set; } = "";

    public IReadOnlyList<string> Roles { get; private set; } = [];

    /// <summary>The error of a sign-in that did not reach the server.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>Signed in with a token given to the terminal (not with ID and password).</summary>
    public bool WithToken => _token is not null;

    /// <summary>What opens the screen lock: the staff member's password, or the token.</summary>
    public string UnlockLabel => WithToken ? "トークンを入力してロックを解除" : "パスワードを入力してロックを解除";

    public string ResidentName(string number) => $"{Tenant!.Name}/residents/{number.Trim()}";

    public string HouseholdName(string number) => $"{Tenant!.Name}/households/{number.Trim()}";

    /// <summary>Signs in with <paramref name="token"/>: the server must accept it and name the city.</summary>
    public async Task<CallProblem?> SignInAsync(string token)
    {
        var previous = _token;
        _token = token;
        var problem = await LoadSessionAsync();
        if (problem is not null)
        {
            _token = previous;
        }
        return problem;
    }

    /// <summary>Signs in with ID, password and TOTP code (the system's sign-in).</summary>
    public async Task<SignInOutcome> SignInAsync(SignInCredentials credentials)
    {
        SignInOutcome outcome;
        try
        {
            outcome = await _signIn.SignInAsync(credentials);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new SignInOutcome(false, Unreachable, $"サーバー {Settings.Address} に接続できません ({e.Message})。");
        }
        if (!outcome.Succeeded)
        {
            return outcome;
        }
        _token = null;
        var problem = await LoadSessionAsync();
        return problem is null ? outcome : new SignInOutcome(false, "session", problem.Message);
    }

    /// <summary>The city and the session the server answers for the current token.</summary>
    private async Task<CallProblem?> LoadSessionAsync()
    {
        var tenant = await Client.GetTenantAsync();
        if (!tenant.Succeeded)
        {
            return tenant.Problem;
        }
        var session = await Client.GetSessionAsync();
        if (!session.Succeeded)
        {
            return session.Problem;
        }
        Tenant = tenant.Value;
        Staff = session.Value!.StaffId;
        Terminal = session.Value.Terminal;
        Roles = [.. session.Value.Roles];
        return null;
    }

    /// <summary>
    /// Whether <paramref name="secret"/> opens the screen lock: the signed-in staff member's
    /// password (checked by the server; a wrong one counts towards the lockout), or with a
    /// token, the same token or a new one the server accepts for the same staff member.
    /// </summary>
    public async Task<bool> UnlockAsync(string secret)
    {
        if (secret.Length == 0)
        {
            return false;
        }
        if (!WithToken)
        {
            return (await Client.ConfirmPasswordAsync(secret)).Succeeded;
        }
        if (secret == _token)
        {
            return true;
        }
        var staff = Staff;
        var previous = (_token, Tenant, Staff, Terminal, Roles);
        if (await SignInAsync(secret) is not null)
        {
            return false;
        }
        if (Staff != staff)
        {
            // Another staff member's token does not open this clerk's screen (nor switch the session).
            (_token, Tenant, Staff, Terminal, Roles) = previous;
            return false;
        }
        return true;
    }

    public async Task SignInAgainAsync()
    {
        var screen = Screen ?? throw new InvalidOperationException("no screen");
        if (WithToken)
        {
            while (true)
            {
                var token = await screen.AskSecretAsync("トークン");
                var problem = await SignInAsync(token);
                if (problem is null)
                {
                    return;
                }
                Views.Problem(screen, problem);
            }
        }
        var tenant = Settings.Tenant;
        var staffId = Settings.StaffId;
        while (true)
        {
            screen.Title("サインイン");
            tenant = await screen.AskAsync("団体コード", tenant, required: true);
            staffId = await screen.AskAsync("職員ID", staffId, required: true);
            var password = await screen.AskSecretAsync("パスワード");
            var code = await screen.AskAsync("確認コード（認証アプリの6桁）", required: true);
            var credentials = new SignInCredentials(tenant, staffId, password, code, Settings.TerminalId);
            var outcome = await SignInAsync(credentials);
            if (outcome.PasswordChangeRequired)
            {
                screen.Line($"■ {outcome.Message}");
                var changed = await AskNewPasswordAsync(screen);
                var next = await screen.AskAsync("確認コード（次に表示されたコード）", required: true);
                outcome = await SignInAsync(credentials with { Code = next, NewPassword = changed });
            }
            if (outcome.Succeeded)
            {
                return;
            }
            screen.Line($"■ サインインできません: {outcome.Message}");
        }
    }

    private static async Task<string> AskNewPasswordAsync(Screen screen)
    {
        while (true)
        {
            var first = await screen.AskSecretAsync("新しいパスワード");
            var second = await screen.AskSecretAsync("新しいパスワード（確認）");
            if (first.Length > 0 && first == second)
            {
                return first;
            }
            screen.Line("  ※ 二つの入力が一致しません。");
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        _signIn.Dispose();
    }
}
