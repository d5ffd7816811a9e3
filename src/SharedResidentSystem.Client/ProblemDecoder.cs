using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace SharedResidentSystem.Client;

/// <summary>Reads the server's error model (google.rpc.Status in the trailers) into a <see cref="CallProblem"/>.</summary>
public static class ProblemDecoder
{
    public const string AlertNotAcknowledged = "ALERT_NOT_ACKNOWLEDGED";

    public static CallProblem FromRpc(RpcException e)
    {
        var details = e.Trailers.GetValueBytes("grpc-status-details-bin");
        RpcStatus? status = null;
        if (details is not null)
        {
            try
            {
                status = RpcStatus.Parser.ParseFrom(details);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                status = null;
            }
        }
        var reason = "";
        var message = "";
        var fields = new List<FieldError>();
        var alerts = new List<RaisedAlert>();
        foreach (var any in status?.Details ?? [])
        {
            if (any.Is(ErrorInfo.Descriptor))
            {
                reason = any.Unpack<ErrorInfo>().Reason;
            }
            else if (any.Is(LocalizedMessage.Descriptor))
            {
                message = any.Unpack<LocalizedMessage>().Message;
            }
            else if (any.Is(BadRequest.Descriptor))
            {
                fields.AddRange(any.Unpack<BadRequest>().FieldViolations.Select(v => new FieldError(v.Field, FieldLabels.Describe(v.Field), v.Description)));
            }
            else if (any.Is(PreconditionFailure.Descriptor))
            {
                alerts.AddRange(any.Unpack<PreconditionFailure>().Violations.Where(v => v.Type == "ALERT").Select(v => new RaisedAlert(v.Subject, v.Description)));
            }
        }
        var kind = e.StatusCode switch
        {
            StatusCode.Unauthenticated => ProblemKind.SignInRequired,
            StatusCode.PermissionDenied when reason is "" or "FUNCTION_NOT_PERMITTED" or "ROLE_NOT_PERMITTED" or "TENANT_NOT_MEMBER" => ProblemKind.NotPermitted,
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => ProblemKind.Unavailable,
            _ when reason == AlertNotAcknowledged && alerts.Count > 0 => ProblemKind.AlertsToAcknowledge,
            _ => ProblemKind.Refused,
        };
        if (message.Length == 0)
        {
            message = kind switch
            {
                ProblemKind.SignInRequired => "サインインが必要です（トークンがないか、期限切れか、受け付けられません）。",
                ProblemKind.NotPermitted => "この操作を行う権限がありません。",
                ProblemKind.Unavailable => Unreachable(e.Status.Detail),
                _ => e.Status.Detail,
            };
        }
        return new CallProblem(kind, e.StatusCode, reason.Length > 0 ? reason : e.StatusCode.ToString().ToUpperInvariant(), message, fields, alerts);
    }

    /// <summary>The message a clerk reads when the server cannot be reached.</summary>
    public static string Unreachable(string detail) =>
        "サーバーに接続できません。入力内容は保持しています。しばらく待ってから同じ内容で再送してください（同じ受付番号で送るため二重に記録されることはありません）。"
        + (string.IsNullOrWhiteSpace(detail) ? "" : $"（{detail}）");
}
