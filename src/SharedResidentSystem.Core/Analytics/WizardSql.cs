using System.Globalization;
using System.Text;
using SharedResidentSystem.Core.Errors;

namespace SharedResidentSystem.Core.Analytics;

/// <summary>A column of the EUC source: its data item name and データ型 (文字, 数字, 整数, 日付, 日時, 真偽, 区分, 識別子).</summary>
public sealed record EucColumn(string Name, string Type);

/// <summary>A table of the EUC source as the caller sees it; <paramref name="PersonKey"/>: its 宛名番号 column, if it has one.</summary>
public sealed record EucTableShape(string Name, IReadOnlyList<EucColumn> Columns, string? PersonKey);

/// <summary>A condition of the wizard: an item, an operator and its value(s) as the item's type writes them.</summary>
public sealed record WizardCondition(string Item, string Operator, IReadOnlyList<string> Values);

/// <summary>The wizard's choices (10.1#12, #17).</summary>
public sealed record WizardChoices(string Table, IReadOnlyList<string> Items, IReadOnlyList<WizardCondition> Conditions, IReadOnlyList<string> GroupBy, IReadOnlyList<string> OrderBy);

/// <summary>
/// Makes the EUC wizard's choices into one SELECT: only items the table has, each value read as
/// its item's type and written as a literal of that type (a text doubled where it quotes), so
/// nothing a person types becomes SQL. Grouped, each group gets 件数 (rows) and 人数 (persons).
/// Every problem is named by its field, in Japanese, all at once.
/// </summary>
public static class WizardSql
{
    public const string RowCount = "件数";
    public const string PersonCount = "人数";

    /// <summary>The operators the wizard offers, as it shows them.</summary>
    public static readonly IReadOnlyList<string> Operators = ["=", "!=", "<", "<=", ">", ">=", "含む", "始まる", "空", "空でない", "の間"];

