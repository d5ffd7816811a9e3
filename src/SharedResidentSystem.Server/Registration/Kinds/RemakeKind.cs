using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RemakeResident(RemakeResidentRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>改製 (1.1.4) of the residents' 住民票 from a date.</summary>
internal sealed class RemakeKind : IdouKind<RemakeResidentRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RemakeResidentRequest request, CancellationToken ct) =>
        registerService.RemakeAsync(caller, request.RequestId, new RemakeCommand(ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"),
            ProtoMapping.ToDomain(request.RemadeOn, "remade_on"), request.Note), ct);
}
