using System.Globalization;
using CsvHelper;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;

namespace SharedResidentSystem.Core.Migration;

/// <summary>One entry of a code list (コード表): its code and its name.</summary>
public sealed record CodeEntry(string List, string Code, string Name);

/// <summary>
/// The code lists (コード表) of the migration files: the 区分 lists and 年号 as the layout file
/// gives them (held to the register's own values by <see cref="MigrationLayout.Check"/>), the
/// 住民基本台帳異動事由 and 異動区分 from the register's own code list, and 続柄 from its rule
/// (1.1.11: the base words, joined by 「の」). The exporter writes them as one file beside the
/// data; the importer checks every coded value against them.
/// </summary>
public sealed class MigrationCodes
{
    public const string IdouReasonList = "住民基本台帳異動事由";
    public const string IdouCategoryList = "異動区分";
    public const string RelationshipList = "続柄";

    private static readonly string[] RelationshipWords =
        [Relationships.Head, "夫", "妻", "夫（未届）", "妻（未届）", "子", "父", "母", "兄", "姉", "弟", "妹", Relationships.Kin, Relationships.Lodger];

    private readonly MigrationLayout _layout;
    private readonly HashSet<string> _reasons = IdouReason.All.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
    private readonly HashSet<string> _categories = [IdouReasons.Entry, IdouReasons.Removal, IdouReasons.Amendment];

    public MigrationCodes(MigrationLayout layout) => _layout = layout;

    /// <summary>Every entry of every code list, list by list (the order of the code table file).</summary>
    public IEnumerable<CodeEntry> Entries()
    {
        foreach (var (list, codes) in _layout.Codes)
        {
            foreach (var (code, name) in codes)
            {
                yield return new CodeEntry(list, code, name);
            }
        }
        foreach (var category in _categories)
        {
            yield return new CodeEntry(IdouCategoryList, category, category);
        }
        foreach (var reason in IdouReason.All)
        {
            yield return new CodeEntry(IdouReasonList, reason.Code, $"{reason.Category}：{reason.Name}");
        }
        foreach (var word in RelationshipWords)
        {
            yield return new CodeEntry(RelationshipList, word, word);
        }
    }

    /// <summary>
    /// The rule a value of an item with a code list breaks, or null. An empty value is not set
    /// (whether it may be empty is the item's type's rule). A 区分 value of a flags list may be
    /// the sum of its codes.
    /// </summary>
    public string? Check(LayoutItem item, string text, Type stored)
    {
        if (item.Code is null || text.Length == 0)
        {
            return null;
        }
        switch (item.Code)
        {
            case IdouReasonList:
                return _reasons.Contains(text) ? null : $"コード表「{IdouReasonList}」にない異動事由です。";
            case IdouCategoryList:
                return _categories.Contains(text) ? null : $"コード表「{IdouCategoryList}」にない値です（記載・消除・修正）。";
            case RelationshipList:
                return Relationships.Check(text) is { } rule ? $"コード表「{RelationshipList}」の規則に合いません：{rule}" : null;
        }
        if (!_layout.Codes.TryGetValue(item.Code, out var codes))
        {
            return $"コード表「{item.Code}」が移行レイアウトにありません。";
        }
        if (codes.ContainsKey(text))
        {
            return null;
        }
        var target = Nullable.GetUnderlyingType(stored) ?? stored;
        if (target.IsEnum && target.IsDefined(typeof(FlagsAttribute), false)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sum))
        {
            var known = codes.Keys.Select(k => long.Parse(k, CultureInfo.InvariantCulture)).Aggregate(0L, (all, code) => all | code);
            if ((sum & ~known) == 0)
            {
                return null;
            }
        }
        return $"コード表「{item.Code}」にないコードです（{string.Join("・", codes.Keys)}）。";
    }

    /// <summary>Writes the code table (コード表, コード, 名称) as CSV in the files' form; <paramref name="map"/> gives the text its encoding's form.</summary>
    public void Write(CsvWriter csv, Func<string, string> map)
    {
        csv.WriteHeader([map("コード表"), map("コード"), map("名称")]);
        foreach (var entry in Entries())
        {
            csv.WriteRecord([map(entry.List), map(entry.Code), map(entry.Name)]);
        }
        csv.Flush();
    }
}
