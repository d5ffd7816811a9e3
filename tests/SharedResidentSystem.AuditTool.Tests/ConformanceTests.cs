using SharedResidentSystem.AuditTool;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.AuditTool.Tests;

public class ConformanceTests
{
    private static readonly IReadOnlyList<RequirementLine> Lines =
    [
        new("9.1", 1, "節", RequirementClass.Must, "", "甲ができること。", ""),
        new("9.1", 2, "節", RequirementClass.Must, "", "乙ができること。", ""),
        new("9.1", 3, "節", RequirementClass.MustNot, "", "丙ができること。", ""),
        new("9.2", 1, "別の節", RequirementClass.Must, "", "丁ができること。", ""),
        new("9.2", 2, "別の節", RequirementClass.Optional, "", "戊ができること。", ""),
    ];

    [Fact]
    public void A_line_is_implemented_only_by_a_passing_test_that_names_it_and_a_section_only_when_every_must_line_is()
    {
        var problems = new List<string>();
        var rows = Conformance.Evaluate(Lines,
            [["9.2#1", "configuration", "options.x"]],
            [("9.1#1", "T.A"), ("9.1#3", "T.B"), ("9.1#2", "T.C")],
            [("T.A", "Passed"), ("T.B", "Passed"), ("T.C", "Failed")],
            problems);

        Assert.Equal(["implemented", "not-yet", "absent", "configuration", "not-yet"], rows.Select(r => r.Status));
        Assert.Contains(problems, p => p.StartsWith("9.1#2:", StringComparison.Ordinal));
        var sections = Conformance.Sections(rows);
        Assert.Equal("partly", sections[0].Status);
        Assert.Equal("implemented", sections[1].Status);
    }

    [Fact]
    public void Claims_without_tests_need_a_note_and_implemented_cannot_be_claimed_at_all()
    {
        var problems = new List<string>();
        var rows = Conformance.Evaluate(Lines,
            [["9.1#1", "implemented", "信じてください"], ["9.1#2", "terminal", ""], ["9.9#1", "not-applicable", "理由"]],
            [("9.1", "T.Section"), ("9.1#7", "T.Nowhere")],
            [("T.Section", "Passed"), ("T.Nowhere", "Passed")],
            problems);

        Assert.All(rows, r => Assert.Equal("not-yet", r.Status));
        Assert.Contains(problems, p => p.Contains("9.1#1: 'implemented' cannot be claimed", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("9.1#2: terminal needs a note", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("9.9#1 is not a requirement line", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("[Spec(\"9.1\")] names a section, not a requirement line", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("[Spec(\"9.1#7\")] names no requirement line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Show_prints_the_standards_lines_beside_status_and_evidence()
    {
        var folder = RepositoryPaths.NewTempDirectory("srs-conformance");
        try
        {
            var requirements = Path.Combine(folder, "requirements.csv");
            var mapping = Path.Combine(folder, "mapping.csv");
            await File.WriteAllTextAsync(requirements, Requirements.ToCsv(Lines));
            await File.WriteAllTextAsync(mapping, "id,status,note\n9.2#1,configuration,options.x\n");
            var output = new StringWriter();
            var code = await AuditCli.RunAsync(["conformance", "report", "--requirements", requirements, "--mapping", mapping, "--out", folder], output, new StringWriter());
            Assert.Equal(AuditCli.Done, code);

            output = new StringWriter();
            code = await AuditCli.RunAsync(["conformance", "show", "9.2", "--matrix", Path.Combine(folder, "conformance.csv")], output, new StringWriter());

            Assert.Equal(AuditCli.Done, code);
            var text = output.ToString();
            Assert.Contains("9.2 別の節  (must lines done 1/1)", text, StringComparison.Ordinal);
            Assert.Contains("9.2#1", text, StringComparison.Ordinal);
            Assert.Contains("configuration", text, StringComparison.Ordinal);
            Assert.Contains("丁ができること。", text, StringComparison.Ordinal);
            Assert.Contains("← options.x", text, StringComparison.Ordinal);
            Assert.DoesNotContain("9.1#1", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("log", "search", "--staf", "clerk")]
    [InlineData("log", "search", "--limit", "10", "--resdent", "123")]
    [InlineData("verify-chain", "--checkpont", "kept.json")]
    [InlineData("log", "analyse", "night-holidays")]
    [InlineData("conformance", "show")]
    public async Task A_misspelt_or_missing_argument_is_refused_with_exit_2_and_named(params string[] args)
    {
        var errors = new StringWriter();

        var code = await AuditCli.RunAsync(args, new StringWriter(), errors);

        Assert.Equal(AuditCli.Usage, code);
        Assert.Contains("srs-audit:", errors.ToString(), StringComparison.Ordinal);
    }
}
