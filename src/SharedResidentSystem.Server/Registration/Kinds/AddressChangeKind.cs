using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordAddressChange(RecordAddressChangeRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>転居 (4.1.2) within the city.</summary>
internal sealed class AddressChangeKind : IdouKind<RecordAddressChangeRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordAddressChangeRequest request, CancellationToken ct) =>
        registerService.AddressChangeAsync(caller, request.RequestId, new AddressChangeCommand(
            Header(request.MoveDate, "move_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"),
            ProtoMapping.ToDomain(request.Address),
            ProtoMapping.ToDomain(request.Placement, caller.TenantCode, "placement")), ct);
}
