using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordMoveOut(RecordMoveOutRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>転出 (4.1.3): 国内転出 or 国外転出 on a planned date.</summary>
internal sealed class MoveOutKind : IdouKind<RecordMoveOutRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordMoveOutRequest request, CancellationToken ct) =>
        registerService.MoveOutAsync(caller, request.RequestId, new MoveOutCommand(
            Header(request.PlannedDate, "planned_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"),
            ProtoMapping.ToDomain(request.Destination),
            request.Abroad, request.Special), ct);
}
