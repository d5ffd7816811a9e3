using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>
    /// 職権消除 (4.2.2): 失踪 and other removals by the city's own act, 帰化等 (foreign residents)
    /// and 国籍喪失 (Japanese residents). The records become 除票; 4.0.4 applies to their households.
    /// </summary>
    public async Task<IdouResult> OfficialRemovalAsync(Caller caller, string requestId, OfficialRemovalCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var header = command.Header;
        var v = new Violations();
        CheckHeader(v, header, work.Today, notifierRequired: false);
        RequireDistinct(v, "residents", command.Residents);
        if (!IdouReasons.All[IdouReasons.Removal].Contains(command.Reason) || !command.Reason.StartsWith(IdouReasons.OfficialRemoval, StringComparison.Ordinal))
        {
            v.Add("reason", "職権消除の種類を選んでください。");
        }
        v.Required("note", command.Note, "職権記録書の記載事項");
        v.ThrowIfAny();

        var removed = await ResidentsAsync(work, command.Residents, "residents", cancellationToken);
        Chronology.Check(removed, header.Date!.Value, header.DateField, IdouReasons.OfficialRemoval);
        for (var i = 0; i < removed.Count; i++)
        {
            if (command.Reason == IdouReasons.OfficialRemovalNaturalization && removed[i].Kind != ResidentKind.Foreign)
            {
                throw RecordRule($"residents[{i}]", "帰化等による職権消除は外国人住民の消除です。");
            }
            if (command.Reason == IdouReasons.OfficialRemovalLossOfNationality && removed[i].Kind != ResidentKind.Japanese)
            {
                throw RecordRule($"residents[{i}]", "国籍喪失による職権消除は日本人住民の消除です。");
            }
        }
        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        await work.ApplyHeadRuleAsync(removed, alerts, "residents", cancellationToken);
        alerts.ThrowIfUnacknowledged();
        foreach (var person in removed)
        {
            work.Remove(person, command.Reason, header.Date);
        }
        return await work.RecordAsync(command.Reason, header, header.Date!.Value, header.Date.Value, alerts, IdouReasons.WithCause(command.Cause, command.Note), removed[0].HouseholdNumber, cancellationToken);
    }

    /// <summary>
    /// 異動の取消し (4.6.0.1): a new 異動 on top of the history that returns each resident to the
    /// version before the one cancelled — 取消（増） for a 消除, 取消（減） for a 記載 (the record
    /// becomes a 除票), 取消（修正） otherwise. A resident changed again since must have that later
    /// 異動 cancelled first. A resident returned to an address their former household has left
    /// forms a new household there.
    /// </summary>
    public async Task<IdouResult> CancelAsync(Caller caller, string requestId, CancellationCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var header = command.Header;
        var v = new Violations();
        ResidentRules.CheckNotFuture(v, "notification_date", header.NotificationDate, header.Basis.Length > 0 ? IdouBasis.DateLabel(header.Basis) : "届出日", work.Today);
        CheckBasis(v, header.Basis);
        v.Required("note", command.Note, "取消しの理由");
        v.ThrowIfAny();

        var cancelled = await db.Idous.SingleOrDefaultAsync(i => i.Id == command.IdouId, cancellationToken) ?? throw DomainException.NotFound("異動", "idou");
        if (cancelled.State != IdouState.Final || cancelled.Reason is IdouReasons.CancellationIncrease or IdouReasons.CancellationDecrease or IdouReasons.CancellationAmendment)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.IdouNotCancellable,
                cancelled.State == IdouState.Cancelled ? "この異動は取り消されています。" : "取消しの異動は取り消せません (元の異動をもう一度記録してください)。",
                [new FieldViolation("idou", "取り消せない異動です。")]);
        }
        var versions = await db.PersonVersions.AsNoTracking().Where(p => p.IdouId == cancelled.Id).ToListAsync(cancellationToken);
        var chosen = command.Residents.Count == 0 ? versions : versions.Where(p => command.Residents.Any(r => r.ResidentNumber == p.ResidentNumber)).ToList();
        var strangers = command.Residents.Where(r => versions.All(p => p.ResidentNumber != r.ResidentNumber)).ToList();
        if (strangers.Count > 0 || chosen.Count == 0)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "residents", "取り消す異動の対象者から選んでください。");
        }
        var reason = cancelled.Category switch
        {
            IdouReasons.Entry => IdouReasons.CancellationDecrease,
            IdouReasons.Removal => IdouReasons.CancellationIncrease,
            _ => IdouReasons.CancellationAmendment,
        };
        var restoredHouseholds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var version in chosen)
        {
            var current = await work.ResidentAsync(new ResidentRefValue(version.ResidentNumber, Reference(command, version.ResidentNumber)), "residents", cancellationToken, mustBeActive: false);
            if (current.HistoryNumber != version.HistoryNumber)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.IdouNotCancellable,
                    $"{current.FamilyName} {current.GivenName} さんにはこの後の異動があります。後の異動から取り消してください。",
                    [new FieldViolation("residents", "後の異動があります。")]);
            }
            var next = work.Next(current);
            var before = version.HistoryNumber > 1
                ? await db.PersonVersions.AsNoTracking().SingleAsync(p => p.ResidentNumber == version.ResidentNumber && p.HistoryNumber == version.HistoryNumber - 1, cancellationToken)
                : null;
            if (before is null)
            {
                next.State = ResidentState.Removed;
                next.RemovalReason = reason;
                next.RemovalOn = cancelled.OccurredOn;
                continue;
            }
            Restore(next, before);
            if (next.HouseholdNumber != current.HouseholdNumber)
            {
                next.HouseholdNumber = await ReturnToHouseholdAsync(work, before, restoredHouseholds, cancellationToken);
            }
        }
        await CheckHeadsAsync(work, cancellationToken);
        cancelled.State = chosen.Count == versions.Count ? IdouState.Cancelled : IdouState.Final;
        var header2 = header with { Date = cancelled.OccurredOn };
        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        return await work.RecordAsync(reason, header2, cancelled.OccurredOn, chosen.Min(c => c.ValidFrom), alerts, command.Note.Trim(),
            work.Written.First().HouseholdNumber, cancellationToken, cancels: cancelled.Id);
    }

    private static string Reference(CancellationCommand command, string residentNumber) =>
        command.Residents.FirstOrDefault(r => r.ResidentNumber == residentNumber)?.ETag ?? "";

    /// <summary>Every item of the version before, on the new version (numbers and keys stay).</summary>
    private static void Restore(PersonVersion next, PersonVersion before)
    {
        var restored = PersonMapping.NextVersion(before);
        foreach (var property in typeof(PersonVersion).GetProperties().Where(p => p.CanWrite))
        {
            if (property.Name is nameof(PersonVersion.HistoryNumber) or nameof(PersonVersion.ETag) or nameof(PersonVersion.TenantCode) or nameof(PersonVersion.ResidentNumber))
            {
                continue;
            }
            property.SetValue(next, property.GetValue(restored));
        }
    }

    /// <summary>Back to the former household when it still lives at the former address; else a new household there (4.6.0.1).</summary>
    private async Task<string> ReturnToHouseholdAsync(RegisterWork work, PersonVersion before, Dictionary<string, string> restored, CancellationToken cancellationToken)
    {
        if (restored.TryGetValue(before.HouseholdNumber, out var already))
        {
            return already;
        }
        var members = (await work.HouseholdAsync(before.HouseholdNumber, cancellationToken, "residents"))
            .Where(m => work.Written.All(w => w.ResidentNumber != m.ResidentNumber))
            .ToList();
        var household = members.Count == 0 || members.Any(m => PersonMapping.SamePlace(m.Address, before.Address))
            ? before.HouseholdNumber
            : await numbers.NextCheckedAsync(work.Caller.TenantCode, NumberKinds.Household, cancellationToken);
        restored[before.HouseholdNumber] = household;
        return household;
    }

    private static async Task CheckHeadsAsync(RegisterWork work, CancellationToken cancellationToken)
    {
        foreach (var group in work.Written.Where(p => p.State == ResidentState.Active && p.Relationship == Relationships.Head).GroupBy(p => p.HouseholdNumber).ToList())
        {
            var others = (await work.HouseholdAsync(group.Key, cancellationToken, "residents"))
                .Count(m => m.Relationship == Relationships.Head && work.Written.All(w => w.ResidentNumber != m.ResidentNumber));
            if (group.Count() + others > 1)
            {
                throw HouseholdRule("residents", "取消しの結果、一つの世帯に世帯主が二人になります。先に世帯主変更をしてください。");
            }
        }
    }
}

/// <summary>職権消除 of some residents.</summary>
public sealed record OfficialRemovalCommand(string Reason, IdouHeader Header, IReadOnlyList<ResidentRefValue> Residents, string Note)
{
    /// <summary>帰化 or 国籍取得 for 帰化等 (4.5.3, 4.5.4): the 職権記録書 begins with it.</summary>
    public string Cause { get; init; } = "";
}

/// <summary>異動の取消し of one 異動 (all its residents, or some).</summary>
public sealed record CancellationCommand(IdouHeader Header, long IdouId, IReadOnlyList<ResidentRefValue> Residents, string Note);
