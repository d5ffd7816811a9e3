using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Staff;

namespace SharedResidentSystem.Server.SignIn;

/// <summary>Identity's user manager on the server's clock, so that a lockout ends when the clock says (tests move it).</summary>
public sealed class StaffUserManager(
    IUserStore<StaffAccount> store, IOptions<IdentityOptions> options, IPasswordHasher<StaffAccount> hasher,
    IEnumerable<IUserValidator<StaffAccount>> userValidators, IEnumerable<IPasswordValidator<StaffAccount>> passwordValidators,
    ILookupNormalizer normalizer, IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<StaffAccount>> logger, TimeProvider time)
    : UserManager<StaffAccount>(store, options, hasher, userValidators, passwordValidators, normalizer, errors, services, logger)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public override async Task<bool> IsLockedOutAsync(StaffAccount user) =>
        await GetLockoutEnabledAsync(user) && await GetLockoutEndDateAsync(user) is { } end && end > time.GetUtcNow();

    /// <summary>Sets a known TOTP secret (the demonstration staff's, from their file) through the store Identity keeps it in.</summary>
    public async Task<IdentityResult> SetAuthenticatorKeyAsync(StaffAccount user, string secret)
    {
        await ((IUserAuthenticatorKeyStore<StaffAccount>)Store).SetAuthenticatorKeyAsync(user, secret, CancellationToken);
        return await UpdateUserAsync(user);
    }

    public override async Task<IdentityResult> AccessFailedAsync(StaffAccount user)
    {
        var lockout = (IUserLockoutStore<StaffAccount>)Store;
        var count = await lockout.IncrementAccessFailedCountAsync(user, CancellationToken);
        if (count >= Options.Lockout.MaxFailedAccessAttempts)
        {
            await lockout.SetLockoutEndDateAsync(user, time.GetUtcNow() + Options.Lockout.DefaultLockoutTimeSpan, CancellationToken);
            await lockout.ResetAccessFailedCountAsync(user, CancellationToken);
        }
        return await UpdateUserAsync(user);
    }
}

/// <summary>Identity's messages in Japanese, for the staff member and the operator.</summary>
public sealed class JapaneseIdentityErrors : IdentityErrorDescriber
{
    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };

    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), $"パスワードは{length}文字以上にしてください。");

    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), "パスワードには数字を含めてください。");

    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), "パスワードには英小文字を含めてください。");

    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), "パスワードには英大文字を含めてください。");

    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), "パスワードには記号を含めてください。");

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Error(nameof(PasswordRequiresUniqueChars), $"パスワードには{uniqueChars}種類以上の文字を使ってください。");

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), "現在のパスワードが違います。");

    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), "この職員IDは既に登録されています。");

    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), "職員IDに使えない文字があります。");
}

/// <summary>
/// The staff accounts of every city: add, change 所属 and roles, disable, reset (a temporary
/// password to change at the next sign-in and a new TOTP secret, lockout lifted). Every change
/// renews the account's security stamp, so refresh tokens issued before it no longer work.
/// </summary>
public sealed class StaffAccounts(StaffUserManager users, StaffDbContext db, TimeProvider time)
{
    private const string TemporaryAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public StaffUserManager Users => users;

    public StaffDbContext Db => db;

