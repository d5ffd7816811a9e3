using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Jobs;

/// <summary>The draw of 9.6: who qualifies, in which stratum, how many each stratum gets, and which are drawn.</summary>
public sealed class RandomExtractionTests
{
    private static readonly TenantDefinition City = new("132063", "府中市", "ふちゅうし", "東京都", [], "{}")
    {
        Districts = [new DistrictEntry("N", "北", [new DistrictArea("本町", [1, 2])]), new DistrictEntry("S", "南", [new DistrictArea("本町", [3, 4])])],
    };

    private static RandomExtractionParameters Parameters(int sex = 0, string from = "", string to = "", string[]? districts = null, int kind = 0, string strata = "") =>
        new(sex, from, to, districts ?? [], kind, 10, 7, strata, new DateOnly(2026, 11, 30));

    private static PersonVersion Person(int sex = 1, int year = 1980, int month = 6, int day = 15, int chome = 1, ResidentKind kind = ResidentKind.Japanese, ResidentState state = ResidentState.Active) => new()
    {
        ResidentNumber = "1", Sex = sex, BirthYear = year, BirthMonth = month, BirthDay = day, Kind = kind, State = state,
        Address = new StoredAddress { Town = "本町", Chome = chome },
    };

    [Fact]
    [Spec("9.6#1")]
    public void Sex_birth_date_district_and_kind_each_narrow_and_a_removed_record_never_qualifies()
    {
        Assert.True(RandomExtraction.Matches(Person(), Parameters(), City));
        Assert.False(RandomExtraction.Matches(Person(state: ResidentState.Removed), Parameters(), City));
        Assert.False(RandomExtraction.Matches(Person(sex: 1), Parameters(sex: 2), City));
        Assert.True(RandomExtraction.Matches(Person(year: 1980, month: 6, day: 15), Parameters(from: "1980-06-15", to: "1980-06-15"), City));
        Assert.False(RandomExtraction.Matches(Person(year: 1980, month: 6, day: 14), Parameters(from: "1980-06-15"), City));
        Assert.False(RandomExtraction.Matches(Person(chome: 1), Parameters(districts: ["S"]), City));
        Assert.True(RandomExtraction.Matches(Person(chome: 4), Parameters(districts: ["S"]), City));
        Assert.False(RandomExtraction.Matches(Person(kind: ResidentKind.Foreign), Parameters(kind: 1), City));
        Assert.True(RandomExtraction.Matches(Person(kind: ResidentKind.Foreign), Parameters(kind: 2), City));
    }

    [Fact]
    public void Strata_are_sex_district_or_ten_year_age_bands_on_the_day_the_job_started()
    {
        Assert.Equal("女", RandomExtraction.StratumOf(Person(sex: 2), Parameters(strata: "sex"), City));
        Assert.Equal("S", RandomExtraction.StratumOf(Person(chome: 3), Parameters(strata: "district"), City));
        // Born 1996-12-01: 29 on 2026-11-30, 30 the next day.
        Assert.Equal("20歳代", RandomExtraction.StratumOf(Person(year: 1996, month: 12, day: 1), Parameters(strata: "age10"), City));
        Assert.Equal("30歳代", RandomExtraction.StratumOf(Person(year: 1996, month: 11, day: 30), Parameters(strata: "age10"), City));
        Assert.Equal("年齢不詳", RandomExtraction.StratumOf(Person(year: 0, month: 0, day: 0), Parameters(strata: "age10"), City));
    }