    public static string Build(WizardChoices choices, IReadOnlyList<EucTableShape> tables, string prefix = "wizard.")
    {
        var problems = new List<FieldViolation>();
        var table = tables.FirstOrDefault(t => t.Name == choices.Table.Trim());
        if (table is null)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, prefix + "table",
                $"表「{choices.Table.Trim()}」はデータソースにありません。選べる表: {string.Join("、", tables.Select(t => t.Name))}");
        }
        var columns = table.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        EucColumn? Column(string name, string field)
        {
            if (columns.TryGetValue(name.Trim(), out var column))
            {
                return column;
            }
            problems.Add(new FieldViolation(field, $"項目「{name.Trim()}」は表「{table.Name}」にありません。"));
            return null;
        }
        var items = choices.Items.Select((item, i) => Column(item, $"{prefix}items[{i}]")).OfType<EucColumn>().ToList();
        var groups = choices.GroupBy.Select((item, i) => Column(item, $"{prefix}group_by[{i}]")).OfType<EucColumn>().ToList();
        if (groups.Count > 0 && items.Count > 0)
        {
            problems.Add(new FieldViolation(prefix + "items", "集計するとき (group_by) は、表示する項目はグループの項目と件数・人数です。items は指定しないでください。"));
        }
        var where = new List<string>();
        for (var i = 0; i < choices.Conditions.Count; i++)
        {
            var condition = choices.Conditions[i];
            var field = $"{prefix}conditions[{i}]";
            if (Column(condition.Item, field + ".item") is { } column && Condition(column, condition, field, problems) is { } sql)
            {
                where.Add(sql);
            }
        }
        var selected = groups.Count > 0
            ? [.. groups.Select(g => g.Name), RowCount, .. table.PersonKey is null ? Array.Empty<string>() : [PersonCount]]
            : items.Count > 0 ? items.Select(i => i.Name).ToList() : table.Columns.Select(c => c.Name).ToList();
        var order = new List<string>();
        for (var i = 0; i < choices.OrderBy.Count; i++)
        {
            var given = choices.OrderBy[i].Trim();
            var descending = given.StartsWith('-');
            var name = descending ? given[1..].Trim() : given;
            if (!selected.Contains(name, StringComparer.Ordinal))
            {
                problems.Add(new FieldViolation($"{prefix}order_by[{i}]", $"並べ替えの項目「{name}」は表示する項目にありません。"));
                continue;
            }
            order.Add(Quote(name) + (descending ? " DESC" : ""));
        }
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.InvalidField, problems[0].Description, problems);
        }
        if (order.Count == 0)
        {
            // A stable order by default: the groups, or the person and then the columns shown first.
            order.AddRange(groups.Count > 0 ? groups.Select(g => Quote(g.Name))
                : table.PersonKey is { } key && selected.Contains(key) ? [Quote(key), .. selected.Where(s => s != key).Take(1).Select(Quote)] : selected.Take(1).Select(Quote));
        }
        var text = new StringBuilder("SELECT ");
        text.Append(groups.Count > 0
            ? string.Join(", ", groups.Select(g => Quote(g.Name)).Append($"count(*) AS {Quote(RowCount)}")
                .Concat(table.PersonKey is { } person ? [$"count(DISTINCT {Quote(person)}) AS {Quote(PersonCount)}"] : []))
            : items.Count > 0 ? string.Join(", ", items.Select(i => Quote(i.Name))) : "*");
        text.Append(" FROM ").Append(Quote(table.Name));
        if (where.Count > 0)
        {
            text.Append(" WHERE ").Append(string.Join(" AND ", where));
        }
        if (groups.Count > 0)
        {
            text.Append(" GROUP BY ").Append(string.Join(", ", groups.Select(g => Quote(g.Name))));
        }
        text.Append(" ORDER BY ").Append(string.Join(", ", order));
        return text.ToString();
    }

    private static string? Condition(EucColumn column, WizardCondition condition, string field, List<FieldViolation> problems)
    {
        var op = condition.Operator.Trim();
        var values = condition.Values.Select(v => v.Trim()).ToList();
        var name = Quote(column.Name);
        int wanted = op switch
        {
            "空" or "空でない" => 0,
            "の間" => 2,
            "=" or "!=" or "<" or "<=" or ">" or ">=" or "含む" or "始まる" => 1,
            _ => -1,
        };
        if (wanted < 0)
        {
            problems.Add(new FieldViolation(field + ".operator", $"演算子「{op}」は使えません。使える演算子: {string.Join(" ", Operators)}"));
            return null;
        }
        if (values.Count != wanted)
        {
            problems.Add(new FieldViolation(field + ".values", wanted switch
            {
                0 => $"「{op}」に値は要りません。",
                2 => "「の間」には始まりと終わりの二つの値を指定してください。",
                _ => $"「{op}」には値を一つ指定してください。",
            }));
            return null;
        }
        if ((op is "含む" or "始まる") && column.Type is not ("文字" or "数字" or "識別子"))
        {
            problems.Add(new FieldViolation(field + ".operator", $"「{op}」は文字の項目にだけ使えます (「{column.Name}」は{column.Type})。"));
            return null;
        }
        var literals = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            if (Literal(values[i], column.Type) is { } literal)
            {
                literals.Add(literal);
            }
            else
            {
                problems.Add(new FieldViolation($"{field}.values[{i}]", $"「{values[i]}」は「{column.Name}」({column.Type}) の値として読めません。{Form(column.Type)}"));
            }
        }
        if (literals.Count != values.Count)
        {
            return null;
        }
        return op switch
        {
            "空" => $"{name} IS NULL",
            "空でない" => $"{name} IS NOT NULL",
            "含む" => $"contains({name}, {literals[0]})",
            "始まる" => $"starts_with({name}, {literals[0]})",
            "の間" => $"{name} BETWEEN {literals[0]} AND {literals[1]}",
            "!=" => $"{name} IS DISTINCT FROM {literals[0]}",
            _ => $"{name} {op} {literals[0]}",
        };
    }

    private static string Form(string type) => type switch
    {
        "整数" or "区分" => "数字で書いてください。",
        "日付" => "yyyy-MM-dd で書いてください。",
        "日時" => "yyyy-MM-dd HH:mm (日本時間) で書いてください。",
        "真偽" => "1 か 0 で書いてください。",
        _ => "",
    };

    /// <summary>A value as a literal of the item's type, or null when it is not one.</summary>
    public static string? Literal(string value, string type)
    {
        switch (type)
        {
            case "整数":
            case "区分":
                return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number.ToString(CultureInfo.InvariantCulture) : null;
            case "日付":
                return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? $"DATE '{day:yyyy-MM-dd}'" : null;
            case "日時":
                return DateTime.TryParseExact(value, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                    ? $"TIMESTAMP '{at:yyyy-MM-dd HH:mm:ss}'" : null;
            case "真偽":
                return value switch { "1" => "true", "0" => "false", _ => null };
            default:
                return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
        }
    }

    /// <summary>An identifier as SQL writes it: in double quotes, a quote within doubled.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
