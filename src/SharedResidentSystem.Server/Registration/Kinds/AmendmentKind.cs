using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
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
            AmendmentReason.OfficialCorrection => "職権修正",
            AmendmentReason.ClericalError => "誤記修正",
            AmendmentReason.OldSurnameEntry => "旧氏の記載",
            AmendmentReason.OldSurnameChange => "旧氏の変更",
            AmendmentReason.OldSurnameDeletion => "旧氏の削除",
            AmendmentReason.CommonNameEntry => "通称の記載",
            AmendmentReason.CommonNameDeletion => "通称の削除",
            AmendmentReason.IndividualNumberChangeRequest => "個人番号の変更請求",
            AmendmentReason.IndividualNumberOfficialCorrection => "個人番号の職権修正",
            AmendmentReason.IndividualNumberOfficialEntry => "個人番号の職権記載",
            AmendmentReason.ResidentCodeChangeRequest => "住民票コードの変更請求",
            AmendmentReason.ResidentCodeOfficialEntry => "住民票コードの職権記載",
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "修正の種類を選んでください。"),
        };
        var values = Values(resident, request.UpdateMask?.Paths ?? [], RegisterService.AmendableItems[reason]);
        return registerService.AmendAsync(caller, request.RequestId, new AmendmentCommand(reason, number, resident.Etag, values,
            ProtoMapping.ToDomain(request.AmendmentDate, "amendment_date"), ProtoMapping.ToDomain(request.NotificationDate, "notification_date"),
            request.Note, request.AcknowledgedAlerts.ToList()), ct);
    }
}
