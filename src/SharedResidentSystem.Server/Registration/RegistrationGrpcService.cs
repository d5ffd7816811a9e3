using Google.Protobuf;
using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Registration;

/// <summary>異動 (chapter 4): each call one 異動 (or one 仮登録), idempotent by request_id, logged in its transaction.</summary>
public sealed partial class RegistrationGrpcService(CallerContext callers, RegistrationDispatch dispatch, PendingIdouStore pending, CallRecord record, TenantDirectory tenants) : RegistrationService.RegistrationServiceBase
{
    /// <summary>Every 異動 RPC (one per kind, beside its <see cref="IdouKind"/> in Kinds/): one 異動, or one 仮登録.</summary>
    private async Task<RecordIdouResponse> Record(IMessage request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        // Every 異動 request carries `provisional` (仮登録, 4.0.8); a test holds the contract to it.
        var provisional = (bool)request.Descriptor.FindFieldByName("provisional").Accessor.GetValue(request);
        var caller = callers.Required;
        var result = await dispatch.ExecuteAsync(caller, request, ct);
        if (!provisional && tenants.Get(caller.TenantCode).ApprovalRequiredFor.Contains(result.Reason))
        {
            // The checked 異動 is rolled back with the refusal; nothing is recorded.
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ApprovalRequired,
                $"「{result.Reason}」はこの団体では審査・決裁が必要です。仮登録 (provisional) で入力してください。",
                [new FieldViolation("provisional", "仮登録で入力してください。")]);
        }
        if (provisional)
        {
            var (preview, touched) = await pending.KeepAsync(caller, context.Method, request, result, ct);
            return record.Answer(preview, touched);
        }
        return record.Answer(ProtoMapping.ToProto(caller.TenantCode, result), Touched.Of(result));
    }
}
