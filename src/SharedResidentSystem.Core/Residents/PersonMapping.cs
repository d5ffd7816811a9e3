using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Residents;

/// <summary>Copies values into stored versions, keeping the search keys in step.</summary>
public static class PersonMapping
{
    private static readonly PropertyInfo[] Copied = typeof(PersonVersion).GetProperties()
        .Where(p => p.CanRead && p.CanWrite && p.PropertyType != typeof(StoredAddress))
        .ToArray();

    private static readonly PropertyInfo[] AddressProperties = typeof(StoredAddress).GetProperties()
        .Where(p => p.CanRead && p.CanWrite)
        .ToArray();

    public static void SetName(PersonVersion person, PersonNameValue name)
    {
        person.FamilyName = name.Family.Trim();
        person.GivenName = name.Given.Trim();
        person.FamilyKana = name.FamilyKana.Trim();
        person.GivenKana = name.GivenKana.Trim();
        person.KanaConfirmed = name.KanaConfirmed;
        RefreshSearchKeys(person);
    }

    /// <summary>Recomputes the folded search keys from the names a version holds.</summary>
    public static void RefreshSearchKeys(PersonVersion person)
    {
        person.SearchKana = KanaFolding.FoldKana(person.FamilyKana + person.GivenKana);
        person.SearchGivenKana = KanaFolding.FoldKana(person.GivenKana);
        person.SearchName = KanaFolding.FoldName(person.FamilyName + person.GivenName);
    }

    /// <summary>Every folded name a version is found by: its name, 旧氏, 通称 and alphabet name, read and written.</summary>
    public static IEnumerable<string> SearchKeys(PersonVersion person) => new[]
        {
            person.SearchKana,
            person.SearchName,
            KanaFolding.FoldKana(person.OldSurnameKana.Length > 0 ? person.OldSurnameKana + person.GivenKana : ""),
            KanaFolding.FoldName(person.OldSurname.Length > 0 ? person.OldSurname + person.GivenName : ""),
            KanaFolding.FoldKana(person.CommonNameKana),
            KanaFolding.FoldName(person.CommonName),
            KanaFolding.FoldName(person.AlphabetName).ToUpperInvariant(),
        }
        .Where(k => k.Length > 0)
        .Select(k => k.Length > 200 ? k[..200] : k)
        .Distinct(StringComparer.Ordinal);

    public static void SetBirth(PersonVersion person, PartialDateValue date)
    {
        person.BirthYear = date.Year;
        person.BirthMonth = date.Month;
        person.BirthDay = date.Day;
    }

    public static void SetDomicile(PersonVersion person, DomicileValue domicile)
    {
        person.Domicile = domicile.Address.Trim();
        person.DomicileHead = domicile.HeadName.Trim();
    }

    public static void SetEntitlements(PersonVersion p, EntitlementsValue e)
    {
        p.OnElectoralRoll = e.OnElectoralRoll;
        (p.NationalHealthInsurance, p.NationalHealthInsuranceFrom, p.NationalHealthInsuranceUntil) = (e.NationalHealthInsurance.Covered, e.NationalHealthInsurance.From, e.NationalHealthInsurance.Until);
        (p.LateElderlyMedical, p.LateElderlyMedicalFrom, p.LateElderlyMedicalUntil) = (e.LateElderlyMedical.Covered, e.LateElderlyMedical.From, e.LateElderlyMedical.Until);
        (p.LongTermCare, p.LongTermCareFrom, p.LongTermCareUntil) = (e.LongTermCare.Covered, e.LongTermCare.From, e.LongTermCare.Until);
        p.NationalPension = e.NationalPension.Covered;
        p.BasicPensionNumber = e.NationalPension.Number.Trim();
        p.NationalPensionKind = e.NationalPension.Kind.Trim();
        p.NationalPensionKindChangedOn = e.NationalPension.KindChangedOn;
        p.NationalPensionFrom = e.NationalPension.From;
        p.NationalPensionUntil = e.NationalPension.Until;
        p.ChildAllowanceFrom = e.ChildAllowanceFrom.Trim();
        p.ChildAllowanceUntil = e.ChildAllowanceUntil.Trim();
        p.CardHeld = e.CardHeld;
        p.AdultWard = e.AdultWard;
    }

