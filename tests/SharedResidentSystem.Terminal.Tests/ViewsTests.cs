using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Terminal.Tests;

public class ViewsTests
{
    private static string Shown(Action<Screen> draw)
    {
        var output = new StringWriter();
        draw(new Screen(new StringReader(""), output, TimeProvider.System, TimeSpan.FromMinutes(10), _ => Task.FromResult(false)));
        return output.ToString();
    }

    private static Resident Person(ResidentKind kind) => new()
    {
        ResidentNumber = "0000017",
        Kind = kind,
        PersonName = new PersonName { Family = "金", Given = "花子" },
        BirthDate = new PartialDate { Year = 1985, Month = 6, Day = 15 },
        BecameResidentOn = new Google.Type.Date { Year = 2026, Month = 11, Day = 20 },
        Foreign = kind == ResidentKind.Foreign
            ? new ForeignResidentItems { Nationality = "韓国", ResidenceStatus = "家族滞在", PeriodOfStay = "1年", StayExpiresOn = new Google.Type.Date { Year = 2027, Month = 3, Day = 31 } }
            : null,
    };

    [Spec("1.1.9#1")]
    [Spec("1.1.9#4")]
    [Fact]
    public void A_japanese_residents_dates_are_shown_in_wareki_on_the_record_and_in_its_history()
    {
        var japanese = Person(ResidentKind.Japanese);
        var record = Shown(s => Views.Resident(s, japanese));
        var history = Shown(s => Views.History(s, [Idou("住所を定めた年月日", "2026-11-20", "2026-11-24"), Idou("生年月日", "1985-06-00", "1985-06-15"),
            Idou("国民健康保険", "有 (取得 2026-11-20)", "無 (喪失 2026-11-24)")], foreign: false));

        Assert.Contains("昭和60年6月15日", record, StringComparison.Ordinal);
        Assert.Contains("令和8年11月20日", record, StringComparison.Ordinal);
        Assert.Contains("令和8年11月20日 → 令和8年11月24日", history, StringComparison.Ordinal);
        Assert.Contains("昭和60年6月（日不詳） → 昭和60年6月15日", history, StringComparison.Ordinal);
        Assert.Contains("有 (取得 令和8年11月20日) → 無 (喪失 令和8年11月24日)", history, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d{4}年\d{1,2}月|\d{4}-\d{2}-\d{2}", record + history);
    }

    [Spec("1.1.9#2")]
    [Spec("1.1.9#5")]
    [Fact]
    public void A_foreign_residents_birth_date_and_stay_expiry_are_shown_in_the_western_calendar_and_other_dates_in_wareki()
    {
        var foreign = Person(ResidentKind.Foreign);
        var record = Shown(s => Views.Resident(s, foreign));
        var row = Shown(s => Views.ResidentRow(s, 1, foreign));
        var history = Shown(s => Views.History(s, [Idou("在留期間の満了の日", "2027-03-31", "2030-03-31"), Idou("住所を定めた年月日", "2026-11-20", "2026-11-24")], foreign: true));

        Assert.Contains("1985年6月15日", record, StringComparison.Ordinal);
        Assert.Contains("2027年3月31日", record, StringComparison.Ordinal);
        Assert.Contains("1985年6月15日", row, StringComparison.Ordinal);
        Assert.Contains("令和8年11月20日", record, StringComparison.Ordinal);
        Assert.DoesNotContain("昭和60年", record + row, StringComparison.Ordinal);
        Assert.DoesNotContain("令和9年3月31日", record, StringComparison.Ordinal);
        Assert.Contains("2027年3月31日 → 2030年3月31日", history, StringComparison.Ordinal);
        Assert.Contains("令和8年11月20日 → 令和8年11月24日", history, StringComparison.Ordinal);
    }

    [Fact]
    public void A_history_line_names_its_date_by_what_the_idou_was_made_on_with_the_place_and_the_note()
    {
        var made = Idou("本籍", "東京都千代田区千代田1番", "東京都小平市小川町一丁目1番");
        (made.NotifiedOn, made.NotifiedOnLabel, made.Basis, made.Place, made.Terminal, made.Note) =
            (new Google.Type.Date { Year = 2026, Month = 11, Day = 20 }, "申出日", "申出", "本庁", "T001", "本人の申出による");
        var history = Shown(s => Views.History(s, [made], foreign: false));

        Assert.Contains("職権修正（申出日 令和8年11月20日）", history, StringComparison.Ordinal);
        Assert.Contains("本庁 端末 T001", history, StringComparison.Ordinal);
        Assert.Contains("留意事項: 本人の申出による", history, StringComparison.Ordinal);
        Assert.DoesNotContain("届出日", history, StringComparison.Ordinal);
    }

    private static IdouRecord Idou(string item, string before, string after) => new()
    {
        Reason = "職権修正",
        OccurredOn = new Google.Type.Date { Year = 2026, Month = 11, Day = 24 },
        Changes = { new ItemChange { Item = item, Before = before, After = after } },
    };
}
