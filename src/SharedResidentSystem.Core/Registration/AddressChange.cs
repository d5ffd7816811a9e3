using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>
    /// 転居 (4.1.2): residents move within the city. A whole household keeps its number and
    /// 続柄; some members of a household form a new household or join one at the new address.
    /// The same 番地 with another 方書 is a 転居 too (4.1.2.1).
    /// </summary>
    public async Task<IdouResult> AddressChangeAsync(Caller caller, string requestId, AddressChangeCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var header = command.Header;
        var v = new Violations();
        CheckHeader(v, header, work.Today);
        RequireDistinct(v, "residents", command.Residents);
        AddressRules.CheckInCity(v, "address", command.Address, work.Tenant);
        v.ThrowIfAny();

        var movers = await ResidentsAsync(work, command.Residents, "residents", cancellationToken);
        Chronology.Check(movers, header.Date!.Value, header.DateField, "転居");
        var address = AddressRules.ToStored(command.Address, work.Tenant);
        var same = movers.Where(m => PersonMapping.SamePlace(m.Address, address)).ToList();
        if (same.Count > 0)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.AddressMismatch, "新しい住所が今の住所と同じです (方書も同じです)。",
                [new FieldViolation("address", $"{same[0].FamilyName} {same[0].GivenName} さんの今の住所と同じです。")]);
        }
        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        var leaving = movers.Select(m => m.ResidentNumber).ToHashSet();
        var households = new Dictionary<string, List<PersonVersion>>();
        foreach (var number in movers.Select(m => m.HouseholdNumber).Distinct())
        {
            households[number] = await work.HouseholdAsync(number, cancellationToken, "residents");
        }
        var wholeHouseholds = households.Values.All(members => members.All(m => leaving.Contains(m.ResidentNumber)));
        string target;
        if (command.Placement is null)
        {
            if (!wholeHouseholds)
            {
                throw HouseholdRule("placement", "世帯の一部の人が転居するときは、転居先の世帯 (新しい世帯か既存の世帯) と続柄を指定してください。");
            }
            target = movers[0].HouseholdNumber;
        }
        else
        {
            var placement = command.Placement;
            var vp = new Violations();
            List<PersonVersion> targetMembers = [];
            if (!string.IsNullOrEmpty(placement.HouseholdNumber))
            {
                targetMembers = await work.HouseholdAsync(placement.HouseholdNumber, cancellationToken, "placement.household");
                if (targetMembers.Count == 0)
                {
                    throw DomainException.NotFound("転居先の世帯", "placement.household");
                }
                if (!PersonMapping.SamePlace(targetMembers[0].Address, address))
                {
                    throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.AddressMismatch, "転居先の世帯と住所 (方書を含む) が違います。",
                        [new FieldViolation("address", $"世帯の住所は {PersonMapping.Describe(targetMembers[0].Address)} です。")]);
                }
                target = placement.HouseholdNumber;
            }
            else
            {
                target = await numbers.NextCheckedAsync(caller.TenantCode, NumberKinds.Household, cancellationToken);
            }
            CheckPlacementRelationships(vp, "placement", movers, placement.Relationships, targetMembers, alerts, targetMembers.Count == 0);
            vp.ThrowIfAny();
            foreach (var members in households.Values)
            {
                work.ApplyHeadRule(members, leaving, alerts, "residents");
            }
        }
        AlertIfLate(alerts, header, header.Date, "転居");
        alerts.ThrowIfUnacknowledged();

        foreach (var mover in movers)
        {
            var next = work.Next(mover);
            next.Address = PersonMapping.Copy(address);
            next.AddressSetOn = header.Date;
            next.NotifiedOn = header.NotificationDate;
            if (command.Placement is not null)
            {
                Apply(next, command.Placement.Relationships, target);
            }
        }
        return await work.RecordAsync(IdouReasons.AddressChange, header, header.Date!.Value, header.Date.Value, alerts, "", target, cancellationToken);
    }
}

/// <summary>転居 within the city.</summary>
public sealed record AddressChangeCommand(IdouHeader Header, IReadOnlyList<ResidentRefValue> Residents, AddressValue Address, PlacementValue? Placement);
