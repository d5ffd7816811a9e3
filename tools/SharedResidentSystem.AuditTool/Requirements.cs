using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SharedResidentSystem.AuditTool;

/// <summary>What a requirement line of the standard asks: 【実装すべき機能】, 【実装してもしなくても良い機能】 or 【実装しない機能】.</summary>
public enum RequirementClass
{
    Must,
    Optional,
    MustNot,
}

/// <summary>
/// One requirement line of 住民記録システム標準仕様書 chapter 3: one sentence or bullet of a
/// section that asks for one thing. Its id is the section number and its position in the
/// section (<c>4.1.1.1#3</c>), counted over the three classes in the order the section gives them.
/// </summary>
/// <param name="Context">The sub-heading the line stands under within its class (【…】, ○…, ＜…＞), if any.</param>
/// <param name="Notes">Examples (例) and remarks (※) that explain the line; they ask nothing of their own.</param>
public sealed record RequirementLine(string Section, int Number, string Title, RequirementClass Class, string Context, string Text, string Notes)
{
    public string Id => $"{Section}#{Number.ToString(CultureInfo.InvariantCulture)}";

    public static string ClassName(RequirementClass c) => c switch
    {
        RequirementClass.Must => "must",
        RequirementClass.Optional => "optional",
        _ => "must-not",
    };

    public static RequirementClass ParseClass(string name) => name switch
    {
        "must" => RequirementClass.Must,
        "optional" => RequirementClass.Optional,
        "must-not" => RequirementClass.MustNot,
        _ => throw new FormatException($"unknown requirement class '{name}' (must, optional, must-not)"),
    };
}

/// <summary>
/// Splits the standard's sections into requirement lines, and reads and writes the generated
/// catalogue (docs/conformance/requirements.csv). The split is mechanical so that it can be
/// regenerated from the reference files and checked by anyone:
/// every non-blank line of a class block is a requirement line, split further into its
/// sentences (at 「。」 outside brackets); a line that is wholly a heading (【…】, ○…, ＜…＞,
/// （…）) labels the lines under it; a line that starts with 例 or ※ is a note of the line before,
/// and so are the 「…」 example lines that follow such a note; page numbers of the printed
/// original ("95 / 493") are dropped.
/// </summary>
public static partial class Requirements
{
    private static readonly Dictionary<string, RequirementClass> ClassHeadings = new(StringComparer.Ordinal)
    {
        ["【実装すべき機能】"] = RequirementClass.Must,
        ["【実装してもしなくても良い機能】"] = RequirementClass.Optional,
        ["【実装しない機能】"] = RequirementClass.MustNot,
    };

    [GeneratedRegex(@"^(?<number>\d+(?:\.\d+)*)\.\s*(?<title>.*)$")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^\d+ / \d+$")]
    private static partial Regex PageMarker();

    /// <summary>The lines of one section file; none when the file is a heading without classes.</summary>
    public static IReadOnlyList<RequirementLine> Parse(string text)
    {
        var lines = text.TrimStart('\uFEFF').Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var heading = SectionHeading().Match(lines[0].Trim());
        if (!heading.Success)
        {
            throw new FormatException($"the first line is not a section heading: {lines[0]}");
        }
        var section = heading.Groups["number"].Value;
        var title = heading.Groups["title"].Value.Trim();
        var found = new List<RequirementLine>();
        RequirementClass? current = null;
        var context = "";
        var inNote = false;
        foreach (var line in LogicalLines(lines.Skip(1)))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (ClassHeadings.TryGetValue(line, out var cls))
            {
                current = cls;
                context = "";
                inNote = false;
                continue;
            }
            if (current is null)
            {
                continue;
            }
            if (PageMarker().IsMatch(line))
            {
                // "95 / 493": a page number carried over from the printed original, not text.
                continue;
            }
            if (IsHeading(line))
            {
                context = line;
                inNote = false;
                continue;
            }
            inNote = (IsNote(line) || (inNote && line.StartsWith('「'))) && found.Count > 0 && found[^1].Class == current;
            if (inNote)
            {
                var previous = found[^1];
                found[^1] = previous with { Notes = previous.Notes.Length == 0 ? line : previous.Notes + " " + line };
                continue;
            }
            foreach (var sentence in Sentences(line))
            {
                found.Add(new RequirementLine(section, found.Count + 1, title, current.Value, context, sentence, ""));
            }
        }
        return found;
    }

