using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Residents;

/// <summary>検索 (2.1.2, 2.1.3) through gRPC: loose kana, past names and addresses, 和暦 dates, numbers.</summary>
public abstract class SearchTests(ServerFixture server)
{
    private const string City = "132110";
    private readonly RegisterDriver _clerk = new(server, City);

    /// <summary>A birth date no other test of this class uses, so that a search can be narrowed to one person.</summary>
    private static PartialDate UniqueBirth()
    {
        var b = Guid.NewGuid().ToByteArray();
        return new PartialDate { Year = 1940 + (b[0] % 60), Month = 1 + (b[1] % 12), Day = 1 + (b[2] % 28) };
    }

    private async Task<Resident> MoveInAsync(string family, string given, string familyKana, string givenKana, PartialDate birth, string katagaki = "")
    {
        var person = Person(family, given, familyKana, givenKana, birth.Year, birth.Month, birth.Day, Sex.Female, "世帯主");
        var recorded = await _clerk.MoveInAsync(Date(2026, 11, 1), _clerk.Address(2, $"{birth.Day}番", katagaki), [], person);
        return recorded.Residents[0];
    }

    private async Task<IReadOnlyList<Resident>> SearchAsync(SearchResidentsRequest request) =>
        (await _clerk.Residents.SearchResidentsAsync(request)).Residents;

    [Spec("2.1.2#3")]
    [Spec("2.1.2#8")]
    [Theory]
    [InlineData("ﾀｶﾊｼ ﾐﾁｺ")]
    [InlineData("たかはし みちこ")]
    [InlineData("タカハシ　ミチコ")]
    [InlineData("タカハシミチコ")]
    [InlineData("ﾀｶﾊｼ")]
    [InlineData("ダカバジ")]
    public async Task Tahakashi_is_found_however_the_reading_is_typed(string query)
    {
        var birth = UniqueBirth();
        var person = await MoveInAsync("高橋", "美智子", "タカハシ", "ミチコ", birth);
        var found = await SearchAsync(new SearchResidentsRequest { NameQuery = query, BirthDate = $"{birth.Year}-{birth.Month}-{birth.Day}" });
        Assert.Contains(found, r => r.Name == person.Name);
    }

