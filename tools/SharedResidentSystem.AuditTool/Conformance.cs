using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Xml.Linq;

namespace SharedResidentSystem.AuditTool;

/// <summary>
/// The conformance matrix, one row per requirement line of the standard: the catalogue
/// (docs/conformance/requirements.csv, generated from the reference), what this system says of
/// lines that no test can show (docs/conformance/mapping.csv: configuration, terminal-side,
/// not applicable), and the tests that prove lines ([Spec("4.1.1.1#3")] on test methods) with
/// their results (TRX). A line is reported implemented (a must-not line: absent) only when a test
/// naming it passed and none failed; a section is implemented only when every must line is.
/// </summary>
public static class Conformance
{
    public const string Implemented = "implemented";
    public const string Absent = "absent";
    public const string Configuration = "configuration";
    public const string Terminal = "terminal";
    public const string NotApplicable = "not-applicable";
    public const string NotYet = "not-yet";

    /// <summary>Statuses the mapping may claim without a test: each needs its note (the setting, the screen, the reason).</summary>
    private static readonly string[] Claimable = [Configuration, Terminal, NotApplicable];

    public sealed record Claim(string Status, string Note);

    public sealed record LineRow(RequirementLine Line, string Status, IReadOnlyList<string> Tests, int Passed, int Failed, string Note);

    public sealed record SectionRow(string Section, string Title, string Status, int MustLines, int MustDone, int OptionalLines, int OptionalDone, int MustNotLines, int MustNotShown);

    public static int Run(string requirements, string mapping, IReadOnlyList<string> results, IReadOnlyList<string> testAssemblies, string outDirectory, bool strict, TextWriter output, TextWriter errors)
    {
        var problems = new List<string>();
        var rows = Evaluate(Requirements.ReadCsv(requirements), Csv.Read(mapping).Skip(1), testAssemblies.SelectMany(DiscoverSpecs).ToList(),
            results.SelectMany(ReadTrx).ToList(), problems);
        var sections = Sections(rows);
        Directory.CreateDirectory(outDirectory);
        File.WriteAllText(Path.Combine(outDirectory, "conformance.md"), Markdown(rows, sections, problems), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(outDirectory, "conformance.csv"), LineCsv(rows), new UTF8Encoding(false));
        output.WriteLine(Summary(rows, sections) + $"; {problems.Count} problem(s); written to {outDirectory}");
        foreach (var problem in problems)
        {
            errors.WriteLine("conformance: " + problem);
        }
        return strict && problems.Count > 0 ? 1 : 0;
    }

    /// <summary>The status of every line from the mapping's claims, the tests that name it and their outcomes.</summary>
    public static IReadOnlyList<LineRow> Evaluate(IReadOnlyList<RequirementLine> lines, IEnumerable<string[]> mapping,
        IReadOnlyList<(string Spec, string Test)> specs, IReadOnlyList<(string Name, string Outcome)> outcomes, List<string> problems)
    {
        var ids = lines.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var claims = new Dictionary<string, Claim>(StringComparer.Ordinal);
        foreach (var r in mapping)
        {
            var claim = new Claim(r.Length > 1 ? r[1] : "", r.Length > 2 ? r[2] : "");
            if (!ids.Contains(r[0]))
            {
                problems.Add($"mapping: {r[0]} is not a requirement line of the catalogue");
            }
            else if (!Claimable.Contains(claim.Status))
            {
                problems.Add($"mapping: {r[0]}: '{claim.Status}' cannot be claimed without a test ({string.Join(", ", Claimable)}; implemented lines are shown by [Spec] tests)");
            }
            else if (claim.Note.Trim().Length == 0)
            {
                problems.Add($"mapping: {r[0]}: {claim.Status} needs a note naming the setting, the screen or the reason");
            }
            else if (!claims.TryAdd(r[0], claim))
            {
                problems.Add($"mapping: {r[0]} is listed twice");
            }
        }
        foreach (var (spec, test) in specs.Where(s => !ids.Contains(s.Spec)).Distinct())
        {
            problems.Add(spec.Contains('#', StringComparison.Ordinal)
                ? $"{test}: [Spec(\"{spec}\")] names no requirement line of the catalogue"
                : $"{test}: [Spec(\"{spec}\")] names a section, not a requirement line (write the line, e.g. \"{spec}#1\")");
        }
        var rows = new List<LineRow>();
        foreach (var line in lines)
        {
            var tests = specs.Where(s => s.Spec == line.Id).Select(s => s.Test).Distinct().Order(StringComparer.Ordinal).ToList();
            var ran = outcomes.Where(o => tests.Any(t => o.Name == t || o.Name.StartsWith(t + "(", StringComparison.Ordinal))).ToList();
            var passed = ran.Count(o => o.Outcome == "Passed");
            var failed = ran.Count(o => o.Outcome != "Passed");
            var claim = claims.GetValueOrDefault(line.Id);
            string status;
            if (tests.Count > 0 && (passed == 0 || failed > 0))
            {
                status = NotYet;
                problems.Add($"{line.Id}: {tests.Count} test(s) name the line, {passed} passed, {failed} failed");
            }
            else if (passed > 0)
            {
                status = line.Class == RequirementClass.MustNot ? Absent : Implemented;
            }
            else
            {
                status = claim?.Status ?? NotYet;
            }
            rows.Add(new LineRow(line, status, tests, passed, failed, claim?.Note ?? ""));
        }
        return rows;
    }

