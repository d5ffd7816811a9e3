using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

/// <summary>異動 (4.x): each call one 異動, idempotent by request_id, logged in its transaction.</summary>
[Authorize(Roles = $"{Roles.Clerk},{Roles.Supervisor}")]
public sealed class RegistrationGrpcService(CallerContext callers, RegisterService register, AuditedCalls audited) : RegistrationService.RegistrationServiceBase
{
    public override Task<RecordMoveInResponse> RecordMoveIn(RecordMoveInRequest request, ServerCallContext context) =>
        audited.WriteAsync(context.Method, request, request.RequestId, RecordMoveInResponse.Parser, async ct =>
        {
            var caller = callers.Required;
            var command = new MoveInCommand(
                ProtoMapping.ToDomain(request.MoveDate, "move_date"),
                ProtoMapping.ToDomain(request.NotificationDate, "notification_date"),
                new NotifierValue(request.Notifier?.Name ?? "", request.Notifier?.Relation ?? ""),
                ProtoMapping.ToDomain(request.Address),
                ProtoMapping.ToDomain(request.PreviousAddress),
                request.Members.Select(m => new MoveInMemberValue(ProtoMapping.ToDomain(m.PersonName), ProtoMapping.ToDomain(m.BirthDate), (SexValue)m.Sex, m.Relationship)).ToList());
            var result = await register.MoveInAsync(caller, request.RequestId, command, ct);
            var response = new RecordMoveInResponse
            {
                Idou = TenantResourceNames.Idou(caller.TenantCode, result.IdouId),
                Household = TenantResourceNames.Household(caller.TenantCode, result.HouseholdNumber),
            };
            response.Residents.AddRange(result.Persons.Select(ProtoMapping.ToProto));
            return (response, new Touched(result.Persons.Select(p => p.ResidentNumber).ToList()));
        }, context.CancellationToken);

    public override Task<CorrectResidentResponse> CorrectResident(CorrectResidentRequest request, ServerCallContext context) =>
        audited.WriteAsync(context.Method, request, request.RequestId, CorrectResidentResponse.Parser, async ct =>
        {
            var caller = callers.Required;
            var resident = request.Resident ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "resident", "修正する住民を指定してください。");
            var number = ProtoMapping.OwnId(resident.Name, "residents", caller.TenantCode, "resident.name", "住民");
            var paths = request.UpdateMask?.Paths ?? [];
            if (paths.Count == 0)
            {
                throw DomainException.Invalid(ErrorReasons.RequiredField, "update_mask", "修正する項目 (update_mask) を指定してください。");
            }
            var allowed = new HashSet<string> { "person_name", "birth_date", "sex", "address.katagaki" };
            var unknown = paths.Where(p => !allowed.Contains(p)).ToList();
            if (unknown.Count > 0)
            {
                throw DomainException.Invalid(ErrorReasons.UnsupportedUpdateMask, "update_mask",
                    $"軽微な修正で変更できない項目です: {string.Join(", ", unknown)} (変更できるのは {string.Join(", ", allowed)})");
            }
            var values = new CorrectionValues(
                paths.Contains("person_name") ? ProtoMapping.ToDomain(resident.PersonName) ?? new PersonNameValue("", "", "", "", false) : null,
                paths.Contains("birth_date") ? ProtoMapping.ToDomain(resident.BirthDate) ?? new PartialDateValue(0, 0, 0) : null,
                paths.Contains("sex") ? (SexValue)resident.Sex : null,
                paths.Contains("address.katagaki") ? resident.Address?.Katagaki ?? "" : null);
            var command = new CorrectionCommand(number, resident.Etag, values,
                ProtoMapping.ToDomain(request.CorrectionDate, "correction_date"),
                ProtoMapping.ToDomain(request.NotificationDate, "notification_date"),
                request.Reason);
            var result = await register.CorrectAsync(caller, request.RequestId, command, ct);
            var person = result.Persons[0];
            return (new CorrectResidentResponse
            {
                Idou = TenantResourceNames.Idou(caller.TenantCode, result.IdouId),
                Resident = Common.ProtoMapping.ToProto(person),
            }, new Touched([person.ResidentNumber]));
        }, context.CancellationToken);
}
