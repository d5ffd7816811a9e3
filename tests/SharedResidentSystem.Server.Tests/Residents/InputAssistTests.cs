using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Residents;

public abstract class InputAssistTests(ServerFixture server)
{
    private const string City = "132136";

    [Spec("4.0.7#1")]
    [Fact]
    public async Task Katagaki_in_use_at_a_lot_are_offered_most_used_first()
    {
        var clerk = new RegisterDriver(server, City);
        var banchi = $"{Random.Shared.Next(100, 999)}番{Random.Shared.Next(1, 99)}号";
        foreach (var katagaki in new[] { "メゾン東101", "メゾン東102", "メゾン東101" })
        {
            var request = MoveIn(City, UniqueKana(), members: 1);
            request.Address.Chome = 3;
            request.Address.Banchi = banchi;
            request.Address.Katagaki = katagaki;
            await clerk.Registration.RecordMoveInAsync(request);
        }
        var assist = new InputAssistService.InputAssistServiceClient(server.As(City));
        var found = await assist.SuggestKatagakiAsync(new SuggestKatagakiRequest { Address = clerk.Address(3, banchi) });
        Assert.Equal([("メゾン東101", 2), ("メゾン東102", 1)], found.Candidates.Select(c => (c.Katagaki, c.Residents)));
        Assert.Empty((await assist.SuggestKatagakiAsync(new SuggestKatagakiRequest { Address = clerk.Address(4, banchi) })).Candidates);
    }

    [Spec("4.0.6#1")]
    [Fact]
    public async Task Domicile_candidates_are_the_addresses_and_the_household_domiciles()
    {
        var clerk = new RegisterDriver(server, City);
        var request = MoveIn(City, UniqueKana());
        request.Members[0].Domicile = new Domicile { Address = "大阪府大阪市北区梅田一丁目1番", HeadName = "高橋 一郎" };
        var family = await clerk.Registration.RecordMoveInAsync(request);
        var assist = new InputAssistService.InputAssistServiceClient(server.As(City));
        var candidates = (await assist.SuggestDomicileAsync(new SuggestDomicileRequest { Resident = family.Residents[1].Name })).Candidates;
        Assert.Equal(["現住所", "転入前住所", "世帯主の本籍", "世帯員の本籍"], candidates.Select(c => c.Source));
        Assert.Equal("大阪府大阪市北区梅田一丁目1番", candidates[2].Address);
        Assert.Equal("高橋 一郎", candidates[2].HeadName);
        Assert.Contains("本町", candidates[0].Address, StringComparison.Ordinal);
    }
}

public sealed class InputAssistTestsOnSqlite(SqliteServer server) : InputAssistTests(server), IClassFixture<SqliteServer>;

public sealed class InputAssistTestsOnPostgres(PostgresServer server) : InputAssistTests(server), IClassFixture<PostgresServer>;
