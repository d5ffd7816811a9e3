using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>
    /// 世帯分離 / 世帯合併 / 世帯変更 (4.1.4.1) at one address: no address changes with them
    /// (the 方書 included); the movers' 続柄 are set for the household they enter.
    /// </summary>
    public async Task<IdouResult> HouseholdChangeAsync(Caller caller, string requestId, HouseholdChangeCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var header = command.Header;
        var v = new Violations();
        CheckHeader(v, header, work.Today);
        RequireDistinct(v, "residents", command.Residents);
        if (command.Kind == HouseholdChangeKind.Unspecified)
        {
            v.Add("kind", "世帯分離・世帯合併・世帯変更のいずれかを選んでください。");
        }
        var joining = !string.IsNullOrEmpty(command.Placement.HouseholdNumber);
        if (command.Kind == HouseholdChangeKind.Split && joining)
        {
            v.Add("placement.household", "世帯分離では新しい世帯を作ります。世帯を指定しないでください。");
        }
        if (command.Kind is HouseholdChangeKind.Merge or HouseholdChangeKind.Change && !joining)
        {
            v.Add("placement.household", "入る世帯を指定してください。");
        }
        v.ThrowIfAny();

        var movers = await ResidentsAsync(work, command.Residents, "residents", cancellationToken);
        Chronology.Check(movers, header.Date!.Value, header.DateField, "世帯の異動");
        var from = movers[0].HouseholdNumber;
        if (movers.Any(m => m.HouseholdNumber != from))
        {
            throw HouseholdRule("residents", "一度に異動できるのは一つの世帯の人だけです。");
        }
        var source = await work.HouseholdAsync(from, cancellationToken, "residents");
        var leaving = movers.Select(m => m.ResidentNumber).ToHashSet();
        var whole = source.All(m => leaving.Contains(m.ResidentNumber));
        if (command.Kind == HouseholdChangeKind.Merge && !whole)
        {
            throw HouseholdRule("residents", "世帯合併では世帯の全員を指定してください (一部の人は世帯変更です)。");
        }
        if (command.Kind is HouseholdChangeKind.Split or HouseholdChangeKind.Change && whole)
        {
            throw HouseholdRule("residents", command.Kind == HouseholdChangeKind.Split
                ? "世帯の全員を分離することはできません。"
                : "世帯の全員が移るときは世帯合併です。");
        }
        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        List<PersonVersion> targetMembers = [];
        string target;
        if (joining)
        {
            target = command.Placement.HouseholdNumber!;
            if (target == from)
            {
                throw HouseholdRule("placement.household", "同じ世帯です。");
            }
            targetMembers = await work.HouseholdAsync(target, cancellationToken, "placement.household");
            if (targetMembers.Count == 0)
            {
                throw DomainException.NotFound("世帯", "placement.household");
            }
            // The same 番地; the 方書 is not compared and not changed (4.1.4.1: neither a check that
            // it is the same nor a correction made with the change; a 方書修正 is its own 異動).
            if (!PersonMapping.SameLot(targetMembers[0].Address, movers[0].Address))
            {
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.AddressMismatch,
                    "世帯変更等は同じ住所の世帯の間でだけできます。住所が違うときは転居です。",
                    [new FieldViolation("placement.household", $"世帯の住所は {PersonMapping.Describe(targetMembers[0].Address)} です。")]);
            }
        }
        else
        {
            target = await numbers.NextCheckedAsync(caller.TenantCode, NumberKinds.Household, cancellationToken);
        }
        var vp = new Violations();
        CheckPlacementRelationships(vp, "placement", movers, command.Placement.Relationships, targetMembers, alerts, !joining);
        vp.ThrowIfAny();
        if (!whole)
        {
            work.ApplyHeadRule(source, leaving, alerts, "residents");
        }
        alerts.ThrowIfUnacknowledged();

        foreach (var mover in movers)
        {
            Apply(work.Next(mover), command.Placement.Relationships, target);
        }
        var reason = command.Kind switch
        {
            HouseholdChangeKind.Split => IdouReasons.HouseholdSplit,
            HouseholdChangeKind.Merge => IdouReasons.HouseholdMerge,
            _ => IdouReasons.HouseholdChange,
        };
        return await work.RecordAsync(reason, header, header.Date!.Value, header.Date.Value, alerts, "", target, cancellationToken);
    }

    /// <summary>世帯主変更 (4.1.4.1) with every other member's 続柄 set anew (4.1.4.2).</summary>
    public async Task<IdouResult> HeadChangeAsync(Caller caller, string requestId, HeadChangeCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var header = command.Header;
        var v = new Violations();
        CheckHeader(v, header, work.Today);
        v.ThrowIfAny();

        var members = await work.HouseholdAsync(command.HouseholdNumber, cancellationToken);
        if (members.Count == 0)
        {
            throw DomainException.NotFound("世帯", "household");
        }
        var newHead = await work.ResidentAsync(command.NewHead, "new_head", cancellationToken);
        Chronology.Check([newHead], header.Date!.Value, header.DateField, "世帯主変更");
        if (newHead.HouseholdNumber != command.HouseholdNumber)
        {
            throw HouseholdRule("new_head", "新しい世帯主はこの世帯の世帯員から選んでください。");
        }
        if (newHead.Relationship == Relationships.Head)
        {
            throw HouseholdRule("new_head", "この人は既に世帯主です。");
        }
        var vr = new Violations();
        foreach (var member in members.Where(m => m.ResidentNumber != newHead.ResidentNumber))
        {
            if (!command.Relationships.TryGetValue(member.ResidentNumber, out var relationship))
            {
                vr.Add("relationships", $"{member.FamilyName} {member.GivenName} さんの新しい世帯主との続柄を入力してください。");
            }
            else if (Relationships.Check(relationship) is { } problem)
            {
                vr.Add("relationships", problem);
            }
            else if (Relationships.Normalize(relationship) == Relationships.Head)
            {
                vr.Add("relationships", "世帯主は一人です。");
            }
        }
        foreach (var stranger in command.Relationships.Keys.Where(k => members.All(m => m.ResidentNumber != k)))
        {
            vr.Add("relationships", $"宛名番号 {stranger} はこの世帯の世帯員ではありません。");
        }
        vr.ThrowIfAny();
        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        alerts.ThrowIfUnacknowledged();

        foreach (var member in members)
        {
            var next = work.Next(member);
            next.Relationship = member.ResidentNumber == newHead.ResidentNumber
                ? Relationships.Head
                : Relationships.Normalize(command.Relationships[member.ResidentNumber]);
        }
        return await work.RecordAsync(IdouReasons.HeadChange, header, header.Date!.Value, header.Date.Value, alerts, "", command.HouseholdNumber, cancellationToken);
    }
}

/// <summary>世帯分離, 世帯合併, 世帯変更</summary>
public enum HouseholdChangeKind
{
    Unspecified = 0,
    Split = 1,
    Merge = 2,
    Change = 3,
}

/// <summary>世帯分離 / 世帯合併 / 世帯変更 at the same address.</summary>
public sealed record HouseholdChangeCommand(IdouHeader Header, HouseholdChangeKind Kind, IReadOnlyList<ResidentRefValue> Residents, PlacementValue Placement);

/// <summary>世帯主変更 with every other member's 続柄 set anew.</summary>
public sealed record HeadChangeCommand(IdouHeader Header, string HouseholdNumber, ResidentRefValue NewHead, IReadOnlyDictionary<string, string> Relationships);
