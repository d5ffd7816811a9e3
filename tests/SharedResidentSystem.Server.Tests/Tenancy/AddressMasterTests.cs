using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Tenancy;

/// <summary>
/// A city whose address master has a 住居表示 town (本町, 1-2丁目), a 地番 town with a 特殊地番
/// (栄町) and two 地区, created by each class from its own document.
/// </summary>
public abstract class AddressMasterCity(ServerFixture server)
{
    protected const string Code = "132012"; // 八王子市

    protected ServerFixture Server => server;

    private const string Towns = """
        "districts": [
          { "code": "1", "name": "本町一丁目地区", "areas": [ { "town": "本町", "chome": [1] } ] },
          { "code": "2", "name": "栄地区", "areas": [ { "town": "本町", "chome": [2] }, { "town": "栄町" } ] }
        ],
        "towns": [
          { "name": "本町", "kana": "ほんちょう", "code": "001", "postalCode": "1920066", "chome": { "from": 1, "to": 2 }, "numbering": "residence",
            "blocks": [ { "chome": 1, "number": 1, "from": 1, "to": 20 }, { "chome": 1, "number": 2, "from": 1, "to": 20 }, { "chome": 1, "number": 10, "from": 1, "to": 20 }, { "chome": 2, "number": 1, "from": 1, "to": 20 } ] },
          { "name": "栄町", "kana": "さかえちょう", "code": "002", "postalCode": "1920051", "numbering": "lot",
            "blocks": [ { "chome": 0, "number": 10, "from": 1, "to": 3 }, { "chome": 0, "number": 11, "from": 0, "to": 0 } ], "specialLots": [ "無番地" ] }
        ]
        """;

    private static readonly SemaphoreSlim Once = new(1, 1);

    protected async Task CityAsync()
    {
        await Once.WaitAsync();
        try
        {
            var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
            if ((await admin.ListTenantsAsync(new ListTenantsRequest())).Tenants.Any(t => t.TenantCode == Code))
            {
                return;
            }
            var document = TenantDocuments.Minimal(Code, "八王子市", "見本　太郎").Replace("\"nameKana\": \"みほんし\"", "\"nameKana\": \"はちおうじし\"", StringComparison.Ordinal);
            var start = document.IndexOf("\"towns\"", StringComparison.Ordinal);
            document = document[..start] + Towns + "\n}\n";
            await admin.CreateTenantAsync(new CreateTenantRequest { Document = document, Reason = "test", RequestId = Guid.NewGuid().ToString() });
        }
        finally
        {
            Once.Release();
        }
    }

    protected static RecordMoveInRequest MoveInTo(string town, int chome, string banchi, string katagaki = "")
    {
        var request = MoveIn(Code, UniqueKana(), members: 1);
        request.Address = new Contracts.Common.V1.Address { Town = town, Chome = chome, Banchi = banchi, Katagaki = katagaki };
        return request;
    }

    protected RegistrationService.RegistrationServiceClient Registration => new(server.As(Code));

    protected ResidentService.ResidentServiceClient Residents => new(server.As(Code));

    protected InputAssistService.InputAssistServiceClient Assist => new(server.As(Code));

    protected async Task<RpcException> RefusedAsync(RecordMoveInRequest request)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        // Nothing of the refused 転入 was written.
        var search = await Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = request.Members[0].PersonName.FamilyKana, IncludeRemoved = true });
        Assert.Empty(search.Residents);
        return refused;
    }
}

