using SharedResidentSystem.Core.Cs;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Cs;

/// <summary>Text sent to the CS in 住基ネット統一文字 (7.1.1.1).</summary>
public sealed class UnifiedCharactersTests
{
    [Fact]
    [Spec("7.1.1.1#16")]
    public void Characters_of_the_set_go_as_they_are_a_variation_selector_is_dropped_and_the_rest_need_the_citys_conversion()
    {
        var unconvertible = new List<string>();
        Assert.Equal("葛飾区 タカハシ　高橋 1-2", UnifiedCharacters.Basic.Convert("葛\U000E0102飾区 タカハシ　高橋 1-2", unconvertible));
        Assert.Empty(unconvertible);

        Assert.Equal("𠮷田", UnifiedCharacters.Basic.Convert("𠮷田", unconvertible));
        Assert.Equal(["𠮷"], unconvertible);
        Assert.Equal("𠮷 (U+20BB7)", UnifiedCharacters.Describe("𠮷"));

        // The city's table: a character (any variant of it), or one variant only.
        var city = new UnifiedCharacters(new Dictionary<string, string> { ["𠮷"] = "吉", ["辻\U000E0101"] = "辻" });
        unconvertible.Clear();
        Assert.Equal("吉田 辻", city.Convert("𠮷田 辻\U000E0101", unconvertible));
        Assert.Empty(unconvertible);
        Assert.False(UnifiedCharacters.IsInSet("𠮷"));
        Assert.True(UnifiedCharacters.IsInSet("吉"));
    }
}
