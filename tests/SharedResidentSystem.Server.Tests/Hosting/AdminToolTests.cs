using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Hosting;

/// <summary>
/// srs-admin, the operators' tool, run as a program against the real server process: every
/// subcommand, its exit codes, and a change that survives a restart (the seed file does not
/// override what an operator applied).
/// </summary>
public sealed class AdminToolTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private static readonly string Tool = ServerProcess.ProgramPath("tools/SharedResidentSystem.AdminTool", "srs-admin.dll");

    private static Task<(int ExitCode, string Stdout, string Stderr)> Admin(string token, string address, string input, params string[] args) =>
        ServerProcess.RunAsync("dotnet", [Tool, .. args, "--address", address, "--token", token], RunTimeout, input);

    [Fact]
    public async Task Operators_change_a_city_with_the_tool_and_the_change_survives_a_restart()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-admin");
        var work = RepositoryPaths.NewTempDirectory("srs-admin-files");
        var nextMonth = DateTime.UtcNow.AddDays(40).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string address;
        await using (var server = ServerProcess.Start(data))
        {
            await server.WaitUntilServingAsync(StartTimeout);
            address = server.Address;
            var joint = await ServerProcess.MintAsync(data, "*", "operator");
            var city = await ServerProcess.MintAsync(data, "132136", "operator");

            var list = await Admin(joint, address, "", "list");
            Assert.True(list.ExitCode == 0, list.Stderr);
            Assert.Contains("132225\t東久留米市", list.Stdout, StringComparison.Ordinal);
            Assert.Contains("132110\t小平市", list.Stdout, StringComparison.Ordinal);

            // show → edit → validate → diff → apply (declined, then with --yes) → history.
            var file = Path.Combine(work, "132136.json");
            var show = await Admin(city, address, "", "show", "--out", file);
            Assert.True(show.ExitCode == 0, show.Stderr);
            var document = File.ReadAllText(file);
            var edited = document.Replace("\"from\": \"2020-01-01\"", $"\"from\": \"2020-01-01\", \"until\": \"{DateOnly.Parse(nextMonth, System.Globalization.CultureInfo.InvariantCulture).AddDays(-1):yyyy-MM-dd}\"", StringComparison.Ordinal)
                .Replace("\"authenticators\": [", $"\"authenticators\": [ {{ \"role\": \"mayor\", \"title\": \"東村山市長\", \"name\": \"新任　市長\", \"from\": \"{nextMonth}\" }},", StringComparison.Ordinal);
            File.WriteAllText(file, edited);
            Assert.Equal(0, (await Admin(city, address, "", "validate", file)).ExitCode);
            var diff = await Admin(city, address, "", "diff", file);
            Assert.Equal(0, diff.ExitCode);
            Assert.Contains("~ $.authenticators[0].name:", diff.Stdout, StringComparison.Ordinal);
            Assert.Contains("新任　市長", diff.Stdout, StringComparison.Ordinal);

            var declined = await Admin(city, address, "n\n", "apply", file, "--reason", "市長選挙");
            Assert.Equal(4, declined.ExitCode);
            var applied = await Admin(city, address, "y\n", "apply", file, "--reason", "市長選挙", "--effective-from", nextMonth);
            Assert.True(applied.ExitCode == 0, applied.Stdout + applied.Stderr);
            Assert.Contains("版 2 を記録しました", applied.Stdout, StringComparison.Ordinal);
            var history = await Admin(city, address, "", "history", "--json");
            Assert.Equal(0, history.ExitCode);
            Assert.Contains("\"reason\": \"市長選挙\"", history.Stdout, StringComparison.Ordinal);
            var later = await Admin(city, address, "", "show", "--at", nextMonth);
            Assert.Contains("新任　市長", later.Stdout, StringComparison.Ordinal);
            var version1 = await Admin(city, address, "", "show", "--version", "1");
            Assert.True(version1.ExitCode == 0, version1.Stderr);
            Assert.Contains("\"code\": \"132136\"", version1.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("新任　市長", version1.Stdout, StringComparison.Ordinal);

            // A malformed file: non-zero exit and the path of each error, nothing applied.
            var bad = Path.Combine(work, "bad.json");
            File.WriteAllText(bad, document.Replace("\"nameKana\": \"ひがしむらやまし\",", "", StringComparison.Ordinal).Replace("\"postalCode\": \"1890014\"", "\"postalCode\": \"189-0014\"", StringComparison.Ordinal));
            var invalid = await Admin(city, address, "", "validate", bad);
            Assert.Equal(1, invalid.ExitCode);
            Assert.Contains("$.nameKana: required", invalid.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"\$\.towns\[\d+\]\.postalCode: pattern", invalid.Stdout);
            var refused = await Admin(city, address, "", "apply", bad, "--reason", "x", "--yes");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("$.nameKana", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(2, (await Admin(city, address, "", "validate", Path.Combine(work, "missing.json"))).ExitCode);
            Assert.Equal(2, (await Admin(city, address, "", "show", "--at", "tomorrow")).ExitCode);
            Assert.Equal(3, (await Admin("not-a-token", address, "", "history")).ExitCode);

            // import-towns from the postal CSV, then add-city for a fourth city, which works at once.
            var csv = Path.Combine(work, "towns.csv");
            File.WriteAllText(csv, TenantDocuments.PostalCsv("132136", ("1890099", "新町テスト")));
            var imported = await Admin(city, address, "", "import-towns", csv, "--reason", "住所辞書の更新", "--yes");
            Assert.True(imported.ExitCode == 0, imported.Stdout + imported.Stderr);

            // address import from Japan Post's KEN_ALL file (Shift_JIS): the city's towns only, notes dropped.
            System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
            var kenAll = Path.Combine(work, "KEN_ALL.CSV");
            static string KenAllRow(string code5, string postal, string city, string town, string kana = "ﾁｮｳ") =>
                $"{code5},\"{postal[..3]}  \",\"{postal}\",\"ﾄｳｷｮｳﾄ\",\"ｼ\",\"{kana}\",\"東京都\",\"{city}\",\"{town}\",0,0,0,0,0,0";
            File.WriteAllBytes(kenAll, System.Text.Encoding.GetEncoding(932).GetBytes(string.Join("\r\n",
                KenAllRow("13213", "1890000", "東村山市", "以下に掲載がない場合"),
                KenAllRow("13213", "1890022", "東村山市", "野口町（１～４丁目）"),
                KenAllRow("13213", "1890001", "東村山市", "秋津町"),
                KenAllRow("13211", "1870001", "小平市", "大沼町")) + "\r\n"));
            // Only two towns would leave the city's 地区 (1.3.5) naming towns that no longer exist: refused, nothing changed.
            var orphaned = await Admin(city, address, "", "address", "import", kenAll, "--reason", "郵便番号データの更新", "--yes");
            Assert.Equal(1, orphaned.ExitCode);
            Assert.Matches(@"\$\.districts\[\d+\]\.areas\[\d+\]\.town", orphaned.Stderr);
            // Every town of the city and one new one: the towns that stay keep their 町字コード and
            // 住居表示 master; the new one gets the next code and its reading from the file.
            using (var seed = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.TenantsDirectory, "132136.json"))))
            {
                var rows = seed.RootElement.GetProperty("towns").EnumerateArray()
                    .Select(t => KenAllRow("13213", t.GetProperty("postalCode").GetString()!, "東村山市", t.GetProperty("name").GetString()! + (t.GetProperty("name").GetString() == "野口町" ? "（１～４丁目）" : ""), "ﾁｮｳ"))
                    .Append(KenAllRow("13213", "1890098", "東村山市", "新緑町", "ｼﾝﾘﾖｸﾁﾖｳ"));
                File.WriteAllBytes(kenAll, System.Text.Encoding.GetEncoding(932).GetBytes(string.Join("\r\n", rows) + "\r\n"));
            }
            var fromKenAll = await Admin(city, address, "", "address", "import", kenAll, "--reason", "郵便番号データの更新", "--yes");
            Assert.True(fromKenAll.ExitCode == 0, fromKenAll.Stdout + fromKenAll.Stderr);
            var afterKenAll = Path.Combine(work, "after-kenall.json");
            Assert.Equal(0, (await Admin(city, address, "", "show", "--out", afterKenAll)).ExitCode);
            var towns = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(afterKenAll))!["towns"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!.AsObject());
            Assert.Equal(14, towns.Count);
            Assert.DoesNotContain("新町テスト", towns.Keys);
            Assert.Equal(("015", "しんりよくちよう"), (towns["新緑町"]["code"]!.GetValue<string>(), towns["新緑町"]["kana"]!.GetValue<string>()));
            Assert.Equal(("012", "residence", 40), (towns["野口町"]["code"]!.GetValue<string>(), towns["野口町"]["numbering"]!.GetValue<string>(), towns["野口町"]["blocks"]!.AsArray().Count));
            File.WriteAllBytes(kenAll, System.Text.Encoding.GetEncoding(932).GetBytes(KenAllRow("13211", "1870001", "小平市", "大沼町") + "\r\n"));
            Assert.Equal(1, (await Admin(city, address, "", "address", "import", kenAll, "--reason", "x", "--yes")).ExitCode);

            // address lots: the 地番 master of 秋津町 from a spreadsheet's CSV, in effect next month.
            var lots = Path.Combine(work, "lots.csv");
            File.WriteAllText(lots, "\uFEFF町字,丁目,区分,番号,始番号,終番号,名称\r\n秋津町,,地番,100,0,5,\r\n秋津町,,地番,101,,,\r\n秋津町,,特殊地番,,,,無番地\r\n");
            var lotsApplied = await Admin(city, address, "", "address", "lots", lots, "--reason", "地番の整備", "--effective-from", nextMonth, "--yes");
            Assert.True(lotsApplied.ExitCode == 0, lotsApplied.Stdout + lotsApplied.Stderr);
            Assert.Contains("$.towns[", lotsApplied.Stdout, StringComparison.Ordinal);
            var akitsu = (string when) => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(when))!["towns"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "秋津町")!;
            var atNextMonth = Path.Combine(work, "next-month.json");
            Assert.Equal(0, (await Admin(city, address, "", "show", "--at", nextMonth, "--out", atNextMonth)).ExitCode);
            Assert.Equal("lot", akitsu(atNextMonth)["numbering"]!.GetValue<string>());
            Assert.Equal(["無番地"], akitsu(atNextMonth)["specialLots"]!.AsArray().Select(n => n!.GetValue<string>()));
            var today = Path.Combine(work, "today.json");
            Assert.Equal(0, (await Admin(city, address, "", "show", "--out", today)).ExitCode);
            Assert.Null(akitsu(today)["numbering"]);
            File.WriteAllText(lots, "町字,丁目,区分,番号,始番号,終番号,名称\n秋津町,,地番,100,0,5,\n秋津町,,番地,7,,,\n存在町,,地番,1,,,\n");
            var badLots = await Admin(city, address, "", "address", "lots", lots, "--reason", "x", "--yes");
            Assert.Equal(1, badLots.ExitCode);
            Assert.Contains("csv line 3.区分", badLots.Stderr, StringComparison.Ordinal);
            var kiyose = Path.Combine(work, "132217.json");
            File.WriteAllText(kiyose, TenantDocuments.Minimal("132217", "清瀬市", "清瀬　太郎"));
            Assert.Equal(3, (await Admin(city, address, "", "add-city", kiyose, "--reason", "参加")).ExitCode);
            var added = await Admin(joint, address, "", "add-city", kiyose, "--reason", "共同利用への参加", "--json");
            Assert.True(added.ExitCode == 0, added.Stdout + added.Stderr);
            var clerk = await ServerProcess.MintAsync(data, "132217", "clerk", "--terminal", "T001");
            using var channel = GrpcChannel.ForAddress(address);
            var moveIn = Requests.MoveIn("132217", Requests.UniqueKana(), members: 1);
            var recorded = await new RegistrationService.RegistrationServiceClient(channel).RecordMoveInAsync(moveIn, new Metadata { { "Authorization", $"Bearer {clerk}" } });
            Assert.StartsWith("tenants/132217/residents/", recorded.Residents[0].Name, StringComparison.Ordinal);
            var certificate = await new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(channel).IssueCertificateAsync(new Contracts.Certificates.V1.IssueCertificateRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Household = recorded.Residents[0].Household,
                Requester = new Contracts.Certificates.V1.Requester { Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = "本人", Resident = recorded.Residents[0].Name, IdentityCheck = "運転免許証" },
            }, new Metadata { { "Authorization", $"Bearer {clerk}" } });
            Assert.Matches(@"東京都清瀬市長\s+清瀬\s+太郎", PdfTools.Text(certificate.Copies[0].Pdf.ToByteArray(), layout: true));
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        // After a restart the applied versions are still in force; the seed file did not override them.
        await using var again = ServerProcess.Start(data);
        await again.WaitUntilServingAsync(StartTimeout);
        var token = await ServerProcess.MintAsync(data, "132136", "operator");
        var afterRestart = await Admin(token, again.Address, "", "history");
        Assert.Contains("住所辞書の更新", afterRestart.Stdout, StringComparison.Ordinal);
        Assert.Contains("市長選挙", afterRestart.Stdout, StringComparison.Ordinal);
        var kiyoseAgain = await Admin(await ServerProcess.MintAsync(data, "*", "operator"), again.Address, "", "list");
        Assert.Contains("132217\t清瀬市", kiyoseAgain.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_version_the_current_schema_refuses_is_replaced_by_the_seed_at_start()
    {
        var data = RepositoryPaths.NewTempDirectory("srs-admin-old");
        await using (var first = ServerProcess.Start(data))
        {
            await first.WaitUntilServingAsync(StartTimeout);
            Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(30)));
        }
        // What an older release wrote: a document without offices or authenticators.
        var old = """{ "code": "132110", "name": "小平市", "nameKana": "こだいらし", "prefecture": "東京都", "effectiveFrom": "2020-01-01", "towns": [] }""";
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "srs.db")}"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO TenantConfigVersions (TenantCode, Version, EffectiveFrom, Document, DocumentHash, Author, Reason, RecordedAt) VALUES ('132110', 2, '2026-01-01', $doc, 'OLD', 'old-release', 'old', '2026-01-01 00:00:00')";
            insert.Parameters.AddWithValue("$doc", old);
            insert.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var again = ServerProcess.Start(data);
        await again.WaitUntilServingAsync(StartTimeout);
        var token = await ServerProcess.MintAsync(data, "132110", "operator");
        var history = await Admin(token, again.Address, "", "history");
        Assert.True(history.ExitCode == 0, history.Stderr);
        Assert.Contains("現在のスキーマに適合しない", history.Stdout, StringComparison.Ordinal);
        Assert.Contains("3\t", history.Stdout, StringComparison.Ordinal);
        var clerk = await ServerProcess.MintAsync(data, "132110");
        using var channel = GrpcChannel.ForAddress(again.Address);
        await new RegistrationService.RegistrationServiceClient(channel).RecordMoveInAsync(Requests.MoveIn("132110", Requests.UniqueKana(), members: 1), new Metadata { { "Authorization", $"Bearer {clerk}" } });
    }

    [Fact]
    public async Task A_city_goes_out_of_one_system_and_into_another_with_the_tool()
    {
        var from = RepositoryPaths.NewTempDirectory("srs-migrate-from");
        var into = RepositoryPaths.NewTempDirectory("srs-migrate-into");
        await using (var source = ServerProcess.Start(from))
        {
            await source.WaitUntilServingAsync(StartTimeout);
            var clerk = await ServerProcess.MintAsync(from, "132136");
            using var channel = GrpcChannel.ForAddress(source.Address);
            await new RegistrationService.RegistrationServiceClient(channel).RecordMoveInAsync(Requests.MoveIn("132136", Requests.UniqueKana(), members: 2), new Metadata { { "Authorization", $"Bearer {clerk}" } });
            var operatorToken = await ServerProcess.MintAsync(from, "132136", "operator");
            var exported = await Admin(operatorToken, source.Address, "", "migrate", "export", "handover");
            Assert.True(exported.ExitCode == 0, exported.Stdout + exported.Stderr);
            Assert.Contains("R01_住民.csv\t2 行", exported.Stdout, StringComparison.Ordinal);
            // The city is not empty: a dry run into it names that and exits 1.
            var refused = await Admin(operatorToken, source.Address, "", "migrate", "import", "handover", "--dry-run");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("既にあります", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, await source.TerminateAsync(TimeSpan.FromSeconds(30)));
        }
        var folder = Path.Combine(into, "migration", "132136", "handover");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(from, "migration", "132136", "handover")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        await using var target = ServerProcess.Start(into);
        await target.WaitUntilServingAsync(StartTimeout);
        var operatorInto = await ServerProcess.MintAsync(into, "132136", "operator");
        var dry = await Admin(operatorInto, target.Address, "", "migrate", "import", "handover", "--dry-run", "--json");
        Assert.True(dry.ExitCode == 0, dry.Stdout + dry.Stderr);
        Assert.Contains("\"imported\": false", dry.Stdout, StringComparison.Ordinal);
        var imported = await Admin(operatorInto, target.Address, "", "migrate", "import", "handover");
        Assert.True(imported.ExitCode == 0, imported.Stdout + imported.Stderr);
        Assert.Contains("取り込みました。", imported.Stdout, StringComparison.Ordinal);
        Assert.Contains("取込 R01_住民.csv [", imported.Stderr, StringComparison.Ordinal);
        Assert.Contains("ファイル,行,項目,規則,世帯番号", File.ReadAllText(Path.Combine(folder, "検査結果.csv")), StringComparison.Ordinal);
        var again = await Admin(operatorInto, target.Address, "", "migrate", "export", "after");
        Assert.True(again.ExitCode == 0, again.Stderr);
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => Path.GetFileName(f) != "検査結果.csv"))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(into, "migration", "132136", "after", Path.GetFileName(file))));
        }
    }
}
