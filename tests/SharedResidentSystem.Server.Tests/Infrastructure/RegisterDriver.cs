using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using Date = Google.Type.Date;

namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>A clerk of one city, with short helpers for the 異動 the tests record.</summary>
public sealed class RegisterDriver(ServerFixture server, string tenant)
{
    public RegistrationService.RegistrationServiceClient Registration { get; } = new(server.As(tenant));

    public ResidentService.ResidentServiceClient Residents { get; } = new(server.As(tenant));

    public InputAssistService.InputAssistServiceClient InputAssist { get; } = new(server.As(tenant));

    public string Tenant => tenant;

    public ReviewService.ReviewServiceClient Review() => new(server.As(tenant));

    public static Notifier Notifier(string name = "届出 太郎") => new() { Name = name, Relation = "本人" };

    public static ResidentRef Ref(Resident r) => new() { Name = r.Name, Etag = r.Etag };

    public static PersonEntry Person(string family, string given, string familyKana, string givenKana, int year, int month, int day, Sex sex, string relationship) => new()
    {
        PersonName = new PersonName { Family = family, Given = given, FamilyKana = familyKana, GivenKana = givenKana, KanaConfirmed = true },
        BirthDate = new PartialDate { Year = year, Month = month, Day = day },
        Sex = sex,
        Relationship = relationship,
        Domicile = new Contracts.Residents.V1.Domicile { Address = "不明", HeadName = "不明" },
    };

    public Address Address(int chome, string banchi, string katagaki = "") =>
        new() { Town = Requests.TownOf(tenant), Chome = chome, Banchi = banchi, Katagaki = katagaki };

    public Task<RecordIdouResponse> MoveInAsync(Date date, Address address, params PersonEntry[] members) =>
        MoveInAsync(date, address, [], members);

    public async Task<RecordIdouResponse> MoveInAsync(Date date, Address address, string[] acknowledged, params PersonEntry[] members)
    {
        var request = new RecordMoveInRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            MoveDate = date,
            NotificationDate = date,
            Notifier = Notifier(),
            Address = address,
            PreviousAddress = new Address { Prefecture = "埼玉県", City = "所沢市", FreeText = "東町1-1" },
        };
        request.Members.AddRange(members);
        request.AcknowledgedAlerts.AddRange(acknowledged);
        return await Registration.RecordMoveInAsync(request);
    }

    public async Task<Resident> GetAsync(string name, Date? asOf = null) =>
        await Residents.GetResidentAsync(new GetResidentRequest { Name = name, AsOf = asOf });

    public async Task<Household> HouseholdAsync(string name, Date? asOf = null) =>
        await Residents.GetHouseholdAsync(new GetHouseholdRequest { Name = name, AsOf = asOf });

    /// <summary>The resident's 異動履歴, oldest first.</summary>
    public async Task<IReadOnlyList<IdouRecord>> HistoryAsync(string name) =>
        (await Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = name })).Idou;
}
