using SharedResidentSystem.Core.Residents;

namespace SharedResidentSystem.Core.Tests.Residents;

/// <summary>A date with unknown parts: which ones exist, and which is a date at all (never an exception).</summary>
public sealed class PartialDateValueTests
{
    [Theory]
    [InlineData(2026, 11, 26, true)]
    [InlineData(2026, 11, 0, true)]
    [InlineData(0, 2, 29, true)]
    [InlineData(0, 0, 0, true)]
    [InlineData(2025, 2, 29, false)]
    [InlineData(2026, 13, 1, false)]
    [InlineData(2026, 0, 5, false)]
    [InlineData(10000, 1, 1, false)]
    [InlineData(-1, 1, 1, false)]
    [InlineData(2026, 1, 32, false)]
    [InlineData(int.MaxValue, int.MaxValue, int.MaxValue, false)]
    public void A_date_is_valid_only_when_its_known_parts_exist(int year, int month, int day, bool valid)
    {
        var date = new PartialDateValue(year, month, day);
        Assert.Equal(valid, date.IsValid);
        Assert.Equal(valid && year > 0 && month > 0 && day > 0 ? new DateOnly(year, month, day) : null, date.AsDate);
        if (!valid)
        {
            Assert.Null(date.Earliest);
        }
    }
}
