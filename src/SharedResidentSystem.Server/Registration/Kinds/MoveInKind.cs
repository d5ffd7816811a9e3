using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordMoveIn(RecordMoveInRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>転入 (4.1.1): 国内転入 or 国外転入等, into a new household or an existing one.</summary>
internal sealed class MoveInKind : IdouKind<RecordMoveInRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordMoveInRequest request, CancellationToken ct) =>
        registerService.MoveInAsync(caller, request.RequestId, new MoveInCommand(
            Header(request.MoveDate, "move_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Address),
            ProtoMapping.ToDomain(request.PreviousAddress),
            request.Members.Select((m, i) => ProtoMapping.ToDomain(m, $"members[{i}]", caller.TenantCode)).ToList(),
            request.Reason == MoveInReason.FromAbroad,
            string.IsNullOrEmpty(request.JoinHousehold) ? null : ProtoMapping.OwnId(request.JoinHousehold, "households", caller.TenantCode, "join_household", "世帯")), ct);
}
