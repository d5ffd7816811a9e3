using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

public sealed partial class RegistrationGrpcService
{
    public override Task<RecordIdouResponse> RecordBirth(RecordBirthRequest request, ServerCallContext context) => Record(request, context);
}

/// <summary>出生 (4.2.1.2) into a household of the city.</summary>
internal sealed class BirthKind : IdouKind<RecordBirthRequest>
{
    protected override Task<IdouResult> RecordAsync(RegisterService registerService, Caller caller, RecordBirthRequest request, CancellationToken ct) =>
        registerService.BirthAsync(caller, request.RequestId, new BirthCommand(
            Header(null, "child.birth_date", request.NotificationDate, request.Notifier, request.AcknowledgedAlerts),
            ProtoMapping.ToDomain(request.Child ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "child", "出生した子を入力してください。"), "child"),
            ProtoMapping.OwnId(request.Household, "households", caller.TenantCode, "household", "世帯")), ct);
}
