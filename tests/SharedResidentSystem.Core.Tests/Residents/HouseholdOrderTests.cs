using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Residents;

public class HouseholdOrderTests
{
    private static PersonVersion P(string number, string relationship, int year, int month = 1, int day = 1) =>
        new() { ResidentNumber = number, Relationship = relationship, BirthYear = year, BirthMonth = month, BirthDay = day };

    [Spec("5.2#4")]
    [Spec("5.2#5")]
    [Spec("5.2#6")]
    [Spec("5.2#7")]
    [Spec("5.2#8")]
    [Spec("5.2#14")]
    [Spec("5.2#18")]
    [Fact]
    public void Members_follow_the_four_ranks_then_birth_then_number()
    {
        var sorted = HouseholdOrder.Sort(
        [
            P("09", "同居人", 1970),
            P("08", "縁故者", 1960),
            P("07", "妻の兄", 1975),
            P("06", "母", 1945),
            P("05", "弟", 1982),
            P("04", "子の子", 2030),
            P("03", "子", 2012),
            P("02", "子", 2010),
            P("01", "妻", 1981),
            P("00", "世帯主", 1980),
            P("10", "子の妻", 2011),
            P("11", "父の母", 1920),
        ]);
        Assert.Equal(["世帯主", "妻", "子", "子", "子の妻", "子の子", "母", "弟", "父の母", "妻の兄", "縁故者", "同居人"], sorted.Select(p => p.Relationship));
        Assert.Equal(["02", "03"], sorted.Where(p => p.Relationship == "子").Select(p => p.ResidentNumber));
    }

    [Spec("5.2#23")]
    [Fact]
    public void Twins_are_ordered_by_resident_number_and_unknown_dates_go_last()
    {
        var sorted = HouseholdOrder.Sort([P("124", "姉", 1990, 5, 5), P("123", "兄", 1990, 5, 5), P("100", "弟", 0, 0, 0), P("200", "妹", 1995)]);
        Assert.Equal(["123", "124", "200", "100"], sorted.Select(p => p.ResidentNumber));
    }
}
