using Google.Protobuf;
using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using DomainHouseholdChangeKind = SharedResidentSystem.Core.Registration.HouseholdChangeKind;

namespace SharedResidentSystem.Server.Registration;

/// <summary>異動 (chapter 4): each call one 異動 (or one 仮登録), idempotent by request_id, logged in its transaction.</summary>
public sealed class RegistrationGrpcService(CallerContext callers, RegistrationDispatch dispatch, PendingIdouStore pending, CallRecord record, TenantDirectory tenants) : RegistrationService.RegistrationServiceBase
{
    public override Task<RecordIdouResponse> RecordMoveIn(RecordMoveInRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordMoveOut(RecordMoveOutRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordAddressChange(RecordAddressChangeRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordBirth(RecordBirthRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordDeath(RecordDeathRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordHouseholdChange(RecordHouseholdChangeRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordHeadChange(RecordHeadChangeRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordAmendment(RecordAmendmentRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordOfficialEntry(RecordOfficialEntryRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordOfficialRemoval(RecordOfficialRemovalRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordMoveInNotice(RecordMoveInNoticeRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> RecordCancellation(RecordCancellationRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    public override Task<RecordIdouResponse> CorrectResident(CorrectResidentRequest request, ServerCallContext context) =>
        Record(request, request.Provisional, context);

    private async Task<RecordIdouResponse> Record<TRequest>(TRequest request, bool provisional, ServerCallContext context)
        where TRequest : IMessage
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var result = await dispatch.ExecuteAsync(caller, request, ct);
        if (!provisional && tenants.Get(caller.TenantCode).ApprovalRequiredFor.Contains(result.Reason))
        {
            // The checked 異動 is rolled back with the refusal; nothing is recorded.
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ApprovalRequired,
                $"「{result.Reason}」はこの団体では審査・決裁が必要です。仮登録 (provisional) で入力してください。",
                [new FieldViolation("provisional", "仮登録で入力してください。")]);
        }
        if (provisional)
        {
            var (preview, touched) = await pending.KeepAsync(caller, context.Method, request, result, ct);
            return record.Answer(preview, touched);
        }
        return record.Answer(ProtoMapping.ToProto(caller.TenantCode, result), Touched.Of(result));
    }
}
