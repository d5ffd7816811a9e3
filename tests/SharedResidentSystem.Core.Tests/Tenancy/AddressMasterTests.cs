using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Tenancy;

/// <summary>The address master (1.3.2, 1.3.3, 1.3.5) as the configuration gives it and the register reads it.</summary>
public sealed class AddressMasterTests
{
    private const string Master = """
        "districts": [
          { "code": "N", "name": "北地区", "areas": [ { "town": "本町", "chome": [1, 2] } ] },
          { "code": "S", "name": "南地区", "areas": [ { "town": "本町", "chome": [3, 4] }, { "town": "栄町" } ] }
        ],
        "towns": [
          { "name": "本町", "kana": "ほんちょう", "code": "007", "postalCode": "1890014", "chome": { "from": 1, "to": 4 }, "numbering": "residence",
            "blocks": [ { "chome": 1, "number": 3, "from": 1, "to": 12 }, { "chome": 1, "number": 3, "from": 20, "to": 24 } ] },
          { "name": "栄町", "kana": "さかえちょう", "code": "012", "postalCode": "1890013", "numbering": "lot",
            "blocks": [ { "chome": 0, "number": 100, "from": 0, "to": 2 } ], "specialLots": [ "地先" ] }
        ]
        """;

    private static string Document(string master = Master)
    {
        var minimal = TenantDocuments.Minimal();
        return minimal[..minimal.IndexOf("\"towns\"", StringComparison.Ordinal)] + master + "\n}\n";
    }

    private static TenantDefinition City()
    {
        var read = TenantConfigDocument.Read(Document());
        Assert.True(read.IsValid, string.Join('\n', read.Problems));
        return read.Definition!;
    }

    private static List<string> Problems(string document) =>
        TenantConfigDocument.Read(document).Problems.Select(p => $"{p.Path}: {p.Code}").ToList();

    [Theory]
    [Spec("1.3.2#2")]
    [InlineData("12番地の3", "", "00012000030000000000")]
    [InlineData("１２－３", "", "00012000030000000000")]
    [InlineData("3番5号", "コーポ本町203号室", "00003000050000000203")]
    [InlineData("3-5-2", "A棟 1101", "00003000050000201101")]
    [InlineData("123番地", "", "00123000000000000000")]
    [InlineData("字東234番地先", "", "00234000000000000000")]
    [InlineData("", "", "00000000000000000000")]
    public void Lot_and_room_numbers_become_a_numeric_code(string banchi, string katagaki, string code) =>
        Assert.Equal(code, LotNumber.Of(banchi, katagaki).Code);

    [Fact]
    [Spec("1.3.2#2")]
    public void The_codes_sort_as_numbers_and_a_special_lot_after_every_number()
    {
        var town = City().Towns.Single(t => t.Name == "栄町");
        string[] written = ["10番", "9番", "100番地の2", "地先", "100番地", "2番地"];
        Assert.Equal(["2番地", "9番", "10番", "100番地", "100番地の2", "地先"],
            written.OrderBy(b => LotNumber.Of(b, "", town).Code, StringComparer.Ordinal));
    }

