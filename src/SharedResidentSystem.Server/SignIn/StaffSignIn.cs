using System.Security.Claims;
using OpenIddict.Abstractions;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Staff;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OAuthErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;

namespace SharedResidentSystem.Server.SignIn;

/// <summary>
/// The checks of a sign-in (10.3): city, staff ID, password, TOTP code; a locked or disabled
/// account refused; a failed password or code counted towards the lockout; a password an
/// operator reset changed first. Every sign-in, failure, lockout and renewal is an entry in the
/// city's access log (the joint system's for operators of the joint system and unknown cities),
/// and every failure counts against the source's limit of failed authentications.
/// </summary>
public sealed class StaffSignIn(StaffAccounts accounts, TenantDirectory tenants, BatchedAccessLog log, AuthenticationFailures failures, SignInSettings settings)
{
    /// <summary>The access-log functions of the sign-in.</summary>
    public const string PasswordFunction = "SignIn/Password";
    public const string RenewFunction = "SignIn/Renew";

    /// <summary>Access-log outcomes of the sign-in besides OK.</summary>
    public const string Failed = "SIGN_IN_FAILED";
    public const string LockedOut = "LOCKED_OUT";
    public const string Disabled = "ACCOUNT_DISABLED";

    /// <summary>The error a client gets when the password must be changed first (give new_password).</summary>
    public const string PasswordChangeRequired = "password_change_required";

    /// <summary>The claim (kept in refresh tokens only) that ties a sign-in to the account's security stamp.</summary>
    public const string StampClaim = "srs_stamp";

    public sealed record Attempt(string Tenant, string StaffId, string Password, string Code, string Terminal, string? NewPassword);

    /// <summary>Either the signed-in principal, or an OAuth error with a message for the staff member.</summary>
    public sealed record Outcome(ClaimsPrincipal? Principal, string Error, string Description)
    {
        public static Outcome Refused(string description, string error = OAuthErrors.InvalidGrant) => new(null, error, description);
    }

    private const string Wrong = "職員ID、パスワードまたは確認コードが違います。";

    public async Task<Outcome> SignInAsync(HttpContext http, Attempt attempt, CancellationToken cancellationToken)
    {
        var tenant = attempt.Tenant.Trim();
        var staffId = attempt.StaffId.Trim();
        var terminal = attempt.Terminal.Trim();
        if (terminal.Length > 64 || terminal.Any(char.IsControl))
        {
            return Outcome.Refused("端末IDが正しくありません。", OAuthErrors.InvalidRequest);
        }
        var city = tenant == SrsClaims.JointSystem || tenants.Find(tenant) is not null ? tenant : SrsClaims.JointSystem;
        var account = StaffAccount.IsValidStaffId(staffId) ? await accounts.FindAsync(tenant, staffId, cancellationToken) : null;
        if (account is null)
        {
            return await RefuseAsync(http, new Caller(city, "", terminal, new HashSet<string>()), PasswordFunction, Failed,
                $"unknown account (claimed {Shown(tenant)}/{Shown(staffId)})", Wrong, cancellationToken);
        }
        var caller = CallerOf(account, terminal);
        var users = accounts.Users;
        if (await users.IsLockedOutAsync(account))
        {
            return await RefuseAsync(http, caller, PasswordFunction, LockedOut, $"locked until {await users.GetLockoutEndDateAsync(account):yyyy-MM-ddTHH:mm:ssZ}",
                "失敗が続いたためロックされています。しばらくしてから、または運用者に解除を依頼してください。", cancellationToken);
        }
        if (!await users.CheckPasswordAsync(account, attempt.Password))
        {
            return await FailAsync(http, account, caller, "wrong password", cancellationToken);
        }
        var secret = await users.GetAuthenticatorKeyAsync(account) ?? "";
        if (!StaffTotp.Verify(account, secret, attempt.Code, users.Now))
        {
            return await FailAsync(http, account, caller, "wrong or reused second-factor code", cancellationToken);
        }
        if (account.Disabled)
        {
            await users.UpdateAsync(account);
            return await RefuseAsync(http, caller, PasswordFunction, Disabled, "account disabled", "このアカウントは使用停止中です。", cancellationToken);
        }
        var detail = "password and second factor";
        if (account.MustChangePassword)
        {
            if (string.IsNullOrEmpty(attempt.NewPassword))
            {
                await users.UpdateAsync(account);
                return Outcome.Refused("パスワードの変更が必要です。新しいパスワードを指定してください。", PasswordChangeRequired);
            }
            if (attempt.NewPassword == attempt.Password)
            {
                await users.UpdateAsync(account);
                return Outcome.Refused("新しいパスワードは今のパスワードと違うものにしてください。", PasswordChangeRequired);
            }
            var changed = await users.ChangePasswordAsync(account, attempt.Password, attempt.NewPassword);
            if (!changed.Succeeded)
            {
                return Outcome.Refused(string.Join(" ", changed.Errors.Select(e => e.Description)), PasswordChangeRequired);
            }
            account.MustChangePassword = false;
            detail += "; the temporary password replaced by the staff member's own";
        }
        await users.ResetAccessFailedCountAsync(account);
        await users.UpdateAsync(account);
        await log.AppendAsync(caller, new AccessRecord(PasswordFunction, [], false, AccessLogWriter.Ok, detail), cancellationToken);
        return new Outcome(Principal(account, terminal), "", "");
    }

