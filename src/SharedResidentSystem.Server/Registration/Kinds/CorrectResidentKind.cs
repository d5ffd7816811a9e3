using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> CorrectResident(CorrectResidentRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>軽微な修正 (4.2.3.2) of one resident.</summary>
internal sealed class CorrectResidentKind : IdouKind<CorrectResidentRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, CorrectResidentRequest request, CancellationToken ct)
    {
        var resident = request.Resident ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "resident", "修正する住民を指定してください。");
        var number = ProtoMapping.OwnId(resident.Name, "residents", caller.TenantCode, "resident.name", "住民");
        var values = Values(resident, request.UpdateMask?.Paths ?? [], RegisterService.AmendableItems[IdouReasons.MinorCorrection]);
        return registerService.CorrectAsync(caller, request.RequestId, new CorrectionCommand(number, resident.Etag, values,
            ProtoMapping.ToDomain(request.CorrectionDate, "correction_date"),
            ProtoMapping.ToDomain(request.NotificationDate, "notification_date"),
            request.Reason), ct);
    }
}
