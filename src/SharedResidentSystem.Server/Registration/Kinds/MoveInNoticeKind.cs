using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordMoveInNotice(RecordMoveInNoticeRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>転入通知の受理 (4.1.3.1.1): completes the 除票 of a 転出.</summary>
internal sealed class MoveInNoticeKind : IdouKind<RecordMoveInNoticeRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordMoveInNoticeRequest request, CancellationToken ct) =>
        registerService.MoveInNoticeAsync(caller, request.RequestId, ProtoMapping.ToDomain(request.Resident, caller.TenantCode, "resident"),
            ProtoMapping.ToDomain(request.NoticeDate, "notice_date"), ProtoMapping.ToDomain(request.ConfirmedOn, "confirmed_on"), ProtoMapping.ToDomain(request.ConfirmedDestination),
            request.AcknowledgedAlerts.ToList(), ct);
}
