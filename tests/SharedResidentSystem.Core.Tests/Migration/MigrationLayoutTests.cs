using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Storage.Sqlite;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Migration;

/// <summary>The migration layout is a data file held to the storage model: nothing stored is left out unnoticed.</summary>
public sealed class MigrationLayoutTests
{
    private static Microsoft.EntityFrameworkCore.Metadata.IModel Model()
    {
        var options = new DbContextOptionsBuilder<SrsDbContext>();
        new SqliteStorageProvider().Configure(options, "Data Source=:memory:");
        using var db = new SrsDbContext(options.Options, new CallerContext());
        return db.Model;
    }

    [Spec("10.6#1")]
    [Spec("10.6#2")]
    [Fact]
    public void The_shipped_layout_carries_every_stored_item_of_a_city_with_its_name_type_digits_and_gaiji_use()
    {
        var layout = MigrationLayout.Default();
        Assert.Empty(layout.Check(Model()));
        var person = layout.Files.Single(f => f.Entity == nameof(PersonVersion));
        Assert.Equal("R01_住民.csv", person.File);
        var name = person.Items.Single(i => i.Source == nameof(PersonVersion.FamilyName));
        Assert.Equal(("氏", "文字", true), (name.Name, name.Type, name.Gaiji));
        Assert.Equal(("住民基本台帳異動事由"), layout.Files.Single(f => f.Entity == nameof(Idou)).Items.Single(i => i.Source == nameof(Idou.Reason)).Code);
        Assert.Contains(person.Items, i => i.Source == "LastRegisteredAddress.Town");
        // The derived search columns and the entities that are not migration data say why.
        Assert.True(layout.Derived.ContainsKey("PersonVersion.SearchKana"));
        Assert.Contains(nameof(AccessLogEntry), layout.NotExported.Keys);
    }

    [Fact]
    public void A_layout_that_leaves_out_a_stored_item_or_names_a_wrong_one_is_reported_in_japanese()
    {
        var layout = MigrationLayout.Default();
        var memo = layout.Files.Single(f => f.Entity == nameof(MemoVersion));
        var broken = layout with
        {
            Files = layout.Files.Select(f => f != memo ? f : f with
            {
                Items = [.. memo.Items.Where(i => i.Source != nameof(MemoVersion.Text)).Select((i, n) => i with { No = n + 1 }),
                    new LayoutItem(memo.Items.Count, "存在しない項目", "Nothing", "文字", 10, false)],
            }).Where(f => f.Entity != nameof(NumberSequence)).ToList(),
        };
        var wrongType = layout.Files.Single(f => f.Entity == nameof(Idou));
        broken = broken with
        {
            Files = broken.Files.Select(f => f.Entity != nameof(Idou) ? f : f with { Items = [.. wrongType.Items.Select(i => i.Source == nameof(Idou.OccurredOn) ? i with { Type = "整数" } : i)] }).ToList(),
        };
        var problems = broken.Check(Model());
        Assert.Contains(problems, p => p.Contains("MemoVersion.Text を表す項目がありません", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("存在しない項目", StringComparison.Ordinal) && p.Contains("格納されている項目ではありません", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("異動年月日", StringComparison.Ordinal) && p.Contains("DateOnly", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("NumberSequence", StringComparison.Ordinal) && p.Contains("出力しない理由", StringComparison.Ordinal));
    }
}
