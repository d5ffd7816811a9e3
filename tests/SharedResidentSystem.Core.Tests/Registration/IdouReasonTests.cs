using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Registration;

/// <summary>異動事由 as a closed value with its code (1.2.2), and the code list it is read from.</summary>
public sealed class IdouReasonTests
{
    private static readonly string[] Header = ["区分,異動事由,コード"];

    /// <summary>The code list as shipped, as lines.</summary>
    private static List<string> Shipped() =>
        [.. Header, .. IdouReason.All.Select(r => $"{r.Category},{r.Name},{r.Code}")];

    [Spec("1.2.2#1")]
    [Spec("1.2.2#2")]
    [Spec("1.2.2#3")]
    [Fact]
    public void Every_reason_of_the_standard_has_one_code_and_the_code_gives_back_its_category()
    {
        Assert.Equal(9 + 9 + 19, IdouReason.All.Count);
        Assert.Equal(IdouReason.All.Count, IdouReason.All.Select(r => r.Code).Distinct().Count());
        foreach (var reason in IdouReason.All)
        {
            Assert.Same(reason, IdouReason.FromCode(reason.Code));
            Assert.Contains(reason.Name, IdouReasons.All[reason.Category]);
        }
        Assert.Equal("修正", IdouReason.Of("転居").Category);
        Assert.Equal("記載", IdouReason.FromCode(IdouReason.In("記載", "国内転入").Code)!.Category);
        Assert.Null(IdouReason.FromCode("99"));
    }

    [Fact]
    public void A_reason_standing_in_two_categories_is_two_values_and_must_be_named_with_its_category()
    {
        var entry = IdouReason.In("記載", IdouReasons.Remaking);
        var removal = IdouReason.In("消除", IdouReasons.Remaking);
        Assert.NotEqual(entry.Code, removal.Code);
        Assert.Throws<ArgumentException>(() => IdouReason.Of(IdouReasons.Remaking));
        Assert.Throws<ArgumentException>(() => IdouReason.In("修正", IdouReasons.Remaking));
    }

    [Spec("1.2.2#41")]
    [Fact]
    public void There_is_no_reason_for_a_cancelled_move_and_an_unknown_name_is_refused()
    {
        Assert.DoesNotContain(IdouReason.All, r => r.Name == "転居取消");
        Assert.False(IdouReason.IsKnown("転居取消"));
        Assert.Throws<ArgumentException>(() => IdouReason.Of("転居取消"));
    }

    [Fact]
    public void The_shipped_list_loads_and_a_replacement_list_changes_the_codes_only()
    {
        var renumbered = Shipped().Select((line, i) => i == 0 ? line : line[..line.LastIndexOf(',')] + $",A{i:D2}").ToList();
        var loaded = IdouReason.Load(renumbered);
        Assert.Equal(IdouReason.All.Select(r => (r.Category, r.Name)), loaded.Select(r => (r.Category, r.Name)));
        Assert.Equal("A01", loaded[0].Code);
    }

    [Fact]
    public void A_code_list_that_misses_a_reason_names_one_not_in_the_standard_or_repeats_a_code_is_refused()
    {
        var missing = Shipped().Where(line => !line.StartsWith("記載,出生,", StringComparison.Ordinal)).ToList();
        Assert.Contains("記載/出生 has no code", Assert.Throws<InvalidDataException>(() => IdouReason.Load(missing)).Message, StringComparison.Ordinal);

        var unknown = Shipped().Append("修正,転居取消,99").ToList();
        Assert.Contains("修正/転居取消 is not a 異動事由", Assert.Throws<InvalidDataException>(() => IdouReason.Load(unknown)).Message, StringComparison.Ordinal);

        var twice = Shipped().Append($"記載,出生,{IdouReason.All[0].Code}").ToList();
        var message = Assert.Throws<InvalidDataException>(() => IdouReason.Load(twice)).Message;
        Assert.Contains("記載/出生 has a second code", message, StringComparison.Ordinal);

        var shared = Shipped().Select(line => line.StartsWith("記載,出生,", StringComparison.Ordinal) ? $"記載,出生,{IdouReason.All[0].Code}" : line).ToList();
        Assert.Contains($"code {IdouReason.All[0].Code} is given to 2 reasons", Assert.Throws<InvalidDataException>(() => IdouReason.Load(shared)).Message, StringComparison.Ordinal);
    }
}
