using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordOfficialRemoval(RecordOfficialRemovalRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>職権消除 (4.2.2.2) of some residents.</summary>
internal sealed class OfficialRemovalKind : IdouKind<RecordOfficialRemovalRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordOfficialRemovalRequest request, CancellationToken ct)
    {
        var (reason, cause) = request.Reason switch
        {
            OfficialRemovalReason.Official => (IdouReasons.OfficialRemoval, ""),
            OfficialRemovalReason.Naturalization => (IdouReasons.OfficialRemovalNaturalization, IdouReasons.CauseNaturalization),
            OfficialRemovalReason.NationalityAcquisition => (IdouReasons.OfficialRemovalNaturalization, IdouReasons.CauseNationalityAcquisition),
            OfficialRemovalReason.LossOfNationality => (IdouReasons.OfficialRemovalLossOfNationality, ""),
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "職権消除の種類を選んでください。"),
        };
        return registerService.OfficialRemovalAsync(caller, request.RequestId, new OfficialRemovalCommand(reason,
            Header(request.RemovalDate, "removal_date", request.NotificationDate, null, request.AcknowledgedAlerts) with { Basis = Basis(request.Basis) },
            ProtoMapping.ToDomain(request.Residents, caller.TenantCode, "residents"), request.Note) { Cause = cause }, ct);
    }
}
