using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

/// <summary>Dates of a 異動 against the record of the residents it touches.</summary>
public static class Chronology
{
    /// <summary>
    /// A 異動 dated <paramref name="date"/> for residents already on the record must not contradict
    /// it: not before their birth, not before they became residents, and not before their last
    /// 異動 (each version holds from its 異動日; an earlier one would rewrite history silently).
    /// Corrections and cancellations, which restate the past on purpose, do not call this.
    /// </summary>
    public static void Check(IEnumerable<PersonVersion> persons, DateOnly date, string field, string what)
    {
        var v = new List<FieldViolation>();
        foreach (var person in persons)
        {
            var name = $"{person.FamilyName} {person.GivenName}";
            var born = new PartialDateValue(person.BirthYear, person.BirthMonth, person.BirthDay).Earliest;
            if (born is { } b && date < b)
            {
                v.Add(new FieldViolation(field, $"{what}の日 {date:yyyy-MM-dd} は {name} さんの生年月日 ({b:yyyy-MM-dd}) より前です。"));
            }
            else if (person.BecameResidentOn is { } became && date < became && person.State == ResidentState.Active)
            {
                v.Add(new FieldViolation(field, $"{what}の日 {date:yyyy-MM-dd} は {name} さんが住民となった日 ({became:yyyy-MM-dd}) より前です。"));
            }
            else if (date < person.ValidFrom)
            {
                v.Add(new FieldViolation(field, $"{what}の日 {date:yyyy-MM-dd} は {name} さんの直前の異動 ({person.ValidFrom:yyyy-MM-dd}) より前です。"));
            }
        }
        if (v.Count > 0)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.DateBeforeRecord, v[0].Description, v);
        }
    }
}
