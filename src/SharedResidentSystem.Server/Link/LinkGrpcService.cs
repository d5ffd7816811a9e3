using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.Link.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Link;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Link;

/// <summary>
/// The city's other systems (7.2): their subscription (7.2.3, 3.2, 7.2.4) — 全件 by pages of
/// residents, then the city's change feed (<see cref="LinkFeed"/>) in its order, each page's
/// entry in the access log before the page leaves, only the system's items in it — and their
/// reports of their own state of a resident (他業務照会 7.2.2).
/// </summary>
public sealed class LinkGrpcService(CallerContext callers, TenantDirectory tenants, SrsDbContext db, AuditedCalls audited, LinkSignal signal, TimeProvider time,
    RegisterService register, CallRecord record)
    : LinkService.LinkServiceBase
{
    private const int PageSize = 200;
    private const string Function = "/srs.link.v1.LinkService/Subscribe";

    /// <summary>How long a リアルタイム subscription waits before it looks again without a signal (a change made by another server process).</summary>
    private static readonly TimeSpan Look = TimeSpan.FromSeconds(1);

    public override async Task<ReportServiceStatusResponse> ReportServiceStatus(ReportServiceStatusRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var system = SystemOf(tenants.Get(caller.TenantCode), caller);
        var service = request.Service switch
        {
            LinkedService.ElectoralRoll => ServiceReports.ElectoralRoll,
            LinkedService.NationalHealthInsurance => ServiceReports.NationalHealthInsurance,
            LinkedService.LateElderlyMedical => ServiceReports.LateElderlyMedical,
            LinkedService.LongTermCare => ServiceReports.LongTermCare,
            LinkedService.NationalPension => ServiceReports.NationalPension,
            LinkedService.ChildAllowance => ServiceReports.ChildAllowance,
            LinkedService.Card => ServiceReports.Card,
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "service", "業務 (service) を指定してください。"),
        };
        if (!system.Reports.Contains(service))
        {
            throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.FunctionNotPermitted,
                $"{system.Name} は{ServiceReports.Names[service]}の情報を通知できません (団体の設定 linkedSystems の reports)。", [new FieldViolation("service", "通知できない業務です。")]);
        }
        var number = ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
        var reported = ProtoMapping.ToDomain(request.Status ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "status", "業務の状態 (status) を指定してください。"), "status");
        var current = await db.PersonVersions.AsNoTracking().Where(p => p.ResidentNumber == number).OrderByDescending(p => p.HistoryNumber).FirstOrDefaultAsync(ct)
            ?? throw DomainException.NotFound("住民", "resident");
        var values = new CorrectionValues(null, null, null, null, null, ServiceReports.Merge(ServiceReports.Of(current), reported, service));
        var result = await register.AmendAsync(caller, request.RequestId, new AmendmentCommand(IdouReasons.OfficialCorrection, number, current.ETag, values,
            ProtoMapping.ToDomain(request.EffectiveOn, "effective_on") ?? JapanTime.Today(time), null, $"{system.Name}からの{ServiceReports.Names[service]}の通知 (他業務照会 7.2.2)", []), ct);
        return record.Answer(new ReportServiceStatusResponse { Idou = TenantResourceNames.Idou(caller.TenantCode, result.IdouId), Resident = TenantResourceNames.Resident(caller.TenantCode, number) },
            Touched.Of(result));
    }

    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<LinkEvent> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var position = LinkPosition.Parse(request.ResumeToken, caller.TenantCode, caller.StaffId)
            ?? new LinkPosition(caller.TenantCode, caller.StaffId, await LastRowAsync(ct), Snapshot: true, LastResident: "");
        if (position.Snapshot)
        {
            position = await SendSnapshotAsync(position, responseStream, ct);
        }
        while (!ct.IsCancellationRequested)
        {
            // The system as configured now: a change of its items or delivery applies from the next page.
            var tenant = tenants.Get(caller.TenantCode);
            var system = SystemOf(tenant, caller);
            var turn = signal.Next(caller.TenantCode);
            var rows = await db.Outbox.AsNoTracking().Where(m => m.Topic == LinkFeed.Topic && m.Id > position.After)
                .OrderBy(m => m.Id).Take(PageSize).ToListAsync(ct);
            if (rows.Count > 0)
            {
                var now = time.GetUtcNow().UtcDateTime;
                foreach (var row in rows)
                {
                    Core.Telemetry.SrsTelemetry.OutboxLag.Record(Math.Max(0, (now - row.CreatedAt).TotalSeconds),
                        new KeyValuePair<string, object?>("srs.city", caller.TenantCode), new KeyValuePair<string, object?>("srs.outbox.topic", row.Topic));
                }
                var events = await ChangesAsync(tenant, system, position, rows, ct);
                position = position with { After = rows[^1].Id };
                await SendAsync(system, events, $"変更 {rows[0].Id}–{rows[^1].Id}", responseStream, ct);
                if (rows.Count == PageSize)
                {
                    continue;
                }
            }
            if (system.IntervalMinutes > 0)
            {
                // 準リアルタイム: what gathered meanwhile goes together at the next interval.
                await Task.Delay(TimeSpan.FromMinutes(system.IntervalMinutes), time, ct);
            }
            else if (rows.Count == 0)
            {
                // Waiting for the city's next commit is real waiting, not register time (system clock).
                await Task.WhenAny(turn, Task.Delay(Look, TimeProvider.System, ct));
            }
        }
    }

    private static LinkedSystem SystemOf(TenantDefinition tenant, Caller caller) =>
        tenant.LinkedSystems.FirstOrDefault(s => s.Id == caller.StaffId)
        ?? throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.LinkedSystemUnknown, $"連携先システム '{caller.StaffId}' はこの団体の設定 (linkedSystems) にありません。");

    private async Task<long> LastRowAsync(CancellationToken ct) =>
        await db.Outbox.Where(m => m.Topic == LinkFeed.Topic).MaxAsync(m => (long?)m.Id, ct) ?? 0;

    /// <summary>全件: every person's current version by 宛名番号, a page at a time; ends with SNAPSHOT_COMPLETE.</summary>
    private async Task<LinkPosition> SendSnapshotAsync(LinkPosition position, IServerStreamWriter<LinkEvent> stream, CancellationToken ct)
    {
        while (true)
        {
            var tenant = tenants.Get(position.Tenant);
            var system = SystemOf(tenant, callers.Required);
            var last = position.LastResident;
            var page = await db.CurrentVersions.AsNoTracking()
                .Where(p => p.ResidentNumber.CompareTo(last) > 0)
                .OrderBy(p => p.ResidentNumber).Take(PageSize).ToListAsync(ct);
            if (page.Count == 0)
            {
                var complete = position with { Snapshot = false, LastResident = "" };
                await SendAsync(system, [(new LinkEvent { Kind = LinkEventKind.SnapshotComplete, ResumeToken = complete.Token() }, "")], "全件の終わり", stream, ct);
                return complete;
            }
            var flags = await ProtectionAsync(page, ct);
            var allowed = system.Items.ToHashSet(StringComparer.Ordinal);
            var events = page
                .Where(p => system.ReceivesEveryone || (p.Kind == ResidentKind.Japanese && LinkFeed.IsDomicileIn(p.Domicile, tenant.Prefecture, tenant.Name)))
                .Select(p => (Event(allowed, p, flags, LinkEventKind.Snapshot, position with { LastResident = p.ResidentNumber }), p.ResidentNumber)).ToList();
            position = position with { LastResident = page[^1].ResidentNumber };
            await SendAsync(system, events, $"全件 {page[0].ResidentNumber}–{page[^1].ResidentNumber}", stream, ct);
        }
    }

    /// <summary>The events of a page of the feed the system receives, each person as the row's change left them.</summary>
    private async Task<List<(LinkEvent Event, string Resident)>> ChangesAsync(TenantDefinition tenant, LinkedSystem system, LinkPosition position, List<OutboxMessage> rows,
        CancellationToken ct)
    {
        var idouIds = rows.Where(r => r.Category == LinkFeed.Idou).Select(r => r.IdouId).Distinct().ToList();
        var residents = rows.Select(r => r.ResidentNumber).Distinct().ToList();
        var idous = await db.Idous.AsNoTracking().Where(i => idouIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var written = await db.PersonVersions.AsNoTracking().Where(p => idouIds.Contains(p.IdouId) && residents.Contains(p.ResidentNumber)).ToListAsync(ct);
        var latest = await db.CurrentVersions.AsNoTracking()
            .Where(p => residents.Contains(p.ResidentNumber))
            .ToDictionaryAsync(p => p.ResidentNumber, ct);
        var flags = await ProtectionAsync(latest.Values, ct);
        var allowed = system.Items.ToHashSet(StringComparer.Ordinal);
        var events = new List<(LinkEvent, string)>();
        foreach (var row in rows)
        {
            if (row.Category == LinkFeed.Idou)
            {
                var person = written.FirstOrDefault(p => p.IdouId == row.IdouId && p.ResidentNumber == row.ResidentNumber);
                var idou = idous.GetValueOrDefault(row.IdouId);
                if (person is null || idou is null
                    || (system.Kind == LinkedSystemKind.FamilyRegisterAnnex && !LinkFeed.ConcernsFamilyRegisterAnnex(idou.Reason, person, tenant.Prefecture, tenant.Name)))
                {
                    continue;
                }
                var change = Event(allowed, person, flags, LinkEventKind.Idou, position with { After = row.Id });
                change.IdouId = idou.Id;
                change.Reason = idou.Reason;
                change.OccurredOn = idou.OccurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                change.RecordedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(idou.RecordedAt, DateTimeKind.Utc));
                events.Add((change, row.ResidentNumber));
            }
            else if (system.ReceivesEveryone && latest.TryGetValue(row.ResidentNumber, out var now))
            {
                var change = Event(allowed, now, flags, row.Category == LinkFeed.SupportMeasure ? LinkEventKind.SupportMeasure : LinkEventKind.Suppression,
                    position with { After = row.Id });
                change.Reason = row.Reason;
                change.RecordedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc));
                events.Add((change, row.ResidentNumber));
            }
        }
        return events;
    }

    private static LinkEvent Event(IReadOnlySet<string> allowed, PersonVersion person, ProtectionFlags flags, LinkEventKind kind, LinkPosition after)
    {
        var e = new LinkEvent { Kind = kind, ResidentNumber = person.ResidentNumber, ResumeToken = after.Token() };
        foreach (var (name, value) in LinkItems.Values(person, allowed, flags.SupportMeasure(person), flags.Suppressed(person)))
        {
            e.Items.Add(new LinkItem { Name = name, Value = value });
        }
        return e;
    }

    /// <summary>The page's entry in the access log (durable), then its events, each with the token to resume after it.</summary>
    private async Task SendAsync(LinkedSystem system, List<(LinkEvent Event, string Resident)> events, string what, IServerStreamWriter<LinkEvent> stream, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }
        var residents = events.Select(e => e.Resident).Where(r => r.Length > 0).Distinct().ToList();
        var detail = $"{system.Id} ({system.Name}) へ {events.Count} 件: {what}";
        await audited.ReadAsync(Function, _ => Task.FromResult((true, new Touched(residents, system.Items.Contains("個人番号"), detail))), ct);
        foreach (var (e, _) in events)
        {
            await stream.WriteAsync(e, ct);
        }
    }

    /// <summary>Which persons a 抑止 in force reaches (theirs or their household's) and which of those are a 支援措置's.</summary>
    private async Task<ProtectionFlags> ProtectionAsync(IEnumerable<PersonVersion> persons, CancellationToken ct)
    {
        var list = persons.ToList();
        var residents = list.Select(p => p.ResidentNumber).ToList();
        var households = list.Select(p => p.HouseholdNumber).Where(h => h.Length > 0).Distinct().ToList();
        var today = JapanTime.Today(time);
        var inForce = await db.Suppressions.AsNoTracking()
            .Where(s => s.Active && s.StartsOn <= today && (residents.Contains(s.ResidentNumber) || households.Contains(s.HouseholdNumber)))
            .Select(s => new { s.ResidentNumber, s.HouseholdNumber, Measure = s.SupportMeasureId != null }).ToListAsync(ct);
        return new ProtectionFlags(
            inForce.Where(s => s.ResidentNumber.Length > 0).Select(s => s.ResidentNumber).ToHashSet(StringComparer.Ordinal),
            inForce.Where(s => s.HouseholdNumber.Length > 0).Select(s => s.HouseholdNumber).ToHashSet(StringComparer.Ordinal),
            inForce.Where(s => s.Measure).Select(s => s.ResidentNumber).ToHashSet(StringComparer.Ordinal));
    }

    private sealed record ProtectionFlags(HashSet<string> Residents, HashSet<string> Households, HashSet<string> Measures)
    {
        public bool Suppressed(PersonVersion p) => Residents.Contains(p.ResidentNumber) || (p.HouseholdNumber.Length > 0 && Households.Contains(p.HouseholdNumber));

        public bool SupportMeasure(PersonVersion p) => Measures.Contains(p.ResidentNumber);
    }
}

