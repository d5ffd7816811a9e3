using System.CommandLine;
using Google.Protobuf;
using SharedResidentSystem.Contracts.Staff.V1;

namespace SharedResidentSystem.AdminTool;

/// <summary>
/// srs-admin link …: the sign-in of a city's linked systems (7.2). The systems themselves are
/// named in the city's configuration (linkedSystems); here an operator gives one its secret.
/// </summary>
public static class LinkCommands
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    public static Command Build()
    {
        var city = new Option<string>("--city") { Description = "団体コード (default: the operator's own city)." };
        var system = new Option<string>("--system") { Description = "The system's id in the city's linkedSystems.", Required = true };
        var requestId = new Option<string>("--request-id") { Description = "A request id to repeat the same request (default: a new one)." };
        var issue = new Command("secret", "A new secret for a linked system (shown once; the previous one stops working at once).") { city, system, requestId };
        issue.SetAction((r, ct) => AdminCommands.RunWith(r, async (invoker, headers, output) =>
        {
            var reply = await new StaffAdminService.StaffAdminServiceClient(invoker).IssueLinkedSystemSecretAsync(new IssueLinkedSystemSecretRequest
            {
                RequestId = r.GetValue(requestId) ?? Guid.NewGuid().ToString(), Tenant = r.GetValue(city) ?? "", SystemId = r.GetValue(system)!,
            }, headers, cancellationToken: ct);
            if (output.Json)
            {
                output.Write(Formatter.Format(reply));
                return ExitCodes.Done;
            }
            output.Write($"連携先システム {reply.Tenant}/{reply.SystemId}");
            output.Write($"client_id: {reply.ClientId}");
            output.Write(reply.ClientSecret.Length == 0
                ? "（同じ要求の再送のため、秘密鍵は表示されません。必要なら新しい秘密鍵を発行してください。）"
                : $"client_secret: {reply.ClientSecret}\nこの表示は一度だけです。連携先システムの管理者に安全な方法で渡してください。");
            return ExitCodes.Done;
        }));
        return new Command("link", "The sign-in of the city's linked systems (7.2): secret.") { issue };
    }
}