    /// <summary>One sentence of counts, as the README states them.</summary>
    public static string Summary(IReadOnlyList<LineRow> rows, IReadOnlyList<SectionRow> sections)
    {
        int Count(RequirementClass c, params string[] statuses) => rows.Count(r => r.Line.Class == c && statuses.Contains(r.Status));
        int All(RequirementClass c) => rows.Count(r => r.Line.Class == c);
        return string.Create(CultureInfo.InvariantCulture,
            $"conformance: {rows.Count} requirement lines ({All(RequirementClass.Must)} must, {All(RequirementClass.Optional)} optional, {All(RequirementClass.MustNot)} must-not); " +
            $"must: {Count(RequirementClass.Must, Implemented)} implemented, {Count(RequirementClass.Must, Configuration)} configuration, {Count(RequirementClass.Must, Terminal)} terminal, " +
            $"{Count(RequirementClass.Must, NotApplicable)} not applicable, {Count(RequirementClass.Must, NotYet)} not yet; " +
            $"optional: {Count(RequirementClass.Optional, Implemented, Configuration, Terminal)} built; " +
            $"must-not: {Count(RequirementClass.MustNot, Absent)} shown absent by tests, {Count(RequirementClass.MustNot, NotApplicable)} not applicable; " +
            $"sections: {sections.Count(s => s.Status == Implemented)} of {sections.Count(s => s.MustLines > 0)} with must lines implemented, {sections.Count(s => s.Status == "partly")} partly");
    }

    public static IReadOnlyList<SectionRow> Sections(IReadOnlyList<LineRow> rows) =>
        rows.GroupBy(r => r.Line.Section).Select(g =>
        {
            var must = g.Where(r => r.Line.Class == RequirementClass.Must).ToList();
            var optional = g.Where(r => r.Line.Class == RequirementClass.Optional).ToList();
            var mustNot = g.Where(r => r.Line.Class == RequirementClass.MustNot).ToList();
            var mustDone = must.Count(r => r.Status != NotYet);
            var mustNotShown = mustNot.Count(r => r.Status != NotYet);
            var status = must.Count == 0 ? (optional.Any(r => r.Status != NotYet) ? "optional built" : "no must lines")
                : mustDone == must.Count && mustNotShown == mustNot.Count ? Implemented
                : mustDone > 0 || mustNotShown > 0 ? "partly"
                : NotYet;
            return new SectionRow(g.Key, g.First().Line.Title, status, must.Count, mustDone, optional.Count, optional.Count(r => r.Status != NotYet), mustNot.Count, mustNotShown);
        }).ToList();

