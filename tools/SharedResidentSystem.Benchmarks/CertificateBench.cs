using Grpc.Core;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Certificates;
using Domain = SharedResidentSystem.Core.Certificates;
using Proto = SharedResidentSystem.Contracts.Certificates.V1;

namespace SharedResidentSystem.Benchmarks;

/// <summary>
/// The certificate phases: one household of four, its 住民票の写し issued through the service,
/// and the same certificate rendered by the bare PDF renderer in this process (the baseline).
/// </summary>
public sealed class CertificateBench(CertificateService.CertificateServiceClient client, Metadata auth, string household, string head)
{
    public static async Task<CertificateBench> CreateAsync(RegistrationService.RegistrationServiceClient registration, CertificateService.CertificateServiceClient client, Metadata auth, string town)
    {
        var request = new RecordMoveInRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            MoveDate = new Google.Type.Date { Year = 2026, Month = 11, Day = 1 },
            NotificationDate = new Google.Type.Date { Year = 2026, Month = 11, Day = 1 },
            Notifier = new Notifier { Name = "証明 一郎", Relation = "本人" },
            Address = new Contracts.Common.V1.Address { Town = town, Chome = 2, Banchi = "3番4号", Katagaki = "ベンチマーク荘201" },
            PreviousAddress = new Contracts.Common.V1.Address { Prefecture = "埼玉県", City = "所沢市", FreeText = "1-1" },
            AcknowledgedAlerts = { "POSSIBLE_DUPLICATE", "NOTIFIED_LATE" },
        };
        foreach (var (given, kana, relationship, year) in new[] { ("一郎", "イチロウ", "世帯主", 1975), ("花子", "ハナコ", "妻", 1978), ("太郎", "タロウ", "子", 2005), ("次郎", "ジロウ", "子", 2008) })
        {
            request.Members.Add(new PersonEntry
            {
                PersonName = new Contracts.Common.V1.PersonName { Family = "証明", Given = given, FamilyKana = "ショウメイ", GivenKana = kana },
                BirthDate = new Contracts.Common.V1.PartialDate { Year = year, Month = 4, Day = 1 },
                Sex = relationship == "妻" ? Sex.Female : Sex.Male,
                Relationship = relationship,
                Domicile = new Domicile { Address = "東京都千代田区千代田1番", HeadName = "証明 一郎" },
            });
        }
        var family = await registration.RecordMoveInAsync(request, auth);
        return new CertificateBench(client, auth, family.Residents[0].Household, family.Residents[0].Name);
    }

    public IssueCertificateRequest Request() => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Kind = Proto.CertificateKind.ResidentCopy,
        Household = household,
        Items = { Proto.CertificateItem.HeadAndRelationship },
        Printer = "P-001",
        Requester = new Requester { Category = Proto.RequesterCategory.SelfOrHousehold, Name = "証明 一郎", Resident = head, IdentityCheck = "運転免許証" },
    };

    public Task Issue() => client.IssueCertificateAsync(Request(), auth).ResponseAsync;

    /// <summary>The issued certificate as the renderer takes it, to render the same page bare.</summary>
    public static CertificateContent ToContent(CertificateData c) => new(
        (Domain.CertificateKind)c.Kind,
        c.Title,
        c.HouseholdFields.Select(f => new Domain.CertificateField(f.Key, f.Label, f.Value)).ToList(),
        c.Persons.Select(p => new Domain.CertificatePerson(p.Resident.Split('/')[^1], p.Fields.Select(f => new Domain.CertificateField(f.Key, f.Label, f.Value)).ToList(), p.History.ToList())).ToList(),
        c.Pages.Select(p => (IReadOnlyList<int>)p.Persons.ToList()).ToList(),
        c.AuthText,
        c.AuthenticatorTitle,
        c.AuthenticatorName,
        "",
        new DateOnly(c.IssuedOn.Year, c.IssuedOn.Month, c.IssuedOn.Day),
        c.IssuedOnText)
    {
        OfficialUse = c.OfficialUse,
        Notes = c.Notes.ToList(),
    };
}