public abstract class AddressMasterTests(ServerFixture server) : AddressMasterCity(server)
{
    [Fact]
    [Spec("1.3.2#1")]
    [Spec("1.3.3#5")]
    [Spec("1.3.3#6")]
    public async Task Only_places_of_the_residence_and_lot_master_are_entered_by_move_in_or_address_change()
    {
        await CityAsync();
        // 住居表示: 街区符号 and 住居番号 of the master.
        var moved = (await Registration.RecordMoveInAsync(MoveInTo("本町", 1, "２番５号", "メゾン本町203号室"))).Residents[0];
        Assert.Equal("13201" + "001" + "001", moved.Address.AddressCode);
        foreach (var (chome, banchi) in new[] { (1, "9番1号"), (1, "2番21号"), (1, "2番"), (1, "2-5の先"), (2, "2番1号") })
        {
            var refused = await RefusedAsync(MoveInTo("本町", chome, banchi));
            Assert.Equal(["address.banchi"], refused.ViolatedFields());
        }
        // 地番: 本番 with its 枝番 (11 has none), and the 特殊地番.
        foreach (var banchi in new[] { "10番地の2", "10-3", "11番地", "無番地" })
        {
            Assert.StartsWith("13201002000", (await Registration.RecordMoveInAsync(MoveInTo("栄町", 0, banchi))).Residents[0].Address.AddressCode, StringComparison.Ordinal);
        }
        foreach (var banchi in new[] { "10番地", "10番地の4", "11番地の1", "12番地", "無番地の1" })
        {
            Assert.Equal(["address.banchi"], (await RefusedAsync(MoveInTo("栄町", 0, banchi))).ViolatedFields());
        }

        // Another path to the same state: 転居 is held to the same master.
        var change = new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(moved) }, MoveDate = Date(2026, 11, 25), NotificationDate = Date(2026, 11, 26),
            Notifier = RegisterDriver.Notifier(), Address = new Contracts.Common.V1.Address { Town = "本町", Chome = 2, Banchi = "1番30号" },
        };
        var outside = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordAddressChangeAsync(change).ResponseAsync);
        Assert.Equal(["address.banchi"], outside.ViolatedFields());
        Assert.Equal(moved.Etag, (await Residents.GetResidentAsync(new GetResidentRequest { Name = moved.Name })).Etag);
        change.RequestId = Guid.NewGuid().ToString();
        change.Address.Banchi = "1番7号";
        var changed = (await Registration.RecordAddressChangeAsync(change)).Residents[0];
        Assert.Equal("13201001002", changed.Address.AddressCode);
    }

    [Fact]
    [Spec("1.3.2#2")]
    public async Task The_lot_and_room_numbers_are_kept_as_numbers_that_sort_as_numbers()
    {
        await CityAsync();
        var written = new List<(string Banchi, string Katagaki, string LotCode)>();
        foreach (var (banchi, katagaki) in new[] { ("10番3号", "コーポ12"), ("2番5号", "メゾン本町203号室"), ("2番5号", "メゾン本町1101号室"), ("1番20号", "") })
        {
            var resident = (await Registration.RecordMoveInAsync(MoveInTo("本町", 1, banchi, katagaki))).Residents[0];
            written.Add((banchi, katagaki, resident.Address.LotCode));
        }
        Assert.Contains(("2番5号", "メゾン本町203号室", "00002000050000000203"), written);
        Assert.Equal(
            [("1番20号", ""), ("2番5号", "メゾン本町203号室"), ("2番5号", "メゾン本町1101号室"), ("10番3号", "コーポ12")],
            written.OrderBy(w => w.LotCode, StringComparer.Ordinal).Select(w => (w.Banchi, w.Katagaki)));
        // A 特殊地番 sorts after every numbered lot of its town.
        var special = (await Registration.RecordMoveInAsync(MoveInTo("栄町", 0, "無番地"))).Residents[0];
        var numbered = (await Registration.RecordMoveInAsync(MoveInTo("栄町", 0, "11番地"))).Residents[0];
        Assert.True(string.CompareOrdinal(numbered.Address.LotCode, special.Address.LotCode) < 0);
    }

    [Fact]
    [Spec("1.3.5#1")]
    public async Task Residents_are_found_by_the_district_their_address_lies_in()
    {
        await CityAsync();
        var kana = UniqueKana();
        var places = new[] { ("本町", 1, "1番1号", "イチ"), ("本町", 2, "1番1号", "ニ"), ("栄町", 0, "11番地", "サン") };
        var names = new Dictionary<string, string>();
        foreach (var (town, chome, banchi, given) in places)
        {
            var request = MoveInTo(town, chome, banchi);
            request.Members[0].PersonName.FamilyKana = kana;
            request.Members[0].PersonName.GivenKana = given;
            names[(await Registration.RecordMoveInAsync(request)).Residents[0].Name] = $"{town}{chome}";
        }
        async Task<List<string>> In(string district) =>
            [.. (await Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, District = district })).Residents.Select(r => names[r.Name]).Order()];
        Assert.Equal(["本町1"], await In("1"));
        Assert.Equal(["本町2", "栄町0"], await In("2"));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, District = "9" }).ResponseAsync);
        Assert.Equal(["district"], unknown.ViolatedFields());

        // The list shows each place with its 地区 and 住所コード.
        var master = await Assist.ListAddressMasterAsync(new ListAddressMasterRequest());
        Assert.Equal(
            [("本町", 1, "本町一丁目地区", "13201001001"), ("本町", 2, "栄地区", "13201001002"), ("栄町", 0, "栄地区", "13201002000")],
            master.Places.Select(p => (p.Address.Town, p.Address.Chome, p.District, p.AddressCode)));
    }

    [Fact]
    [Spec("1.3.3#10")]
    [Spec("1.3.3#11")]
    [Spec("1.3.3#12")]
    public async Task A_place_is_found_by_postal_code_or_the_first_kana_of_each_part_and_chosen_from_lists()
    {
        await CityAsync();
        async Task<List<(string, int)>> Suggest(string query) =>
            [.. (await Assist.SuggestAddressAsync(new SuggestAddressRequest { Query = query })).Candidates.Select(c => (c.Address.Town, c.Address.Chome))];
        Assert.Equal([("本町", 1), ("本町", 2)], await Suggest("192-0066"));
        Assert.Equal([("栄町", 0)], await Suggest("〒１９２００５１"));
        Assert.Equal([("本町", 1), ("本町", 2)], await Suggest("ト ハ ホ"));
        Assert.Equal([("栄町", 0)], await Suggest("ﾊ ｻ"));
        Assert.Equal([("本町", 1), ("本町", 2)], await Suggest("ほんち"));
        Assert.Empty(await Suggest("ト ヒ ホ"));
        Assert.Empty(await Suggest("オ ハ ホ"));
        Assert.Empty(await Suggest("9999999"));
        var candidate = (await Assist.SuggestAddressAsync(new SuggestAddressRequest { Query = "1920051" })).Candidates.Single();
        Assert.Equal(("東京都", "八王子市", "132012", "1920051", "さかえちょう", LotNumbering.Lot),
            (candidate.Address.Prefecture, candidate.Address.City, candidate.Address.LocalGovernmentCode, candidate.Address.PostalCode, candidate.TownKana, candidate.Numbering));
        var empty = await Assert.ThrowsAsync<RpcException>(() => Assist.SuggestAddressAsync(new SuggestAddressRequest { Query = " " }).ResponseAsync);
        Assert.Equal(["query"], empty.ViolatedFields());

        // 町字 → 丁目 → 街区 (住居表示) or 地番 with 特殊地番, each from the list of the one before.
        var chome = await Assist.ListAddressMasterAsync(new ListAddressMasterRequest { Town = "本町" });
        Assert.Equal([1, 2], chome.Places.Select(p => p.Address.Chome));
        var blocks = await Assist.ListAddressMasterAsync(new ListAddressMasterRequest { Town = "本町", Chome = 1 });
        Assert.Equal([(1, 1, 20), (2, 1, 20), (10, 1, 20)], blocks.Blocks.Select(b => (b.Number, b.From, b.To)));
        var lots = await Assist.ListAddressMasterAsync(new ListAddressMasterRequest { Town = "栄町" });
        Assert.Equal([(10, 1, 3), (11, 0, 0)], lots.Blocks.Select(b => (b.Number, b.From, b.To)));
        Assert.Equal(["無番地"], lots.SpecialLots);
        Assert.Equal(["chome"], (await Assert.ThrowsAsync<RpcException>(() => Assist.ListAddressMasterAsync(new ListAddressMasterRequest { Town = "本町", Chome = 3 }).ResponseAsync)).ViolatedFields());
        Assert.Equal(["town"], (await Assert.ThrowsAsync<RpcException>(() => Assist.ListAddressMasterAsync(new ListAddressMasterRequest { Town = "無い町" }).ResponseAsync)).ViolatedFields());
    }
}

