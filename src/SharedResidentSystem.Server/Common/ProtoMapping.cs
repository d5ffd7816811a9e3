using Date = Google.Type.Date;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Server.Common;

/// <summary>Translates between the proto contract and the domain; no rules live here.</summary>
public static class ProtoMapping
{
    public static Date? ToProto(DateOnly? date) => date is { } d ? new Date { Year = d.Year, Month = d.Month, Day = d.Day } : null;

    /// <summary>An unset or all-zero date is null; an impossible one is a field violation.</summary>
    public static DateOnly? ToDomain(Date? date, string field)
    {
        if (date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0))
        {
            return null;
        }
        if (date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, field, $"{date.Year}-{date.Month}-{date.Day} は存在しない日付です。");
        }
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    public static PersonNameValue? ToDomain(PersonName? name) =>
        name is null ? null : new PersonNameValue(name.Family, name.Given, name.FamilyKana, name.GivenKana, name.KanaConfirmed);

    public static PartialDateValue? ToDomain(PartialDate? date) => date is null ? null : new PartialDateValue(date.Year, date.Month, date.Day);

    public static AddressValue ToDomain(Address? a) => a is null
        ? AddressValue.Empty
        : new AddressValue(a.Prefecture, a.City, a.Town, a.Chome, a.Banchi, a.Katagaki, a.PostalCode, a.LocalGovernmentCode, a.FreeText, a.Country);

    public static Address ToProto(StoredAddress a) => new()
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

    public static Resident ToProto(PersonVersion p) => new()
    {
        Name = TenantResourceNames.Resident(p.TenantCode, p.ResidentNumber),
        ResidentNumber = p.ResidentNumber,
        HistoryNumber = p.HistoryNumber,
        PersonName = new PersonName { Family = p.FamilyName, Given = p.GivenName, FamilyKana = p.FamilyKana, GivenKana = p.GivenKana, KanaConfirmed = p.KanaConfirmed },
        BirthDate = new PartialDate { Year = p.BirthYear, Month = p.BirthMonth, Day = p.BirthDay },
        Sex = (Sex)p.Sex,
        Household = TenantResourceNames.Household(p.TenantCode, p.HouseholdNumber),
        Relationship = p.Relationship,
        Address = ToProto(p.Address),
        PreviousAddress = ToProto(p.PreviousAddress),
        BecameResidentOn = ToProto(p.BecameResidentOn),
        AddressSetOn = ToProto(p.AddressSetOn),
        NotifiedOn = ToProto(p.NotifiedOn),
        Status = p.State == ResidentState.Active ? ResidentStatus.Active : ResidentStatus.Removed,
        RecordedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(p.RecordedAt, DateTimeKind.Utc)),
        ValidFrom = ToProto(p.ValidFrom),
        Etag = p.ETag,
    };

    /// <summary>
    /// The id of a resource of the caller's city. A well-formed name of another city is
    /// answered exactly like a name that does not exist (NOT_FOUND), so existence never leaks.
    /// </summary>
    public static string OwnId(string name, string collection, string callerTenant, string field, string what)
    {
        if (!TenantResourceNames.TryParse(name, collection, out var tenant, out var id))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidResourceName, field, $"{field} は tenants/{{団体コード}}/{collection}/{{番号}} の形式で指定してください。");
        }
        return tenant == callerTenant ? id : throw DomainException.NotFound(what);
    }
}
