using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>出生 (4.2.1.2): the child enters a household of the city; the birth date is the 異動日.</summary>
    public async Task<IdouResult> BirthAsync(Caller caller, string requestId, BirthCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var v = new Violations();
        CheckEntry(v, "child", command.Child, work.Today);
        if (command.Child.BirthDate is { } b && !b.IsComplete)
        {
            v.Add("child.birth_date", "出生の異動日になるため、生年月日は年月日すべてを入力してください。");
        }
        var birthDate = command.Child.BirthDate?.AsDate;
        var header = command.Header with { Date = birthDate };
        ResidentRules.CheckNotFuture(v, "notification_date", header.NotificationDate, "届出日", work.Today);
        v.Required("notifier.name", header.Notifier.Name, "届出人氏名");
        if (birthDate is { } born && header.NotificationDate is { } notified && notified < born)
        {
            v.Add("notification_date", "届出日が生年月日より前です。");
        }
        if (Relationships.Normalize(command.Child.Relationship ?? "") == Relationships.Head)
        {
            v.Add("child.relationship", "出生した子を世帯主にはできません。");
        }
        v.ThrowIfAny();

        var members = await work.HouseholdAsync(command.HouseholdNumber, cancellationToken);
        if (members.Count == 0)
        {
            throw DomainException.NotFound("世帯", "household");
        }
        await CheckIndividualNumbersFreeAsync([("child.individual_number", command.Child.IndividualNumber.Trim())], cancellationToken);
        await CheckResidentCodesFreeAsync([("child.resident_code", command.Child.ResidentCode.Trim())], cancellationToken);
        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        AlertIfLate(alerts, header, birthDate, "出生");
        alerts.ThrowIfUnacknowledged();

        var child = PersonMapping.FromEntry(command.Child, caller.TenantCode, await numbers.NextCheckedAsync(caller.TenantCode, NumberKinds.Resident, cancellationToken));
        child.HouseholdNumber = command.HouseholdNumber;
        child.Address = PersonMapping.Copy(members[0].Address);
        child.BecameResidentOn = birthDate;
        child.AddressSetOn = birthDate;
        child.NotifiedOn = header.NotificationDate;
        if (child.ResidentCode.Length == 0)
        {
            child.ResidentCode = await residentCodes.AssignAsync(child.ResidentNumber, cancellationToken) ?? "";
        }
        work.Add(child);
        return await work.RecordAsync(IdouReasons.Birth, header, birthDate!.Value, birthDate.Value, alerts, "", command.HouseholdNumber, cancellationToken);
    }

    /// <summary>死亡 (4.2.2.1): the record becomes a 除票 and stays searchable; 4.0.4 applies to the household.</summary>
    public async Task<IdouResult> DeathAsync(Caller caller, string requestId, DeathCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var header = command.Header;
        var v = new Violations();
        CheckHeader(v, header, work.Today);
        v.ThrowIfAny();

        var deceased = await work.ResidentAsync(command.Resident, "resident", cancellationToken);
        Chronology.Check([deceased], header.Date!.Value, header.DateField, "死亡");
        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        await work.ApplyHeadRuleAsync([deceased], alerts, "resident", cancellationToken);
        alerts.ThrowIfUnacknowledged();

        work.Remove(deceased, IdouReasons.Death, header.Date);
        work.Next(deceased).NotifiedOn = header.NotificationDate ?? work.Next(deceased).NotifiedOn;
        return await work.RecordAsync(IdouReasons.Death, header, header.Date!.Value, header.Date.Value, alerts, "", deceased.HouseholdNumber, cancellationToken);
    }
}

/// <summary>出生 into a household of the city.</summary>
public sealed record BirthCommand(IdouHeader Header, PersonEntryValue Child, string HouseholdNumber);

/// <summary>死亡</summary>
public sealed record DeathCommand(IdouHeader Header, ResidentRefValue Resident);
