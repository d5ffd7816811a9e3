using Google.Protobuf;
using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Registration;

/// <summary>異動 (chapter 4): each call one 異動 (or one 仮登録), idempotent by request_id, logged in its transaction.</summary>
public sealed partial class RegistrationGrpcService(CallerContext callers, RegistrationDispatch dispatch, PendingIdouStore pending, CallRecord record) : RegistrationService.RegistrationServiceBase
{
    /// <summary>Every 異動 RPC (one per kind, beside its <see cref="IdouKind"/> in Kinds/): one 異動, or one 仮登録.</summary>
    private async Task<RecordIdouResponse> Record(IMessage request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        // Every 異動 request carries `provisional` (仮登録, 4.0.8); a test holds the contract to it.
        var provisional = (bool)request.Descriptor.FindFieldByName("provisional").Accessor.GetValue(request);
        var caller = callers.Required;
        dispatch.Register.Entry = provisional ? IdouEntry.Provisional : IdouEntry.Direct;
        var result = await dispatch.ExecuteAsync(caller, request, ct);
        if (provisional)
        {
            var (preview, touched) = await pending.KeepAsync(caller, context.Method, request, result, ct);
            return record.Answer(preview, touched);
        }
        return record.Answer(ProtoMapping.ToProto(caller.TenantCode, result), Touched.Of(result));
    }
}
