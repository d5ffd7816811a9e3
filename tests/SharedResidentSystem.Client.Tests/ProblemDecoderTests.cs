using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;

namespace SharedResidentSystem.Client.Tests;

/// <summary>The server's error model (google.rpc.Status in the trailers) read back into what a clerk acts on.</summary>
public class ProblemDecoderTests
{
    private static RpcException Refusal(Code code, string reason, string message, params Google.Protobuf.IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = "srs.sharedresidentsystem" }) } };
        status.Details.Add(Any.Pack(new LocalizedMessage { Locale = "ja-JP", Message = message }));
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }
        return status.ToRpcException();
    }

    [Fact]
    public void Field_errors_come_back_with_the_clerks_label_and_the_stable_reason()
    {
        var badRequest = new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "members[1].individual_number", Description = "個人番号は12桁の数字です。" } } };
        var problem = ProblemDecoder.FromRpc(Refusal(Code.InvalidArgument, "INVALID_FIELD", "入力に誤りがあります。", badRequest));
        Assert.Equal(ProblemKind.Refused, problem.Kind);
        Assert.Equal("INVALID_FIELD", problem.Reason);
        Assert.Equal("入力に誤りがあります。", problem.Message);
        var field = Assert.Single(problem.Fields);
        Assert.Equal(("members[1].individual_number", "世帯員2 個人番号", "個人番号は12桁の数字です。"), (field.Field, field.Label, field.Description));
    }

    [Fact]
    public void Alerts_to_acknowledge_are_listed_by_code_and_the_resubmission_carries_them_with_a_new_id()
    {
        var failure = new PreconditionFailure { Violations = { new PreconditionFailure.Types.Violation { Type = "ALERT", Subject = "AGE_OVER_110", Description = "110歳以上です。" } } };
        var problem = ProblemDecoder.FromRpc(Refusal(Code.FailedPrecondition, "ALERT_NOT_ACKNOWLEDGED", "確認が必要です。", failure));
        Assert.Equal(ProblemKind.AlertsToAcknowledge, problem.Kind);
        Assert.Equal(["AGE_OVER_110"], problem.Alerts.Select(a => a.Code));

        var request = new RecordMoveInRequest { RequestId = "first" };
        var again = RequestIds.Acknowledging(request, problem.Alerts.Select(a => a.Code));
        Assert.Equal(["AGE_OVER_110"], again.AcknowledgedAlerts);
        Assert.NotEqual("first", again.RequestId);
        Assert.Empty(request.AcknowledgedAlerts);
    }

    [Theory]
    [InlineData("ROLE_NOT_PERMITTED")]
    [InlineData("FUNCTION_NOT_PERMITTED")]
    [InlineData("TENANT_NOT_MEMBER")]
    public void A_refusal_of_the_callers_rights_is_not_permitted(string reason)
    {
        var problem = ProblemDecoder.FromRpc(Refusal(Code.PermissionDenied, reason, "この操作はあなたの役割では行えません。"));
        Assert.Equal(ProblemKind.NotPermitted, problem.Kind);
        Assert.Equal(reason, problem.Reason);
    }

    [Fact]
    public void A_protection_refusal_stays_a_refusal_and_no_token_asks_to_sign_in()
    {
        Assert.Equal(ProblemKind.Refused, ProblemDecoder.FromRpc(Refusal(Code.PermissionDenied, "SUPPRESSED", "抑止されています。")).Kind);
        var unauthenticated = ProblemDecoder.FromRpc(Refusal(Code.Unauthenticated, "UNAUTHENTICATED", "サインインしてください。"));
        Assert.Equal(ProblemKind.SignInRequired, unauthenticated.Kind);
    }

    [Fact]
    public void An_unreachable_server_keeps_the_clerks_input_and_says_so()
    {
        var problem = ProblemDecoder.FromRpc(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection refused")));
        Assert.Equal(ProblemKind.Unavailable, problem.Kind);
        Assert.Contains("入力内容は保持しています", problem.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_gets_one_request_id_that_every_retry_keeps_and_a_read_gets_none()
    {
        var write = new RecordMoveInRequest();
        var id = RequestIds.Ensure(write);
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(id, RequestIds.Ensure(write));
        Assert.True(RequestIds.IsMutating(write));
        var read = new Contracts.Residents.V1.GetResidentRequest();
        Assert.Equal("", RequestIds.Ensure(read));
        Assert.False(RequestIds.IsMutating(read));
        var renewed = RequestIds.Renewed(write);
        Assert.NotEqual(id, renewed.RequestId);
    }
}
