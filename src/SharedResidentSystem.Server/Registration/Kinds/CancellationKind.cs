using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordCancellation(RecordCancellationRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>異動の取消し (4.6.0.1) of one 異動, for all its residents or some.</summary>
internal sealed class CancellationKind : IdouKind<RecordCancellationRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordCancellationRequest request, CancellationToken ct)
    {
        var idouId = ProtoMapping.OwnNumericId(request.Idou, "idou", caller.TenantCode, "idou", "異動");
        return registerService.CancelAsync(caller, request.RequestId, new CancellationCommand(
            Header(null, "idou", request.NotificationDate, null, request.AcknowledgedAlerts) with { Basis = Basis(request.Basis) }, idouId,
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"), request.Note), ct);
    }
}
