using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OpenIddict.Abstractions;
using SharedResidentSystem.Contracts.Staff.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Staff;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.SignIn;

/// <summary>
/// Staff accounts for operators: a city's operator manages that city's staff, an operator of
/// the joint system every city's and the joint system's own. Each change runs in the target
/// city's scope, so that the account's change, the request_id's record and the entry in that
/// city's access log commit together.
/// </summary>
public sealed class StaffAdminGrpcService(CallerContext callers, TenantDirectory tenants, StaffAccounts accounts, SigningKeyRing keys, CallRecord record)
    : StaffAdminService.StaffAdminServiceBase
{
    public override async Task<ListStaffResponse> ListStaff(ListStaffRequest request, ServerCallContext context)
    {
        var tenant = Target(request.Tenant, "tenant");
        var response = new ListStaffResponse();
        foreach (var account in await accounts.ListAsync(tenant, context.CancellationToken))
        {
            response.Staff.Add(await ToProtoAsync(accounts, account));
        }
        return record.Answer(response, new Touched([], Detail: $"staff of {tenant}: {response.Staff.Count}"));
    }

    public override async Task<StaffCredentials> AddStaff(AddStaffRequest request, ServerCallContext context)
    {
        var tenant = Target(request.Tenant, "tenant");
        return await record.CommitAsync(async (city, ct) =>
        {
            var staff = await SignInHosting.EnlistAsync(city, ct);
            var (account, password, secret) = await staff.AddAsync(tenant, request.StaffId.Trim(), request.DisplayName.Trim(), request.Unit.Trim(), request.Roles,
                request.Password.Length == 0 ? null : request.Password, ct);
            var answer = await CredentialsAsync(staff, account, password, secret);
            return record.Answer(answer, new Touched([], Detail: $"staff {tenant}/{account.StaffId} added: roles {account.Roles}; unit {Shown(account.Unit)}"));
        }, context.CancellationToken, tenant);
    }

    public override async Task<StaffMember> UpdateStaff(UpdateStaffRequest request, ServerCallContext context)
    {
        var tenant = Target(request.Tenant, "tenant");
        var mask = request.UpdateMask.Select(m => m.Trim()).ToHashSet(StringComparer.Ordinal);
        var unknown = mask.FirstOrDefault(m => m is not ("display_name" or "unit" or "roles"));
        if (mask.Count == 0 || unknown is not null)
        {
            throw DomainException.Invalid(ErrorReasons.UnsupportedUpdateMask, "update_mask", "変更する項目 (display_name, unit, roles) を指定してください。");
        }
        return await record.CommitAsync(async (city, ct) =>
        {
            var staff = await SignInHosting.EnlistAsync(city, ct);
            var account = await FindAsync(staff, tenant, request.StaffId, ct);
            await staff.UpdateAsync(account,
                mask.Contains("display_name") ? request.DisplayName.Trim() : null,
                mask.Contains("unit") ? request.Unit.Trim() : null,
                mask.Contains("roles") ? request.Roles : null);
            return record.Answer(await ToProtoAsync(staff, account), new Touched([],
                Detail: $"staff {tenant}/{account.StaffId} changed ({string.Join(", ", mask.Order(StringComparer.Ordinal))}): roles {account.Roles}; unit {Shown(account.Unit)}"));
        }, context.CancellationToken, tenant);
    }

    public override async Task<StaffMember> SetStaffDisabled(SetStaffDisabledRequest request, ServerCallContext context)
    {
        var tenant = Target(request.Tenant, "tenant");
        return await record.CommitAsync(async (city, ct) =>
        {
            var staff = await SignInHosting.EnlistAsync(city, ct);
            var account = await FindAsync(staff, tenant, request.StaffId, ct);
            await staff.SetDisabledAsync(account, request.Disabled);
            return record.Answer(await ToProtoAsync(staff, account), new Touched([],
                Detail: $"staff {tenant}/{account.StaffId} {(request.Disabled ? "disabled" : "enabled")}"));
        }, context.CancellationToken, tenant);
    }

    public override async Task<StaffCredentials> ResetStaff(ResetStaffRequest request, ServerCallContext context)
    {
        var tenant = Target(request.Tenant, "tenant");
        return await record.CommitAsync(async (city, ct) =>
        {
            var staff = await SignInHosting.EnlistAsync(city, ct);
            var account = await FindAsync(staff, tenant, request.StaffId, ct);
            var (password, secret) = await staff.ResetAsync(account);
            return record.Answer(await CredentialsAsync(staff, account, password, secret), new Touched([],
                Detail: $"staff {tenant}/{account.StaffId} reset: temporary password, new second-factor secret, lockout lifted"));
        }, context.CancellationToken, tenant);
    }

    public override async Task<LinkedSystemCredentials> IssueLinkedSystemSecret(IssueLinkedSystemSecretRequest request, ServerCallContext context)
    {
        var tenant = Target(request.Tenant, "tenant");
        var systemId = request.SystemId.Trim();
        var system = tenants.Find(tenant)?.LinkedSystems.FirstOrDefault(s => s.Id == systemId)
            ?? throw DomainException.NotFound($"連携先システム {systemId} (団体の設定 linkedSystems)", "system_id");
        var secret = LinkedSystemClients.NewSecret();
        return await record.CommitAsync(async (city, ct) =>
        {
            await SignInHosting.EnlistAsync(city, ct);
            await LinkedSystemClients.SaveAsync(city.GetRequiredService<IOpenIddictApplicationManager>(), tenant, system, secret, ct);
            var answer = new LinkedSystemCredentials { Tenant = tenant, SystemId = system.Id, ClientId = LinkedSystemClients.ClientId(tenant, system.Id), ClientSecret = secret };
            return record.Answer(answer, new Touched([], Detail: $"linked system {tenant}/{system.Id} ({system.Name}): new secret"));
        }, context.CancellationToken, tenant);
    }

    public override Task<RotateSigningKeyResponse> RotateSigningKey(RotateSigningKeyRequest request, ServerCallContext context)
    {
        if (!callers.Required.IsJointOperator)
        {
            throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.RoleNotPermitted, "署名鍵の更新は共同利用システムの運用者だけが行えます。");
        }
        var key = keys.Rotate();
        var response = new RotateSigningKeyResponse { KeyId = key.KeyId, VerifiesUntil = Timestamp.FromDateTimeOffset(key.Expires) };
        response.KeyIds.AddRange(keys.Keys.Select(k => k.KeyId));
        return Task.FromResult(record.Answer(response, new Touched([], Detail: $"signing key {key.KeyId} made; reason: {Shown(request.Reason)}")));
    }

    /// <summary>The city acted on: a city's operator only their own; the joint system's operator any member city or "*".</summary>
    private string Target(string requested, string field)
    {
        var caller = callers.Required;
        var tenant = requested.Trim().Length == 0 ? caller.TenantCode : requested.Trim();
        if (caller.IsJointOperator)
        {
            if (tenant != SrsClaims.JointSystem && tenants.Find(tenant) is null)
            {
                throw DomainException.NotFound($"団体 {tenant}", field);
            }
            return tenant;
        }
        if (tenant != caller.TenantCode)
        {
            throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.RoleNotPermitted, "自団体の職員だけを管理できます。", [new FieldViolation(field, "自団体の職員だけを管理できます。")]);
        }
        return tenant;
    }

    private static async Task<StaffAccount> FindAsync(StaffAccounts staff, string tenant, string staffId, CancellationToken cancellationToken) =>
        await staff.FindAsync(tenant, staffId.Trim(), cancellationToken) ?? throw DomainException.NotFound($"職員 {staffId.Trim()}", "staff_id");

    private static async Task<StaffCredentials> CredentialsAsync(StaffAccounts staff, StaffAccount account, string password, string secret) => new()
    {
        Staff = await ToProtoAsync(staff, account),
        Password = password,
        TotpSecret = secret,
        TotpUri = StaffTotp.Uri(secret, $"SharedResidentSystem {account.TenantCode}", account.StaffId),
    };

    private static async Task<StaffMember> ToProtoAsync(StaffAccounts staff, StaffAccount account)
    {
        var member = new StaffMember
        {
            Tenant = account.TenantCode,
            StaffId = account.StaffId,
            DisplayName = account.DisplayName,
            Unit = account.Unit,
            Disabled = account.Disabled,
            MustChangePassword = account.MustChangePassword,
            CreatedAt = Timestamp.FromDateTimeOffset(account.CreatedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(account.UpdatedAt),
        };
        member.Roles.AddRange(account.RoleSet.Order(StringComparer.Ordinal));
        if (await staff.Users.IsLockedOutAsync(account) && account.LockoutEnd is { } end)
        {
            member.LockedUntil = Timestamp.FromDateTimeOffset(end);
        }
        return member;
    }

    private static string Shown(string value) => value.Length == 0 ? "-" : Core.Audit.AccessLogWriter.Storable(value, 200);
}