/// <summary>
/// Where a system stands in its subscription: in the 全件 (taken as of feed row <c>After</c>,
/// up to <c>LastResident</c>) or in the changes (after feed row <c>After</c>). Its token names the
/// city and the system, so that no other subscription can use it.
/// </summary>
internal sealed record LinkPosition(string Tenant, string System, long After, bool Snapshot, string LastResident)
{
    private const string Version = "l1";

    public string Token()
    {
        var text = string.Join('|', Version, Tenant, System, After.ToString(CultureInfo.InvariantCulture), Snapshot ? "s" : "c", LastResident);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The position of a token; null for none; refused when it is not this city's and this system's.</summary>
    public static LinkPosition? Parse(string token, string tenant, string system)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        string[] parts;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='))).Split('|');
        }
        catch (FormatException)
        {
            throw Refused();
        }
        if (parts.Length != 6 || parts[0] != Version || parts[1] != tenant || parts[2] != system
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var after) || parts[4] is not ("s" or "c"))
        {
            throw Refused();
        }
        return new LinkPosition(tenant, system, after, parts[4] == "s", parts[5]);
    }

    private static DomainException Refused() =>
        DomainException.Invalid(ErrorReasons.InvalidResumeToken, "resume_token", "resume_token がこの連携先システムのものではないか、壊れています。全件から受け取り直すときは空にしてください。");
}
