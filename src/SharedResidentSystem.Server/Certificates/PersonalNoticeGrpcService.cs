using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using Stored = SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Certificates;

/// <summary>本人通知 (8.1): registrations, the notices owed, and the letter.</summary>
public sealed class PersonalNoticeGrpcService(CallerContext callers, PersonalNotices notices, ICertificateRenderer renderer, CallRecord record, TimeProvider time)
    : PersonalNoticeService.PersonalNoticeServiceBase
{
    private const string Registrations = "personalNoticeRegistrations";
    private const string Notices = "personalNotices";

    public override async Task<PersonalNoticeRegistration> RegisterPersonalNotice(RegisterPersonalNoticeRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var resident = ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
        var registration = await notices.RegisterAsync(caller, resident, request.SendTo, ct);
        return record.Answer(ToProto(caller.TenantCode, registration), new Touched([resident]));
    }

    public override async Task<ListPersonalNoticeRegistrationsResponse> ListPersonalNoticeRegistrations(ListPersonalNoticeRegistrationsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var resident = string.IsNullOrEmpty(request.Resident) ? "" : ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
        var size = PageTokens.Size(request.PageSize);
        var (list, next) = PageTokens.Page(request, await notices.ListRegistrationsAsync(caller, resident, request.IncludeEnded, PageTokens.After(request, request.PageToken), size + 1, ct), size, r => r.Id);
        var response = new ListPersonalNoticeRegistrationsResponse { NextPageToken = next };
        response.Registrations.AddRange(list.Select(r => ToProto(caller.TenantCode, r)));
        return record.Answer(response, new Touched(list.Select(r => r.ResidentNumber).ToList()));
    }

    public override async Task<PersonalNoticeRegistration> EndPersonalNoticeRegistration(EndPersonalNoticeRegistrationRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var registration = await notices.EndAsync(caller, ProtoMapping.OwnNumericId(request.Name, Registrations, caller.TenantCode, "name", "本人通知の登録"), ct);
        return record.Answer(ToProto(caller.TenantCode, registration), new Touched([registration.ResidentNumber]));
    }

    public override async Task<ListPersonalNoticesResponse> ListPersonalNotices(ListPersonalNoticesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var resident = string.IsNullOrEmpty(request.Resident) ? "" : ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
        var size = PageTokens.Size(request.PageSize);
        var (list, next) = PageTokens.Page(request, await notices.ListNoticesAsync(caller, resident, PageTokens.After(request, request.PageToken), size + 1, ct), size, n => n.Id);
        var response = new ListPersonalNoticesResponse { NextPageToken = next };
        response.Notices.AddRange(list.Select(n => ToProto(caller.TenantCode, n)));
        return record.Answer(response, new Touched(list.Select(n => n.ResidentNumber).ToList()));
    }

    public override async Task<PersonalNoticeLetter> GetPersonalNoticeLetter(GetPersonalNoticeLetterRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var (notice, letter) = await notices.LetterAsync(caller, ProtoMapping.OwnNumericId(request.Name, Notices, caller.TenantCode, "name", "本人通知"), ct);
        var pdf = renderer.RenderLetter(letter);
        return record.Answer(new PersonalNoticeLetter { Name = request.Name, Pdf = ByteString.CopyFrom(pdf) }, new Touched([notice.ResidentNumber], false, "print personal notice letter"));
    }

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
