using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordHeadChange(RecordHeadChangeRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>世帯主変更 (4.1.4.2) with every other member's 続柄 set anew.</summary>
internal sealed class HeadChangeKind : IdouKind<RecordHeadChangeRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordHeadChangeRequest request, CancellationToken ct) =>
        registerService.HeadChangeAsync(caller, request.RequestId, new HeadChangeCommand(
            Header(request.ChangeDate, "change_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.OwnId(request.Household, "households", caller.TenantCode, "household", "世帯"),
            ProtoMapping.ToDomain(request.NewHead, caller.TenantCode, "new_head"),
            ProtoMapping.Relationships(request.Relationships, caller.TenantCode, "relationships")), ct);
}