/// <summary>A linked system's secret is answered once, as a staff member's credentials are.</summary>
public sealed class LinkedSystemCredentialsAnswer : IStoredAnswer
{
    public IMessage Keep(IMessage answer)
    {
        var kept = ((LinkedSystemCredentials)answer).Clone();
        kept.ClientSecret = "";
        return kept;
    }

    public Task<IMessage> RestoreAsync(IMessage kept, CancellationToken cancellationToken) => Task.FromResult(kept);
}

/// <summary>
/// The secrets of a staff member's credentials are answered once: the request_id's record
/// keeps the answer without password and TOTP secret, and a repeated request gets it so.
/// </summary>
public sealed class StaffCredentialsAnswer : IStoredAnswer
{
    public IMessage Keep(IMessage answer)
    {
        var kept = ((StaffCredentials)answer).Clone();
        kept.Password = "";
        kept.TotpSecret = "";
        kept.TotpUri = "";
        return kept;
    }

    public Task<IMessage> RestoreAsync(IMessage kept, CancellationToken cancellationToken) => Task.FromResult(kept);
}

/// <summary>The signed-in staff member's session: who the token says, and the screen lock's password check.</summary>
public sealed class StaffSessionGrpcService(CallerContext callers, IServiceProvider services, IHttpContextAccessor http, CallRecord record)
    : StaffSessionService.StaffSessionServiceBase
{
    public override async Task<Session> GetSession(GetSessionRequest request, ServerCallContext context)
    {
        var caller = callers.Required;
        // With the system's own sign-in, the account's name; with a city's directory, what the token says.
        var account = services.GetService<StaffAccounts>() is { } accounts ? await accounts.FindAsync(caller.TenantCode, caller.StaffId, context.CancellationToken) : null;
        var session = new Session
        {
            Tenant = caller.TenantCode,
            StaffId = caller.StaffId,
            DisplayName = account?.DisplayName ?? "",
            Unit = caller.Unit,
            Terminal = caller.TerminalId,
        };
        session.Roles.AddRange(caller.Roles.Order(StringComparer.Ordinal));
        return record.Answer(session, Touched.Nothing);
    }

    public override async Task<ChangePasswordResponse> ChangePassword(ChangePasswordRequest request, ServerCallContext context)
    {
        var caller = callers.Required;
        _ = services.GetService<StaffSignIn>()
            ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.OptionDisabled, "この構成ではパスワードはサインイン元 (団体の認証基盤) で変更します。");
        if (request.NewPassword == request.CurrentPassword)
        {
            throw DomainException.Invalid(ErrorReasons.PasswordPolicy, "new_password", "新しいパスワードは今のパスワードと違うものにしてください。");
        }
        return await record.CommitAsync(async (scope, ct) =>
        {
            var staff = await SignInHosting.EnlistAsync(scope, ct);
            var account = await staff.FindAsync(caller.TenantCode, caller.StaffId, ct) ?? throw DomainException.NotFound("職員", "current_password");
            if (!await staff.Users.CheckPasswordAsync(account, request.CurrentPassword))
            {
                throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.PasswordWrong, "今のパスワードが違います。", [new FieldViolation("current_password", "今のパスワードが違います。")]);
            }
            await staff.ChangePasswordAsync(account, request.CurrentPassword, request.NewPassword);
            return record.Answer(new ChangePasswordResponse(), new Touched([], Detail: "password changed by the staff member"));
        }, context.CancellationToken);
    }

    public override async Task<ConfirmPasswordResponse> ConfirmPassword(ConfirmPasswordRequest request, ServerCallContext context)
    {
        var signIn = services.GetService<StaffSignIn>()
            ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.OptionDisabled, "この構成では画面ロックの解除はサインイン元 (団体の認証基盤) で行います。");
        if (!await signIn.ConfirmPasswordAsync(http.HttpContext!, callers.Required, request.Password, context.CancellationToken))
        {
            throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.PasswordWrong, "パスワードが違います。", [new FieldViolation("password", "パスワードが違います。")]);
        }
        return record.Answer(new ConfirmPasswordResponse(), Touched.Nothing);
    }
}