    [Theory]
    [Spec("1.3.2#1")]
    [InlineData("本町", 1, "3番5号", null)]
    [InlineData("本町", 1, "3番15号", "住居番号")]
    [InlineData("本町", 1, "3番21号", null)]
    [InlineData("本町", 1, "3番22号の1", null)]
    [InlineData("本町", 1, "4番1号", "街区符号")]
    [InlineData("本町", 2, "3番5号", "街区符号")]
    [InlineData("本町", 1, "3", "住居番号")]
    [InlineData("本町", 1, "3番地の5", "住居表示")]
    [InlineData("栄町", 0, "100番地", null)]
    [InlineData("栄町", 0, "100番地の2", null)]
    [InlineData("栄町", 0, "100番地の3", "枝番 3")]
    [InlineData("栄町", 0, "101番地", "101番地はありません")]
    [InlineData("栄町", 0, "地先", null)]
    [InlineData("栄町", 0, "100番地の1の1", "本番と枝番まで")]
    [InlineData("栄町", 0, "東100", "地番で入力")]
    public void Only_places_of_the_master_are_accepted(string townName, int chome, string banchi, string? problem)
    {
        var town = City().Towns.Single(t => t.Name == townName);
        var found = AddressMaster.CheckLot(town, chome, banchi);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    [Spec("1.3.2#1")]
    public void A_town_without_a_master_takes_any_lot_and_the_address_rule_names_the_banchi_field()
    {
        var city = TenantConfigDocument.Read(TenantDocuments.Minimal()).Definition!;
        Assert.Null(AddressMaster.CheckLot(city.Towns[0], 1, "どこでも1番"));

        var v = new Violations();
        AddressRules.CheckInCity(v, "address", new AddressValue("", "", "本町", 1, "4番1号", "", "", "", "", ""), City());
        Assert.Equal(["address.banchi"], Assert.Throws<DomainException>(() => v.ThrowIfAny()).Violations.Select(x => x.Field));
    }

    [Fact]
    [Spec("1.3.3#5")]
    [Spec("1.3.3#6")]
    [Spec("1.3.3#8")]
    public void The_address_code_is_the_city_code_then_the_town_code_then_the_chome()
    {
        var city = City();
        var stored = AddressRules.ToStored(new AddressValue("", "", "本町", 3, "3番5号", "", "", "", "", ""), city);
        Assert.Equal("13213" + "007" + "003", stored.AddressCode);
        Assert.Equal(11, stored.AddressCode.Length);
        Assert.Equal("13213012000", AddressMaster.AddressCode(city, city.Towns.Single(t => t.Name == "栄町"), 0));
        // An address outside the city gets no code of ours.
        Assert.Equal("", AddressRules.ToStored(new AddressValue("大阪府", "大阪市北区", "", 0, "", "", "", "", "梅田1-1-1", "")).AddressCode);
    }

    [Fact]
    [Spec("1.3.3#7")]
    public void The_prefecture_must_be_the_one_of_the_codes_first_two_digits()
    {
        Assert.Equal(("東京都", "とうきょうと"), Prefectures.ByCode("132136"));
        Assert.Equal(("北海道", "ほっかいどう"), Prefectures.ByCode("011002"));
        Assert.Equal(("沖縄県", "おきなわけん"), Prefectures.ByCode("472018"));
        Assert.Null(Prefectures.ByCode("482005"));
        Assert.Contains("$.prefecture: code", Problems(TenantDocuments.Minimal().Replace("\"prefecture\": \"東京都\"", "\"prefecture\": \"神奈川県\"", StringComparison.Ordinal)));
    }

    [Fact]
    [Spec("1.3.2#1")]
    [Spec("1.3.5#1")]
    public void A_master_that_contradicts_itself_or_the_dictionary_is_refused()
    {
        var broken = Master
            .Replace("{ \"chome\": 1, \"number\": 3, \"from\": 20, \"to\": 24 }", "{ \"chome\": 1, \"number\": 3, \"from\": 10, \"to\": 24 }, { \"chome\": 5, \"number\": 1, \"from\": 1, \"to\": 2 }, { \"chome\": 1, \"number\": 4, \"from\": 0, \"to\": 2 }", StringComparison.Ordinal)
            .Replace("\"specialLots\": [ \"地先\" ]", "\"specialLots\": [ \"地先\", \"12\" ]", StringComparison.Ordinal)
            .Replace("{ \"town\": \"栄町\" }", "{ \"town\": \"栄町\" }, { \"town\": \"本町\", \"chome\": [2, 9] }, { \"town\": \"緑町\" }", StringComparison.Ordinal)
            .Replace("\"code\": \"012\"", "\"code\": \"007\"", StringComparison.Ordinal);
        var problems = Problems(Document(broken));
        Assert.Contains("$.towns[0].blocks[1]: overlap", problems);
        Assert.Contains("$.towns[0].blocks[2].chome: range", problems);
        Assert.Contains("$.towns[0].blocks[3].from: range", problems);
        Assert.Contains("$.towns[1].specialLots[1]: special", problems);
        Assert.Contains("$.districts[1].areas[2]: overlap", problems);
        Assert.Contains("$.districts[1].areas[2].chome: range", problems);
        Assert.Contains("$.districts[1].areas[3].town: reference", problems);
        Assert.Contains("$.towns: duplicate", problems); // two towns with code 007
        var noNumbering = Master.Replace("\"numbering\": \"lot\",", "", StringComparison.Ordinal);
        Assert.Contains("$.towns[1].numbering: required", Problems(Document(noNumbering)));
        Assert.Contains("$.towns[0].code: required", Problems(Document(Master.Replace("\"code\": \"007\", ", "", StringComparison.Ordinal))));
    }

    [Fact]
    [Spec("1.3.5#1")]
    public void A_place_lies_in_at_most_one_district()
    {
        var city = City();
        Assert.Equal("北地区", AddressMaster.DistrictOf(city, "本町", 2)?.Name);
        Assert.Equal("南地区", AddressMaster.DistrictOf(city, "本町", 4)?.Name);
        Assert.Equal("南地区", AddressMaster.DistrictOf(city, "栄町", 0)?.Name);
        Assert.Null(AddressMaster.DistrictOf(city, "緑町", 0));
    }

    [Fact]
    [Spec("1.3.3#10")]
    [Spec("1.3.3#11")]
    public void Places_are_found_by_postal_code_or_by_the_first_kana_of_each_part()
    {
        var city = City(); // 東村山市 (the minimal document reads みほんし)
        List<(string, int)> Found(string query) => [.. AddressLookup.Suggest(city, query).Select(p => (p.Town.Name, p.Chome))];
        Assert.Equal([("本町", 1), ("本町", 2), ("本町", 3), ("本町", 4)], Found("189-0014"));
        Assert.Equal([("栄町", 0)], Found("1890013"));
        Assert.Equal(5, Found("189").Count);
        Assert.Equal([("栄町", 0)], Found("ト ミ サ"));
        Assert.Equal([("栄町", 0)], Found("ﾐﾎ ｻｶｴ"));
        Assert.Equal(4, Found("ホン").Count);
        Assert.Empty(Found("ト ヒ サ"));
        Assert.Empty(Found("カ ミ サ"));
        Assert.Empty(Found("ト ミ サ ホ"));
        Assert.Empty(Found("本町"));
        Assert.Equal("13213007002", AddressLookup.Suggest(city, "ホンチ")[1].AddressCode);
        Assert.Equal("北地区", AddressLookup.Suggest(city, "ホンチ")[1].District?.Name);
    }

    [Fact]
    [Spec("1.3.3#1")]
    public void A_postal_import_keeps_codes_and_masters_and_numbers_new_towns_after_the_last()
    {
        var csv = "local_government_code,city,postal_code,town,town_kana\n132136,東村山市,1890014,本町,ほんちょう\n132136,東村山市,1890099,新町,しんまち\n999997,他市,1000001,他町,たちょう\n";
        var replaced = System.Text.Json.Nodes.JsonNode.Parse(TownImport.ReplaceTowns(Document(), csv, "132136"))!["towns"]!.AsArray();
        var byName = replaced.ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!);
        Assert.Equal(["新町", "本町"], byName.Keys.Order());
        Assert.Equal(("007", "residence", 2), (byName["本町"]["code"]!.GetValue<string>(), byName["本町"]["numbering"]!.GetValue<string>(), byName["本町"]["blocks"]!.AsArray().Count));
        Assert.Equal(("013", "しんまち"), (byName["新町"]["code"]!.GetValue<string>(), byName["新町"]["kana"]!.GetValue<string>()));
        // With the earlier versions' towns: one that comes back gets its old code, a new one a code no version used.
        var earlier = new Dictionary<string, string> { ["本町"] = "007", ["栄町"] = "012", ["旧町"] = "020" };
        var again = System.Text.Json.Nodes.JsonNode.Parse(TownImport.ReplaceTowns(Document(), csv.Replace("新町,しんまち", "旧町,きゅうまち", StringComparison.Ordinal) + "132136,東村山市,1890098,若葉町,わかばちょう\n", "132136", earlier))!["towns"]!.AsArray()
            .ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["code"]!.GetValue<string>());
        Assert.Equal(("020", "021", "007"), (again["旧町"], again["若葉町"], again["本町"]));
        // The old four-column form is still read.
        Assert.Contains("\"本町\"", TownImport.ReplaceTowns(Document(), "local_government_code,city,postal_code,town\n132136,東村山市,1890014,本町\n", "132136"), StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => TownImport.ReplaceTowns(Document(), "code,city\n132136,x\n", "132136"));
    }

    [Fact]
    public void A_reading_from_the_postal_file_is_hiragana_without_its_notes() =>
        Assert.Equal("なかまち", KenAll.Reading("ﾅｶﾏﾁ(1-3ﾁｮｳﾒ)"));

    [Fact]
    [Spec("1.3.2#1")]
    public void The_lot_master_comes_from_a_spreadsheet_csv_town_by_town()
    {
        var csv = "\uFEFF町字,丁目,区分,番号,始番号,終番号,名称\r\n栄町,,地番,7,0,3,\r\n栄町,,特殊地番,,,,無番地\r\n本町,2,住居表示,1,1,15,\r\n";
        var (document, towns, lines) = LotMasterImport.Merge(Document(), csv);
        Assert.Equal((2, 3), (towns, lines));
        var city = TenantConfigDocument.Read(document);
        Assert.True(city.IsValid, string.Join('\n', city.Problems));
        var sakae = city.Definition!.Towns.Single(t => t.Name == "栄町");
        Assert.Equal((LotNumbering.Lot, new BlockEntry(0, 7, 0, 3)), (sakae.Numbering, Assert.Single(sakae.Blocks)));
        Assert.Equal(["無番地"], sakae.SpecialLots);
        Assert.Equal([new BlockEntry(2, 1, 1, 15)], city.Definition.Towns.Single(t => t.Name == "本町").Blocks);

        var bad = "町字,丁目,区分,番号,始番号,終番号,名称\n栄町,,地番,x,0,3,\n緑町,,地番,1,,,\n本町,1,住居表示,1,1,2,\n本町,1,地番,2,0,0,\n栄町,,特殊地番,,,,\n";
        var refused = Assert.Throws<DomainException>(() => LotMasterImport.Merge(Document(), bad));
        Assert.Equal(["csv line 2.番号", "csv line 6.名称", "csv line 3.町字", "csv line 5.区分"], refused.Violations.Select(v => v.Field));
        Assert.Throws<DomainException>(() => LotMasterImport.Merge(Document(), "town,chome\n"));
    }
}