    [Spec("2.1.3#5")]
    [Spec("2.1.3#10")]
    [Fact]
    public async Task A_past_name_and_a_past_address_still_find_the_person()
    {
        var birth = UniqueBirth();
        var person = await MoveInAsync("鈴木", "美智子", "スズキ", "ミチコ", birth, "旧コーポ");
        var corrected = await _clerk.Registration.CorrectResidentAsync(new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = new Resident { Name = person.Name, Etag = person.Etag, PersonName = new PersonName { Family = "高橋", Given = "美智子", FamilyKana = "タカハシ", GivenKana = "ミチコ" }, Address = new Address { Katagaki = "新ハイツ" } },
            UpdateMask = FieldMask.FromString("person_name,address.katagaki"),
            CorrectionDate = Date(2026, 11, 20),
            Reason = "氏の変更",
        });
        var date = $"{birth.Year}-{birth.Month}-{birth.Day}";
        var byOldName = await SearchAsync(new SearchResidentsRequest { NameQuery = "スズキ ミチコ", BirthDate = date });
        var hit = Assert.Single(byOldName, r => r.Name == person.Name);
        Assert.Equal("高橋", hit.PersonName.Family);
        Assert.Contains(await SearchAsync(new SearchResidentsRequest { NameQuery = "鈴木", BirthDate = date }), r => r.Name == person.Name);
        Assert.Contains(await SearchAsync(new SearchResidentsRequest { Katagaki = "旧コーポ", BirthDate = date }), r => r.Name == person.Name);
        Assert.Equal(2, corrected.Residents[0].HistoryNumber);
    }

    [Spec("2.1.3#9")]
    [Fact]
    public async Task Birth_dates_are_found_from_western_or_japanese_input()
    {
        var kana = UniqueKana();
        var person = await MoveInAsync("佐藤", "和子", kana, "カズコ", new PartialDate { Year = 1985, Month = 6, Day = 15 });
        foreach (var typed in new[] { "1985-06-15", "昭和60年6月15日", "S60.6.15" })
        {
            Assert.Contains(await SearchAsync(new SearchResidentsRequest { NameQuery = kana, BirthDate = typed }), r => r.Name == person.Name);
        }
        Assert.Contains(await SearchAsync(new SearchResidentsRequest { NameQuery = kana, BirthDate = "昭和60年" }), r => r.Name == person.Name);
        Assert.Empty(await SearchAsync(new SearchResidentsRequest { NameQuery = kana, BirthDate = "昭和61年" }));
        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { BirthDate = "昭和60年2月30日" }).ResponseAsync);
        Assert.Equal(["birth_date"], e.ViolatedFields());
    }

    [Spec("2.1.2#5")]
    [Spec("2.1.2#6")]
    [Fact]
    public async Task Given_name_exact_and_partial_matches()
    {
        var kana = UniqueKana();
        var birth = UniqueBirth();
        var person = await MoveInAsync("渡邊", "一二三", kana, "ヒフミ", birth);
        var date = $"{birth.Year}-{birth.Month}-{birth.Day}";
        Assert.Contains(await SearchAsync(new SearchResidentsRequest { GivenNameKana = "ひふみ", BirthDate = date }), r => r.Name == person.Name);
        Assert.Contains(await SearchAsync(new SearchResidentsRequest { NameQuery = kana + "ヒフミ", NameMatch = NameMatch.Exact }), r => r.Name == person.Name);
        Assert.Empty(await SearchAsync(new SearchResidentsRequest { NameQuery = kana, NameMatch = NameMatch.Exact }));
        Assert.Contains(await SearchAsync(new SearchResidentsRequest { NameQuery = kana[2..] + "ヒフ", NameMatch = NameMatch.Contains }), r => r.Name == person.Name);
        // 異体字: 渡辺 finds 渡邊.
        Assert.Contains(await SearchAsync(new SearchResidentsRequest { NameQuery = "渡辺一二三", BirthDate = date }), r => r.Name == person.Name);
    }

    [Spec("2.1.3#1")]
    [Fact]
    public async Task Numbers_find_exactly_one_person_and_a_search_by_individual_number_is_logged_as_such()
    {
        var body = string.Concat(Guid.NewGuid().ToByteArray().Take(11).Select(b => (char)('0' + (b % 10))));
        var individual = body + Core.Numbers.CheckDigits.IndividualNumber(body);
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Members[0].IndividualNumber = individual;
        var recorded = (await _clerk.Registration.RecordMoveInAsync(request)).Residents[0];
        Assert.Equal("", recorded.IndividualNumber);

        Assert.Equal(recorded.Name, Assert.Single(await SearchAsync(new SearchResidentsRequest { ResidentNumber = recorded.ResidentNumber })).Name);
        Assert.Equal(recorded.Name, Assert.Single(await SearchAsync(new SearchResidentsRequest { HouseholdNumber = recorded.Household.Split('/')[^1] })).Name);
        var staff = "mynumber-" + Guid.NewGuid().ToString("N")[..6];
        var residents = new ResidentService.ResidentServiceClient(server.Invoker(server.Token(City, staff)));
        var byNumber = await residents.SearchResidentsAsync(new SearchResidentsRequest { IndividualNumber = individual });
        Assert.Equal(recorded.Name, Assert.Single(byNumber.Residents).Name);
        Assert.Equal("", byNumber.Residents[0].IndividualNumber);
        var withNumber = await residents.GetResidentAsync(new GetResidentRequest { Name = recorded.Name, IncludeIndividualNumber = true });
        Assert.Equal(individual, withNumber.IndividualNumber);

        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(City, "t", "t", new HashSet<string>()));
        var log = await scope.ServiceProvider.GetRequiredService<SrsDbContext>().AccessLog.Where(e => e.StaffId == staff).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([true, true], log.Select(e => e.TouchedIndividualNumber));
    }

    [Spec("2.1.1#1")]
    [Spec("2.1.1#2")]
    [Fact]
    public async Task Each_clerk_finds_their_own_recent_searches_without_individual_numbers()
    {
        var staff = "history-" + Guid.NewGuid().ToString("N")[..6];
        var residents = new ResidentService.ResidentServiceClient(server.Invoker(server.Token(City, staff)));
        var kana = UniqueKana();
        await residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, BirthDate = "昭和60年" });
        await residents.SearchResidentsAsync(new SearchResidentsRequest { IndividualNumber = "123456789018" });
        await residents.SearchResidentsAsync(new SearchResidentsRequest { Town = "小川町", PageSize = 5 });
        var history = (await residents.ListSearchHistoryAsync(new ListSearchHistoryRequest())).Entries;
        Assert.Equal(3, history.Count);
        Assert.Equal("小川町", history[0].Criteria.Town);
        Assert.Equal("", history[1].Criteria.IndividualNumber);
        Assert.Equal((kana, "昭和60年"), (history[2].Criteria.NameQuery, history[2].Criteria.BirthDate));
        var others = (await _clerk.Residents.ListSearchHistoryAsync(new ListSearchHistoryRequest())).Entries;
        Assert.DoesNotContain(others, h => h.Criteria.NameQuery == kana);
    }

    [Spec("2.1.3#6")]
    [Fact]
    public async Task Residents_with_an_item_not_entered_are_found()
    {
        var kana = UniqueKana();
        var request = MoveIn(City, kana);
        request.Members[0].ResidentCode = "12345678903";
        await _clerk.Registration.RecordMoveInAsync(request);
        var withoutCode = await SearchAsync(new SearchResidentsRequest { NameQuery = kana, MissingItems = { "resident_code" } });
        Assert.Equal(["花子"], withoutCode.Select(r => r.PersonName.Given));
        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { MissingItems = { "shoe_size" } }).ResponseAsync);
        Assert.Equal(["missing_items"], e.ViolatedFields());
    }

    [Fact]
    public async Task Removed_residents_are_found_only_when_asked_for()
    {
        var kana = UniqueKana();
        var person = await MoveInAsync("田中", "花", kana, "ハナ", UniqueBirth());
        await _clerk.Registration.RecordDeathAsync(new RecordDeathRequest { RequestId = Guid.NewGuid().ToString(), Resident = Ref(person), DeathDate = Date(2026, 11, 20), NotificationDate = Date(2026, 11, 21), Notifier = Notifier() });
        Assert.Empty(await SearchAsync(new SearchResidentsRequest { NameQuery = kana }));
        Assert.Equal(ResidentStatus.Removed, Assert.Single(await SearchAsync(new SearchResidentsRequest { NameQuery = kana, IncludeRemoved = true })).Status);
        var record = await _clerk.GetAsync(person.Name);
        Assert.Equal(ResidentStatus.Removed, record.Status);
        Assert.Equal("死亡", record.Removal.Reason);
    }
}

public sealed class SearchTestsOnSqlite(SqliteServer server) : SearchTests(server), IClassFixture<SqliteServer>;

public sealed class SearchTestsOnPostgres(PostgresServer server) : SearchTests(server), IClassFixture<PostgresServer>;
