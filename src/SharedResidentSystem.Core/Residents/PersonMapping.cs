using System.Security.Cryptography;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Residents;

/// <summary>Copies values into stored versions, keeping the search keys in step.</summary>
public static class PersonMapping
{
    public static void SetName(PersonVersion person, PersonNameValue name)
    {
        person.FamilyName = name.Family.Trim();
        person.GivenName = name.Given.Trim();
        person.FamilyKana = name.FamilyKana.Trim();
        person.GivenKana = name.GivenKana.Trim();
        person.KanaConfirmed = name.KanaConfirmed;
        person.SearchKana = KanaFolding.FoldKana(person.FamilyKana + person.GivenKana);
        person.SearchName = KanaFolding.FoldName(person.FamilyName + person.GivenName);
    }

    public static void SetBirth(PersonVersion person, PartialDateValue date)
    {
        person.BirthYear = date.Year;
        person.BirthMonth = date.Month;
        person.BirthDay = date.Day;
    }

    public static string NewETag() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    /// <summary>A full copy of <paramref name="current"/> as the next 履歴番号.</summary>
    public static PersonVersion CopyForNewVersion(PersonVersion current, long idouId, DateOnly validFrom, DateTime recordedAt) => new()
    {
        TenantCode = current.TenantCode,
        ResidentNumber = current.ResidentNumber,
        HistoryNumber = current.HistoryNumber + 1,
        IdouId = idouId,
        ValidFrom = validFrom,
        RecordedAt = recordedAt,
        FamilyName = current.FamilyName,
        GivenName = current.GivenName,
        FamilyKana = current.FamilyKana,
        GivenKana = current.GivenKana,
        KanaConfirmed = current.KanaConfirmed,
        BirthYear = current.BirthYear,
        BirthMonth = current.BirthMonth,
        BirthDay = current.BirthDay,
        Sex = current.Sex,
        HouseholdNumber = current.HouseholdNumber,
        Relationship = current.Relationship,
        Address = Copy(current.Address),
        PreviousAddress = Copy(current.PreviousAddress),
        BecameResidentOn = current.BecameResidentOn,
        AddressSetOn = current.AddressSetOn,
        NotifiedOn = current.NotifiedOn,
        State = current.State,
        SearchKana = current.SearchKana,
        SearchName = current.SearchName,
        ETag = NewETag(),
    };

    private static StoredAddress Copy(StoredAddress a) => new()
    {
        Prefecture = a.Prefecture,
        City = a.City,
        Town = a.Town,
        Chome = a.Chome,
        Banchi = a.Banchi,
        Katagaki = a.Katagaki,
        PostalCode = a.PostalCode,
        LocalGovernmentCode = a.LocalGovernmentCode,
        FreeText = a.FreeText,
        Country = a.Country,
    };
}