    private static string Markdown(IReadOnlyList<LineRow> rows, IReadOnlyList<SectionRow> sections, List<string> problems)
    {
        var md = new StringBuilder();
        md.AppendLine("# Conformance matrix: 住民記録システム標準仕様書 第1.0版 chapter 3, line by line");
        md.AppendLine();
        md.AppendLine("Generated by `srs-audit conformance report` from `docs/conformance/requirements.csv` (every requirement line,");
        md.AppendLine("split from the standard's text by `srs-audit conformance catalogue`), `docs/conformance/mapping.csv` (lines shown by");
        md.AppendLine("configuration, by the terminal, or not applicable, each with its note) and the test results of `./test.sh`.");
        md.AppendLine("A line is implemented (a must-not line: absent) only when a test carrying its `[Spec(\"section#n\")]` passed;");
        md.AppendLine("a section is implemented only when every must line is. `srs-audit conformance show SECTION` prints one section.");
        md.AppendLine();
        md.AppendLine(Summary(rows, sections));
        md.AppendLine();
        md.AppendLine("## Totals per chapter (lines)");
        md.AppendLine();
        md.AppendLine("| chapter | must | implemented | configuration | terminal | not applicable | not yet | optional | optional built | must-not | shown absent | sections implemented | partly |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var chapter in rows.GroupBy(r => r.Line.Section.Split('.')[0]).OrderBy(g => int.Parse(g.Key, CultureInfo.InvariantCulture)))
        {
            var must = chapter.Where(r => r.Line.Class == RequirementClass.Must).ToList();
            var optional = chapter.Where(r => r.Line.Class == RequirementClass.Optional).ToList();
            var mustNot = chapter.Where(r => r.Line.Class == RequirementClass.MustNot).ToList();
            var secs = sections.Where(s => s.Section.Split('.')[0] == chapter.Key).ToList();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {chapter.Key} | {must.Count} | {must.Count(r => r.Status == Implemented)} | {must.Count(r => r.Status == Configuration)} | {must.Count(r => r.Status == Terminal)} | {must.Count(r => r.Status == NotApplicable)} | {must.Count(r => r.Status == NotYet)} " +
                $"| {optional.Count} | {optional.Count(r => r.Status != NotYet)} | {mustNot.Count} | {mustNot.Count(r => r.Status == Absent)} | {secs.Count(s => s.Status == Implemented)} | {secs.Count(s => s.Status == "partly")} |");
        }
        md.AppendLine();
        md.AppendLine("## Sections");
        md.AppendLine();
        md.AppendLine("| section | title | status | must lines done | optional built | must-not shown absent |");
        md.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var s in sections)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Section} | {s.Title} | {s.Status} | {s.MustDone}/{s.MustLines} | {s.OptionalDone}/{s.OptionalLines} | {s.MustNotShown}/{s.MustNotLines} |");
        }
        md.AppendLine();
        md.AppendLine("## Lines");
        md.AppendLine();
        md.AppendLine("| line | class | status | evidence | text |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var r in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Line.Id} | {RequirementLine.ClassName(r.Line.Class)} | {r.Status} | {Cell(Evidence(r, "<br>"))} | {Cell(Text(r.Line))} |");
        }
        if (problems.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Problems");
            md.AppendLine();
            foreach (var p in problems)
            {
                md.AppendLine("- " + p);
            }
        }
        return md.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "／", StringComparison.Ordinal);

    /// <summary>The tests (passed/run) or the mapping's note that back a line.</summary>
    public static string Evidence(LineRow r, string separator) =>
        r.Tests.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{r.Passed}/{r.Passed + r.Failed}: ") + string.Join(separator, r.Tests.Select(ShortName).Distinct())
            : r.Note;

    private static string ShortName(string test)
    {
        var parts = test.Split('.');
        return parts.Length >= 2 ? parts[^2] + "." + parts[^1] : test;
    }

    public static string Text(RequirementLine l) => (l.Context.Length > 0 ? l.Context + " " : "") + l.Text;

    private static string LineCsv(IReadOnlyList<LineRow> rows)
    {
        var csv = new StringBuilder("id,section,title,class,status,tests_passed,tests_failed,tests,note,context,text\n");
        foreach (var r in rows)
        {
            csv.Append(string.Join(',', r.Line.Id, r.Line.Section, Csv.Quote(r.Line.Title), RequirementLine.ClassName(r.Line.Class), r.Status,
                r.Passed, r.Failed, Csv.Quote(string.Join(";", r.Tests)), Csv.Quote(r.Note), Csv.Quote(r.Line.Context), Csv.Quote(r.Line.Text))).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>Prints one section (or one line) of a generated matrix: the standard's lines beside their status and evidence.</summary>
    public static int Show(string matrix, string what, TextWriter output, TextWriter errors)
    {
        var rows = Csv.Read(matrix).Skip(1)
            .Where(r => r[1] == what || r[0] == what || r[1].StartsWith(what + ".", StringComparison.Ordinal))
            .ToList();
        if (rows.Count == 0)
        {
            errors.WriteLine($"srs-audit: {what} is neither a section nor a requirement line of {matrix}");
            return 2;
        }
        foreach (var section in rows.GroupBy(r => r[1]))
        {
            var must = section.Where(r => r[3] == "must").ToList();
            var done = must.Count(r => r[4] != NotYet);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{section.Key} {section.First()[2]}  (must lines done {done}/{must.Count})"));
            foreach (var r in section)
            {
                var evidence = r[7].Length > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{r[5]}/{int.Parse(r[5], CultureInfo.InvariantCulture) + int.Parse(r[6], CultureInfo.InvariantCulture)} passed: ") + string.Join(", ", r[7].Split(';').Select(ShortName))
                    : r[8];
                var text = (r[9].Length > 0 ? r[9] + " " : "") + r[10];
                output.WriteLine($"  {r[0],-12} {r[3],-8} {r[4],-14} {text}");
                if (evidence.Length > 0)
                {
                    output.WriteLine($"  {"",-12} {"",-8} {"",-14} ← {evidence}");
                }
            }
        }
        return 0;
    }

    /// <summary>Test methods (on concrete classes, inherited ones included) and the requirement lines their [Spec] names.</summary>
    public static IEnumerable<(string Spec, string Test)> DiscoverSpecs(string assemblyPath)
    {
        var context = new AssemblyLoadContext("conformance-" + Guid.NewGuid(), isCollectible: true);
        var resolver = new AssemblyDependencyResolver(Path.GetFullPath(assemblyPath));
        context.Resolving += (ctx, name) => resolver.ResolveAssemblyToPath(name) is { } path ? ctx.LoadFromAssemblyPath(path) : null;
        var found = new List<(string, string)>();
        try
        {
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types;
            }
            foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false }))
            {
                var classSpecs = Specs(type!.GetCustomAttributesData()).ToList();
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
                {
                    var data = method.GetCustomAttributesData();
                    if (!data.Any(a => a.AttributeType.FullName is "Xunit.FactAttribute" or "Xunit.TheoryAttribute"))
                    {
                        continue;
                    }
                    foreach (var spec in Specs(data).Concat(classSpecs).Distinct())
                    {
                        found.Add((spec, $"{type.FullName}.{method.Name}"));
                    }
                }
            }
        }
        finally
        {
            context.Unload();
        }
        return found;
    }

    private static IEnumerable<string> Specs(IEnumerable<CustomAttributeData> attributes) =>
        attributes.Where(a => a.AttributeType.FullName == "SharedResidentSystem.Testing.SpecAttribute")
            .Select(a => a.ConstructorArguments[0].Value as string ?? "");

    /// <summary>Test names and outcomes of a TRX file, or of every TRX file in a folder.</summary>
    public static IEnumerable<(string Name, string Outcome)> ReadTrx(string path)
    {
        var files = Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.trx") : [path];
        foreach (var file in files)
        {
            var doc = XDocument.Load(file);
            foreach (var result in doc.Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
            {
                yield return ((string?)result.Attribute("testName") ?? "", (string?)result.Attribute("outcome") ?? "");
            }
        }
    }
}