    /// <summary>
    /// A refresh token or authorization code presented again: the account must still exist, be
    /// enabled, not locked and unchanged since (its security stamp); its current roles and 所属 go
    /// into the new tokens.
    /// </summary>
    public async Task<Outcome> RenewAsync(HttpContext http, ClaimsPrincipal previous, CancellationToken cancellationToken)
    {
        var tenant = previous.FindFirstValue(SrsClaims.Tenant) ?? "";
        var staffId = previous.FindFirstValue(SrsClaims.Staff) ?? "";
        var terminal = previous.FindFirstValue(SrsClaims.Terminal) ?? "";
        var account = await accounts.FindAsync(tenant, staffId, cancellationToken);
        const string again = "サインインし直してください。";
        if (account is null)
        {
            return await RefuseAsync(http, new Caller(tenant, "", terminal, new HashSet<string>()), RenewFunction, Failed, $"account {Shown(staffId)} no longer exists", again, cancellationToken);
        }
        var caller = CallerOf(account, terminal);
        if (account.Disabled)
        {
            return await RefuseAsync(http, caller, RenewFunction, Disabled, "account disabled", "このアカウントは使用停止中です。", cancellationToken);
        }
        if (await accounts.Users.IsLockedOutAsync(account))
        {
            return await RefuseAsync(http, caller, RenewFunction, LockedOut, "account locked", again, cancellationToken);
        }
        if (previous.FindFirstValue(StampClaim) != account.SecurityStamp)
        {
            return await RefuseAsync(http, caller, RenewFunction, Failed, "account changed since sign-in", again, cancellationToken);
        }
        await log.AppendAsync(caller, new AccessRecord(RenewFunction, [], false, AccessLogWriter.Ok, "tokens renewed"), cancellationToken);
        var principal = Principal(account, terminal);
        principal.SetScopes(previous.GetScopes());
        return new Outcome(principal, "", "");
    }

    /// <summary>
    /// The terminal's screen lock (2.3.2): the signed-in staff member's password again. A wrong
    /// one counts towards the lockout like a failed sign-in (the call's own access-log entry
    /// records the refusal).
    /// </summary>
    public async Task<bool> ConfirmPasswordAsync(HttpContext http, Caller caller, string password, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(caller.TenantCode, caller.StaffId, cancellationToken);
        var users = accounts.Users;
        if (account is null || account.Disabled || await users.IsLockedOutAsync(account))
        {
            failures.Count(http);
            return false;
        }
        if (!await users.CheckPasswordAsync(account, password))
        {
            failures.Count(http);
            await users.AccessFailedAsync(account);
            return false;
        }
        await users.ResetAccessFailedCountAsync(account);
        return true;
    }

    private async Task<Outcome> FailAsync(HttpContext http, StaffAccount account, Caller caller, string why, CancellationToken cancellationToken)
    {
        var users = accounts.Users;
        await users.AccessFailedAsync(account);
        if (await users.IsLockedOutAsync(account))
        {
            return await RefuseAsync(http, caller, PasswordFunction, LockedOut, $"{why}; locked until {await users.GetLockoutEndDateAsync(account):yyyy-MM-ddTHH:mm:ssZ}",
                "失敗が続いたためロックされました。しばらくしてから、または運用者に解除を依頼してください。", cancellationToken);
        }
        return await RefuseAsync(http, caller, PasswordFunction, Failed, $"{why}; failures {await users.GetAccessFailedCountAsync(account)}/{users.Options.Lockout.MaxFailedAccessAttempts}",
            Wrong, cancellationToken);
    }

    private async Task<Outcome> RefuseAsync(HttpContext http, Caller caller, string function, string outcome, string detail, string message, CancellationToken cancellationToken)
    {
        failures.Count(http);
        await log.AppendAsync(caller, new AccessRecord(function, [], false, outcome, $"source={AuthenticationFailures.Source(http)}; {detail}"), cancellationToken);
        return Outcome.Refused(message);
    }

    private static Caller CallerOf(StaffAccount account, string terminal) =>
        new(account.TenantCode, account.StaffId, terminal, account.RoleSet) { Unit = account.Unit };

    /// <summary>The claims of the tokens: the system's own names, every one in the access token.</summary>
    private ClaimsPrincipal Principal(StaffAccount account, string terminal)
    {
        var identity = new ClaimsIdentity("srs-sign-in", SrsClaims.Staff, SrsClaims.Role);
        identity.SetClaim(SrsClaims.Staff, account.StaffId);
        identity.SetClaim(SrsClaims.Tenant, account.TenantCode);
        if (terminal.Length > 0)
        {
            identity.SetClaim(SrsClaims.Terminal, terminal);
        }
        if (account.Unit.Length > 0)
        {
            identity.SetClaim(SrsClaims.Unit, account.Unit);
        }
        identity.SetClaims(SrsClaims.Role, [.. account.RoleSet.Order(StringComparer.Ordinal)]);
        identity.SetClaim(Claims.Name, account.DisplayName.Length > 0 ? account.DisplayName : account.StaffId);
        identity.SetClaim(StampClaim, account.SecurityStamp);
        identity.SetDestinations(claim => claim.Type == StampClaim ? [] : [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetResources(settings.Audience);
        return principal;
    }

    private static string Shown(string value) => value.Length == 0 ? "-" : AccessLogWriter.Storable(value, 64);
}
