using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Staff.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.SignIn;

/// <summary>The system's own sign-in (10.3) end to end: the token endpoint, then the register with the token it gave.</summary>
public abstract partial class SignInTests(ServerFixture server) : IDisposable
{
    private const string City = "132225";
    private const string Other = "132110";
    private const string Password = "kurume-2026-password";

    private readonly SignInClient _signIn = new(server);

    public void Dispose()
    {
        _signIn.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string NewStaffId() => "s" + Guid.NewGuid().ToString("N")[..10];

    private CallInvoker With(string accessToken) => server.Invoker(accessToken);

    /// <summary>The next 30-second step of the server's clock, so that a new TOTP code exists.</summary>
    private void NextStep() => server.Time.Advance(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_linked_system_signs_in_with_the_secret_an_operator_issued_and_gets_its_subscription_only()
    {
        var admin = new StaffAdminService.StaffAdminServiceClient(server.As(City, Roles.Operator));
        var first = new IssueLinkedSystemSecretRequest { RequestId = Guid.NewGuid().ToString(), SystemId = "juminzei" };
        var issued = await admin.IssueLinkedSystemSecretAsync(first);
        Assert.Equal(($"linked.{City}.juminzei", City, "juminzei"), (issued.ClientId, issued.Tenant, issued.SystemId));
        Assert.True(issued.ClientSecret.Length >= 40);
        // The secret is answered once: a repeat of the request does not show it again.
        Assert.Equal("", (await admin.IssueLinkedSystemSecretAsync(first)).ClientSecret);

        Task<SignInClient.Answer> SignInAsync(string secret) => _signIn.PostAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = issued.ClientId, ["client_secret"] = secret,
        });
        var signedIn = await SignInAsync(issued.ClientSecret);
        Assert.Equal(200, signedIn.Status);
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        using (var subscription = new Contracts.Link.V1.LinkService.LinkServiceClient(With(signedIn.AccessToken)).Subscribe(new Contracts.Link.V1.SubscribeRequest(), cancellationToken: stop.Token))
        {
            Assert.True(await subscription.ResponseStream.MoveNext(stop.Token));
            await stop.CancelAsync();
        }
        var read = await Assert.ThrowsAsync<RpcException>(() => new ResidentService.ResidentServiceClient(With(signedIn.AccessToken))
            .SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "タカハシ" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, read.StatusCode);

        Assert.Equal("invalid_client", (await SignInAsync("not-the-secret")).Error);
        // A new secret replaces the old one at once.
        var renewed = await admin.IssueLinkedSystemSecretAsync(new IssueLinkedSystemSecretRequest { RequestId = Guid.NewGuid().ToString(), SystemId = "juminzei" });
        Assert.Equal("invalid_client", (await SignInAsync(issued.ClientSecret)).Error);
        Assert.Equal(200, (await SignInAsync(renewed.ClientSecret)).Status);

        // Only a system the city names, and only by the city's own operators.
        var unknown = await Assert.ThrowsAsync<RpcException>(() => admin.IssueLinkedSystemSecretAsync(new IssueLinkedSystemSecretRequest { RequestId = Guid.NewGuid().ToString(), SystemId = "welfare" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["system_id"], unknown.ViolatedFields());
        var otherOperator = new StaffAdminService.StaffAdminServiceClient(server.As(Other, Roles.Operator));
        var elsewhere = await Assert.ThrowsAsync<RpcException>(() => otherOperator.IssueLinkedSystemSecretAsync(new IssueLinkedSystemSecretRequest { RequestId = Guid.NewGuid().ToString(), Tenant = City, SystemId = "juminzei" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, elsewhere.StatusCode);
    }

    [Fact]
    [Spec("10.3#2")]
    [Spec("10.3#3")]
    [Spec("10.3#15")]
    public async Task A_staff_member_signs_in_with_ID_password_and_second_factor_and_the_token_carries_city_staff_roles_and_terminal()
    {
        var staffId = NewStaffId();
        var made = await _signIn.AddStaffAsync(City, staffId, Password, Roles.Clerk, Roles.Supervisor);
        Assert.Equal([Roles.Clerk, Roles.Supervisor], made.Staff.Roles);
        Assert.Equal(Password, made.Password);
        Assert.Matches("^[A-Z2-7]+$", made.TotpSecret);

        var signedIn = await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret));
        Assert.Equal(200, signedIn.Status);
        Assert.NotEmpty(signedIn.RefreshToken);

        var session = await new StaffSessionService.StaffSessionServiceClient(With(signedIn.AccessToken)).GetSessionAsync(new GetSessionRequest());
        Assert.Equal((City, staffId, "T-SIGNIN", "市民課"), (session.Tenant, session.StaffId, session.Terminal, session.Unit));
        Assert.Equal([Roles.Clerk, Roles.Supervisor], session.Roles);
        // The register answers the token as it answers any clerk of the city.
        await new ResidentService.ResidentServiceClient(With(signedIn.AccessToken)).SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "ア" });

        // Without the second factor, or with the code already used, there is no token.
        var noCode = await _signIn.PasswordAsync(City, staffId, Password, "");
        Assert.Equal(("invalid_grant", ""), (noCode.Error, noCode.AccessToken));
        var replayed = await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret));
        Assert.Equal("invalid_grant", replayed.Error);
        NextStep();
        Assert.Equal(200, (await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret))).Status);
    }

    [Fact]
    [Spec("10.3#3")]
    public async Task An_operators_reset_gives_a_temporary_password_that_must_be_changed_at_the_next_sign_in()
    {
        var staffId = NewStaffId();
        await _signIn.AddStaffAsync(City, staffId, Password);
        var admin = new StaffAdminService.StaffAdminServiceClient(server.As(City, Roles.Operator));
        var reset = await admin.ResetStaffAsync(new ResetStaffRequest { RequestId = Guid.NewGuid().ToString(), Tenant = City, StaffId = staffId });
        Assert.NotEqual(Password, reset.Password);
        Assert.True(reset.Staff.MustChangePassword);

        NextStep();
        Assert.Equal("invalid_grant", (await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(reset.TotpSecret))).Error);
        NextStep();
        var mustChange = await _signIn.PasswordAsync(City, staffId, reset.Password, _signIn.Code(reset.TotpSecret));
        Assert.Equal("password_change_required", mustChange.Error);
        NextStep();
        var weak = await _signIn.PasswordAsync(City, staffId, reset.Password, _signIn.Code(reset.TotpSecret), newPassword: "short1");
        Assert.Equal("password_change_required", weak.Error);
        Assert.Contains("12文字以上", weak.Description, StringComparison.Ordinal);
        NextStep();
        var changed = await _signIn.PasswordAsync(City, staffId, reset.Password, _signIn.Code(reset.TotpSecret), newPassword: "my-own-new-pass-9");
        Assert.Equal(200, changed.Status);
        NextStep();
        Assert.Equal(200, (await _signIn.PasswordAsync(City, staffId, "my-own-new-pass-9", _signIn.Code(reset.TotpSecret))).Status);

        // The answer kept for the request_id holds no secret: a repeat does not hand it out again.
        var request = new ResetStaffRequest { RequestId = Guid.NewGuid().ToString(), Tenant = City, StaffId = staffId };
        var first = await admin.ResetStaffAsync(request);
        var again = await admin.ResetStaffAsync(request);
        Assert.NotEmpty(first.Password);
        Assert.Equal(("", "", first.Staff.StaffId), (again.Password, again.TotpSecret, again.Staff.StaffId));
    }

    [Fact]
    [Spec("10.3#16")]
    public async Task Failed_sign_ins_lock_the_account_until_the_lockout_ends_and_every_one_is_in_the_citys_log()
    {
        var staffId = NewStaffId();
        var made = await _signIn.AddStaffAsync(City, staffId, Password);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("invalid_grant", (await _signIn.PasswordAsync(City, staffId, "wrong-password-" + i, _signIn.Code(made.TotpSecret))).Error);
        }
        // Locked: even the right password and code do not sign in.
        var locked = await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret));
        Assert.Equal("invalid_grant", locked.Error);
        Assert.Contains("ロック", locked.Description, StringComparison.Ordinal);
        var listed = await new StaffAdminService.StaffAdminServiceClient(server.As(City, Roles.Operator)).ListStaffAsync(new ListStaffRequest());
        Assert.NotNull(listed.Staff.Single(s => s.StaffId == staffId).LockedUntil);

        server.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30));
        Assert.Equal(200, (await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret))).Status);

        var log = await new AuditService.AuditServiceClient(server.As(City, Roles.Auditor)).SearchAccessLogAsync(new SearchAccessLogRequest { Staff = staffId, PageSize = 100 });
        var outcomes = log.Entries.Where(e => e.Function == "SignIn/Password").Select(e => e.Outcome).ToList();
        Assert.Equal(4, outcomes.Count(o => o == "SIGN_IN_FAILED"));
        Assert.Equal(2, outcomes.Count(o => o == "LOCKED_OUT"));
        Assert.Equal(1, outcomes.Count(o => o == "OK"));
    }

    [Fact]
    [Spec("10.3#3")]
    public async Task A_disabled_account_neither_signs_in_nor_refreshes_and_an_unknown_one_is_logged_in_the_city()
    {
        var staffId = NewStaffId();
        var made = await _signIn.AddStaffAsync(City, staffId, Password);
        var signedIn = await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret));
        var admin = new StaffAdminService.StaffAdminServiceClient(server.As(City, Roles.Operator));
        await admin.SetStaffDisabledAsync(new SetStaffDisabledRequest { RequestId = Guid.NewGuid().ToString(), StaffId = staffId, Disabled = true });

        Assert.Equal("invalid_grant", (await _signIn.RefreshAsync(signedIn.RefreshToken)).Error);
        NextStep();
        var refused = await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret));
        Assert.Contains("使用停止", refused.Description, StringComparison.Ordinal);

        await admin.SetStaffDisabledAsync(new SetStaffDisabledRequest { RequestId = Guid.NewGuid().ToString(), StaffId = staffId, Disabled = false });
        NextStep();
        var again = await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret));
        Assert.Equal(200, again.Status);
        var renewed = await _signIn.RefreshAsync(again.RefreshToken);
        Assert.Equal(200, renewed.Status);
        Assert.NotEqual(again.AccessToken, renewed.AccessToken);

        var ghost = NewStaffId();
        Assert.Equal("invalid_grant", (await _signIn.PasswordAsync(City, ghost, Password, "123456")).Error);
        var log = await new AuditService.AuditServiceClient(server.As(City, Roles.Auditor)).SearchAccessLogAsync(new SearchAccessLogRequest { PageSize = 200 });
        Assert.Contains(log.Entries, e => e.Outcome == "SIGN_IN_FAILED" && e.Detail.Contains(ghost, StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Outcome == "ACCOUNT_DISABLED" && e.Staff == staffId);
    }

    [Fact]
    public async Task A_rotated_signing_key_signs_new_tokens_while_tokens_signed_before_stay_valid()
    {
        var staffId = NewStaffId();
        var made = await _signIn.AddStaffAsync(City, staffId, Password);
        var before = await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret));
        var rotated = await new StaffAdminService.StaffAdminServiceClient(server.As(SrsClaims.JointSystem, Roles.Operator))
            .RotateSigningKeyAsync(new RotateSigningKeyRequest { RequestId = Guid.NewGuid().ToString(), Reason = "定期更新" });
        NextStep();
        var after = await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret));

        Assert.Equal(rotated.KeyId, new JsonWebToken(after.AccessToken).Kid);
        Assert.NotEqual(rotated.KeyId, new JsonWebToken(before.AccessToken).Kid);
        Assert.Contains(new JsonWebToken(before.AccessToken).Kid, rotated.KeyIds);
        foreach (var token in new[] { before.AccessToken, after.AccessToken })
        {
            var session = await new StaffSessionService.StaffSessionServiceClient(With(token)).GetSessionAsync(new GetSessionRequest());
            Assert.Equal(staffId, session.StaffId);
        }
        // A refresh token issued before the rotation still renews.
        Assert.Equal(200, (await _signIn.RefreshAsync(before.RefreshToken)).Status);

        // Expired: the old token stops when its lifetime (10 minutes) is over, on the server's clock.
        server.Time.Advance(TimeSpan.FromMinutes(12));
        var expired = await Assert.ThrowsAsync<RpcException>(() => new StaffSessionService.StaffSessionServiceClient(With(before.AccessToken)).GetSessionAsync(new GetSessionRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, expired.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_clerk_of_one_city_never_reaches_another_citys_data_nor_manages_its_staff()
    {
        var staffId = NewStaffId();
        var made = await _signIn.AddStaffAsync(City, staffId, Password, Roles.Clerk, Roles.Operator);
        var token = (await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret))).AccessToken;
        var theirs = await new Contracts.Registration.V1.RegistrationService.RegistrationServiceClient(server.As(Other)).RecordMoveInAsync(Requests.MoveIn(Other, Requests.UniqueKana()));
        var resident = theirs.Residents[0].Name;

        var read = await Assert.ThrowsAsync<RpcException>(() => new ResidentService.ResidentServiceClient(With(token)).GetResidentAsync(new GetResidentRequest { Name = resident }).ResponseAsync);
        Assert.Contains(read.StatusCode, new[] { StatusCode.NotFound, StatusCode.PermissionDenied, StatusCode.InvalidArgument });
        var manage = await Assert.ThrowsAsync<RpcException>(() => new StaffAdminService.StaffAdminServiceClient(With(token)).ListStaffAsync(new ListStaffRequest { Tenant = Other }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, manage.StatusCode);
        // The same staff ID in the other city is another account: this password does not open it.
        Assert.Equal("invalid_grant", (await _signIn.PasswordAsync(Other, staffId, Password, _signIn.Code(made.TotpSecret))).Error);
    }

    [Fact]
    [Spec("10.3#3")]
    public async Task A_staff_member_changes_their_own_password_and_the_old_one_no_longer_signs_in()
    {
        var staffId = NewStaffId();
        var made = await _signIn.AddStaffAsync(City, staffId, Password);
        var signedIn = await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret));
        var session = new StaffSessionService.StaffSessionServiceClient(With(signedIn.AccessToken));

        var wrong = await Assert.ThrowsAsync<RpcException>(() => session.ChangePasswordAsync(new ChangePasswordRequest
        {
            RequestId = Guid.NewGuid().ToString(), CurrentPassword = "not-my-password-1", NewPassword = "a-new-password-77",
        }).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "PASSWORD_WRONG", "current_password"), (wrong.StatusCode, wrong.ErrorInfo()?.Reason, wrong.ViolatedFields().Single()));
        var weak = await Assert.ThrowsAsync<RpcException>(() => session.ChangePasswordAsync(new ChangePasswordRequest
        {
            RequestId = Guid.NewGuid().ToString(), CurrentPassword = Password, NewPassword = "short",
        }).ResponseAsync);
        Assert.Equal(("PASSWORD_POLICY", "new_password"), (weak.ErrorInfo()?.Reason, weak.ViolatedFields()[0]));

        await session.ChangePasswordAsync(new ChangePasswordRequest { RequestId = Guid.NewGuid().ToString(), CurrentPassword = Password, NewPassword = "a-new-password-77" });
        NextStep();
        Assert.Equal("invalid_grant", (await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret))).Error);
        NextStep();
        Assert.Equal(200, (await _signIn.PasswordAsync(City, staffId, "a-new-password-77", _signIn.Code(made.TotpSecret))).Status);
        // The sign-in made before the change renews no more.
        Assert.Equal("invalid_grant", (await _signIn.RefreshAsync(signedIn.RefreshToken)).Error);
    }

    [Fact]
    public async Task The_screen_lock_opens_with_the_same_staff_members_password_only()
    {
        var staffId = NewStaffId();
        var made = await _signIn.AddStaffAsync(City, staffId, Password);
        var token = (await _signIn.PasswordAsync(City, staffId, Password, _signIn.Code(made.TotpSecret))).AccessToken;
        var session = new StaffSessionService.StaffSessionServiceClient(With(token));
        await session.ConfirmPasswordAsync(new ConfirmPasswordRequest { Password = Password });
        var wrong = await Assert.ThrowsAsync<RpcException>(() => session.ConfirmPasswordAsync(new ConfirmPasswordRequest { Password = "not-mine" }).ResponseAsync);
        Assert.Equal((StatusCode.PermissionDenied, "PASSWORD_WRONG"), (wrong.StatusCode, wrong.ErrorInfo()?.Reason));
    }

    [Fact]
    public async Task The_browser_counter_signs_in_with_an_authorization_code_and_PKCE()
    {
        var staffId = NewStaffId();
        var made = await _signIn.AddStaffAsync(City, staffId, Password);
        var verifier = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var redirect = SignInServer.CounterRedirect;
        var query = $"client_id=srs-counter&response_type=code&scope=offline_access&redirect_uri={Uri.EscapeDataString(redirect)}&state=s1&code_challenge={challenge}&code_challenge_method=S256";
        var page = await _signIn.Http.GetStringAsync("/connect/authorize?" + query);
        Assert.Contains("確認コード", page, StringComparison.Ordinal);
        var hidden = HiddenField().Matches(page).ToDictionary(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));
        hidden["tenant"] = City;
        hidden["username"] = staffId;
        hidden["password"] = Password;
        hidden["totp"] = _signIn.Code(made.TotpSecret);
        using var posted = await _signIn.Http.PostAsync("/connect/authorize", new FormUrlEncodedContent(hidden));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, posted.StatusCode);
        var location = posted.Headers.Location!.ToString();
        Assert.StartsWith(redirect, location, StringComparison.Ordinal);
        var code = Regex.Match(location, "[?&]code=([^&]+)").Groups[1].Value;

        var exchange = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["client_id"] = "srs-counter", ["code"] = Uri.UnescapeDataString(code), ["redirect_uri"] = redirect };
        var wrongVerifier = await _signIn.PostAsync(new(exchange) { ["code_verifier"] = verifier[..^1] + (verifier[^1] == 'A' ? 'B' : 'A') });
        Assert.NotEqual(200, wrongVerifier.Status);

        // The code is good for the counter that holds the verifier (a fresh sign-in: a code fails once tried wrongly).
        NextStep();
        hidden["totp"] = _signIn.Code(made.TotpSecret);
        using var again = await _signIn.Http.PostAsync("/connect/authorize", new FormUrlEncodedContent(hidden));
        var secondCode = Regex.Match(again.Headers.Location!.ToString(), "[?&]code=([^&]+)").Groups[1].Value;
        var tokens = await _signIn.PostAsync(new(exchange) { ["code"] = Uri.UnescapeDataString(secondCode), ["code_verifier"] = verifier });
        Assert.Equal(200, tokens.Status);
        var session = await new StaffSessionService.StaffSessionServiceClient(With(tokens.AccessToken)).GetSessionAsync(new GetSessionRequest());
        Assert.Equal((City, staffId), (session.Tenant, session.StaffId));
        Assert.Equal("invalid_grant", (await _signIn.PostAsync(new(exchange) { ["code"] = Uri.UnescapeDataString(secondCode), ["code_verifier"] = verifier })).Error);

        // A wrong password on the page shows the form again with the reason, and no code.
        NextStep();
        hidden["password"] = "not-the-password-1";
        hidden["totp"] = _signIn.Code(made.TotpSecret);
        using var refused = await _signIn.Http.PostAsync("/connect/authorize", new FormUrlEncodedContent(hidden));
        Assert.Equal(System.Net.HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("職員ID、パスワードまたは確認コードが違います", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}

/// <summary>SQLite with a redirect URI for the browser counter.</summary>
public sealed class SignInServer : SqliteServer
{
    public const string CounterRedirect = "http://127.0.0.1:5081/counter/signed-in";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:SignIn:BrowserRedirectUris:0"] = CounterRedirect };
}

/// <summary>PostgreSQL with a redirect URI for the browser counter.</summary>
public sealed class SignInPostgresServer : PostgresServer
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:SignIn:BrowserRedirectUris:0"] = SignInServer.CounterRedirect };
}

public sealed class SignInTestsOnSqlite(SignInServer server) : SignInTests(server), IClassFixture<SignInServer>;

public sealed class SignInTestsOnPostgres(SignInPostgresServer server) : SignInTests(server), IClassFixture<SignInPostgresServer>;
