using System.Text;
using System.Text.Json;
using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Tenancy.V1;

namespace SharedResidentSystem.Terminal;

/// <summary>The terminal's settings: where the server is, who signs in, where certificates go.</summary>
public sealed record TerminalSettings(
    Uri Address,
    string? Token,
    string? SaveDirectory,
    string? Printer,
    string? PrintCommand,
    TimeSpan LockAfter,
    RegisterClientOptions ClientOptions);

/// <summary>A signed-in clerk at a terminal: the client, the token, the city.</summary>
public sealed class Session : IDisposable
{
    private string? _token;

    public Session(TerminalSettings settings)
    {
        Settings = settings;
        _token = settings.Token;
        settings.ClientOptions.Address = settings.Address;
        settings.ClientOptions.Token = () => _token;
        Client = new RegisterClient(settings.ClientOptions);
    }

    public TerminalSettings Settings { get; }

    public RegisterClient Client { get; }

    public Tenant? Tenant { get; private set; }

    public Screen? Screen { get; set; }

    /// <summary>Who the token says signed in (staff id, roles, terminal), read from its claims for display only.</summary>
    public string Staff { get; private set; } = "";

    public string Terminal { get; private set; } = "";

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public string ResidentName(string number) => $"{Tenant!.Name}/residents/{number.Trim()}";

    public string HouseholdName(string number) => $"{Tenant!.Name}/households/{number.Trim()}";

    /// <summary>Signs in with <paramref name="token"/>: the server must accept it and name the city.</summary>
    public async Task<CallProblem?> SignInAsync(string token)
    {
        var previous = _token;
        _token = token;
        var tenant = await Client.GetTenantAsync();
        if (!tenant.Succeeded)
        {
            _token = previous;
            return tenant.Problem;
        }
        Tenant = tenant.Value;
        ReadClaims(token);
        return null;
    }

    /// <summary>Whether <paramref name="token"/> unlocks the screen: the same token, or a new one the server accepts for the same staff.</summary>
    public async Task<bool> UnlockAsync(string token)
    {
        if (token.Length == 0)
        {
            return false;
        }
        if (token == _token)
        {
            return true;
        }
        // Another staff member's token does not open this clerk's screen (nor switch the session).
        if (Claims(token).Staff != Staff)
        {
            return false;
        }
        return await SignInAsync(token) is null;
    }

    public async Task SignInAgainAsync()
    {
        var screen = Screen ?? throw new InvalidOperationException("no screen");
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

    public void Dispose() => Client.Dispose();

    private void ReadClaims(string token) => (Staff, Terminal, Roles) = Claims(token);

    /// <summary>Who a token names (its claims read for display; the server is what checks it).</summary>
    private static (string Staff, string Terminal, IReadOnlyList<string> Roles) Claims(string token)
    {
        try
        {
            var parts = token.Split('.');
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            var root = json.RootElement;
            return (
                root.TryGetProperty("sub", out var sub) ? sub.GetString() ?? "" : "",
                root.TryGetProperty("terminal", out var terminal) ? terminal.GetString() ?? "" : "",
                root.TryGetProperty("role", out var role)
                    ? role.ValueKind == JsonValueKind.Array ? role.EnumerateArray().Select(r => r.GetString() ?? "").ToList() : [role.GetString() ?? ""]
                    : []);
        }
        catch (Exception e) when (e is FormatException or JsonException or IndexOutOfRangeException or InvalidOperationException)
        {
            return ("", "", []);
        }
    }
}
