using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using Date = Google.Type.Date;
using DomainResidentKind = SharedResidentSystem.Core.Storage.ResidentKind;
using ProtoResidentKind = SharedResidentSystem.Contracts.Residents.V1.ResidentKind;

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
        if (date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > System.DateTime.DaysInMonth(date.Year, date.Month))
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

    public static DomicileValue ToDomain(Domicile? d) => d is null ? DomicileValue.Empty : new DomicileValue(d.Address, d.HeadName);

    public static EntitlementsValue ToDomain(Entitlements? e, string path)
    {
        if (e is null)
        {
            return EntitlementsValue.None;
        }
        CoverageValue Coverage(Coverage? c, string name) => c is null
            ? CoverageValue.None
            : new CoverageValue(c.Covered, ToDomain(c.From, $"{path}.{name}.from"), ToDomain(c.Until, $"{path}.{name}.until"));
        var p = e.NationalPension;
        var pension = p is null
            ? PensionValue.None
            : new PensionValue(p.Covered, p.BasicPensionNumber, p.Kind, ToDomain(p.KindChangedOn, $"{path}.national_pension.kind_changed_on"),
                ToDomain(p.From, $"{path}.national_pension.from"), ToDomain(p.Until, $"{path}.national_pension.until"));
        return new EntitlementsValue(e.OnElectoralRoll, Coverage(e.NationalHealthInsurance, "national_health_insurance"),
            Coverage(e.LateElderlyMedical, "late_elderly_medical"), Coverage(e.LongTermCare, "long_term_care"), pension, e.ChildAllowanceFrom, e.ChildAllowanceUntil)
        {
            CardHeld = e.CardHeld,
            AdultWard = e.AdultWard,
        };
    }

    public static ForeignValue ToDomain(ForeignResidentItems? f, string path) => f is null
        ? ForeignValue.None
        : new ForeignValue(f.Nationality, (int)f.Category, f.ResidenceStatus, f.PeriodOfStay, ToDomain(f.StayExpiresOn, $"{path}.stay_expires_on"), f.ResidenceCardNumber, f.AlphabetName,
            ToDomain(f.FormerAlienRegistrationOn, $"{path}.former_alien_registration_on"));

    public static PersonEntryValue ToDomain(PersonEntry e, string path, string callerTenant) => ToDomain(e, path) with
    {
        ReturningResident = string.IsNullOrEmpty(e.ReturningResident) ? "" : OwnId(e.ReturningResident, "residents", callerTenant, $"{path}.returning_resident", "住民"),
    };

    public static PersonEntryValue ToDomain(PersonEntry e, string path) => ToEntry(e, path) with
    {
        OldSurnameKanaConfirmed = e.OldSurname?.SurnameKanaConfirmed ?? false,
        CommonNameKanaConfirmed = e.CommonNameKanaConfirmed,
    };

    private static PersonEntryValue ToEntry(PersonEntry e, string path) => new(
        ToDomain(e.PersonName),
        ToDomain(e.BirthDate),
        (SexValue)e.Sex,
        e.Relationship,
        e.Kind == ProtoResidentKind.Foreign ? DomainResidentKind.Foreign : DomainResidentKind.Japanese,
        e.OldSurname?.Surname ?? "",
        e.OldSurname?.SurnameKana ?? "",
        e.CommonName,
        e.CommonNameKana,
        ToDomain(e.Domicile),
        e.IndividualNumber,
        e.ResidentCode,
        ToDomain(e.Entitlements, $"{path}.entitlements"),
        ToDomain(e.Foreign, $"{path}.foreign"));

    public static NotifierValue ToDomain(Notifier? n) => new(n?.Name ?? "", n?.Relation ?? "");

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
        AddressCode = a.AddressCode,
        LotCode = a.LotCode,
    };

    public static PersonName NameOf(PersonVersion p) =>
        new() { Family = p.FamilyName, Given = p.GivenName, FamilyKana = p.FamilyKana, GivenKana = p.GivenKana, KanaConfirmed = p.KanaConfirmed };

    /// <summary>A version as the contract shows it; 個人番号 only when asked for.</summary>
    public static Resident ToProto(PersonVersion p, bool includeIndividualNumber = false)
    {
        var resident = new Resident
        {
            Name = TenantResourceNames.Resident(p.TenantCode, p.ResidentNumber),
            ResidentNumber = p.ResidentNumber,
            HistoryNumber = p.HistoryNumber,
            Kind = p.Kind == DomainResidentKind.Foreign ? ProtoResidentKind.Foreign : ProtoResidentKind.Japanese,
            PersonName = NameOf(p),
            BirthDate = new PartialDate { Year = p.BirthYear, Month = p.BirthMonth, Day = p.BirthDay },
            Sex = (Sex)p.Sex,
            Household = TenantResourceNames.Household(p.TenantCode, p.HouseholdNumber),
            Relationship = p.Relationship,
            Address = ToProto(p.Address),
            PreviousAddress = ToProto(p.PreviousAddress),
            LastRegisteredAddress = ToProto(p.LastRegisteredAddress),
            RemadeOn = ToProto(p.RemadeOn),
            BecameResidentOn = ToProto(p.BecameResidentOn),
            AddressSetOn = ToProto(p.AddressSetOn),
            NotifiedOn = ToProto(p.NotifiedOn),
            Status = p.State == ResidentState.Active ? ResidentStatus.Active : ResidentStatus.Removed,
            RecordedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(System.DateTime.SpecifyKind(p.RecordedAt, DateTimeKind.Utc)),
            ValidFrom = ToProto(p.ValidFrom),
            Etag = p.ETag,
            IndividualNumber = includeIndividualNumber ? p.IndividualNumber : "",
            ResidentCode = p.ResidentCode,
            Entitlements = new Entitlements
            {
                OnElectoralRoll = p.OnElectoralRoll,
                NationalHealthInsurance = new Coverage { Covered = p.NationalHealthInsurance, From = ToProto(p.NationalHealthInsuranceFrom), Until = ToProto(p.NationalHealthInsuranceUntil) },
                LateElderlyMedical = new Coverage { Covered = p.LateElderlyMedical, From = ToProto(p.LateElderlyMedicalFrom), Until = ToProto(p.LateElderlyMedicalUntil) },
                LongTermCare = new Coverage { Covered = p.LongTermCare, From = ToProto(p.LongTermCareFrom), Until = ToProto(p.LongTermCareUntil) },
                NationalPension = new Pension
                {
                    Covered = p.NationalPension,
                    BasicPensionNumber = p.BasicPensionNumber,
                    Kind = p.NationalPensionKind,
                    KindChangedOn = ToProto(p.NationalPensionKindChangedOn),
                    From = ToProto(p.NationalPensionFrom),
                    Until = ToProto(p.NationalPensionUntil),
                },
                ChildAllowanceFrom = p.ChildAllowanceFrom,
                ChildAllowanceUntil = p.ChildAllowanceUntil,
                CardHeld = p.CardHeld,
                AdultWard = p.AdultWard,
            },
        };
        if (p.Kind == DomainResidentKind.Foreign)
        {
            resident.Foreign = new ForeignResidentItems
            {
                Nationality = p.Nationality,
                Category = (ForeignResidentCategory)p.ForeignCategory,
                ResidenceStatus = p.ResidenceStatus,
                PeriodOfStay = p.PeriodOfStay,
                StayExpiresOn = ToProto(p.StayExpiresOn),
                ResidenceCardNumber = p.ResidenceCardNumber,
                AlphabetName = p.AlphabetName,
                FormerAlienRegistrationOn = ToProto(p.FormerAlienRegistrationOn),
            };
            if (p.CommonName.Length > 0 || p.CommonNameDeletedOn is not null)
            {
                resident.CommonName = new CommonName
                {
                    Name = p.CommonName,
                    NameKana = p.CommonNameKana,
                    RecordedOn = ToProto(p.CommonNameRecordedOn),
                    RecordedBy = p.CommonNameRecordedBy,
                    DeletedOn = ToProto(p.CommonNameDeletedOn),
                    DeletedBy = p.CommonNameDeletedBy,
                    NameKanaConfirmed = p.CommonNameKanaConfirmed,
                };
            }
        }
        else
        {
            resident.Domicile = new Domicile { Address = p.Domicile, HeadName = p.DomicileHead };
            if (p.OldSurname.Length > 0)
            {
                resident.OldSurname = new OldSurname { Surname = p.OldSurname, SurnameKana = p.OldSurnameKana, SurnameKanaConfirmed = p.OldSurnameKanaConfirmed };
            }
        }
        if (p.State == ResidentState.Removed)
        {
            resident.Removal = new Removal
            {
                Reason = p.RemovalReason,
                ReasonCode = IdouReason.Find(IdouReasons.Removal, p.RemovalReason)?.Code ?? "",
                OccurredOn = ToProto(p.RemovalOn),
                Destination = ToProto(p.Destination),
                MoveInNoticeOn = ToProto(p.MoveInNoticeOn),
                ConfirmedOn = ToProto(p.MoveOutConfirmedOn),
                ConfirmedDestination = ToProto(p.ConfirmedDestination),
                Special = p.SpecialMoveOut,
            };
        }
        return resident;
    }

    public static RecordIdouResponse ToProto(string tenant, IdouResult result)
    {
        var response = new RecordIdouResponse
        {
            Idou = TenantResourceNames.Idou(tenant, result.IdouId),
            Household = TenantResourceNames.Household(tenant, result.HouseholdNumber),
        };
        response.Residents.AddRange(result.Persons.Select(p => ToProto(p)));
        response.Households.AddRange(result.Households.Select(h => TenantResourceNames.Household(tenant, h)));
        return response;
    }

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
        return tenant == callerTenant ? id : throw DomainException.NotFound(what, field);
    }

    /// <summary>The numeric id of a resource of the caller's city (a malformed number is simply not found).</summary>
    public static long OwnNumericId(string name, string collection, string callerTenant, string field, string what) =>
        long.TryParse(OwnId(name, collection, callerTenant, field, what), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw DomainException.NotFound(what, field);

    public static ResidentRefValue ToDomain(ResidentRef? r, string callerTenant, string field) =>
        r is null
            ? throw DomainException.Invalid(ErrorReasons.RequiredField, field, "住民を指定してください。")
            : new ResidentRefValue(OwnId(r.Name, "residents", callerTenant, $"{field}.name", "住民"), r.Etag);

    public static IReadOnlyList<ResidentRefValue> ToDomain(IEnumerable<ResidentRef> refs, string callerTenant, string field) =>
        refs.Select((r, i) => ToDomain(r, callerTenant, $"{field}[{i}]")).ToList();

    /// <summary>続柄 keyed by resource name become 続柄 keyed by 宛名番号.</summary>
    public static IReadOnlyDictionary<string, string> Relationships(IDictionary<string, string> byName, string callerTenant, string field) =>
        byName.ToDictionary(kv => OwnId(kv.Key, "residents", callerTenant, field, "住民"), kv => kv.Value, StringComparer.Ordinal);

    public static PlacementValue? ToDomain(Placement? placement, string callerTenant, string field) =>
        placement is null
            ? null
            : new PlacementValue(
                string.IsNullOrEmpty(placement.Household) ? null : OwnId(placement.Household, "households", callerTenant, $"{field}.household", "世帯"),
                Relationships(placement.Relationships, callerTenant, $"{field}.relationships"));
}
