using System.Text;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Tenancy;

/// <summary>Japan Post's KEN_ALL file, written here in its own form (Shift_JIS, 15 columns, no header).</summary>
public sealed class KenAllTests
{
    private static string Row(string code5, string postal, string city, string town, string kanaTown = "ｿﾉﾀ") =>
        $"{code5},\"{postal[..3]}  \",\"{postal}\",\"ﾄｳｷｮｳﾄ\",\"ﾋｶﾞｼｸﾙﾒｼ\",\"{kanaTown}\",\"東京都\",\"{city}\",\"{town}\",0,0,0,0,0,0";

    private static MemoryStream ShiftJis(params string[] rows) => new(KenAll.ShiftJis.GetBytes(string.Join("\r\n", rows) + "\r\n"));

    [Fact]
    [Spec("1.3.3#1")]
    [Spec("1.3.3#9")]
    public void The_citys_towns_come_out_with_their_postal_codes_split_names_joined_and_notes_dropped()
    {
        using var file = ShiftJis(
            Row("13222", "2030000", "東久留米市", "以下に掲載がない場合"),
            Row("13222", "2030053", "東久留米市", "本町"),
            Row("13222", "2030054", "東久留米市", "中央町（１～３丁目、５丁目１～２番、"),
            Row("13222", "2030054", "東久留米市", "６丁目）"),
            Row("13211", "1870001", "小平市", "大沼町"),
            Row("13222", "2030012", "東久留米市", "浅間町（次のビルを除く）"),
            Row("13222", "2030013", "東久留米市", "浅間町ビル（地階・階層不明）"),
            Row("13222", "2030099", "東久留米市", "本町"),
            "13222,\"203  \",\"2030");
        var (towns, problems) = KenAll.Read(file, "132225");

        Assert.Equal(
            [("本町", "2030053"), ("中央町", "2030054"), ("浅間町", "2030012"), ("浅間町ビル", "2030013")],
            towns.Select(t => (t.Name, t.PostalCode)));
        Assert.All(towns, t => Assert.Equal(("132225", "東久留米市"), (t.LocalGovernmentCode, t.City)));
        var problem = Assert.Single(problems);
        Assert.Equal(9, problem.Line);
        Assert.Contains("列の数", problem.Message, StringComparison.Ordinal);

        // The towns replace the address dictionary as the postal CSV does.
        var document = """{ "code": "132225", "towns": [ { "name": "本町", "postalCode": "2030000", "chome": 4 } ] }""";
        var replaced = System.Text.Json.Nodes.JsonNode.Parse(TownImport.ReplaceTowns(document, KenAll.ToTownCsv(towns), "132225"))!;
        var names = replaced["towns"]!.AsArray().Select(t => (t!["name"]!.GetValue<string>(), t["postalCode"]!.GetValue<string>())).ToList();
        Assert.Equal([("中央町", "2030054"), ("本町", "2030053"), ("浅間町", "2030012"), ("浅間町ビル", "2030013")], names);
        Assert.Equal(4, replaced["towns"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "本町")!["chome"]!.GetValue<int>());
    }

    [Fact]
    public void A_name_whose_bracket_never_closes_is_reported_at_its_first_line_and_a_wrong_code_is_refused()
    {
        using var file = ShiftJis(
            Row("13222", "2030054", "東久留米市", "中央町（１～３丁目、"),
            Row("13222", "2030055", "東久留米市", "南町"));
        var (towns, problems) = KenAll.Read(file, "132225");
        Assert.Equal(["南町"], towns.Select(t => t.Name));
        Assert.Equal(1, Assert.Single(problems).Line);

        using var empty = new MemoryStream(Encoding.UTF8.GetBytes(""));
        Assert.Throws<ArgumentException>(() => KenAll.Read(empty, "132226"));
    }

    [Fact]
    public void Records_that_name_no_town_are_left_out()
    {
        Assert.Equal("", KenAll.TownName("以下に掲載がない場合", "東久留米市"));
        Assert.Equal("", KenAll.TownName("東久留米市一円", "東久留米市"));
        Assert.Equal("", KenAll.TownName("大手町の次に番地がくる場合", "千代田区"));
        Assert.Equal("丸の内ＪＰタワー", KenAll.TownName("丸の内ＪＰタワー（１階）", "千代田区"));
    }
}
