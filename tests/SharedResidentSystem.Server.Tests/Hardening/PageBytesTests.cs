using Google.Protobuf;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Hardening;

/// <summary>A server whose search pages hold at most 4 KiB of residents.</summary>
public sealed class SmallPagesServer : SqliteServer
{
    public const int PageBytes = 4096;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Server:MaxPageBytes"] = PageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// A page of residents is bounded in bytes as well as in rows: a page that would grow beyond
/// Server:MaxPageBytes ends early with a token, and the pages together hold every resident once.
/// </summary>
public sealed class PageBytesTests(SmallPagesServer server) : IClassFixture<SmallPagesServer>
{
    private const string City = "132225";

    [Fact]
    public async Task A_page_ends_at_its_byte_bound_and_the_pages_together_hold_every_resident_once()
    {
        var clerk = new RegisterDriver(server, City);
        var kana = UniqueKana();
        var recorded = new List<string>();
        for (var h = 0; h < 3; h++)
        {
            var household = MoveIn(City, kana, members: 4);
            foreach (var member in household.Members)
            {
                member.BirthDate.Year += h;
                member.PersonName.Given += new string('郎', 40);
            }
            household.Address.Katagaki = "コーポ" + new string('本', 100) + h;
            recorded.AddRange((await clerk.Registration.RecordMoveInAsync(household)).Residents.Select(r => r.Name));
        }

        var pages = new List<SearchResidentsResponse>();
        var token = "";
        do
        {
            var page = await clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, PageSize = 50, PageToken = token });
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token.Length > 0 && pages.Count < 20);

        Assert.True(pages.Count > 1, "12 residents of this size do not fit in one 4 KiB page");
        Assert.All(pages, p => Assert.True(p.Residents.Sum(r => r.CalculateSize()) <= SmallPagesServer.PageBytes || p.Residents.Count == 1));
        Assert.Equal(recorded.Order(StringComparer.Ordinal), pages.SelectMany(p => p.Residents).Select(r => r.Name).Order(StringComparer.Ordinal));
    }
}
