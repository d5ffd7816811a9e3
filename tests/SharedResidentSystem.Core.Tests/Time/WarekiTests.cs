using SharedResidentSystem.Japanese;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Time;

[Spec("1.3.6")]
public class WarekiTests
{
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
    [InlineData("昭和60年", 1985, 0, 0)]
    [InlineData("1985", 1985, 0, 0)]
    [InlineData("昭和60年6月", 1985, 6, 0)]
    public void Dates_typed_in_either_calendar_are_read(string text, int year, int month, int day)
    {
        Assert.True(Wareki.TryParse(text, out var y, out var m, out var d), text);
        Assert.Equal((year, month, day), (y, m, d));
    }

    [Theory]
    [InlineData("")]
    [InlineData("昭和60年2月30日")]
    [InlineData("X60.6.15")]
    [InlineData("1985-13-01")]
    [InlineData("令和")]
    public void Impossible_or_unreadable_dates_are_not_read(string text) => Assert.False(Wareki.TryParse(text, out _, out _, out _));

    [Spec("1.1.9")]
    [Theory]
    [InlineData(1985, 6, 15, "昭和60年6月15日")]
    [InlineData(2019, 5, 1, "令和元年5月1日")]
    [InlineData(2019, 4, 30, "平成31年4月30日")]
    [InlineData(1989, 1, 7, "昭和64年1月7日")]
    public void Dates_are_written_in_wareki_with_gannen(int year, int month, int day, string expected) =>
        Assert.Equal(expected, Wareki.Format(new DateOnly(year, month, day)));
}