    public static void SetForeign(PersonVersion p, ForeignValue f)
    {
        p.Nationality = f.Nationality.Trim();
        p.ForeignCategory = f.Category;
        p.ResidenceStatus = f.ResidenceStatus.Trim();
        p.PeriodOfStay = f.PeriodOfStay.Trim();
        p.StayExpiresOn = f.StayExpiresOn;
        p.ResidenceCardNumber = f.CardNumber.Trim().ToUpperInvariant();
        p.AlphabetName = f.AlphabetName.Trim();
        p.FormerAlienRegistrationOn = f.FormerAlienRegistrationOn;
    }

    /// <summary>A new person's first version from what the clerk entered.</summary>
    public static PersonVersion FromEntry(PersonEntryValue entry, string tenant, string residentNumber)
    {
        var person = new PersonVersion
        {
            TenantCode = tenant,
            ResidentNumber = residentNumber,
            HistoryNumber = 1,
            Kind = entry.Kind,
            Sex = (int)entry.Sex,
            Relationship = Relationships.Normalize(entry.Relationship),
            OldSurname = entry.OldSurname.Trim(),
            OldSurnameKana = entry.OldSurnameKana.Trim(),
            OldSurnameKanaConfirmed = entry.OldSurname.Trim().Length > 0 && entry.OldSurnameKanaConfirmed,
            CommonNameKanaConfirmed = entry.CommonName.Trim().Length > 0 && entry.CommonNameKanaConfirmed,
            CommonName = entry.CommonName.Trim(),
            CommonNameKana = entry.CommonNameKana.Trim(),
            IndividualNumber = entry.IndividualNumber.Trim(),
            ResidentCode = entry.ResidentCode.Trim(),
            State = ResidentState.Active,
            ETag = NewETag(),
        };
        SetBirth(person, entry.BirthDate!);
        SetDomicile(person, entry.Domicile);
        SetEntitlements(person, entry.Entitlements);
        SetForeign(person, entry.Foreign);
        SetName(person, entry.Name!);
        return person;
    }

    public static string NewETag() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    /// <summary>A full copy of <paramref name="current"/> as its next 履歴番号 (1.2.1: every item, every time).</summary>
    public static PersonVersion NextVersion(PersonVersion current)
    {
        var next = new PersonVersion();
        foreach (var property in Copied)
        {
            property.SetValue(next, property.GetValue(current));
        }
        next.Address = Copy(current.Address);
        next.PreviousAddress = Copy(current.PreviousAddress);
        next.Destination = Copy(current.Destination);
        next.ConfirmedDestination = Copy(current.ConfirmedDestination);
        next.LastRegisteredAddress = Copy(current.LastRegisteredAddress);
        next.HistoryNumber = current.HistoryNumber + 1;
        next.ETag = NewETag();
        return next;
    }

    public static StoredAddress Copy(StoredAddress address)
    {
        var copy = new StoredAddress();
        foreach (var property in AddressProperties)
        {
            property.SetValue(copy, property.GetValue(address));
        }
        return copy;
    }

    /// <summary>One line of an address as a clerk reads it.</summary>
    public static string Describe(StoredAddress a)
    {
        if (a.FreeText.Length > 0 || a.Country.Length > 0)
        {
            return string.Join(' ', new[] { a.Country, a.Prefecture + a.City, a.FreeText }.Where(s => s.Length > 0));
        }
        var chome = a.Chome > 0 ? a.Chome.ToString(CultureInfo.InvariantCulture) + "丁目" : "";
        return string.Join(' ', new[] { a.Prefecture + a.City + a.Town + chome + a.Banchi, a.Katagaki }.Where(s => s.Length > 0));
    }

    /// <summary>Same place: dictionary address and 方書 are equal.</summary>
    public static bool SamePlace(StoredAddress a, StoredAddress b) =>
        a.Town == b.Town && a.Chome == b.Chome && a.Banchi == b.Banchi && a.Katagaki == b.Katagaki;

    /// <summary>Same 番地 (the 方書 may differ).</summary>
    public static bool SameLot(StoredAddress a, StoredAddress b) =>
        a.Town == b.Town && a.Chome == b.Chome && a.Banchi == b.Banchi;
}
