using SharedResidentSystem.AuditTool;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.AuditTool.Tests;

public class RequirementsTests
{
    // A made-up section in the reference files' layout: a heading line, the three class blocks,
    // sub-headings, bullets, notes and examples, and sentences with 「。」 inside brackets.
    private const string Section = """
        ﻿9.9.9. 試験用の節

        【実装すべき機能】
        甲を登録できること。乙を照会できること（照会は「閲覧。」を含む。）。
        ※「登録」とは、保存することをいう。
        【記録する項目】
        ・丙
        ・丁（和暦で持つこと。生年
        月日は不詳でもよい。）
        ○ 補足の区分
        ・戊を表示できること。
        12 / 345
        例：表示の例
        「戊」は「つちのえ」
        「己」は「つちのと」
        なお、庚は任意とする。

        【実装してもしなくても良い機能】
        辛を出力できること。

        【実装しない機能】
        壬を入力できること。

        """;

    [Fact]
    public void A_section_splits_into_numbered_lines_of_one_sentence_or_bullet_each()
    {
        var lines = Requirements.Parse(Section);

        Assert.Equal(
            ["9.9.9#1", "9.9.9#2", "9.9.9#3", "9.9.9#4", "9.9.9#5", "9.9.9#6", "9.9.9#7", "9.9.9#8"],
            lines.Select(l => l.Id));
        Assert.All(lines, l => Assert.Equal("試験用の節", l.Title));
        Assert.Equal("甲を登録できること。", lines[0].Text);
        Assert.Equal("乙を照会できること（照会は「閲覧。」を含む。）。", lines[1].Text);
        Assert.Equal("※「登録」とは、保存することをいう。", lines[1].Notes);
        Assert.Equal(("【記録する項目】", "・丙"), (lines[2].Context, lines[2].Text));
        Assert.Equal("・丁（和暦で持つこと。生年月日は不詳でもよい。）", lines[3].Text);
        Assert.Equal(("○ 補足の区分", "・戊を表示できること。"), (lines[4].Context, lines[4].Text));
        Assert.Equal("例：表示の例 「戊」は「つちのえ」 「己」は「つちのと」", lines[4].Notes);
        Assert.Equal("なお、庚は任意とする。", lines[5].Text);
        Assert.Equal([RequirementClass.Must, RequirementClass.Must, RequirementClass.Must, RequirementClass.Must, RequirementClass.Must, RequirementClass.Must, RequirementClass.Optional, RequirementClass.MustNot],
            lines.Select(l => l.Class));
        Assert.Equal(("", "辛を出力できること。"), (lines[6].Context, lines[6].Text));
        Assert.Equal("壬を入力できること。", lines[7].Text);
    }

    [Fact]
    public void A_heading_without_classes_has_no_lines_and_a_file_without_a_heading_is_refused()
    {
        Assert.Empty(Requirements.Parse("5.1. 見出しだけの節\n\n"));
        Assert.Throws<FormatException>(() => Requirements.Parse("見出しのない文書\n【実装すべき機能】\n甲。\n"));
    }

    [Fact]
    public void The_catalogue_reads_back_as_written_and_its_lines_are_numbered_without_gaps()
    {
        var path = Path.Combine(RepositoryPaths.Root, "docs", "conformance", "requirements.csv");
        var lines = Requirements.ReadCsv(path);

        Assert.Equal(File.ReadAllText(path), Requirements.ToCsv(lines));
        Assert.True(lines.Count > 900, $"{lines.Count} lines");
        foreach (var section in lines.GroupBy(l => l.Section))
        {
            Assert.Equal(Enumerable.Range(1, section.Count()), section.Select(l => l.Number));
        }
        Assert.Equal(143, lines.Select(l => l.Section).Distinct().Count());
        Assert.Contains(lines, l => l.Id == "4.0.3#5" && l.Class == RequirementClass.MustNot);
    }

    [Fact]
    public void Sections_are_ordered_as_numbers()
    {
        string[] sections = ["1.1.10", "10.1", "1.1.2", "2.1", "1.1"];
        Assert.Equal(["1.1", "1.1.2", "1.1.10", "2.1", "10.1"], sections.Order(SectionOrder.Instance));
    }
}
