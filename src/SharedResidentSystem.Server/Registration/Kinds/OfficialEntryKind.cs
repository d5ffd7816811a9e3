using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordOfficialEntry(RecordOfficialEntryRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>職権記載 (4.2.1.1): like a 転入 in its items, with its own 異動事由.</summary>
internal sealed class OfficialEntryKind : IdouKind<RecordOfficialEntryRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordOfficialEntryRequest request, CancellationToken ct)
    {
        var (reason, cause) = request.Reason switch
        {
            OfficialEntryReason.Official => (IdouReasons.OfficialEntry, ""),
            OfficialEntryReason.Naturalization => (IdouReasons.OfficialEntryNaturalization, IdouReasons.CauseNaturalization),
            OfficialEntryReason.NationalityAcquisition => (IdouReasons.OfficialEntryNaturalization, IdouReasons.CauseNationalityAcquisition),
            OfficialEntryReason.LossOfNationality => (IdouReasons.OfficialEntryLossOfNationality, ""),
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "職権記載の種類を選んでください。"),
        };
        var entry = new MoveInCommand(
            Header(request.EntryDate, "entry_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts) with { Basis = Basis(request.Basis) },
            ProtoMapping.ToDomain(request.Address),
            ProtoMapping.ToDomain(request.PreviousAddress),
            request.Members.Select((m, i) => ProtoMapping.ToDomain(m, $"members[{i}]", caller.TenantCode)).ToList(),
            false,
            string.IsNullOrEmpty(request.JoinHousehold) ? null : ProtoMapping.OwnId(request.JoinHousehold, "households", caller.TenantCode, "join_household", "世帯"));
        return registerService.OfficialEntryAsync(caller, request.RequestId, new OfficialEntryCommand(reason, entry, request.Note)
        {
            UnreportedMoveIn = request.UnreportedMoveIn,
            LastRegisteredAddress = ProtoMapping.ToDomain(request.LastRegisteredAddress),
            Cause = cause,
            NationalityLostOn = ProtoMapping.ToDomain(request.NationalityLostOn, "nationality_lost_on"),
        }, ct);
    }
}
