using SharedResidentSystem.Core.Analytics;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Analytics;

/// <summary>The EUC wizard's choices made into SQL (10.1#12): typed literals, quoted names, every mistake named.</summary>
public sealed class WizardSqlTests
{
    private static readonly EucTableShape Persons = new("R01_住民",
        [new("宛名番号", "数字"), new("履歴番号", "整数"), new("氏", "文字"), new("性別", "区分"), new("届出年月日", "日付"), new("処理日時", "日時"), new("選挙人名簿登録", "真偽")], "宛名番号");

    private static readonly EucTableShape Idou = new("R02_異動", [new("異動番号", "整数"), new("異動事由", "文字")], null);

    private static string Build(WizardChoices choices) => WizardSql.Build(choices, [Persons, Idou]);

    [Fact]
    [Spec("10.1#12")]
    public void Each_operator_becomes_a_condition_on_a_literal_of_the_items_type()
    {
        var sql = Build(new WizardChoices("R01_住民", ["宛名番号", "氏"],
        [
            new("性別", "=", ["2"]), new("届出年月日", "の間", ["2026-01-01", "2026-03-31"]), new("氏", "含む", ["o'neil"]),
            new("選挙人名簿登録", "=", ["1"]), new("処理日時", ">=", ["2026-11-01 09:00"]), new("氏", "空でない", []), new("履歴番号", "!=", ["1"]),
        ], [], ["-宛名番号"]));
        Assert.Equal("SELECT \"宛名番号\", \"氏\" FROM \"R01_住民\" WHERE \"性別\" = 2 AND \"届出年月日\" BETWEEN DATE '2026-01-01' AND DATE '2026-03-31' AND contains(\"氏\", 'o''neil') " +
            "AND \"選挙人名簿登録\" = true AND \"処理日時\" >= TIMESTAMP '2026-11-01 09:00:00' AND \"氏\" IS NOT NULL AND \"履歴番号\" IS DISTINCT FROM 1 ORDER BY \"宛名番号\" DESC", sql);
    }

    [Fact]
    [Spec("10.1#12")]
    public void Grouping_counts_rows_and_persons_and_orders_by_the_groups_unless_told()
    {
        Assert.Equal("SELECT \"性別\", count(*) AS \"件数\", count(DISTINCT \"宛名番号\") AS \"人数\" FROM \"R01_住民\" GROUP BY \"性別\" ORDER BY \"性別\"",
            Build(new WizardChoices("R01_住民", [], [], ["性別"], [])));
        // A table without persons has no 人数; with nothing chosen, every column in a stable order.
        Assert.Equal("SELECT \"異動事由\", count(*) AS \"件数\" FROM \"R02_異動\" GROUP BY \"異動事由\" ORDER BY \"件数\" DESC",
            Build(new WizardChoices("R02_異動", [], [], ["異動事由"], ["-件数"])));
        Assert.Equal("SELECT * FROM \"R01_住民\" ORDER BY \"宛名番号\", \"履歴番号\"", Build(new WizardChoices("R01_住民", [], [], [], [])));
    }

    [Fact]
    [Spec("10.1#12")]
    public void Every_mistake_is_named_by_its_field_at_once_and_nothing_typed_becomes_sql()
    {
        var refused = Assert.Throws<DomainException>(() => Build(new WizardChoices("R01_住民", ["氏", "年収"],
            [new("性別", "LIKE", ["1"]), new("性別", "=", ["男"]), new("届出年月日", "の間", ["2026-01-01"]), new("性別", "含む", ["1"]), new("氏", "空", ["x"])],
            [], ["本籍"])));
        Assert.Equal(["wizard.items[1]", "wizard.conditions[0].operator", "wizard.conditions[1].values[0]", "wizard.conditions[2].values",
            "wizard.conditions[3].operator", "wizard.conditions[4].values", "wizard.order_by[0]"], refused.Violations.Select(v => v.Field));
        Assert.Equal("INVALID_FIELD", refused.Reason);

        var table = Assert.Throws<DomainException>(() => Build(new WizardChoices("R01_住民\"; DROP TABLE x; --", [], [], [], [])));
        Assert.Equal(["wizard.table"], table.Violations.Select(v => v.Field));
        Assert.Equal("'x'' OR ''1''=''1'", WizardSql.Literal("x' OR '1'='1", "文字"));
        Assert.Null(WizardSql.Literal("1; DROP", "整数"));
        Assert.Null(WizardSql.Literal("2026-02-30", "日付"));
    }

    [Fact]
    public void Grouping_and_items_are_not_chosen_together()
    {
        var refused = Assert.Throws<DomainException>(() => Build(new WizardChoices("R01_住民", ["氏"], [], ["性別"], [])));
        Assert.Equal(["wizard.items"], refused.Violations.Select(v => v.Field));
    }
}
