using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordDeath(RecordDeathRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>死亡 (4.2.2.1).</summary>
internal sealed class DeathKind : IdouKind<RecordDeathRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordDeathRequest request, CancellationToken ct) =>
        registerService.DeathAsync(caller, request.RequestId, new DeathCommand(
            Header(request.DeathDate, "death_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Resident, caller.TenantCode, "resident")), ct);
}
