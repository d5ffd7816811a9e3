using SharedResidentSystem.Japanese;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Japanese.Tests;

public class WarekiTests
{
    [Spec("1.3.6#1")]
    [Theory]
    [InlineData("1985-06-15", 1985, 6, 15)]
    [InlineData("1985/6/15", 1985, 6, 15)]
    [InlineData("1985年6月15日", 1985, 6, 15)]
    [InlineData("昭和60年6月15日", 1985, 6, 15)]
    [InlineData("S60.6.15", 1985, 6, 15)]
    [InlineData("s60.06.15", 1985, 6, 15)]
    [InlineData("Ｓ６０．６．１５", 1985, 6, 15)]
    [InlineData("平成元年1月8日", 1989, 1, 8)]
    [InlineData("H1.1.8", 1989, 1, 8)]
    [InlineData("令和元年5月1日", 2019, 5, 1)]
    [InlineData("R6.2.29", 2024, 2, 29)]
    [InlineData("大正15年12月25日", 1926, 12, 25)]
    [InlineData("明治45年7月30日", 1912, 7, 30)]
    [InlineData("大正元年7月30日", 1912, 7, 30)]
    [InlineData("昭和元年12月25日", 1926, 12, 25)]
    [InlineData("昭和64年1月7日", 1989, 1, 7)]
    [InlineData("平成31年4月30日", 2019, 4, 30)]
    [InlineData("平成元年1月", 1989, 1, 0)]
    [InlineData("昭和64年", 1989, 0, 0)]
    [InlineData("昭和60年", 1985, 0, 0)]
    [InlineData("1985", 1985, 0, 0)]
    [InlineData("昭和60年6月", 1985, 6, 0)]
    public void Dates_typed_in_either_calendar_are_read(string text, int year, int month, int day)
    {
        Assert.True(Wareki.TryParse(text, out var y, out var m, out var d), text);
        Assert.Equal((year, month, day), (y, m, d));
    }

    [Spec("1.3.6#1")]
    [Theory]
    [InlineData("")]
    [InlineData("昭和60年2月30日")]
    [InlineData("X60.6.15")]
    [InlineData("1985-13-01")]
    [InlineData("令和")]
    public void Impossible_or_unreadable_dates_are_not_read(string text) => Assert.False(Wareki.TryParse(text, out _, out _, out _));

    [Spec("1.3.6#1")]
    [Theory]
    [InlineData("明治45年7月31日")]
    [InlineData("明治46年")]
    [InlineData("大正元年7月29日")]
    [InlineData("大正元年6月")]
    [InlineData("大正15年12月26日")]
    [InlineData("大正16年1月1日")]
    [InlineData("昭和元年12月24日")]
    [InlineData("昭和64年1月8日")]
    [InlineData("昭和65年1月1日")]
    [InlineData("S65.3.1")]
    [InlineData("昭和65年")]
    [InlineData("平成元年1月7日")]
    [InlineData("H1.1.7")]
    [InlineData("平成31年5月1日")]
    [InlineData("平成32年1月1日")]
    [InlineData("令和元年4月30日")]
    [InlineData("令和元年4月")]
    [InlineData("令和0年5月1日")]
    public void A_wareki_date_outside_its_era_is_refused_and_says_when_the_era_ran(string text)
    {
        Assert.False(Wareki.TryParse(text, out _, out _, out _, out var problem), text);
        Assert.Matches("(ありません（.+は.+から|元年)", problem);
    }

    [Spec("1.3.6#1")]
    [Fact]
    public void Every_era_runs_from_its_first_day_to_its_last_without_a_gap()
    {
        var eras = Wareki.Eras;
        Assert.Equal(["明治", "大正", "昭和", "平成", "令和"], eras.Select(e => e.Name));
        Assert.Equal(
            [(new DateOnly(1912, 7, 30), new DateOnly(1912, 7, 30)), (new DateOnly(1926, 12, 25), new DateOnly(1926, 12, 25)),
             (new DateOnly(1989, 1, 7), new DateOnly(1989, 1, 8)), (new DateOnly(2019, 4, 30), new DateOnly(2019, 5, 1))],
            eras.Zip(eras.Skip(1), (a, b) => (a.Last!.Value, b.First)));
        Assert.Null(eras[^1].Last);
    }

    [Spec("1.1.9#3")]
    [Theory]
    [InlineData(1985, 6, 15, "昭和60年6月15日")]
    [InlineData(2019, 5, 1, "令和元年5月1日")]
    [InlineData(2019, 4, 30, "平成31年4月30日")]
    [InlineData(1989, 1, 7, "昭和64年1月7日")]
    public void Dates_are_written_in_wareki_with_gannen(int year, int month, int day, string expected) =>
        Assert.Equal(expected, Wareki.Format(new DateOnly(year, month, day)));
}

/// <summary>Eras added by setting change what every formatting in the process writes: these tests run alone.</summary>
[CollectionDefinition(nameof(AddedEras), DisableParallelization = true)]
public sealed class AddedEras;

[Collection(nameof(AddedEras))]
public class AddedEraTests
{
    [Spec("1.3.6#2")]
    [Fact]
    public void A_new_era_set_by_parameter_is_written_and_read_and_ends_the_one_before()
    {
        try
        {
            Wareki.AddEras([("新元", 'N', new DateOnly(2031, 5, 1))]);

            Assert.Equal("令和13年4月30日", Wareki.Format(new DateOnly(2031, 4, 30)));
            Assert.Equal("新元元年5月1日", Wareki.Format(new DateOnly(2031, 5, 1)));
            Assert.Equal("新元2年1月1日", Wareki.Format(new DateOnly(2032, 1, 1)));
            Assert.True(Wareki.TryParse("N2.1.1", out var y, out var m, out var d));
            Assert.Equal((2032, 1, 1), (y, m, d));
            Assert.True(Wareki.TryParse("新元元年5月1日", out y, out m, out d));
            Assert.Equal((2031, 5, 1), (y, m, d));
            Assert.False(Wareki.TryParse("令和13年5月1日", out _, out _, out _));
            Assert.False(Wareki.TryParse("新元元年4月30日", out _, out _, out _));
            Assert.Throws<ArgumentException>(() => Wareki.AddEras([("旧元", 'Q', new DateOnly(2018, 1, 1))]));
            Assert.Throws<ArgumentException>(() => Wareki.AddEras([("別元", 'R', new DateOnly(2032, 1, 1))]));
        }
        finally
        {
            Wareki.AddEras([]);
        }
        Assert.Equal("令和13年5月1日", Wareki.Format(new DateOnly(2031, 5, 1)));
    }
}
