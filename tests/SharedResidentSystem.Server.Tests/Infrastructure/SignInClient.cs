using System.Net.Http.Json;
using System.Text.Json;
using SharedResidentSystem.Contracts.Staff.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Staff;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>Speaks to the server's sign-in endpoint (/connect/token) as the programs do, and makes staff through the admin service.</summary>
public sealed class SignInClient(ServerFixture server) : IDisposable
{
    private readonly HttpClient _http = new(server.CreateHandler()) { BaseAddress = new Uri("http://localhost") };

    public sealed record Answer(int Status, string AccessToken, string RefreshToken, string Error, string Description);

    /// <summary>A new staff member of <paramref name="tenant"/> made by an operator of the joint system: its password and TOTP secret.</summary>
    public async Task<StaffCredentials> AddStaffAsync(string tenant, string staffId, string password, params string[] roles)
    {
        var admin = new StaffAdminService.StaffAdminServiceClient(server.As(SrsClaims.JointSystem, Roles.Operator));
        var request = new AddStaffRequest { RequestId = Guid.NewGuid().ToString(), Tenant = tenant, StaffId = staffId, DisplayName = "試験 職員", Unit = "市民課", Password = password };
        request.Roles.AddRange(roles.Length == 0 ? [Roles.Clerk] : roles);
        return await admin.AddStaffAsync(request);
    }

    /// <summary>The current code of <paramref name="secret"/> on the server's clock.</summary>
    public string Code(string secret) => StaffTotp.Code(secret, server.Time.GetUtcNow());

    public Task<Answer> PasswordAsync(string tenant, string staffId, string password, string code, string? newPassword = null, string client = "srs-terminal") =>
        PostAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = client,
            ["username"] = staffId,
            ["password"] = password,
            ["tenant"] = tenant,
            ["totp"] = code,
            ["terminal"] = "T-SIGNIN",
            ["scope"] = "offline_access",
            ["new_password"] = newPassword ?? "",
        });

    public Task<Answer> RefreshAsync(string refreshToken, string client = "srs-terminal") =>
        PostAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = client, ["refresh_token"] = refreshToken });

    public async Task<Answer> PostAsync(Dictionary<string, string> form)
    {
        using var response = await _http.PostAsync("/connect/token", new FormUrlEncodedContent(form.Where(p => p.Value.Length > 0)));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        string Text(string name) => json.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
        return new Answer((int)response.StatusCode, Text("access_token"), Text("refresh_token"), Text("error"), Text("error_description"));
    }

    public HttpClient Http => _http;

    public void Dispose() => _http.Dispose();
}
