using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>
    /// 9.7 住所一括変更: one 軽微な修正 (4.2.3.2: 住居表示の実施, 区画整理, 町名・地番の変更) of the
    /// 住所 of a household's members (each keeps its 方書 and its 住所を定めた年月日), or of one
    /// person's 本籍 (the 筆頭者 stays), against the versions its 仮処理 saw (etags). Recorded by
    /// the job's 本処理 with <see cref="IdouEntry.Batch"/>: the rules of any other 異動 hold (the
    /// date not before a later 異動, 抑止), and a refusal leaves that household out of the job.
    /// </summary>
    public async Task<IdouResult> BulkCorrectionAsync(Caller caller, string requestId, BulkCorrectionCommand command, CancellationToken cancellationToken)
    {
        // A 職権 correction names no 届出人; a recorded 加害者 among the residents is no reason to hold it.
        IReadOnlyList<string> acknowledged = [AlertCodes.PerpetratorNamed];
        var work = Begin(caller, requestId, acknowledged);
        if (command.Address is null == command.Domicile is null)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "target", "住所か本籍のどちらかを修正します。");
        }
        var v = new Violations();
        ResidentRules.CheckNotFuture(v, "effective_date", command.Date, "異動日", work.Today);
        RequireDistinct(v, "residents", command.Residents);
        if (command.Address is { } address)
        {
            AddressRules.CheckInCity(v, "address", address, work.Tenant);
        }
        if (command.Domicile is { } domicile)
        {
            v.Required("domicile", domicile, "本籍");
        }
        v.Required("note", command.Note, "修正の理由");
        v.ThrowIfAny();

        var persons = await ResidentsAsync(work, command.Residents, "residents", cancellationToken);
        Chronology.Check(persons, command.Date, "effective_date", "住所一括変更");
        foreach (var person in persons)
        {
            var next = work.Next(person);
            if (command.Address is { } newAddress)
            {
                next.Address = AddressRules.ToStored(newAddress with { Katagaki = person.Address.Katagaki }, work.Tenant);
            }
            else if (person.Kind != ResidentKind.Japanese)
            {
                throw RecordRule("residents", $"{person.FamilyName} {person.GivenName} さんは外国人住民のため本籍がありません。");
            }
            else
            {
                PersonMapping.SetDomicile(next, new DomicileValue(command.Domicile!, person.DomicileHead));
            }
        }
        var header = new IdouHeader("effective_date", command.Date, null, new NotifierValue("", "職権"), acknowledged);
        return await work.RecordAsync(IdouReasons.MinorCorrection, header, command.Date, command.Date, new AlertCollector(acknowledged), command.Note.Trim(),
            persons[0].HouseholdNumber, cancellationToken);
    }
}

/// <summary>9.7: the new 住所 (町字, 丁目, 番地) of the residents, or their new 本籍, from a date.</summary>
public sealed record BulkCorrectionCommand(IReadOnlyList<ResidentRefValue> Residents, AddressValue? Address, string? Domicile, DateOnly Date, string Note);
