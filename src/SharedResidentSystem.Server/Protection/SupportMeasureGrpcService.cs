using Grpc.Core;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using Stored = SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Protection;

/// <summary>支援措置 (1.1.16, 3.4): kept by supervisors; the requester check serves every clerk.</summary>
public sealed class SupportMeasureGrpcService(CallerContext callers, SupportMeasures measures, CallRecord record, TimeProvider time) : SupportMeasureService.SupportMeasureServiceBase
{
    public override async Task<SupportMeasure> CreateSupportMeasure(CreateSupportMeasureRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var m = request.SupportMeasure ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "support_measure", "支援措置の内容を入力してください。");
        var applicant = ProtoMapping.OwnId(m.Applicant, "residents", caller.TenantCode, "support_measure.applicant", "申出者");
        var command = new SupportMeasureCommand(
            applicant,
            m.Contact,
            m.CoProtected.Select((c, i) => new CoProtectedValue(ProtoMapping.OwnId(c.Resident, "residents", caller.TenantCode, $"support_measure.co_protected[{i}].resident", "住民"), c.Relation)).ToList(),
            m.Perpetrators.Select((p, i) => new PerpetratorValue(
                p.Name, p.NameKana,
                string.IsNullOrEmpty(p.Resident) ? "" : ProtoMapping.OwnId(p.Resident, "residents", caller.TenantCode, $"support_measure.perpetrators[{i}].resident", "住民"),
                ProtoMapping.ToDomain(p.BirthDate), (int)p.Sex, ProtoMapping.ToDomain(p.Address), p.Note)).ToList(),
            m.Services.ToList(),
            ProtoMapping.ToDomain(m.StartsOn, "support_measure.starts_on"),
            ProtoMapping.ToDomain(m.EndsOn, "support_measure.ends_on"),
            m.Provisional)
        {
            Transfer = new TransferValue(
                m.Transfers.Select((t, i) => new SentOnValue(t.City.Trim(), ProtoMapping.ToDomain(t.SentOn, $"support_measure.transfers[{i}].sent_on")
                    ?? throw DomainException.Invalid(ErrorReasons.RequiredField, $"support_measure.transfers[{i}].sent_on", "転送年月日を入力してください。"))).ToList(),
                ProtoMapping.ToDomain(m.TransferReceivedOn, "support_measure.transfer_received_on"), m.OriginalCity.Trim(), null),
        };
        var created = await measures.CreateSupportMeasureAsync(caller, command, ct);
        return record.Answer(await ToProtoAsync(created, ct), Protected(created));
    }

    public override async Task<SupportMeasure> GetSupportMeasure(GetSupportMeasureRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var measure = await measures.GetMeasureAsync(IdOf(request.Name), ct);
        return record.Answer(await ToProtoAsync(measure, ct), Protected(measure));
    }

    public override async Task<ListSupportMeasuresResponse> ListSupportMeasures(ListSupportMeasuresRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var size = PageTokens.Size(request.PageSize);
        var (list, next) = PageTokens.Page(request, await measures.ListMeasuresAsync(request.IncludeEnded, PageTokens.After(request, request.PageToken), size + 1, ct), size, m => m.Id);
        var response = new ListSupportMeasuresResponse { NextPageToken = next };
        var persons = await measures.ProtectedPersonsAsync(list.SelectMany(m => Protected(m).Targets).Distinct().ToList(), ct);
        foreach (var measure in list)
        {
            response.SupportMeasures.Add(ToProto(measure, persons));
        }
        return record.Answer(response, new Touched(list.SelectMany(m => Protected(m).Targets).ToList()));
    }

    public override Task<SupportMeasure> ConfirmSupportMeasure(ConfirmSupportMeasureRequest request, ServerCallContext context) =>
        Change(context, ct => measures.ConfirmAsync(IdOf(request.Name), request.Etag, ProtoMapping.ToDomain(request.StartsOn, "starts_on"), ct));

    public override Task<SupportMeasure> ExtendSupportMeasure(ExtendSupportMeasureRequest request, ServerCallContext context) =>
        Change(context, ct => measures.ExtendAsync(IdOf(request.Name), request.Etag, ct));

    public override Task<SupportMeasure> EndSupportMeasure(EndSupportMeasureRequest request, ServerCallContext context) =>
        Change(context, ct => measures.EndAsync(IdOf(request.Name), request.Etag, ProtoMapping.ToDomain(request.EndedOn, "ended_on"), request.Reason, ct,
            ProtoMapping.ToDomain(request.NoNeedNotifiedOn, "no_need_notified_on")));

    public override async Task<CheckRequesterResponse> CheckRequester(CheckRequesterRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var target = ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
        if (string.IsNullOrWhiteSpace(request.RequesterName) && string.IsNullOrWhiteSpace(request.RequesterResident))
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "requester_name", "請求者の氏名を入力してください。");
        }
        var requesterNumber = string.IsNullOrEmpty(request.RequesterResident) ? "" : ProtoMapping.OwnId(request.RequesterResident, "residents", caller.TenantCode, "requester_resident", "住民");
        var perpetrator = await measures.IsPerpetratorAsync(target, new RequesterValue(request.RequesterName, request.RequesterNameKana, ProtoMapping.ToDomain(request.RequesterBirthDate), requesterNumber), ct);
        return record.Answer(new CheckRequesterResponse { Allowed = !perpetrator },
            new Touched([target], false, perpetrator ? "請求者が支援措置の加害者と一致しました。" : "", perpetrator ? ErrorReasons.PerpetratorRequest : AccessLogOutcome.Ok));
    }

    private async Task<SupportMeasure> Change(ServerCallContext context, Func<CancellationToken, Task<Stored.SupportMeasure>> change)
    {
        var measure = await change(context.CancellationToken);
        return record.Answer(await ToProtoAsync(measure, context.CancellationToken), Protected(measure));
    }

    /// <summary>
    /// 抑止対象の住所等 (1.1.16): 閲覧 keeps the present address, the 写し等 the present and former
    /// ones, the 附票の写し等 the 本籍 and the former ones.
    /// </summary>
    private static IEnumerable<SuppressedPlace> SuppressedPlaces(IEnumerable<string> services, string resident, ProtectedPersonView view)
    {
        var latest = view.Latest;
        var present = latest.State == Stored.ResidentState.Removed ? "" : PersonMapping.Describe(latest.Address);
        foreach (var service in services)
        {
            var places = service switch
            {
                "住民基本台帳の閲覧" => [("現住所", present)],
                "住民票の写し等の交付" => new[] { ("現住所", present) }.Concat(view.PreviousAddresses.Select(a => ("前住所", PersonMapping.Describe(a)))),
                "戸籍の附票の写し等の交付" => new[] { ("本籍", latest.Domicile) }.Concat(view.PreviousDomiciles.Select(d => ("前本籍", d.Domicile))),
                _ => [],
            };
            foreach (var (kind, place) in places.Where(p => p.Item2.Length > 0))
            {
                yield return new SuppressedPlace { Service = service, Kind = kind, Resident = resident, Place = place };
            }
        }
    }

    private long IdOf(string name) => ProtoMapping.OwnNumericId(name, "supportMeasures", callers.Required.TenantCode, "name", "支援措置");

    private static Touched Protected(Stored.SupportMeasure m) =>
        new(new[] { m.ApplicantResidentNumber }.Concat(SupportMeasures.CoProtectedOf(m).Select(c => c.ResidentNumber)).ToList());

    private async Task<SupportMeasure> ToProtoAsync(Stored.SupportMeasure m, CancellationToken ct) =>
        ToProto(m, await measures.ProtectedPersonsAsync(Protected(m).Targets, ct));

    private SupportMeasure ToProto(Stored.SupportMeasure m, IReadOnlyDictionary<string, ProtectedPersonView> persons)
    {
        var tenant = m.TenantCode;
        var message = new SupportMeasure
        {
            Name = $"{TenantResourceNames.Prefix}{tenant}/supportMeasures/{m.Id}",
            Applicant = TenantResourceNames.Resident(tenant, m.ApplicantResidentNumber),
            Contact = m.Contact,
            StartsOn = ProtoMapping.ToProto(m.StartsOn),
            EndsOn = ProtoMapping.ToProto(m.EndsOn),
            Provisional = m.Provisional,
            ProvisionalFrom = ProtoMapping.ToProto(m.ProvisionalFrom),
            State = m.State == Stored.SupportMeasureState.Active ? SupportMeasureState.Active : SupportMeasureState.Ended,
            EndedOn = ProtoMapping.ToProto(m.EndedOn),
            EndReason = m.EndReason,
            Etag = m.ConcurrencyStamp.ToString("N"),
        };
        message.CoProtected.AddRange(SupportMeasures.CoProtectedOf(m).Select(c => new CoProtectedPerson { Resident = TenantResourceNames.Resident(tenant, c.ResidentNumber), Relation = c.Relation }));
        message.Perpetrators.AddRange(SupportMeasures.PerpetratorsOf(m).Select(p => new Perpetrator
        {
            Name = p.Name,
            NameKana = p.NameKana,
            Resident = p.ResidentNumber.Length > 0 ? TenantResourceNames.Resident(tenant, p.ResidentNumber) : "",
            BirthDate = p.BirthDate is { } b ? new SharedResidentSystem.Contracts.Common.V1.PartialDate { Year = b.Year, Month = b.Month, Day = b.Day } : null,
            Sex = (Sex)p.Sex,
            Address = new SharedResidentSystem.Contracts.Common.V1.Address
            {
                Prefecture = p.Address.Prefecture, City = p.Address.City, Town = p.Address.Town, Chome = p.Address.Chome, Banchi = p.Address.Banchi,
                Katagaki = p.Address.Katagaki, PostalCode = p.Address.PostalCode, FreeText = p.Address.FreeText, Country = p.Address.Country,
            },
            Note = p.Note,
        }));
        message.Services.AddRange(m.Services.Split(',', StringSplitOptions.RemoveEmptyEntries));
        // 1.1.16: the persons protected as the register holds them, and what each service keeps from requesters.
        var protectedPersons = new[] { (Number: m.ApplicantResidentNumber, Applicant: true, Relation: "") }
            .Concat(SupportMeasures.CoProtectedOf(m).Select(c => (Number: c.ResidentNumber, Applicant: false, c.Relation)));
        foreach (var (number, applicant, relation) in protectedPersons)
        {
            if (!persons.TryGetValue(number, out var view))
            {
                continue;
            }
            var person = new ProtectedPerson
            {
                Resident = TenantResourceNames.Resident(tenant, number), Applicant = applicant, Relation = relation, Record = ProtoMapping.ToProto(view.Latest),
            };
            person.PreviousAddresses.AddRange(view.PreviousAddresses.Select(a => ProtoMapping.ToProto(a)));
            person.PreviousDomiciles.AddRange(view.PreviousDomiciles.Select(d => new Domicile { Address = d.Domicile, HeadName = d.Head }));
            message.Persons.Add(person);
            message.SuppressedPlaces.AddRange(SuppressedPlaces(message.Services, person.Resident, view));
        }
        var transfer = SupportMeasures.TransferOf(m);
        message.Transfers.AddRange(transfer.SentTo.Select(t => new SupportTransfer { City = t.City, SentOn = ProtoMapping.ToProto(t.SentOn) }));
        message.TransferReceivedOn = ProtoMapping.ToProto(transfer.ReceivedOn);
        message.OriginalCity = transfer.OriginalCity;
        message.NoNeedNotifiedOn = ProtoMapping.ToProto(transfer.NoNeedNotifiedOn);
        message.Periods.AddRange(SupportMeasures.PeriodsOf(m).Select(p => new SupportPeriod { StartsOn = ProtoMapping.ToProto(p.StartsOn), EndsOn = ProtoMapping.ToProto(p.EndsOn) }));
        if (m.State == Stored.SupportMeasureState.Active && !m.Provisional)
        {
            message.Notices.AddRange(SupportMeasureRules.Notices(m.EndsOn, Japanese.JapanTime.Today(time)));
        }
        return message;
    }
}