    /// <summary>
    /// The lines of a section as written, except that a line the printed original broke inside
    /// brackets (「…（生年」 + 「月日が同じ…）」) is joined with the lines that close them.
    /// </summary>
    private static IEnumerable<string> LogicalLines(IEnumerable<string> lines)
    {
        var pending = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (pending.Length > 0)
            {
                if (line.Length == 0 || ClassHeadings.ContainsKey(line) || line.StartsWith('・') || line.StartsWith('【') || line.StartsWith('○'))
                {
                    yield return pending;
                    pending = "";
                }
                else
                {
                    line = pending + line;
                    pending = "";
                }
            }
            if (OpenBrackets(line) > 0)
            {
                pending = line;
                continue;
            }
            yield return line;
        }
        if (pending.Length > 0)
        {
            yield return pending;
        }
    }

    private static int OpenBrackets(string line)
    {
        var depth = 0;
        foreach (var c in line)
        {
            if (Opening.Contains(c))
            {
                depth++;
            }
            else if (Closing.Contains(c))
            {
                depth = Math.Max(0, depth - 1);
            }
        }
        return depth;
    }

    /// <summary>Every section file of a folder of the reference (j*.txt), in section order.</summary>
    public static IReadOnlyList<RequirementLine> ReadReference(string directory)
    {
        var files = Directory.EnumerateFiles(directory, "*.txt").ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"no section files (*.txt) in {directory}");
        }
        return files.SelectMany(f => Parse(File.ReadAllText(f, Encoding.UTF8)))
            .OrderBy(l => l.Section, SectionOrder.Instance)
            .ThenBy(l => l.Number)
            .ToList();
    }

    public static string ToCsv(IEnumerable<RequirementLine> lines)
    {
        var csv = new StringBuilder("id,section,title,class,context,text,notes\n");
        foreach (var l in lines)
        {
            csv.Append(string.Join(',', l.Id, l.Section, Csv.Quote(l.Title), RequirementLine.ClassName(l.Class), Csv.Quote(l.Context), Csv.Quote(l.Text), Csv.Quote(l.Notes))).Append('\n');
        }
        return csv.ToString();
    }

    public static IReadOnlyList<RequirementLine> ReadCsv(string path) =>
        Csv.Read(path).Skip(1).Select(r => new RequirementLine(
            r[1], int.Parse(r[0][(r[0].IndexOf('#', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture),
            r[2], RequirementLine.ParseClass(r[3]), r[4], r[5], r[6])).ToList();

    private static bool IsHeading(string line) =>
        (line.StartsWith('【') && line.EndsWith('】'))
        || (line.StartsWith('＜') && line.EndsWith('＞'))
        || (line.StartsWith('（') && line.EndsWith('）') && ClosingBracket(line, 0) == line.Length - 1)
        || (line.StartsWith('○') && !line.Contains('。', StringComparison.Ordinal));

    private static bool IsNote(string line) => line.StartsWith('※') || line.StartsWith('例');

    private const string Opening = "（(「【＜『";
    private const string Closing = "）)」】＞』";

    /// <summary>The sentences of a line, split at 「。」 that is not inside brackets.</summary>
    public static IEnumerable<string> Sentences(string line)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (Opening.Contains(c))
            {
                depth++;
            }
            else if (Closing.Contains(c))
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (c == '。' && depth == 0)
            {
                var sentence = line[start..(i + 1)].Trim();
                if (sentence.Length > 1)
                {
                    yield return sentence;
                }
                start = i + 1;
            }
        }
        var rest = line[start..].Trim();
        if (rest.Length > 0)
        {
            yield return rest;
        }
    }

    private static int ClosingBracket(string line, int open)
    {
        var depth = 0;
        for (var i = open; i < line.Length; i++)
        {
            if (line[i] == '（')
            {
                depth++;
            }
            else if (line[i] == '）' && --depth == 0)
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>Orders section numbers as numbers (1.1.2 before 1.1.10).</summary>
public sealed class SectionOrder : IComparer<string>
{
    public static readonly SectionOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = (x ?? "").Split('.');
        var b = (y ?? "").Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = int.Parse(a[i], CultureInfo.InvariantCulture).CompareTo(int.Parse(b[i], CultureInfo.InvariantCulture));
            if (c != 0)
            {
                return c;
            }
        }
        return a.Length.CompareTo(b.Length);
    }
}

/// <summary>The small CSV dialect of the conformance files (RFC 4180 quoting, UTF-8, one record per line).</summary>
public static class Csv
{
    public static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    public static IEnumerable<string[]> Read(string path)
    {
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Trim().Length > 0))
        {
            yield return Split(line);
        }
    }

    public static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString().TrimEnd('\r'));
        return fields.ToArray();
    }
}