    [Fact]
    public void The_count_is_shared_in_proportion_and_the_rest_goes_to_the_largest_remainders()
    {
        Assert.Equal(new Dictionary<string, int> { ["a"] = 5, ["b"] = 3, ["c"] = 2 }, RandomExtraction.Allocate(new Dictionary<string, long> { ["a"] = 50, ["b"] = 30, ["c"] = 20 }, 10));
        // 7 of 3+3+1: exact 3, 3, 1.
        Assert.Equal(new Dictionary<string, int> { ["a"] = 3, ["b"] = 3, ["c"] = 1 }, RandomExtraction.Allocate(new Dictionary<string, long> { ["a"] = 3, ["b"] = 3, ["c"] = 1 }, 10));
        // 2 of 1+1+1: equal remainders go in the strata's order.
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 0 }, RandomExtraction.Allocate(new Dictionary<string, long> { ["c"] = 1, ["b"] = 1, ["a"] = 1 }, 2));
        Assert.Empty(RandomExtraction.Allocate(new Dictionary<string, long>(), 5));
    }

    [Fact]
    [Spec("9.6#1")]
    public void The_draw_keeps_the_lowest_places_whatever_the_order_they_come_in_and_a_seed_always_gives_the_same_places()
    {
        var numbers = Enumerable.Range(1, 200).Select(i => i.ToString("D10", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        List<string> Draw(IEnumerable<string> order)
        {
            var drawn = new List<RandomExtraction.Pick>();
            foreach (var n in order)
            {
                RandomExtraction.Offer(drawn, new RandomExtraction.Pick(RandomExtraction.PlaceOf(42, n), n), 7);
            }
            return drawn.Select(p => p.Resident).ToList();
        }
        var forward = Draw(numbers);
        Assert.Equal(7, forward.Count);
        Assert.Equal(forward, Draw(Enumerable.Reverse(numbers)));
        Assert.Equal(numbers.OrderBy(n => RandomExtraction.PlaceOf(42, n)).Take(7), forward);
        Assert.Equal(RandomExtraction.PlaceOf(42, "0000000001"), RandomExtraction.PlaceOf(42, "0000000001"));
        Assert.NotEqual(forward, numbers.OrderBy(n => RandomExtraction.PlaceOf(43, n)).Take(7));
    }
}

/// <summary>When a scheduled job is due (9.1#1): a date and time, every day, a weekday, a day of the month, the month's end.</summary>
public sealed class JobScheduleTests
{
    private static JobSchedule Every(string every, int hour = 2, int minute = 30) => new("s", "csConsistency", new TimeOnly(hour, minute), every, "{}", "r");

    [Theory]
    [Spec("9.1#1")]
    // 2026-11-30 is a Monday, the last day of November.
    [InlineData("day", "2026-11-30 03:00", "2026-11-30 02:30")]
    [InlineData("day", "2026-11-30 02:00", "2026-11-29 02:30")]
    [InlineData("week:mon", "2026-11-30 03:00", "2026-11-30 02:30")]
    [InlineData("week:sun", "2026-11-30 02:00", "2026-11-29 02:30")]
    [InlineData("week:sun", "2026-11-30 03:00", null)]
    [InlineData("week:sat", "2026-11-30 03:00", null)]
    [InlineData("month:30", "2026-11-30 03:00", "2026-11-30 02:30")]
    [InlineData("month:31", "2026-12-01 01:00", null)]
    [InlineData("monthEnd", "2026-11-30 03:00", "2026-11-30 02:30")]
    [InlineData("monthEnd", "2026-12-01 01:00", "2026-11-30 02:30")]
    [InlineData("monthEnd", "2026-12-01 03:00", null)]
    [InlineData("once:2026-11-30", "2026-11-30 03:00", "2026-11-30 02:30")]
    [InlineData("once:2026-11-29", "2026-11-30 03:00", null)]
    [InlineData("year:11-30", "2026-11-30 03:00", "2026-11-30 02:30")]
    [InlineData("year:11-30", "2027-11-30 03:00", "2027-11-30 02:30")]
    [InlineData("year:11-29", "2026-11-30 03:00", null)]
    [InlineData("year:12-01", "2026-11-30 03:00", null)]
    public void A_run_is_due_at_its_time_on_its_days_and_one_missed_is_made_up_for_within_a_day(string every, string now, string? due)
    {
        var at = DateTime.ParseExact(now, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var expected = due is null ? (DateTime?)null : DateTime.ParseExact(due, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, JobSchedules.LastDue(Every(every), at));
    }

    [Theory]
    [InlineData("hourly")]
    [InlineData("week:monday")]
    [InlineData("month:32")]
    [InlineData("once:2026-02-30")]
    [InlineData("year:02-29")]
    [InlineData("year:04-31")]
    [InlineData("year:13-01")]
    public void A_schedule_it_cannot_keep_is_named(string every) => Assert.NotNull(JobSchedules.Problem(every));

    [Fact]
    public void Each_run_has_its_own_key() =>
        Assert.Equal("s@2026-11-30T02:30", JobSchedules.RunKey(Every("day"), new DateTime(2026, 11, 30, 2, 30, 0, DateTimeKind.Unspecified)));
}

public sealed class RemovedRecordsArchivingTests
{
    [Fact]
    [Spec("9.3#1")]
    public void A_removal_has_passed_five_years_from_the_day_after_the_same_date_five_years_on()
    {
        // Removed 2021-12-01: five years have passed on 2026-12-02, not on 2026-12-01.
        var removed = new DateOnly(2021, 12, 1);
        Assert.False(removed < RemovedRecordsArchiving.Before(new DateOnly(2026, 12, 1), 5));
        Assert.True(removed < RemovedRecordsArchiving.Before(new DateOnly(2026, 12, 2), 5));
        // A 29 February counts to the 28th of a common year.
        Assert.Equal(new DateOnly(2019, 2, 28), RemovedRecordsArchiving.Before(new DateOnly(2024, 2, 29), 5));
    }

    [Fact]
    public void Keys_are_compared_as_the_engines_order_them_text_by_code_point()
    {
        Assert.True(Core.Migration.MigrationExporter.CompareKeys(["132110", "0000000002", 1], ["132110", "0000000010", 1]) < 0);
        Assert.True(Core.Migration.MigrationExporter.CompareKeys(["132110", "0000000002", 2], ["132110", "0000000002", 10]) < 0);
        Assert.Equal(0, Core.Migration.MigrationExporter.CompareKeys(["132110", 7L], ["132110", 7L]));
        // A character beyond the BMP sorts after U+FF5E by code point (as UTF-8 bytes do), not before it as UTF-16 units would.
        Assert.True(Core.Migration.MigrationExporter.CompareKeys(["\uFF5E"], ["\U00020BB7"]) < 0);
    }
}
