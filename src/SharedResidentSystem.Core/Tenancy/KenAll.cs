using System.Text;
using CsvHelper;
using SharedResidentSystem.Core.Numbers;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>
/// Japan Post's national postal code file (the KEN_ALL form: Shift_JIS, 15 columns, no header)
/// read for one city's towns (1.3): the 5-digit 全国地方公共団体コード becomes the 6-digit code
/// with its check digit; a town name longer than one record continues on the next records of
/// the same postal code until its bracket closes; notes in brackets (（次のビルを除く）,
/// （１～３丁目）, （地階・階層不明） …) are not part of the town's name; the catch-all records
/// (以下に掲載がない場合, …の次に番地がくる場合, …一円) name no town. A town that several postal
/// codes serve keeps the first.
/// </summary>
public static class KenAll
{
    /// <summary>A town with its reading in hiragana (the file's 町域名カナ, notes dropped).</summary>
    public sealed record Town(string LocalGovernmentCode, string City, string PostalCode, string Name, string Kana = "");

    /// <summary>Line numbers (1-based) where a record could not be read, with why.</summary>
    public sealed record Problem(int Line, string Message);

    private const int Columns = 15;

    static KenAll() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding ShiftJis => Encoding.GetEncoding(932);

    /// <summary>The towns of <paramref name="code"/> (6 digits) in the file, in file order.</summary>
    public static (IReadOnlyList<Town> Towns, IReadOnlyList<Problem> Problems) Read(Stream file, string code, Encoding? encoding = null)
    {
        if (!CheckDigits.IsValidLocalGovernmentCode(code))
        {
            throw new ArgumentException($"'{code}' は団体コードではありません。", nameof(code));
        }
        var body5 = code[..5];
        using var csv = CsvReader.Create(file, new CsvReaderOptions { HasHeader = false, Encoding = encoding ?? ShiftJis, TrackLineNumbers = true, TrimWhitespace = true }, leaveOpen: true);
        var towns = new List<Town>();
        var problems = new List<Problem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        (int Line, string Postal, string City, StringBuilder Name, StringBuilder Kana)? open = null;
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (csv.FieldCount != Columns)
            {
                problems.Add(new Problem(line, $"列の数が {csv.FieldCount} です ({Columns} 列の形式ではありません)。"));
                continue;
            }
            if (csv.GetString(0) != body5)
            {
                continue;
            }
            var postal = csv.GetString(2);
            var city = csv.GetString(7);
            var name = csv.GetString(8);
            var kana = csv.GetString(5);
            if (postal.Length != 7 || !postal.All(char.IsAsciiDigit))
            {
                problems.Add(new Problem(line, $"郵便番号 '{postal}' は7桁の数字ではありません。"));
                continue;
            }
            if (open is { } pending && pending.Postal == postal)
            {
                // The continuation of a town name split over records.
                pending.Name.Append(name);
                if (pending.Kana.ToString() != kana)
                {
                    // The reading is split too, except where every record repeats it whole.
                    pending.Kana.Append(kana);
                }
                if (Balanced(pending.Name.ToString()))
                {
                    Add(pending.Postal, pending.City, pending.Name.ToString(), pending.Kana.ToString());
                    open = null;
                }
                continue;
            }
            if (open is { } unfinished)
            {
                problems.Add(new Problem(unfinished.Line, "町域名の括弧が閉じないまま次の郵便番号になりました。"));
                open = null;
            }
            if (!Balanced(name))
            {
                open = (line, postal, city, new StringBuilder(name), new StringBuilder(kana));
                continue;
            }
            Add(postal, city, name, kana);
        }
        if (open is { } last)
        {
            problems.Add(new Problem(last.Line, "町域名の括弧が閉じないままファイルが終わりました。"));
        }
        return (towns, problems);

        void Add(string postal, string city, string name, string kana)
        {
            var town = TownName(name, city);
            if (town.Length > 0 && seen.Add(town))
            {
                towns.Add(new Town(code, city, postal, town, Reading(kana)));
            }
        }
    }

    /// <summary>The town's name without the notes of the file; empty for a record that names no town.</summary>
    public static string TownName(string name, string city)
    {
        if (name is "以下に掲載がない場合" || name.EndsWith("の次に番地がくる場合", StringComparison.Ordinal) || name == city + "一円" || name.EndsWith("一円", StringComparison.Ordinal) && name.Length <= city.Length + 3)
        {
            return "";
        }
        var bracket = name.IndexOf('（', StringComparison.Ordinal);
        return (bracket < 0 ? name : name[..bracket]).Trim();
    }

    /// <summary>A 町域名カナ in hiragana: half-width to full-width, the bracketed notes dropped.</summary>
    public static string Reading(string kana)
    {
        var full = kana.Normalize(NormalizationForm.FormKC);
        var bracket = full.IndexOf('(', StringComparison.Ordinal);
        var reading = (bracket < 0 ? full : full[..bracket]).Trim();
        return string.Concat(reading.Select(c => c is >= 'ァ' and <= 'ヶ' ? (char)(c - 0x60) : c));
    }

    /// <summary>The towns as the address dictionary's CSV (local_government_code, city, postal_code, town, town_kana).</summary>
    public static string ToTownCsv(IEnumerable<Town> towns)
    {
        var text = new StringBuilder("local_government_code,city,postal_code,town,town_kana\n");
        foreach (var t in towns)
        {
            text.Append(t.LocalGovernmentCode).Append(',').Append(t.City).Append(',').Append(t.PostalCode).Append(',').Append(t.Name).Append(',').Append(t.Kana).Append('\n');
        }
        return text.ToString();
    }

    private static bool Balanced(string name) =>
        name.Count(c => c == '（') == name.Count(c => c == '）');
}
