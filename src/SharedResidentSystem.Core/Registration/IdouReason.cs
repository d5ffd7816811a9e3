using System.Reflection;

namespace SharedResidentSystem.Core.Registration;

/// <summary>
/// One 異動事由 of 1.2.2 as a closed value: its category (記載 / 消除 / 修正), its name and its
/// 住民基本台帳異動事由コード. Only the reasons of <see cref="IdouReasons.All"/> exist; a reason
/// such as 改製 that stands in two categories is two values. The codes come from the code list
/// <c>idou-reason-codes.csv</c> beside this file (a data file, so that the national code list
/// replaces ours without a code change); the list must give every reason exactly one code.
/// </summary>
public sealed class IdouReason
{
    private const string CodeListResource = "idou-reason-codes.csv";

    private IdouReason(string category, string name, string code)
    {
        Category = category;
        Name = name;
        Code = code;
    }

    /// <summary>記載, 消除 or 修正.</summary>
    public string Category { get; }

    /// <summary>The reason as the register stores and prints it (国内転入 …).</summary>
    public string Name { get; }

    /// <summary>住民基本台帳異動事由コード, as the code list gives it.</summary>
    public string Code { get; }

    /// <summary>Every 異動事由, in the standard's order.</summary>
    public static IReadOnlyList<IdouReason> All { get; } = Load(ReadCodeList());

    /// <summary>The reason of this name in this category; throws for one the standard does not have.</summary>
    public static IdouReason In(string category, string name) =>
        Find(category, name) ?? throw new ArgumentException($"unknown 異動事由 {category}/{name}", nameof(name));

    /// <summary>The reason of this name in this category, or null (a stored value read back).</summary>
    public static IdouReason? Find(string category, string name) =>
        All.FirstOrDefault(r => r.Category == category && r.Name == name);

    /// <summary>
    /// The reason of this name; throws for an unknown name and for a name that stands in two
    /// categories (改製, 再製), which needs <see cref="In"/>.
    /// </summary>
    public static IdouReason Of(string name)
    {
        var found = All.Where(r => r.Name == name).Take(2).ToList();
        return found.Count switch
        {
            1 => found[0],
            0 => throw new ArgumentException($"unknown 異動事由 {name}", nameof(name)),
            _ => throw new ArgumentException($"異動事由 {name} stands in two categories; name the category", nameof(name)),
        };
    }

    /// <summary>The reason a 住民基本台帳異動事由コード stands for, or null.</summary>
    public static IdouReason? FromCode(string code) => All.FirstOrDefault(r => r.Code == code);

    public static bool IsKnown(string name) => All.Any(r => r.Name == name);

    public override string ToString() => $"{Category}/{Name} ({Code})";

    /// <summary>
    /// Builds the values from a code list (header 区分,異動事由,コード, one line per reason).
    /// Refuses a list that misses a reason, names one the standard does not have, gives one two
    /// codes or gives two reasons the same code.
    /// </summary>
    internal static IReadOnlyList<IdouReason> Load(IEnumerable<string> lines)
    {
        var codes = new Dictionary<(string Category, string Name), string>();
        var problems = new List<string>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (number == 1 || line.Trim().Length == 0)
            {
                continue;
            }
            var cells = line.Split(',');
            if (cells.Length != 3 || cells[2].Trim().Length == 0)
            {
                problems.Add($"line {number}: expected 区分,異動事由,コード");
                continue;
            }
            var key = (cells[0].Trim(), cells[1].Trim());
            if (!IdouReasons.All.TryGetValue(key.Item1, out var names) || !names.Contains(key.Item2))
            {
                problems.Add($"line {number}: {key.Item1}/{key.Item2} is not a 異動事由 of 1.2.2");
            }
            else if (!codes.TryAdd(key, cells[2].Trim()))
            {
                problems.Add($"line {number}: {key.Item1}/{key.Item2} has a second code");
            }
        }
        var reasons = IdouReasons.All.SelectMany(kv => kv.Value.Select(name => (Category: kv.Key, Name: name))).ToList();
        problems.AddRange(reasons.Where(r => !codes.ContainsKey(r)).Select(r => $"{r.Category}/{r.Name} has no code"));
        problems.AddRange(codes.GroupBy(kv => kv.Value).Where(g => g.Count() > 1).Select(g => $"code {g.Key} is given to {g.Count()} reasons"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException("異動事由 code list: " + string.Join("; ", problems));
        }
        return reasons.Select(r => new IdouReason(r.Category, r.Name, codes[r])).ToList();
    }

    private static List<string> ReadCodeList()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(CodeListResource)
            ?? throw new InvalidOperationException($"resource {CodeListResource} missing");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }
}
