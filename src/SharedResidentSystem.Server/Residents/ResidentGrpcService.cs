using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using DomainNameMatch = SharedResidentSystem.Core.Residents.NameMatch;

namespace SharedResidentSystem.Server.Residents;

/// <summary>住民記録の照会 (2.1, 2.2.1): reads of the caller's city, each one logged.</summary>
public sealed class ResidentGrpcService(CallerContext callers, ResidentQueries queries, CallRecord record, SrsDbContext db, ProtectionGate gate, SupportMeasures measures,
    Microsoft.Extensions.Options.IOptions<Hosting.ServerOptions> options, Core.Tenancy.TenantDirectory tenants) : ResidentService.ResidentServiceBase
{
    /// <summary>Marks the access-log detail of a search as its criteria.</summary>
    private const string SearchHistoryPrefix = "criteria:";

    public const int SearchHistorySize = 20;

    /// <summary>The longest wait for a 転入通知 a list may ask about (ten years).</summary>
    private const int MaxNoticeDays = 3660;

    public override async Task<ListMissingMoveInNoticesResponse> ListMissingMoveInNotices(ListMissingMoveInNoticesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (request.Days is < 0 or > MaxNoticeDays)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "days", $"日数は0から{MaxNoticeDays}までです。");
        }
        var size = PageTokens.Size(request.PageSize);
        var (missing, next) = PageTokens.Page(request,
            await queries.MissingMoveInNoticesAsync(request.Days == 0 ? 14 : request.Days, MissingAfter(request), size + 1, ct), size,
            p => $"{p.RemovalOn:yyyyMMdd}-{p.ResidentNumber}");
        var blocked = await gate.BlockedAsync(callers.Required, missing.Select(p => new ProtectionTarget(p.ResidentNumber, p.HouseholdNumber)).ToList(), SuppressedProcesses.Inquiry, ct);
        var response = new ListMissingMoveInNoticesResponse { NextPageToken = next };
        response.Residents.AddRange(missing.Select(p => blocked.Contains(p.ResidentNumber) ? Redacted(p) : ProtoMapping.ToProto(p)));
        // Redacted entries are named too: the log shows whom the list concerned, shown or not.
        return record.Answer(response, new Touched(missing.Select(p => p.ResidentNumber).ToList()));
    }

    /// <summary>The (消除 date, 宛名番号) a page of 転入通知未着者 starts after.</summary>
    private static (DateOnly, string)? MissingAfter(ListMissingMoveInNoticesRequest request)
    {
        if (PageTokens.AfterKey(request, request.PageToken) is not { } key)
        {
            return null;
        }
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        return dash == 8 && DateOnly.TryParseExact(key[..8], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var on)
            ? (on, key[(dash + 1)..])
            : throw PageTokens.Refused();
    }

    public override Task<ListSearchHistoryResponse> ListSearchHistory(ListSearchHistoryRequest request, ServerCallContext context) =>
        SearchHistoryAsync(request, context.CancellationToken);

    private static ProtectionTarget[] Targets(PersonVersion asRead, PersonVersion current) =>
        [new(asRead.ResidentNumber, asRead.HouseholdNumber), new(current.ResidentNumber, current.HouseholdNumber)];

    private static Resident Redacted(PersonVersion p) => new()
    {
        Name = TenantResourceNames.Resident(p.TenantCode, p.ResidentNumber),
        ResidentNumber = p.ResidentNumber,
        Notices = { "照会が抑止されています。決裁者の一時解除が必要です。" },
    };

    private async Task<ListSearchHistoryResponse> SearchHistoryAsync(ListSearchHistoryRequest request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var size = request.PageSize is > 0 and < SearchHistorySize ? request.PageSize : SearchHistorySize;
        var searchMethod = $"/{ResidentService.Descriptor.FullName}/{nameof(SearchResidents)}";
        var entries = await db.AccessLog.AsNoTracking()
            .Where(e => e.StaffId == caller.StaffId && e.Function == searchMethod && e.Outcome == AccessLogWriter.Ok)
            .OrderByDescending(e => e.Sequence)
            .Take(size)
            .ToListAsync(cancellationToken);
        var response = new ListSearchHistoryResponse();
        foreach (var entry in entries.Where(e => e.Detail.StartsWith(SearchHistoryPrefix, StringComparison.Ordinal)))
        {
            var criteria = JsonParser.Default.Parse<SearchResidentsRequest>(entry.Detail[SearchHistoryPrefix.Length..]);
            criteria.IndividualNumber = "";
            response.Entries.Add(new SearchHistoryEntry { SearchedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(entry.At, DateTimeKind.Utc)), Criteria = criteria });
        }
        return response;
    }

    public override async Task<Resident> GetResident(GetResidentRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var number = ProtoMapping.OwnId(request.Name, "residents", caller.TenantCode, "name", "住民");
        var asOf = ProtoMapping.ToDomain(request.AsOf, "as_of");
        var asRecorded = ProtoMapping.ToDomain(request.AsRecordedOn, "as_recorded_on");
        var person = await queries.GetAsync(number, asOf, asRecorded, ct) ?? throw DomainException.NotFound("住民", "name");
        var current = asOf is null && asRecorded is null ? person : await queries.GetAsync(number, null, null, ct) ?? person;
        // 抑止 (3.1) applies to the resident and the household they belong to now.
        var marked = await gate.EnforceAsync(caller, Targets(person, current), SuppressedProcesses.Inquiry, request.AcknowledgedAlerts, "name", ct);
        var touchedNumber = request.IncludeIndividualNumber && person.IndividualNumber.Length > 0;
        var resident = ProtoMapping.ToProto(person, request.IncludeIndividualNumber);
        resident.Suppressed = marked;
        if (marked)
        {
            resident.Notices.AddRange(await measures.NoticesAsync(number, ct));
        }
        if (person.AdultWard && person.RemovalReason == Core.Registration.IdouReasons.DomesticMoveOut)
        {
            // 9.4#2: the 転入地 is to be told.
            resident.Notices.Add(MoveOutCertificateGrpcServiceNotice);
        }
        return record.Answer(resident, new Touched([person.ResidentNumber], touchedNumber));
    }

    public const string MoveOutCertificateGrpcServiceNotice = "成年被後見人の転出です。転入地への通知書 (GetAdultWardNotice) を作成してください。";

    public override async Task<SearchResidentsResponse> SearchResidents(SearchResidentsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var search = new ResidentSearch(
            request.NameQuery, (DomainNameMatch)request.NameMatch, request.GivenNameKana, request.BirthDate, (SexValue)request.Sex,
            request.Town, request.Banchi, request.Katagaki, request.ResidentNumber, request.HouseholdNumber, request.IndividualNumber,
            request.ResidentCode, request.ResidenceCardNumber, request.Relationship, request.MissingItems.ToList(), request.IncludeRemoved, request.PageSize, request.PageToken)
        {
            DistrictAreas = string.IsNullOrWhiteSpace(request.District) ? null
                : (tenants.Get(callers.Required.TenantCode).Districts.FirstOrDefault(d => d.Code == request.District.Trim())
                    ?? throw DomainException.Invalid(ErrorReasons.InvalidField, "district", $"地区コード「{request.District.Trim()}」はこの団体の地区にありません。")).Areas,
        };
        var page = await queries.SearchAsync(search, ct);
        var response = new SearchResidentsResponse { NextPageToken = page.NextPageToken };
        var targets = page.Residents.Select(p => new ProtectionTarget(p.ResidentNumber, p.HouseholdNumber)).ToList();
        var blocked = await gate.BlockedAsync(callers.Required, targets, SuppressedProcesses.Inquiry, ct);
        var marked = await gate.MarkedAsync(targets, ct);
        // Every resident answered is named in the entry, redacted ones included (an auditor
        // looking for the attempts on a protected person finds this search).
        var found = new List<string>();
        var bytes = 0;
        foreach (var p in page.Residents)
        {
            // A resident whose 照会 is blocked shows only that it exists and is protected.
            var resident = blocked.Contains(p.ResidentNumber) ? Redacted(p) : ProtoMapping.ToProto(p);
            resident.Suppressed = marked.Contains(p.ResidentNumber);
            var size = resident.CalculateSize();
            if (found.Count > 0 && bytes + size > options.Value.MaxPageBytes)
            {
                // The page is full in bytes before it is in rows: the next one starts here.
                response.NextPageToken = page.TokenAfter(found[^1]);
                break;
            }
            bytes += size;
            response.Residents.Add(resident);
            found.Add(p.ResidentNumber);
        }
        // The criteria go into the access-log entry; they are also the caller's 検索履歴 (2.1.1).
        var criteria = request.Clone();
        criteria.PageToken = "";
        criteria.IndividualNumber = criteria.IndividualNumber.Length > 0 ? "************" : "";
        return record.Answer(response, new Touched(found, request.IndividualNumber.Length > 0, SearchHistoryPrefix + JsonFormatter.Default.Format(criteria)));
    }

    public override async Task<Household> GetHousehold(GetHouseholdRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var number = ProtoMapping.OwnId(request.Name, "households", caller.TenantCode, "name", "世帯");
        var view = await queries.GetHouseholdAsync(number, ProtoMapping.ToDomain(request.AsOf, "as_of"), ProtoMapping.ToDomain(request.AsRecordedOn, "as_recorded_on"), request.IncludeRemoved, ct)
            ?? throw DomainException.NotFound("世帯", "name");
        // The household's address is every member's: one protected member protects the household.
        var targets = view.Members.Select(m => new ProtectionTarget(m.ResidentNumber, number)).Append(new ProtectionTarget("", number)).ToList();
        await gate.EnforceAsync(caller, targets, SuppressedProcesses.Inquiry, request.AcknowledgedAlerts, "name", ct);
        var household = new Household
        {
            Name = TenantResourceNames.Household(caller.TenantCode, number),
            HouseholdNumber = number,
            Head = view.Head is null ? "" : TenantResourceNames.Resident(caller.TenantCode, view.Head.ResidentNumber),
            HeadName = view.Head is null ? null : ProtoMapping.NameOf(view.Head),
            Address = view.Members.Count > 0 ? ProtoMapping.ToProto(view.Members[0].Address) : null,
        };
        household.Members.AddRange(view.Members.Select(m => ProtoMapping.ToProto(m)));
        var shown = view.Members.ToList();
        if (request.IncludeRemoved && view.Removed.Count > 0)
        {
            // 除票 of the household are shown under the same 抑止 rules as everyone else.
            var blocked = await gate.BlockedAsync(caller, view.Removed.Select(r => new ProtectionTarget(r.ResidentNumber, number)).ToList(), SuppressedProcesses.Inquiry, ct);
            household.RemovedMembers.AddRange(view.Removed.Select(r => blocked.Contains(r.ResidentNumber) ? Redacted(r) : ProtoMapping.ToProto(r)));
            shown.AddRange(view.Removed.Where(r => !blocked.Contains(r.ResidentNumber)));
        }
        return record.Answer(household, new Touched(shown.Select(m => m.ResidentNumber).ToList()));
    }

    public override async Task<ListResidentIdouResponse> ListResidentIdou(ListResidentIdouRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var number = ProtoMapping.OwnId(request.Name, "residents", caller.TenantCode, "name", "住民");
        var history = await queries.ListIdouAsync(number, ct) ?? throw DomainException.NotFound("住民", "name");
        var current = await queries.GetAsync(number, null, null, ct);
        await gate.EnforceAsync(caller, [new ProtectionTarget(number, current?.HouseholdNumber ?? "")], SuppressedProcesses.Inquiry, request.AcknowledgedAlerts, "name", ct);
        var response = new ListResidentIdouResponse();
        var city = tenants.Get(caller.TenantCode);
        response.Idou.AddRange(history.Select(h =>
        {
            var basis = h.Idou.Basis.Length > 0 ? h.Idou.Basis : IdouBasis.Of(h.Idou.Reason, "");
            var record = new IdouRecord
            {
                Name = TenantResourceNames.Idou(caller.TenantCode, h.Idou.Id),
                Category = h.Idou.Category,
                Reason = h.Idou.Reason,
                ReasonCode = IdouReason.Find(h.Idou.Category, h.Idou.Reason)?.Code ?? "",
                OccurredOn = ProtoMapping.ToProto(h.Idou.OccurredOn),
                NotifiedOn = ProtoMapping.ToProto(h.Idou.NotifiedOn),
                RecordedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(h.Idou.RecordedAt, DateTimeKind.Utc)),
                Notifier = h.Idou.NotifierName,
                Staff = h.Idou.StaffId,
                Terminal = h.Idou.TerminalId,
                HistoryNumber = h.HistoryNumber,
                Note = h.Idou.Note,
                Basis = basis,
                NotifiedOnLabel = IdouBasis.DateLabel(basis),
                Place = city.FindTerminal(h.Idou.TerminalId)?.Office.Name ?? "",
            };
            record.Changes.AddRange(h.Changes.Select(c => new ItemChange { Item = c.Item, Before = c.Before ?? "", After = c.After ?? "" }));
            record.AcknowledgedAlerts.AddRange(h.Idou.AcknowledgedAlerts.Split(',', StringSplitOptions.RemoveEmptyEntries));
            return record;
        }));
        return record.Answer(response, new Touched([number]));
    }
}
