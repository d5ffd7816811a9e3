using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Tests.Registration;
using static SharedResidentSystem.Core.Tests.Registration.RegisterHarness;

namespace SharedResidentSystem.Core.Tests.Migration;

/// <summary>A city's register written as the layout's migration files.</summary>
public sealed class MigrationExportTests(RegisterHarness register) : IClassFixture<RegisterHarness>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "srs-migration-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Every_file_of_the_layout_is_written_with_its_item_names_and_every_row_of_the_city_in_key_order()
    {
        var family = await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address("40番1号"), Osaka, [Person("移行", 1970, "世帯主"), Person("二郎", 2001, "子")], false, null), CancellationToken.None));
        var layout = MigrationLayout.Default();
        var files = await register.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, layout, _directory)));

        Assert.Equal(layout.Files.Select(f => f.File).Append(layout.CodeListFile), files.Select(f => f.File));
        var persons = File.ReadAllLines(Path.Combine(_directory, "R01_住民.csv"), MigrationExporter.Encoding);
        var person = layout.Files.Single(f => f.Entity == "PersonVersion");
        Assert.Equal(string.Join(',', person.Items.Select(i => i.Name)), persons[0]);
        var rows = persons.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(files.Single(f => f.File == "R01_住民.csv").Rows, rows.Count);
        Assert.Equal(rows.Select(r => (r[0], int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture))).Order(), rows.Select(r => (r[0], int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture))));
        int Column(string name) => person.Items.Single(i => i.Name == name).No - 1;
        var head = rows.Single(r => r[0] == family.Persons[0].ResidentNumber);
        Assert.Equal(("移行", "2026-11-20", "1", "本町", "大阪府"), (head[Column("名")], head[Column("住民となった年月日")], head[Column("住民の状態")], head[Column("住所_町字")], head[Column("前住所_都道府県")]));
        Assert.EndsWith("Z", head[Column("処理日時")], StringComparison.Ordinal);

        var idou = File.ReadAllLines(Path.Combine(_directory, "R02_異動.csv"), MigrationExporter.Encoding);
        Assert.Contains(idou.Skip(1), l => l.Contains(IdouReasons.DomesticMoveIn, StringComparison.Ordinal));
        Assert.True(files.Single(f => f.File == "R15_採番.csv").Rows > 0);
    }

    [Fact]
    public async Task A_large_households_move_in_goes_out_and_comes_back_with_its_whole_summary()
    {
        PersonEntryValue[] members = [Person("大家", 1950, "世帯主"), .. Enumerable.Range(0, 11).Select(i => Person($"子{i}", 1980 + i, "子"))];
        var recorded = await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address("42番1号"), Osaka, members, false, null), CancellationToken.None));
        var summary = await register.ReadAsync(db => db.Idous.Where(i => i.Id == recorded.IdouId).Select(i => i.Summary).SingleAsync());
        Assert.True(summary.Length > 4000, $"a twelve-person 転入's summary is {summary.Length} characters");
        var layout = MigrationLayout.Default();
        var first = Path.Combine(_directory, "large");
        await register.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, layout, first)));

        await InAnEmptyRegisterAsync(layout, first, async target =>
            Assert.Equal(summary, await target.ReadAsync(db => db.Idous.Where(i => i.Id == recorded.IdouId).Select(i => i.Summary).SingleAsync())));
    }

    [Fact]
    public async Task Export_then_import_into_an_empty_register_then_export_gives_the_same_files()
    {
        await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address("41番1号"), Osaka, [Person("往復", 1960, "世帯主"), Person("花", 1962, "妻", SexValue.Female)], false, null), CancellationToken.None));
        var layout = MigrationLayout.Default();
        var first = Path.Combine(_directory, "first");
        var second = Path.Combine(_directory, "second");
        await register.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, layout, first)));

        await InAnEmptyRegisterAsync(layout, first, async target =>
        {
            await target.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, layout, second)));
            foreach (var file in layout.Files.Select(f => f.File).Append(layout.CodeListFile))
            {
                Assert.True(File.ReadAllBytes(Path.Combine(first, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(second, file))), file);
            }
            // The imported residents are found by name as the register finds them (search keys made again).
            Assert.True(await target.ReadAsync(db => db.PersonSearchKeys.AnyAsync()));
            // A second import into the now filled register is refused whole.
            var again = await target.ReadAsync(db => MigrationImporter.ImportAsync(db, layout, first, CancellationToken.None));
            Assert.False(again.Imported);
            Assert.Contains(again.Problems, p => p.File == "R01_住民.csv" && p.Rule.Contains("既にあります", StringComparison.Ordinal));
        });
    }

    /// <summary>A new, empty register that imports <paramref name="directory"/> whole (every problem named when not), then is handed to <paramref name="then"/>.</summary>
    private static async Task InAnEmptyRegisterAsync(MigrationLayout layout, string directory, Func<RegisterHarness, Task> then)
    {
        var target = new RegisterHarness();
        await target.InitializeAsync();
        try
        {
            var result = await target.ReadAsync(db => MigrationImporter.ImportAsync(db, layout, directory, CancellationToken.None));
            Assert.True(result.Imported, string.Join("\n", result.Problems.Select(p => $"{p.File}:{p.Line} {p.Item} {p.Rule}")));
            await then(target);
        }
        finally
        {
            await target.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_file_with_a_wrong_value_names_file_line_item_and_rule_and_nothing_is_imported()
    {
        await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address("42番1号"), Osaka, [Person("誤り", 1975, "世帯主")], false, null), CancellationToken.None));
        var layout = MigrationLayout.Default();
        var files = Path.Combine(_directory, "broken");
        await register.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, layout, files)));
        var path = Path.Combine(files, "R01_住民.csv");
        var lines = File.ReadAllLines(path, MigrationExporter.Encoding);
        var person = layout.Files.Single(f => f.Entity == "PersonVersion");
        var cells = lines[1].Split(',');
        cells[person.Items.Single(i => i.Name == "住民となった年月日").No - 1] = "令和8年11月20日";
        cells[person.Items.Single(i => i.Name == "個人番号").No - 1] = "12345678901X";
        lines[1] = string.Join(',', cells);
        File.WriteAllLines(path, lines, MigrationExporter.Encoding);

        var target = new RegisterHarness();
        await target.InitializeAsync();
        try
        {
            var result = await target.ReadAsync(db => MigrationImporter.ImportAsync(db, layout, files, CancellationToken.None));
            Assert.False(result.Imported);
            Assert.Contains(result.Problems, p => (p.File, p.Line, p.Item) == ("R01_住民.csv", 2, "住民となった年月日") && p.Rule.Contains("yyyy-MM-dd", StringComparison.Ordinal));
            Assert.Contains(result.Problems, p => (p.File, p.Line, p.Item) == ("R01_住民.csv", 2, "個人番号") && p.Rule.Contains("数字以外", StringComparison.Ordinal));
            Assert.False(await target.ReadAsync(db => db.Idous.AnyAsync()));
        }
        finally
        {
            await target.DisposeAsync();
        }
    }
}
