using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;
using DomainHouseholdChangeKind = SharedResidentSystem.Core.Registration.HouseholdChangeKind;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordHouseholdChange(RecordHouseholdChangeRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>世帯分離・世帯合併・世帯変更 (4.1.4.1) at the same address.</summary>
internal sealed class HouseholdChangesKind : IdouKind<RecordHouseholdChangeRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordHouseholdChangeRequest request, CancellationToken ct) =>
        registerService.HouseholdChangeAsync(caller, request.RequestId, new HouseholdChangeCommand(
            Header(request.ChangeDate, "change_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            (DomainHouseholdChangeKind)request.Kind,
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"),
            ProtoMapping.ToDomain(request.Placement, caller.TenantCode, "placement") ?? new PlacementValue(null, new Dictionary<string, string>())), ct);
}
