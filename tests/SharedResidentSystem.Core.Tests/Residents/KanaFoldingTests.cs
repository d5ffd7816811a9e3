using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Residents;

public class KanaFoldingTests
{
    [Spec("2.1.2#3")]
    [Spec("2.1.2#7")]
    [Theory]
    [InlineData("ﾀｶﾊｼ")]
    [InlineData("たかはし")]
    [InlineData("タカハシ")]
    [InlineData("タカ ハシ")]
    [InlineData("タカ　ハシ")]
    [InlineData("ダカバジ")]
    [InlineData("ﾀﾞｶﾊﾞｼ")]
    public void Readings_fold_to_one_key(string reading) => Assert.Equal(KanaFolding.FoldKana("タカハシ"), KanaFolding.FoldKana(reading));

    [Spec("2.1.2#4")]
    [Spec("2.1.2#8")]
    [Spec("2.1.2#9")]
    [Spec("2.1.2#10")]
    [Theory]
    [InlineData("キョウコ", "キヨウコ")]
    [InlineData("サトウ", "サトー")]
    [InlineData("オオタ", "オウタ")]
    [InlineData("オオタ", "オータ")]
    [InlineData("ジョージ", "ジヨジ")]
    [InlineData("パク", "ハク")]
    [InlineData("スズキ-イチロウ", "スズキイチロウ")]
    public void Small_kana_long_vowels_dashes_and_o_sounds_are_ignored(string a, string b) =>
        Assert.Equal(KanaFolding.FoldKana(a), KanaFolding.FoldKana(b));

    [Theory]
    [InlineData("タナカ", "タカハシ")]
    [InlineData("サトウ", "サイトウ")]
    public void Different_names_stay_different(string a, string b) => Assert.NotEqual(KanaFolding.FoldKana(a), KanaFolding.FoldKana(b));

    [Spec("2.1.2#3")]
    [Theory]
    [InlineData("フジ", "フヂ")]
    [InlineData("スズキ", "スヅキ")]
    [InlineData("イワタ", "イハタ")]
    [InlineData("ヴァイオレット", "バイオレット")]
    [InlineData("ヴィクトル", "ビクトル")]
    [InlineData("ヴント", "ブント")]
    [InlineData("カオル", "カヲル")]
    [InlineData("ヒロコ", "ピロコ")]
    [InlineData("ゔぃくとる", "ビクトル")]
    [InlineData("ﾜﾀﾅﾍﾞ", "ハタナベ")]
    public void Each_pair_of_voicing_the_standard_names_is_one_reading(string a, string b) => Assert.Equal(KanaFolding.FoldKana(a), KanaFolding.FoldKana(b));

    [Spec("2.1.2#4")]
    [Theory]
    [InlineData("ハットリ", "ハツトリ")]
    [InlineData("キャラ", "キヤラ")]
    [InlineData("リュウ", "リユウ")]
    [InlineData("ショウコ", "シヨウコ")]
    public void Small_and_large_kana_of_the_standards_pairs_are_one_reading(string a, string b) => Assert.Equal(KanaFolding.FoldKana(a), KanaFolding.FoldKana(b));

    [Spec("2.1.2#11")]
    [Fact]
    public void Written_names_fold_variant_kanji_and_drop_variation_selectors()
    {
        Assert.Equal(KanaFolding.FoldName("渡辺"), KanaFolding.FoldName("渡邊"));
        Assert.Equal(KanaFolding.FoldName("渡辺"), KanaFolding.FoldName("渡邉\U000E0110"));
        Assert.Equal(KanaFolding.FoldName("葛飾"), KanaFolding.FoldName("葛\U000E0102飾"));
        Assert.Equal(KanaFolding.FoldName("高橋"), KanaFolding.FoldName("髙橋"));
        Assert.Equal("山田太郎", KanaFolding.FoldName("山田 太郎"));
    }

    [Fact]
    public void Kana_detection_accepts_both_scripts_and_rejects_kanji()
    {
        Assert.True(KanaFolding.IsKana("たかはし タロウ"));
        Assert.True(KanaFolding.IsKana("ﾀｶﾊｼ"));
        Assert.False(KanaFolding.IsKana("高橋"));
    }
}