public abstract class AddressCodeTests(ServerFixture server) : AddressMasterCity(server)
{
    [Fact]
    [Spec("1.3.3#5")]
    public async Task A_town_keeps_its_code_and_a_code_is_never_given_to_another_town()
    {
        await CityAsync();
        var admin = new TenantAdminService.TenantAdminServiceClient(Server.As(Code, Roles.Operator));
        var current = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{Code}" });
        async Task<RpcException> Refused(string document) =>
            await Assert.ThrowsAsync<RpcException>(() => admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest
            {
                Name = $"tenants/{Code}", Document = document, Etag = current.Etag, Reason = "町字コードの変更", RequestId = Guid.NewGuid().ToString(),
            }).ResponseAsync);
        // 本町 (001) renumbered.
        var renumbered = await Refused(current.Document.Replace("\"code\": \"001\"", "\"code\": \"003\"", StringComparison.Ordinal));
        Assert.Contains("町字コードは 001", renumbered.Status.Detail + string.Join(' ', renumbered.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations.Select(v => v.Description)), StringComparison.Ordinal);
        // 栄町 removed (with its 地区 area) and its code 002 given to a new town, in a later version.
        var reused = current.Document
            .Replace(", { \"town\": \"栄町\" }", "", StringComparison.Ordinal)
            .Replace("\"name\": \"栄町\", \"kana\": \"さかえちょう\"", "\"name\": \"緑町\", \"kana\": \"みどりちょう\"", StringComparison.Ordinal);
        Assert.NotEqual(current.Document, reused);
        var taken = await Refused(reused);
        Assert.Contains("町字コード 002 は町字「栄町」のもの", string.Join(' ', taken.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations.Select(v => v.Description)), StringComparison.Ordinal);
        Assert.Equal(current.Etag, (await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{Code}" })).Etag);
    }
}

/// <summary>A change of the master in effect from a later date: this class moves its server's clock.</summary>
public abstract class AddressMasterChangeTests(ServerFixture server) : AddressMasterCity(server)
{
    [Fact]
    [Spec("1.3.3#1")]
    [Spec("1.3.3#4")]
    public async Task A_new_block_applied_for_next_month_is_accepted_from_that_date()
    {
        await CityAsync();
        var admin = new TenantAdminService.TenantAdminServiceClient(Server.As(Code, Roles.Operator));
        var current = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{Code}" });
        var next = current.Document.Replace("{ \"chome\": 1, \"number\": 10, \"from\": 1, \"to\": 20 }", "{ \"chome\": 1, \"number\": 10, \"from\": 1, \"to\": 20 }, { \"chome\": 1, \"number\": 11, \"from\": 1, \"to\": 8 }", StringComparison.Ordinal);
        Assert.NotEqual(current.Document, next);
        await admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = $"tenants/{Code}", Document = next, Etag = current.Etag, Reason = "住居表示の実施", RequestId = Guid.NewGuid().ToString(), EffectiveFrom = Date(2026, 12, 1) });