    public Task<StaffAccount?> FindAsync(string tenant, string staffId, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(a => a.TenantCode == tenant && a.StaffId == staffId, cancellationToken);

    public Task<List<StaffAccount>> ListAsync(string tenant, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(a => a.TenantCode == tenant).OrderBy(a => a.StaffId).ToListAsync(cancellationToken);

    /// <summary>A new account; its password (given, or a temporary one to change at first sign-in) and TOTP secret are returned once.</summary>
    public async Task<(StaffAccount Account, string Password, string Secret)> AddAsync(
        string tenant, string staffId, string displayName, string unit, IEnumerable<string> roles, string? password, CancellationToken cancellationToken)
    {
        if (!StaffAccount.IsValidStaffId(staffId))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "staff_id", "職員IDは英数字と . - _ @ の64文字以内で指定してください。");
        }
        if (await FindAsync(tenant, staffId, cancellationToken) is not null)
        {
            throw new DomainException(ErrorKind.AlreadyExists, ErrorReasons.StaffExists, $"職員ID {staffId} は既に登録されています。",
                [new FieldViolation("staff_id", "この職員IDは既に登録されています。")]);
        }
        var now = time.GetUtcNow();
        var account = new StaffAccount
        {
            UserName = StaffAccount.UserNameOf(tenant, staffId),
            TenantCode = tenant,
            StaffId = staffId,
            DisplayName = displayName,
            Unit = unit,
            Roles = StaffAccount.JoinRoles(CheckedRoles(tenant, roles)),
            MustChangePassword = password is null,
            LockoutEnabled = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        password ??= TemporaryPassword();
        Check(await users.CreateAsync(account, password), "password");
        Check(await users.ResetAuthenticatorKeyAsync(account), "staff_id");
        return (account, password, (await users.GetAuthenticatorKeyAsync(account))!);
    }

    /// <summary>所属, roles and name; what is null stays.</summary>
    public async Task UpdateAsync(StaffAccount account, string? displayName, string? unit, IEnumerable<string>? roles)
    {
        if (displayName is not null)
        {
            account.DisplayName = displayName;
        }
        if (unit is not null)
        {
            account.Unit = unit;
        }
        if (roles is not null)
        {
            account.Roles = StaffAccount.JoinRoles(CheckedRoles(account.TenantCode, roles));
        }
        account.UpdatedAt = time.GetUtcNow();
        Check(await users.UpdateSecurityStampAsync(account), "staff_id");
    }

    public async Task SetDisabledAsync(StaffAccount account, bool disabled)
    {
        account.Disabled = disabled;
        account.UpdatedAt = time.GetUtcNow();
        Check(await users.UpdateSecurityStampAsync(account), "staff_id");
    }

    /// <summary>The staff member's own change: the policy applies; the security stamp is renewed.</summary>
    public async Task ChangePasswordAsync(StaffAccount account, string current, string changed)
    {
        Check(await users.ChangePasswordAsync(account, current, changed), "new_password");
        account.MustChangePassword = false;
        account.UpdatedAt = time.GetUtcNow();
        Check(await users.UpdateAsync(account), "new_password");
    }

    /// <summary>A temporary password (to change at the next sign-in), a new TOTP secret, lockout lifted.</summary>
    public async Task<(string Password, string Secret)> ResetAsync(StaffAccount account)
    {
        var password = TemporaryPassword();
        Check(await users.RemovePasswordAsync(account), "staff_id");
        Check(await users.AddPasswordAsync(account, password), "password");
        account.MustChangePassword = true;
        account.LastTotpStep = 0;
        account.UpdatedAt = time.GetUtcNow();
        Check(await users.SetLockoutEndDateAsync(account, null), "staff_id");
        Check(await users.ResetAccessFailedCountAsync(account), "staff_id");
        Check(await users.ResetAuthenticatorKeyAsync(account), "staff_id");
        return (password, (await users.GetAuthenticatorKeyAsync(account))!);
    }

    /// <summary>Refuses a role the system does not know, and any but operator for the joint system's staff.</summary>
    private static List<string> CheckedRoles(string tenant, IEnumerable<string> roles)
    {
        var list = roles.Select(r => r.Trim()).Where(r => r.Length > 0).ToList();
        var unknown = list.FirstOrDefault(r => !Roles.Staff.Contains(r));
        if (unknown is not null)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "roles", $"役割 '{unknown}' はありません ({string.Join(", ", Roles.Staff.Order(StringComparer.Ordinal))})。");
        }
        if (list.Count == 0)
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "roles", "役割を一つ以上指定してください。");
        }
        if (tenant == SrsClaims.JointSystem && list.Any(r => r != Roles.Operator))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "roles", "共同利用システムの職員は運用者 (operator) の役割だけを持てます。");
        }
        return list;
    }

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            var reason = result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? ErrorReasons.PasswordPolicy : ErrorReasons.InvalidField;
            throw new DomainException(ErrorKind.InvalidArgument, reason, string.Join(" ", result.Errors.Select(e => e.Description)),
                result.Errors.Select(e => new FieldViolation(field, e.Description)).ToList());
        }
    }

    /// <summary>16 characters without look-alikes (no 0/O, 1/l/I), with a digit.</summary>
    public static string TemporaryPassword()
    {
        while (true)
        {
            var password = RandomNumberGenerator.GetString(TemporaryAlphabet, 16);
            if (password.Any(char.IsAsciiDigit))
            {
                return password;
            }
        }
    }
}
