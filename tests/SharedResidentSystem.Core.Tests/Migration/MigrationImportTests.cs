using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Tests.Registration;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Core.Tests.Registration.RegisterHarness;

namespace SharedResidentSystem.Core.Tests.Migration;

/// <summary>The importer's checks and the operator's choices: code lists, repeated rows, leaving households out, resuming.</summary>
public sealed class MigrationImportTests(RegisterHarness register) : IClassFixture<RegisterHarness>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "srs-migration-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly MigrationLayout _layout = MigrationLayout.Default();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Two households in the register, exported; answers the folder and the two households' numbers.</summary>
    private async Task<(string Folder, string First, string Second)> ExportTwoHouseholdsAsync(string name)
    {
        var first = await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address("50番1号"), Osaka, [Person("一世帯", 1970, "世帯主"), Person("子", 2001, "子")], false, null), CancellationToken.None));
        var second = await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address("51番1号"), Osaka, [Person("二世帯", 1980, "世帯主")], false, null), CancellationToken.None));
        var folder = Path.Combine(_directory, name);
        await register.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, _layout, folder)));
        return (folder, first.Persons[0].HouseholdNumber, second.Persons[0].HouseholdNumber);
    }

    private static async Task<T> IntoEmptyAsync<T>(Func<RegisterHarness, Task<T>> work)
    {
        var target = new RegisterHarness();
        await target.InitializeAsync();
        try
        {
            return await work(target);
        }
        finally
        {
            await target.DisposeAsync();
        }
    }

    private static void Edit(string folder, string file, Func<string[], string[], string[]> change)
    {
        var path = Path.Combine(folder, file);
        var lines = File.ReadAllLines(path, MigrationExporter.Encoding);
        var header = lines[0].Split(',');
        var result = new List<string> { lines[0] };
        result.AddRange(change(header, lines.Skip(1).ToArray()));
        File.WriteAllLines(path, result, MigrationExporter.Encoding);
    }

    private static int Column(string[] header, string name) => Array.IndexOf(header, name);

    [Spec("10.6#1")]
    [Fact]
    public async Task The_code_table_is_written_beside_the_files_and_a_value_outside_a_code_list_is_named()
    {
        var (folder, household, _) = await ExportTwoHouseholdsAsync("codes");
        var table = File.ReadAllLines(Path.Combine(folder, _layout.CodeListFile), MigrationExporter.Encoding);
        Assert.Equal("コード表,コード,名称", table[0]);
        Assert.Contains("年号,05,令和", table);
        Assert.Contains("性別,2,女", table);
        Assert.Contains(table, l => l.StartsWith("住民基本台帳異動事由,", StringComparison.Ordinal) && l.EndsWith("記載：国内転入", StringComparison.Ordinal));
        Edit(folder, "R01_住民.csv", (header, rows) => rows.Select(r =>
        {
            var cells = r.Split(',');
            if (cells[Column(header, "世帯番号")] == household)
            {
                cells[Column(header, "続柄")] = "祖父";
                cells[Column(header, "住民の状態")] = "9";
            }
            return string.Join(',', cells);
        }).ToArray());
        Edit(folder, "R02_異動.csv", (header, rows) => rows.Select(r => r.Replace(",国内転入,", ",国内転入ではない,", StringComparison.Ordinal)).ToArray());

        var result = await IntoEmptyAsync(t => t.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, folder, CancellationToken.None)));
        Assert.False(result.Imported);
        Assert.Contains(result.Problems, p => p.File == "R01_住民.csv" && p.Item == "続柄" && p.Rule.Contains("コード表「続柄」", StringComparison.Ordinal) && p.Household == household);
        Assert.Contains(result.Problems, p => p.File == "R01_住民.csv" && p.Item == "住民の状態" && p.Rule.Contains("1・2", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.File == "R02_異動.csv" && p.Item == "異動事由" && p.Rule.Contains("異動事由", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_row_given_twice_is_named_and_nothing_is_imported()
    {
        var (folder, _, _) = await ExportTwoHouseholdsAsync("twice");
        Edit(folder, "R02_異動.csv", (_, rows) => [.. rows, rows[0]]);
        var (result, idous) = await IntoEmptyAsync(async t => (await t.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, folder, CancellationToken.None)), await t.ReadAsync(db => db.Idous.CountAsync())));
        var repeated = Assert.Single(result.Problems);
        Assert.Equal(("R02_異動.csv", File.ReadAllLines(Path.Combine(folder, "R02_異動.csv")).Length), (repeated.File, repeated.Line));
        Assert.Contains("同じ行が二度", repeated.Rule, StringComparison.Ordinal);
        Assert.Equal(0, idous);
    }

    [Fact]
    public async Task The_operator_may_leave_out_the_households_with_problems_and_gets_them_listed()
    {
        var (folder, bad, good) = await ExportTwoHouseholdsAsync("skip");
        Edit(folder, "R01_住民.csv", (header, rows) => rows.Select(r =>
        {
            var cells = r.Split(',');
            if (cells[Column(header, "世帯番号")] == bad && cells[Column(header, "続柄")] == "子")
            {
                cells[Column(header, "生年月日_年")] = "二千一";
            }
            return string.Join(',', cells);
        }).ToArray());

        var refused = await IntoEmptyAsync(t => t.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, folder, CancellationToken.None)));
        Assert.False(refused.Imported);
        Assert.All(refused.Problems, p => Assert.Equal(bad, p.Household));

        var (result, households) = await IntoEmptyAsync(async t => (
            await t.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, folder, new ImportOptions { SkipInvalidHouseholds = true }, CancellationToken.None)),
            await t.ReadAsync(db => db.PersonVersions.Select(p => p.HouseholdNumber).Distinct().ToListAsync())));
        Assert.True(result.Imported);
        Assert.Equal([bad], result.SkippedHouseholds);
        Assert.True(result.SkippedRows >= 2);
        Assert.Contains(good, households);
        Assert.DoesNotContain(bad, households);
    }

    [Fact]
    public async Task An_import_that_stopped_is_resumed_after_its_last_commit_and_ends_as_if_it_never_stopped()
    {
        var (folder, _, _) = await ExportTwoHouseholdsAsync("resume");
        var again = Path.Combine(_directory, "resume-again");
        await IntoEmptyAsync(async target =>
        {
            var commits = 0;
            var crash = new ImportOptions
            {
                BatchRows = 1,
                Progress = p =>
                {
                    if (p.Stage == MigrationImporter.WriteStage && ++commits == 4)
                    {
                        throw new IOException("the machine stops here");
                    }
                },
            };
            await Assert.ThrowsAsync<IOException>(() => target.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, folder, crash, CancellationToken.None)));
            var partial = await target.ReadAsync(db => db.PersonVersions.CountAsync());
            Assert.InRange(partial, 1, File.ReadAllLines(Path.Combine(folder, "R01_住民.csv")).Length - 2);

            var plain = await target.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, folder, CancellationToken.None));
            Assert.False(plain.Imported);
            Assert.Contains(plain.Problems, p => p.Rule.Contains("再開", StringComparison.Ordinal));

            var resumed = await target.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, folder, new ImportOptions { Resume = true, BatchRows = 2 }, CancellationToken.None));
            Assert.True(resumed.Imported);
            await target.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, _layout, again)));
            return 0;
        });
        foreach (var file in _layout.Files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(folder, file.File)).SequenceEqual(File.ReadAllBytes(Path.Combine(again, file.File))), file.File);
        }
    }

    [Fact]
    public async Task Resuming_with_other_files_than_the_stopped_import_is_refused()
    {
        var (folder, _, _) = await ExportTwoHouseholdsAsync("other");
        await IntoEmptyAsync(async target =>
        {
            var stop = new ImportOptions { BatchRows = 1, Progress = p => { if (p is { Stage: MigrationImporter.WriteStage, File: "R01_住民.csv", Done: 1 }) { throw new IOException("stop"); } } };
            await Assert.ThrowsAsync<IOException>(() => target.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, folder, stop, CancellationToken.None)));
            // Other files: the persons already stored are not the first rows of these.
            Edit(folder, "R01_住民.csv", (_, rows) => [.. rows.Reverse()]);
            var mismatch = await Assert.ThrowsAsync<MigrationResumeException>(() => target.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, folder, new ImportOptions { Resume = true }, CancellationToken.None)));
            Assert.Contains("R01_住民.csv", mismatch.Message, StringComparison.Ordinal);
            return 0;
        });
    }

    [Fact]
    public void The_report_opens_in_a_spreadsheet_as_Japanese_and_a_formula_is_not_run()
    {
        using var stream = new MemoryStream();
        MigrationImporter.WriteReport([new MigrationImporter.Problem("R01_住民.csv", 2, "氏", "=HYPERLINK(\"x\")", "0001")], stream);
        var bytes = stream.ToArray();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("ファイル,行,項目,規則,世帯番号\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", text, StringComparison.Ordinal);
    }

    [Spec("10.6#1")]
    [Fact]
    public async Task Shift_jis_files_carry_mj_and_ivs_characters_as_listed_user_defined_codes_and_come_back_the_same()
    {
        var ivs = "葛\U000E0102";
        var given = "\U00020BB7男";
        var entry = Person("仮", 1975, "世帯主") with { Name = new PersonNameValue(ivs + "西", given, Readings.UniqueKana(), "ヨシオ", true) };
        await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address("52番1号"), Osaka, [entry], false, null), CancellationToken.None));
        var utf8 = Path.Combine(_directory, "utf8");
        var sjis = Path.Combine(_directory, "sjis");
        await register.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, _layout, utf8)));
        var files = await register.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, _layout, sjis, encoding: MigrationEncoding.ShiftJis)));
        Assert.Contains(files, f => f.File == _layout.GaijiListFile && f.Rows == 2);

        // The list names each 外字 by its code, the character and its code points; the data holds the code.
        var list = File.ReadAllLines(Path.Combine(sjis, _layout.GaijiListFile), MigrationExporter.Encoding);
        Assert.Equal("外字コード,文字,Unicode", list[0]);
        Assert.Contains($"F040,{ivs},U+845B U+E0102", list);
        Assert.Contains(list, l => l.StartsWith("F041,", StringComparison.Ordinal) && l.EndsWith("U+20BB7", StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(Path.Combine(sjis, "R01_住民.csv"));
        Assert.Contains("F0-40", BitConverter.ToString(bytes), StringComparison.Ordinal);
        var text = GaijiTable.Cp932.GetString(bytes);
        Assert.StartsWith("宛名番号,", text, StringComparison.Ordinal);
        Assert.Contains("\uE000西", text, StringComparison.Ordinal);

        var again = Path.Combine(_directory, "sjis-again");
        await IntoEmptyAsync(async target =>
        {
            var result = await target.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, sjis, new ImportOptions { Encoding = MigrationEncoding.ShiftJis }, CancellationToken.None));
            Assert.True(result.Imported, string.Join("\n", result.Problems.Select(p => $"{p.File}:{p.Line} {p.Item} {p.Rule}")));
            await target.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, _layout, again)));
            return 0;
        });
        foreach (var file in _layout.Files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(utf8, file.File)).SequenceEqual(File.ReadAllBytes(Path.Combine(again, file.File))), file.File);
        }

        // A code the list does not have is named, and nothing is imported.
        File.WriteAllLines(Path.Combine(sjis, _layout.GaijiListFile), list.Take(2), MigrationExporter.Encoding);
        var refused = await IntoEmptyAsync(t => t.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, sjis, new ImportOptions { Encoding = MigrationEncoding.ShiftJis }, CancellationToken.None)));
        Assert.False(refused.Imported);
        Assert.Contains(refused.Problems, p => p.File == "R01_住民.csv" && p.Rule.Contains("F041", StringComparison.Ordinal));
    }

    [Spec("10.6#1")]
    [Fact]
    public async Task Xml_files_carry_the_same_rows_as_csv_and_come_back_the_same()
    {
        await ExportTwoHouseholdsAsync("xml-source");
        var csv = Path.Combine(_directory, "xml-csv");
        var xml = Path.Combine(_directory, "xml");
        await register.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, _layout, csv)));
        var files = await register.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, _layout, xml, format: MigrationFormat.Xml)));
        Assert.Contains(files, f => f.File == "R01_住民.xml" && f.Rows > 0);
        var document = System.Xml.Linq.XDocument.Load(Path.Combine(xml, "R01_住民.xml"));
        Assert.Equal(("移行ファイル", "R01"), (document.Root!.Name.LocalName, (string?)document.Root.Attribute("id")));
        var first = document.Root.Elements("行").First();
        Assert.Equal(_layout.Files[0].Items.Select(i => i.Name), first.Elements().Select(e => System.Xml.XmlConvert.DecodeName(e.Name.LocalName)));

        var again = Path.Combine(_directory, "xml-again");
        await IntoEmptyAsync(async target =>
        {
            var result = await target.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, xml, new ImportOptions { Format = MigrationFormat.Xml }, CancellationToken.None));
            Assert.True(result.Imported, string.Join("\n", result.Problems.Select(p => $"{p.File}:{p.Line} {p.Item} {p.Rule}")));
            await target.ReadAsync(db => Task.FromResult(MigrationExporter.Export(db, _layout, again)));
            return 0;
        });
        foreach (var file in _layout.Files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(csv, file.File)).SequenceEqual(File.ReadAllBytes(Path.Combine(again, file.File))), file.File);
        }

        // A wrong value in XML is named by the XML file and the line of its 行.
        var path = Path.Combine(xml, "R01_住民.xml");
        var text = File.ReadAllText(path);
        var at = text.IndexOf("<性別>", StringComparison.Ordinal);
        File.WriteAllText(path, text[..at] + "<性別>9" + text[(text.IndexOf("</性別>", at, StringComparison.Ordinal))..]);
        var refused = await IntoEmptyAsync(t => t.ReadAsync(db => MigrationImporter.ImportAsync(db, _layout, xml, new ImportOptions { Format = MigrationFormat.Xml }, CancellationToken.None)));
        var problem = Assert.Single(refused.Problems);
        Assert.Equal(("R01_住民.xml", "性別"), (problem.File, problem.Item));
        var row = text.LastIndexOf("<行>", at, StringComparison.Ordinal);
        Assert.Equal(text[..row].Count(c => c == '\n') + 1, problem.Line);
    }
}
