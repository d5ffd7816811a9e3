using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Common;
using Stored = SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Certificates;

/// <summary>本人通知 (8.1): registrations, the notices owed, and the letter.</summary>
[Authorize(Roles = $"{Roles.Clerk},{Roles.Supervisor}")]
public sealed class PersonalNoticeGrpcService(CallerContext callers, PersonalNotices notices, ICertificateRenderer renderer, AuditedCalls audited, TimeProvider time)
    : PersonalNoticeService.PersonalNoticeServiceBase
{
    private const string Registrations = "personalNoticeRegistrations";
    private const string Notices = "personalNotices";

    public override Task<PersonalNoticeRegistration> RegisterPersonalNotice(RegisterPersonalNoticeRequest request, ServerCallContext context) =>
        audited.WriteAsync(context.Method, request, request.RequestId, PersonalNoticeRegistration.Parser, async ct =>
        {
            var caller = callers.Required;
            var resident = ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
            var registration = await notices.RegisterAsync(caller, resident, request.SendTo, ct);
            return (ToProto(caller.TenantCode, registration), new Touched([resident]));
        }, context.CancellationToken);

    public override Task<ListPersonalNoticeRegistrationsResponse> ListPersonalNoticeRegistrations(ListPersonalNoticeRegistrationsRequest request, ServerCallContext context) =>
        audited.ReadAsync(context.Method, async ct =>
        {
            var caller = callers.Required;
            var resident = string.IsNullOrEmpty(request.Resident) ? "" : ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
            var list = await notices.ListRegistrationsAsync(caller, resident, request.IncludeEnded, ct);
            var response = new ListPersonalNoticeRegistrationsResponse();
            response.Registrations.AddRange(list.Select(r => ToProto(caller.TenantCode, r)));
            return (response, new Touched(list.Select(r => r.ResidentNumber).ToList()));
        }, context.CancellationToken);

    public override Task<PersonalNoticeRegistration> EndPersonalNoticeRegistration(EndPersonalNoticeRegistrationRequest request, ServerCallContext context) =>
        audited.WriteAsync(context.Method, request, request.RequestId, PersonalNoticeRegistration.Parser, async ct =>
        {
            var caller = callers.Required;
            var registration = await notices.EndAsync(caller, ProtoMapping.OwnNumericId(request.Name, Registrations, caller.TenantCode, "name", "本人通知の登録"), ct);
            return (ToProto(caller.TenantCode, registration), new Touched([registration.ResidentNumber]));
        }, context.CancellationToken);

    public override Task<ListPersonalNoticesResponse> ListPersonalNotices(ListPersonalNoticesRequest request, ServerCallContext context) =>
        audited.ReadAsync(context.Method, async ct =>
        {
            var caller = callers.Required;
            var resident = string.IsNullOrEmpty(request.Resident) ? "" : ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
            var list = await notices.ListNoticesAsync(caller, resident, ct);
            var response = new ListPersonalNoticesResponse();
            response.Notices.AddRange(list.Select(n => ToProto(caller.TenantCode, n)));
            return (response, new Touched(list.Select(n => n.ResidentNumber).ToList()));
        }, context.CancellationToken);

    public override Task<PersonalNoticeLetter> GetPersonalNoticeLetter(GetPersonalNoticeLetterRequest request, ServerCallContext context) =>
        audited.ReadAsync(context.Method, async ct =>
        {
            var caller = callers.Required;
            var (notice, letter) = await notices.LetterAsync(caller, ProtoMapping.OwnNumericId(request.Name, Notices, caller.TenantCode, "name", "本人通知"), ct);
            var pdf = renderer.RenderLetter(letter);
            return (new PersonalNoticeLetter { Name = request.Name, Pdf = ByteString.CopyFrom(pdf) }, new Touched([notice.ResidentNumber], false, "print personal notice letter"));
        }, context.CancellationToken);

    private PersonalNoticeRegistration ToProto(string tenant, Stored.PersonalNoticeRegistration r)
    {
        var today = JapanTime.Today(time);
        return new PersonalNoticeRegistration
        {
            Name = $"tenants/{tenant}/{Registrations}/{r.Id}",
            Resident = $"tenants/{tenant}/residents/{r.ResidentNumber}",
            SendTo = r.SendTo,
            RegisteredOn = ProtoMapping.ToProto(r.RegisteredOn),
            ExpiresOn = ProtoMapping.ToProto(r.ExpiresOn),
            EndedOn = ProtoMapping.ToProto(r.EndedOn),
            Active = r.EndedOn is null && r.ExpiresOn >= today,
        };
    }

    private static PersonalNotice ToProto(string tenant, Stored.PersonalNotice n) => new()
    {
        Name = $"tenants/{tenant}/{Notices}/{n.Id}",
        Resident = $"tenants/{tenant}/residents/{n.ResidentNumber}",
        Issuance = $"tenants/{tenant}/issuances/{n.IssuanceId}",
        IssuedOn = ProtoMapping.ToProto(n.IssuedOn),
        RequesterCategory = n.RequesterCategory,
        Kind = n.Kind,
        Copies = n.Copies,
        RecordedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(n.RecordedAt, DateTimeKind.Utc)),
    };
}
