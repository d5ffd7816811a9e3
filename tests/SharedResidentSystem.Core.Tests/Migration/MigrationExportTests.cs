using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Core.Registration;
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

        Assert.Equal(layout.Files.Select(f => f.File), files.Select(f => f.File));
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
}
