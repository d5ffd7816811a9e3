using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>Days ahead beyond which a planned 転出 date needs a second look.</summary>
    public const int PlannedMoveOutDays = 30;

    /// <summary>
    /// 転出 (4.1.3): the residents become 除票 when the 届出 is recorded, with the planned date
    /// (which may be after today, 4.0.3) as the date of the 消除事由.
    /// </summary>
    public async Task<IdouResult> MoveOutAsync(Caller caller, string requestId, MoveOutCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var header = command.Header;
        var v = new Violations();
        CheckHeader(v, header, work.Today, futureAllowed: true);
        RequireDistinct(v, "residents", command.Residents);
        AddressRules.CheckPrevious(v, "destination", command.Destination, command.Abroad, "転出先住所");
        v.ThrowIfAny();

        var movers = await ResidentsAsync(work, command.Residents, "residents", cancellationToken);
        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        var planned = header.Date!.Value;
        if (planned.DayNumber - work.Today.DayNumber > PlannedMoveOutDays)
        {
            alerts.Raise(AlertCodes.PlannedFarAhead, "planned_date", $"転出予定日が{PlannedMoveOutDays}日より先です。");
        }
        var leaving = movers.Select(m => m.ResidentNumber).ToHashSet();
        foreach (var household in movers.Select(m => m.HouseholdNumber).Distinct())
        {
            work.ApplyHeadRule(await work.HouseholdAsync(household, cancellationToken, "residents"), leaving, alerts, "residents");
        }
        alerts.ThrowIfUnacknowledged();

        var reason = command.Abroad ? IdouReasons.MoveOutAbroad : IdouReasons.DomesticMoveOut;
        foreach (var mover in movers)
        {
            var next = work.Next(mover);
            next.State = ResidentState.Removed;
            next.RemovalReason = reason;
            next.RemovalOn = planned;
            next.Destination = AddressRules.ToStored(command.Destination);
        }
        var validFrom = planned < work.Today ? planned : work.Today;
        return await work.RecordAsync(reason, header, planned, validFrom, alerts, "", movers[0].HouseholdNumber, cancellationToken);
    }
}