        Assert.Equal(["address.banchi"], (await RefusedAsync(MoveInTo("本町", 1, "11番3号"))).ViolatedFields());
        Server.Time.Advance(TimeSpan.FromDays(7)); // 2026-12-03
        var moved = (await Registration.RecordMoveInAsync(MoveInTo("本町", 1, "11番3号"))).Residents[0];
        Assert.Equal("00011000030000000000", moved.Address.LotCode);
    }
}

public sealed class AddressMasterTestsOnSqlite(SqliteServer server) : AddressMasterTests(server), IClassFixture<SqliteServer>;

public sealed class AddressMasterTestsOnPostgres(PostgresServer server) : AddressMasterTests(server), IClassFixture<PostgresServer>;

public sealed class AddressMasterChangeTestsOnSqlite(SqliteServer server) : AddressMasterChangeTests(server), IClassFixture<SqliteServer>;

public sealed class AddressMasterChangeTestsOnPostgres(PostgresServer server) : AddressMasterChangeTests(server), IClassFixture<PostgresServer>;

public sealed class AddressCodeTestsOnSqlite(SqliteServer server) : AddressCodeTests(server), IClassFixture<SqliteServer>;

public sealed class AddressCodeTestsOnPostgres(PostgresServer server) : AddressCodeTests(server), IClassFixture<PostgresServer>;
