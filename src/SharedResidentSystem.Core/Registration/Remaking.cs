using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>
    /// 改製 (1.1.4#2-3) by hand, at any time: the 住民票 of each resident is made anew from a date
    /// (its 改製年月日 kept), its items as they are. Nothing is lost: the versions before stay, and
    /// are printed as the 改製原住民票; a 住民票の写し prints the history from the 改製 on. The
    /// register never makes one by itself (it has no limit of history, 1.1.4#1).
    /// </summary>
    public async Task<IdouResult> RemakeAsync(Caller caller, string requestId, RemakeCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, []);
        var v = new Violations();
        ResidentRules.CheckNotFuture(v, "remade_on", command.Date, "改製年月日", work.Today);
        RequireDistinct(v, "residents", command.Residents);
        if (command.Residents.Count == 0)
        {
            v.Add("residents", "改製する住民を指定してください。");
        }
        v.Required("note", command.Note, "改製の理由");
        v.ThrowIfAny();

        var persons = await ResidentsAsync(work, command.Residents, "residents", cancellationToken);
        var date = command.Date!.Value;
        Chronology.Check(persons, date, "remade_on", "改製");
        foreach (var person in persons)
        {
            work.Next(person).RemadeOn = date;
        }
        var header = new IdouHeader("remade_on", date, null, new NotifierValue("", "職権"), []);
        return await work.RecordAsync(IdouReasons.Remaking, header, date, date, new AlertCollector([]), command.Note.Trim(), persons[0].HouseholdNumber, cancellationToken,
            category: IdouReasons.Entry);
    }
}

/// <summary>改製 of the residents' 住民票 from a date, and why.</summary>
public sealed record RemakeCommand(IReadOnlyList<ResidentRefValue> Residents, DateOnly? Date, string Note);
