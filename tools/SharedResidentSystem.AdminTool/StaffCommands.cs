using System.CommandLine;
using Google.Protobuf;
using SharedResidentSystem.Contracts.Staff.V1;

namespace SharedResidentSystem.AdminTool;

/// <summary>
/// srs-admin staff …: the staff accounts of the system's sign-in (10.3), per city. A city's
/// operator manages that city's staff; an operator of the joint system every city's (and
/// "--city *", the joint system's own operators). Passwords and TOTP secrets are shown once.
/// </summary>
public static class StaffCommands
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    public static Command Build()
    {
        var city = new Option<string>("--city") { Description = "団体コード (default: the operator's own city; * for the joint system's operators)." };
        var id = new Option<string>("--id") { Description = "The staff ID.", Required = true };
        var name = new Option<string>("--name") { Description = "The staff member's name." };
        var unit = new Option<string>("--unit") { Description = "所属 (as the city's access table names it)." };
        var roles = new Option<string[]>("--role") { Description = "clerk, supervisor, operator or auditor; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var password = new Option<string>("--password") { Description = "A first password (default: a temporary one to change at the first sign-in)." };
        var reason = new Option<string>("--reason") { Description = "Why (kept in the access log).", Required = true };

        var list = new Command("list", "The staff of a city: roles, 所属, disabled, locked.") { city };
        list.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var reply = await new StaffAdminService.StaffAdminServiceClient(invoker).ListStaffAsync(new ListStaffRequest { Tenant = r.GetValue(city) ?? "" }, headers, cancellationToken: ct);
            if (output.Json)
            {
                output.Write(Formatter.Format(reply));
                return ExitCodes.Done;
            }
            foreach (var s in reply.Staff)
            {
                output.Write(Line(s));
            }
            output.Write($"{reply.Staff.Count} 名");
            return ExitCodes.Done;
        }));

        var add = new Command("add", "Add a staff member; prints the first password and the TOTP secret once.") { city, id, name, unit, roles, password };
        add.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var request = new AddStaffRequest
            {
                RequestId = Guid.NewGuid().ToString(), Tenant = r.GetValue(city) ?? "", StaffId = r.GetValue(id)!,
                DisplayName = r.GetValue(name) ?? "", Unit = r.GetValue(unit) ?? "", Password = r.GetValue(password) ?? "",
            };
            request.Roles.AddRange(r.GetValue(roles) ?? []);
            return Credentials(output, await new StaffAdminService.StaffAdminServiceClient(invoker).AddStaffAsync(request, headers, cancellationToken: ct));
        }));

        var update = new Command("update", "Change a staff member's name, 所属 or roles (only the options given).") { city, id, name, unit, roles };
        update.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var request = new UpdateStaffRequest { RequestId = Guid.NewGuid().ToString(), Tenant = r.GetValue(city) ?? "", StaffId = r.GetValue(id)! };
            if (r.GetValue(name) is { } n)
            {
                request.DisplayName = n;
                request.UpdateMask.Add("display_name");
            }
            if (r.GetValue(unit) is { } u)
            {
                request.Unit = u;
                request.UpdateMask.Add("unit");
            }
            if (r.GetValue(roles) is { Length: > 0 } given)
            {
                request.Roles.AddRange(given);
                request.UpdateMask.Add("roles");
            }
            return Member(output, await new StaffAdminService.StaffAdminServiceClient(invoker).UpdateStaffAsync(request, headers, cancellationToken: ct));
        }));

        Command Toggle(string verb, bool disabled, string description)
        {
            var command = new Command(verb, description) { city, id };
            command.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
                Member(output, await new StaffAdminService.StaffAdminServiceClient(invoker).SetStaffDisabledAsync(new SetStaffDisabledRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Tenant = r.GetValue(city) ?? "", StaffId = r.GetValue(id)!, Disabled = disabled,
                }, headers, cancellationToken: ct))));
            return command;
        }

        var reset = new Command("reset", "A forgotten password or a lost device: a temporary password, a new TOTP secret, the lockout lifted (shown once).") { city, id };
        reset.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
            Credentials(output, await new StaffAdminService.StaffAdminServiceClient(invoker).ResetStaffAsync(new ResetStaffRequest
            {
                RequestId = Guid.NewGuid().ToString(), Tenant = r.GetValue(city) ?? "", StaffId = r.GetValue(id)!,
            }, headers, cancellationToken: ct))));

        var rotate = new Command("rotate-key", "A new signing key for the sign-in's tokens now (operators of the joint system); tokens signed before stay valid until they expire.") { reason };
        rotate.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var reply = await new StaffAdminService.StaffAdminServiceClient(invoker).RotateSigningKeyAsync(new RotateSigningKeyRequest
            {
                RequestId = Guid.NewGuid().ToString(), Reason = r.GetValue(reason)!,
            }, headers, cancellationToken: ct);
            output.Write(output.Json ? Formatter.Format(reply) : $"新しい署名鍵 {reply.KeyId}（{reply.VerifiesUntil.ToDateTimeOffset():yyyy-MM-dd} まで検証に使用）。検証に使う鍵: {string.Join(", ", reply.KeyIds)}");
            return ExitCodes.Done;
        }));

        return new Command("staff", "Staff accounts of the system's sign-in (10.3): list, add, update, disable, enable, reset; rotate-key.")
        {
            list, add, update, Toggle("disable", true, "Stop a staff member's sign-in (and the refresh of tokens already issued)."),
            Toggle("enable", false, "Allow a disabled staff member to sign in again."), reset, rotate,
        };
    }

    private static string Line(StaffMember s) =>
        $"{s.Tenant}/{s.StaffId}\t{s.DisplayName}\t所属 {(s.Unit.Length == 0 ? "-" : s.Unit)}\t{string.Join(',', s.Roles)}" +
        (s.Disabled ? "\t使用停止" : "") + (s.LockedUntil is { } locked ? $"\tロック中 ({locked.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(9)):yyyy-MM-dd HH:mm} まで)" : "") +
        (s.MustChangePassword ? "\t要パスワード変更" : "");

    private static int Member(AdminCommands.Output output, StaffMember member)
    {
        output.Write(output.Json ? Formatter.Format(member) : Line(member));
        return ExitCodes.Done;
    }

    private static int Credentials(AdminCommands.Output output, StaffCredentials credentials)
    {
        if (output.Json)
        {
            output.Write(Formatter.Format(credentials));
            return ExitCodes.Done;
        }
        output.Write(Line(credentials.Staff));
        if (credentials.Password.Length == 0)
        {
            output.Write("（同じ要求の再送のため、パスワードと確認コードの秘密鍵は表示されません。）");
            return ExitCodes.Done;
        }
        output.Write($"パスワード: {credentials.Password}{(credentials.Staff.MustChangePassword ? "（初回サインインで変更）" : "")}");
        output.Write($"確認コードの秘密鍵: {credentials.TotpSecret}");
        output.Write($"認証アプリ用URI: {credentials.TotpUri}");
        output.Write("この表示は一度だけです。本人に手渡してください。");
        return ExitCodes.Done;
    }
}
