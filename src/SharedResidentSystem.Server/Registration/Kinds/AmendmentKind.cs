using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordAmendment(RecordAmendmentRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>修正 of 1.2.2 (職権修正, 誤記修正, 旧氏, 通称, 個人番号, 住民票コード) of one resident (4.2.3).</summary>
internal sealed class AmendmentKind : IdouKind<RecordAmendmentRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordAmendmentRequest request, CancellationToken ct)
    {
        var resident = request.Resident ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "resident", "修正する住民を指定してください。");
        var number = ProtoMapping.OwnId(resident.Name, "residents", caller.TenantCode, "resident.name", "住民");
        var reason = request.Reason switch
        {
            AmendmentReason.OfficialCorrection => IdouReasons.OfficialCorrection,
            AmendmentReason.ClericalError => IdouReasons.ClericalError,
            AmendmentReason.OldSurnameEntry => IdouReasons.OldSurnameEntry,
            AmendmentReason.OldSurnameChange => IdouReasons.OldSurnameChange,
            AmendmentReason.OldSurnameDeletion => IdouReasons.OldSurnameDeletion,
            AmendmentReason.CommonNameEntry => IdouReasons.CommonNameEntry,
            AmendmentReason.CommonNameDeletion => IdouReasons.CommonNameDeletion,
            AmendmentReason.IndividualNumberChangeRequest => IdouReasons.IndividualNumberChangeRequest,
            AmendmentReason.IndividualNumberOfficialCorrection => IdouReasons.IndividualNumberOfficialCorrection,
            AmendmentReason.IndividualNumberOfficialEntry => IdouReasons.IndividualNumberOfficialEntry,
            AmendmentReason.ResidentCodeChangeRequest => IdouReasons.ResidentCodeChangeRequest,
            AmendmentReason.ResidentCodeOfficialEntry => IdouReasons.ResidentCodeOfficialEntry,
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "修正の種類を選んでください。"),
        };
        var values = Values(resident, request.UpdateMask?.Paths ?? [], RegisterService.AmendableItems[reason]);
        return registerService.AmendAsync(caller, request.RequestId, new AmendmentCommand(reason, number, resident.Etag, values,
            ProtoMapping.ToDomain(request.AmendmentDate, "amendment_date"), ProtoMapping.ToDomain(request.NotificationDate, "notification_date"),
            request.Note, request.AcknowledgedAlerts.ToList())
        {
            SpecialReason = request.SpecialReason switch
            {
                SpecialReason.SpecialAdoption => SpecialReasons.SpecialAdoption,
                SpecialReason.SpecialAdoptionDissolution => SpecialReasons.SpecialAdoptionDissolution,
                SpecialReason.GenderChange => SpecialReasons.GenderChange,
                _ => "",
            },
            Basis = Basis(request.Basis),
        }, ct);
    }
}
