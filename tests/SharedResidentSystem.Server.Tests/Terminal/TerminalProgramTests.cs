using System.Text.Json;
using Google.Protobuf;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Staff;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Terminal;

/// <summary>
/// srs-terminal, the counter terminal, run as a program against the real server process:
/// a whole counter visit in its JSON mode, the same visit typed by a clerk on a
/// pseudo-terminal, and a 転入 whose server dies mid-call and comes back.
/// </summary>
public sealed class TerminalProgramTests
{
    private const string City = "132136";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private static readonly string Program = ServerProcess.ProgramPath("tools/SharedResidentSystem.Terminal", "srs-terminal.dll");
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    private static async Task<(int ExitCode, JsonElement Answer, string Stderr)> Terminal(string address, string token, params string[] args)
    {
        var (code, stdout, stderr) = await ServerProcess.RunAsync("dotnet", [Program, .. args, "--address", address, "--token", token], RunTimeout);
        try
        {
            using var json = JsonDocument.Parse(stdout);
            return (code, json.RootElement.Clone(), stderr);
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"srs-terminal {string.Join(' ', args)} exited {code} without JSON:\n{stdout}\n{stderr}");
        }
    }

    private static string Write(string directory, string name, IMessage request)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, Json.Format(request));
        return path;
    }

    [Fact]
    [Spec("10.7#2")]
    [Spec("10.7#4")]
    [Spec("11.1#5")]
    public async Task A_counter_visit_in_json_mode_searches_records_a_family_and_issues_a_certificate_that_verifies()
    {
        var work = RepositoryPaths.NewTempDirectory("srs-terminal-files");
        var printed = Directory.CreateDirectory(Path.Combine(work, "printed")).FullName;
        await using var server = await ServerProcess.StartServingAsync(StartTimeout, "srs-terminal");
        var data = server.DataDirectory;
        var token = await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T001");
        var kana = Requests.UniqueKana();

        // Search first: nobody of that name lives here yet.
        var none = await Terminal(server.Address, token, "search", "--name", kana);
        Assert.Equal(0, none.ExitCode);
        Assert.False(none.Answer.TryGetProperty("residents", out var empty) && empty.GetArrayLength() > 0);

        // A wrong 個人番号 is refused with the item named for the clerk; nothing is recorded.
        var family = Requests.MoveIn(City, kana, familyName: "端末", members: 3);
        family.RequestId = "";
        var wrong = family.Clone();
        wrong.Members[2].IndividualNumber = "111111111111";
        var refused = await Terminal(server.Address, token, "record", "move-in", "--file", Write(work, "wrong.json", wrong));
        Assert.Equal(1, refused.ExitCode);
        var field = refused.Answer.GetProperty("problem").GetProperty("fields")[0];
        Assert.Equal("members[2].individual_number", field.GetProperty("field").GetString());
        Assert.Equal("世帯員3 個人番号", field.GetProperty("label").GetString());

        // The family moves in.
        var moved = await Terminal(server.Address, token, "record", "move-in", "--file", Write(work, "family.json", family));
        Assert.True(moved.ExitCode == 0, moved.Answer.ToString());
        var household = moved.Answer.GetProperty("household").GetString()!;
        Assert.Equal(3, moved.Answer.GetProperty("residents").GetArrayLength());
        var head = moved.Answer.GetProperty("residents")[0].GetProperty("residentNumber").GetString()!;

        // An alert stops the next one until it is acknowledged (11.1).
        var elder = Requests.MoveIn(City, Requests.UniqueKana(), familyName: "長寿", members: 1);
        elder.RequestId = "";
        elder.Members[0].BirthDate = new Contracts.Common.V1.PartialDate { Year = 1912, Month = 2, Day = 2 };
        var elderFile = Write(work, "elder.json", elder);
        var alerted = await Terminal(server.Address, token, "record", "move-in", "--file", elderFile);
        Assert.Equal(4, alerted.ExitCode);
        Assert.Equal("AGE_OVER_110", alerted.Answer.GetProperty("problem").GetProperty("alerts")[0].GetProperty("code").GetString());
        var acknowledged = await Terminal(server.Address, token, "record", "move-in", "--file", elderFile, "--ack", "AGE_OVER_110");
        Assert.True(acknowledged.ExitCode == 0, acknowledged.Answer.ToString());

        // Found again by a loose reading (hiragana) and a 和暦 birth date.
        var hiragana = string.Concat(kana.Select(c => (char)(c - 0x60)));
        var found = await Terminal(server.Address, token, "search", "--name", hiragana, "--birth", "S55.6.15");
        Assert.Equal(0, found.ExitCode);
        Assert.Equal(head, Assert.Single(found.Answer.GetProperty("residents").EnumerateArray()).GetProperty("residentNumber").GetString());

        var shown = await Terminal(server.Address, token, "show", head);
        Assert.Equal(0, shown.ExitCode);
        Assert.Equal(3, shown.Answer.GetProperty("household").GetProperty("members").GetArrayLength());
        Assert.Equal("国内転入", Assert.Single(shown.Answer.GetProperty("idou").EnumerateArray()).GetProperty("reason").GetString());

        // 住民票の写し of the household, two copies, saved and sent to the print command.
        var issue = new Contracts.Certificates.V1.IssueCertificateRequest
        {
            Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy,
            Household = household,
            Copies = 2,
            Requester = new Contracts.Certificates.V1.Requester
            {
                Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold,
                Name = "端末 一郎",
                Resident = $"tenants/{City}/residents/{head}",
                IdentityCheck = "運転免許証",
            },
        };
        issue.Items.Add(Contracts.Certificates.V1.CertificateItem.HeadAndRelationship);
        var saved = Path.Combine(work, "certificates");
        var (code, stdout, stderr) = await ServerProcess.RunAsync("dotnet",
            [Program, "issue", "--file", Write(work, "issue.json", issue), "--print", "--output-dir", saved, "--printer", "P-001", "--address", server.Address, "--token", token],
            RunTimeout, environment: new Dictionary<string, string> { ["SRS_PRINT_COMMAND"] = $"cp -t '{printed}'" });
        Assert.True(code == 0, stdout + stderr);
        using var issued = JsonDocument.Parse(stdout);
        var files = issued.RootElement.GetProperty("savedFiles").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Equal(2, files.Count);
        Assert.Equal(2, Directory.GetFiles(printed, "*.pdf").Length);
        var text = PdfTools.Text(File.ReadAllBytes(files[0]));
        Assert.Contains("端末", text, StringComparison.Ordinal);
        Assert.Contains("世帯主", text, StringComparison.Ordinal);
        var copies = issued.RootElement.GetProperty("copies");
        Assert.NotEqual(copies[0].GetProperty("issueNumber").GetString(), copies[1].GetProperty("issueNumber").GetString());
        Assert.Contains("プリンタ001", copies[0].GetProperty("issueNumber").GetString(), StringComparison.Ordinal);
        Assert.False(copies[0].TryGetProperty("pdf", out _));

        // Anyone can check the code; the answer names the city and kind, nobody's data.
        var verificationCode = copies[0].GetProperty("verificationCode").GetString()!;
        var verified = await Terminal(server.Address, "", "verify", verificationCode);
        Assert.Equal(0, verified.ExitCode);
        Assert.Equal("STATUS_ISSUED", verified.Answer.GetProperty("status").GetString());
        Assert.Equal("東村山市", verified.Answer.GetProperty("cityName").GetString());
        Assert.DoesNotContain("端末", verified.Answer.ToString(), StringComparison.Ordinal);

        // A mistyped or unknown code is not a valid certificate: the exit code says so.
        var mistyped = verificationCode[..^1] + (verificationCode[^1] == 'A' ? 'B' : 'A');
        var bad = await Terminal(server.Address, "", "verify", mistyped);
        Assert.Equal((1, "STATUS_MALFORMED"), (bad.ExitCode, bad.Answer.GetProperty("status").GetString()));
        var unknown = await Terminal(server.Address, "", "verify", Core.Certificates.VerificationCodes.New());
        Assert.Equal((1, "STATUS_NOT_ISSUED"), (unknown.ExitCode, unknown.Answer.GetProperty("status").GetString()));

        // whoami names the staff member, roles and terminal of the token, and the city.
        var me = await Terminal(server.Address, token, "whoami");
        Assert.Equal(0, me.ExitCode);
        Assert.False(string.IsNullOrEmpty(me.Answer.GetProperty("staff").GetString()));
        Assert.Contains("clerk", me.Answer.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("T001", me.Answer.GetProperty("terminal").GetString());
        Assert.Equal("東村山市", me.Answer.GetProperty("tenant").GetProperty("displayName").GetString());

        // Printed without a folder, the copies go to the printer and none stays behind (10.7).
        var spools = Directory.GetDirectories(Path.GetTempPath(), "srs-print-*").Length;
        var reprinted = Path.Combine(work, "printed-only");
        Directory.CreateDirectory(reprinted);
        issue.RequestId = Guid.NewGuid().ToString();
        var (printOnly, printOut, printErr) = await ServerProcess.RunAsync("dotnet",
            [Program, "issue", "--file", Write(work, "issue-print.json", issue), "--print", "--printer", "P-001", "--address", server.Address, "--token", token],
            RunTimeout, environment: new Dictionary<string, string> { ["SRS_PRINT_COMMAND"] = $"cp -t '{reprinted}'" });
        Assert.True(printOnly == 0, printOut + printErr);
        using var printedOnly = JsonDocument.Parse(printOut);
        Assert.Equal(0, printedOnly.RootElement.GetProperty("savedFiles").GetArrayLength());
        Assert.Equal(2, printedOnly.RootElement.GetProperty("printed").GetInt32());
        Assert.Equal(2, Directory.GetFiles(reprinted, "*.pdf").Length);
        Assert.Equal(spools, Directory.GetDirectories(Path.GetTempPath(), "srs-print-*").Length);
        // Neither printed nor saved: refused before anything is issued.
        var nowhere = await ServerProcess.RunAsync("dotnet", [Program, "issue", "--file", Write(work, "issue-nowhere.json", issue), "--address", server.Address, "--token", token], RunTimeout);
        Assert.Equal(2, nowhere.ExitCode);
    }

    [Fact]
    [Spec("2.3.1#1")]
    [Spec("2.3.2#1")]
    [Spec("4.0.3#2")]
    [Spec("4.0.9#1")]
    [Spec("4.1.0.2#2")]
    [Spec("10.5#2")]
    [Spec("11.1#5")]
    public async Task A_clerk_serves_a_family_on_a_terminal_with_the_keyboard_alone()
    {
        var saved = RepositoryPaths.NewTempDirectory("srs-terminal-pdf");
        await using var server = await ServerProcess.StartServingAsync(StartTimeout, "srs-terminal-pty", "--Auth:SignIn:DemoStaffFile=config/staff/demo-staff.json");
        var (password, secret) = ServerProcess.DemoStaff("murayama-clerk");
        var kana = Requests.UniqueKana();
        await using var term = PseudoTerminal.Start("dotnet",
            [Program, "--address", server.Address, "--output-dir", saved, "--printer", "P-001", "--lock-seconds", "8", "--tenant", City, "--terminal", "T001"],
            new Dictionary<string, string> { ["SRS_TOKEN"] = "" });

        // Sign in (10.3): staff ID, password (typed, not shown) and the authenticator's code.
        await term.AnswerAsync("団体コード [132136]: ", "");
        await term.AnswerAsync("職員ID: ", "murayama-clerk");
        await term.AnswerAsync("パスワード: ", "not-the-password-1");
        await term.AnswerAsync("確認コード（認証アプリの6桁）: ", StaffTotp.Code(secret, DateTimeOffset.UtcNow));
        await term.ExpectAsync("サインインできません");
        await term.AnswerAsync("団体コード [132136]: ", "");
        await term.AnswerAsync("職員ID [murayama-clerk]: ", "");
        await term.AnswerAsync("パスワード: ", password);
        await term.AnswerAsync("確認コード（認証アプリの6桁）: ", StaffTotp.Code(secret, DateTimeOffset.UtcNow));
        Assert.Contains("東村山市（132136）　職員 murayama-clerk　端末 T001", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);

        // 住民検索: nobody yet.
        await term.TypeAsync("1");
        await term.AnswerAsync("氏名: ", "?");
        Assert.Contains("カナ・ひらがな・漢字のどれでも", await term.ExpectAsync("! で今の画面を中止"), StringComparison.Ordinal); // the on-screen manual (10.5)
        await term.AnswerAsync("氏名: ", kana);
        await term.AnswerAsync("生年月日", "");
        await term.AnswerAsync("町字: ", "");
        await term.AnswerAsync("除票も含める (y/N): ", "");
        await term.ExpectAsync("0 件");

        // 転入 of a family; the screen names the process (2.3.1).
        await term.AnswerAsync("番号 [1]: ", "3");
        await term.ExpectAsync("━━ 転入 ━━");
        // 4.0.3#2: the 異動日 starts blank; 4.1.0.2#2: the 届出日 starts as today.
        await term.AnswerAsync("異動日（転入日）: ", Day(-5));
        await term.AnswerAsync($"届出日 [{Wareki.Format(JapanToday)}]: ", "");
        await term.AnswerAsync("届出人の氏名: ", "端末 一郎");
        await term.AnswerAsync("届出人と異動者の関係 [本人]: ", "");
        await term.AnswerAsync("転入の種類", "");
        await term.AnswerAsync("加わる世帯の世帯番号（空欄: 新しい世帯）: ", "");
        // 住所カナ入力 (1.3.3): the first kana of 市 and 町字 find the place; 郵便番号 and 住所コード come with it.
        await term.AnswerAsync("郵便番号か住所の読みの頭文字", "ヒ ホン");
        Assert.Contains("→ 本町　〒1890014　住所コード 13213006000", await term.ExpectAsync("番地・号（例 2番3号）: "), StringComparison.Ordinal);
        await term.TypeAsync("4番5号");
        await term.AnswerAsync("方書: ", "メゾン端末201");
        await term.AnswerAsync("都道府県: ", "大阪府");
        await term.AnswerAsync("市区町村: ", "大阪市北区");
        await term.AnswerAsync("町名・番地・方書: ", "梅田1-1-1");
        await Member(term, "端末", "一郎", kana, "イチロウ", "S55.6.15", "1", "", "");
        await term.AnswerAsync("世帯員を追加しますか（現在 1 人） (y/N): ", "y");
        await Member(term, "端末", "花子", kana, "ハナコ", "昭和57年3月3日", "2", "妻", "111111111111");
        await term.AnswerAsync("世帯員を追加しますか（現在 2 人） (y/N): ", "");

        // The confirmation screen (4.0.9) reads everything back before anything is recorded.
        var confirmation = await term.ExpectAsync("操作（1:登録する");
        Assert.Contains("入力内容の確認", confirmation, StringComparison.Ordinal);
        Assert.Contains("本町4番5号　メゾン端末201", confirmation, StringComparison.Ordinal);
        Assert.Contains("昭和57年3月3日", confirmation, StringComparison.Ordinal);
        await term.TypeAsync("");
        // The error names the item (11.1); the clerk corrects just that member.
        var error = await term.ExpectAsync("誤りのある項目を修正してください");
        Assert.Contains("世帯員2 個人番号", error, StringComparison.Ordinal);
        await term.AnswerAsync("操作（1:登録する", "2");
        await term.AnswerAsync("修正する項目の番号 [1]: ", "8");
        foreach (var prompt in new[] { "氏 [", "名 [", "氏（カナ） [", "名（カナ） [", "生年月日 [", "性別", "世帯主との続柄 [", "本籍", "筆頭者" })
        {
            await term.AnswerAsync(prompt, "");
        }
        await term.AnswerAsync("個人番号（12桁、空欄可） [111111111111]: ", Requests.IndividualNumber());
        await term.AnswerAsync("操作（1:登録する", "1");
        var recorded = await term.ExpectAsync("番号 [1]: ");
        Assert.Contains("■ 転入を記録しました", recorded, StringComparison.Ordinal);
        var household = System.Text.RegularExpressions.Regex.Match(recorded, @"世帯番号 (\d+)").Groups[1].Value;
        var head = System.Text.RegularExpressions.Regex.Match(recorded, @"宛名番号 (\d+)　端末 一郎").Groups[1].Value;
        Assert.NotEmpty(household);
        Assert.NotEmpty(head);

        // Left alone, the screen locks; the clerk's own password opens it again (2.3.2).
        await Task.Delay(TimeSpan.FromSeconds(9)); // longer than --lock-seconds, with room for a slow machine
        await term.TypeAsync("8");
        await term.ExpectAsync("画面をロックしました");
        await term.AnswerAsync("パスワードを入力してロックを解除: ", ServerProcess.DemoStaff("murayama-supervisor").Password + "x"); // not this clerk's password
        await term.ExpectAsync("正しくありません");
        await term.AnswerAsync("パスワードを入力してロックを解除: ", password);
        await term.ExpectAsync("ロックを解除しました");

        // 住民票の写し for the household: preview first, then two copies.
        await term.AnswerAsync("番号 [1]: ", "8");
        await term.AnswerAsync("証明書の種類", "1");
        await term.AnswerAsync("世帯:世帯番号", $"世帯:{household}");
        await term.AnswerAsync("様式", "");
        await term.AnswerAsync("履歴を記載する (y/N): ", "");
        await term.AnswerAsync("記載する事項の番号", "1");
        await term.AnswerAsync("請求者の区分", "1");
        await term.AnswerAsync("請求者の氏名: ", "端末 一郎");
        await term.AnswerAsync("請求者の宛名番号", head);
        await term.AnswerAsync("本人確認書類", "運転免許証");
        await term.AnswerAsync("部数 [1]: ", "2");
        await term.AnswerAsync("プリンタ（端末に登録されたもの） [P-001]: ", "");
        await term.AnswerAsync("操作（1:交付する", "3");
        var preview = await term.ExpectAsync("操作（1:交付する");
        Assert.Contains("見本（発行番号なし・台帳に記録なし）", preview, StringComparison.Ordinal);
        Assert.Contains("保存しました: " + Path.Combine(saved, "preview-"), preview, StringComparison.Ordinal);
        await term.TypeAsync("1");
        var handed = await term.ExpectAsync("番号 [1]: ");
        Assert.Contains("■ 住民票の写しを交付しました", handed, StringComparison.Ordinal);
        var code = System.Text.RegularExpressions.Regex.Match(handed, @"検証コード (\S+)").Groups[1].Value;
        Assert.NotEmpty(code);
        var pdfs = Directory.GetFiles(saved, "*.pdf").Where(f => !Path.GetFileName(f).StartsWith("preview-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pdfs.Count);
        Assert.Contains("メゾン端末201", PdfTools.Text(File.ReadAllBytes(pdfs[0])), StringComparison.Ordinal);

        // 証明書の検証.
        await term.TypeAsync("9");
        await term.AnswerAsync("検証コード", code);
        Assert.Contains("■ 有効: 東村山市（132136）", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);

        // 交付履歴照会 and a reprint: the same bytes as handed over.
        await term.TypeAsync("14");
        await term.AnswerAsync("宛名番号: ", head);
        Assert.Contains("住民票の写し  2部  端末 一郎  職員 murayama-clerk  交付", await term.ExpectAsync("再印刷する番号（0: 戻る） [0]: "), StringComparison.Ordinal);
        await term.TypeAsync("1");
        Assert.Contains("■ 交付時と同じ内容で再印刷します", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);
        var reprinted = Directory.GetFiles(saved, "reprint-*.pdf").Order().ToList();
        Assert.Equal(2, reprinted.Count);
        Assert.Equal(File.ReadAllBytes(pdfs.Order().First()), File.ReadAllBytes(reprinted[0]));
        await term.TypeAsync("0");
        await term.ExpectAsync("終了します。");
        Assert.Equal(0, await term.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task Member(PseudoTerminal term, string family, string given, string familyKana, string givenKana, string birth, string sex,
        string relationship, string individualNumber)
    {
        await term.AnswerAsync("氏: ", family);
        await term.AnswerAsync("名: ", given);
        await term.AnswerAsync("氏（カナ）: ", familyKana);
        await term.AnswerAsync("名（カナ）: ", givenKana);
        await term.AnswerAsync("生年月日: ", birth);
        await term.AnswerAsync("性別", sex);
        await term.AnswerAsync("世帯主との続柄", relationship);
        await term.AnswerAsync("本籍", "東京都千代田区千代田1番");
        await term.AnswerAsync("筆頭者", "端末 一郎");
        await term.AnswerAsync("個人番号", individualNumber);
    }

    [Theory]
    [InlineData(CutAt.Answer, "sqlite")]
    [InlineData(CutAt.Request, "sqlite")]
    [InlineData(CutAt.Answer, "postgresql")]
    public async Task A_move_in_whose_server_dies_mid_call_is_retried_after_the_restart_and_recorded_exactly_once(CutAt cut, string provider)
    {
        var data = RepositoryPaths.NewTempDirectory("srs-terminal-fault");
        var work = RepositoryPaths.NewTempDirectory("srs-terminal-fault-files");
        var storage = await ServerProcess.StorageAsync(provider);
        var first = ServerProcess.Start(data, storage);
        ServerProcess? second = null;
        try
        {
            await first.WaitUntilServingAsync(StartTimeout);
            var token = await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T001");
            // Answer: the proxy lets the 転入 reach the server and the server commit it; when the
            // answer starts back, the server is killed and the answer is lost. Request: the server
            // is killed as the request leaves the terminal, and it never arrives. Either way the
            // server is then started again on the same data.
            await using var proxy = new CuttingProxy(first.Port, "/srs.registration.v1.RegistrationService/RecordMoveIn", async () => await first.KillAsync(), cut);
            var kana = Requests.UniqueKana();
            var family = Requests.MoveIn(City, kana, familyName: "障害", members: 4);
            family.RequestId = "";
            var file = Write(work, "family.json", family);

            var terminal = Terminal(proxy.Address, token, "record", "move-in", "--file", file, "--retries", "12");
            await proxy.Cut.Task.WaitAsync(TimeSpan.FromSeconds(60));
            second = ServerProcess.Start(data, storage);
            proxy.Target = second.Port;
            await second.WaitUntilServingAsync(StartTimeout);
            var (exitCode, answer, stderr) = await terminal;

            Assert.True(exitCode == 0, answer + stderr);
            Assert.True(answer.GetProperty("attempts").GetInt32() >= 2, answer.ToString());
            var idou = answer.GetProperty("idou").GetString()!;
            // One 異動 with four residents: not zero (lost with the server), not two (the retry).
            var found = await Terminal(second.Address, token, "search", "--name", kana);
            var residents = found.Answer.GetProperty("residents").EnumerateArray().ToList();
            Assert.Equal(4, residents.Count);
            Assert.Single(residents.Select(r => r.GetProperty("household").GetString()).Distinct());
            foreach (var r in residents)
            {
                var shown = await Terminal(second.Address, token, "show", r.GetProperty("residentNumber").GetString()!);
                var history = shown.Answer.GetProperty("idou").EnumerateArray().ToList();
                Assert.Equal(idou, Assert.Single(history).GetProperty("name").GetString());
            }
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
            RepositoryPaths.Remove(work);
        }
    }

    [Fact]
    public async Task The_example_requests_of_the_readme_record_a_family_and_issue_its_copy()
    {
        var work = RepositoryPaths.NewTempDirectory("srs-terminal-readme-files");
        await using var server = await ServerProcess.StartServingAsync(StartTimeout, "srs-terminal-readme");
        var data = server.DataDirectory;
        var token = await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T001");
        var examples = Path.Combine(RepositoryPaths.Root, "docs", "examples");

        var moved = await Terminal(server.Address, token, "record", "move-in", "--file", Path.Combine(examples, "move-in.json"));
        Assert.True(moved.ExitCode == 0, moved.Answer.ToString());
        var household = moved.Answer.GetProperty("household").GetString()!;
        var head = moved.Answer.GetProperty("residents")[0].GetProperty("name").GetString()!;

        var copy = Contracts.Certificates.V1.IssueCertificateRequest.Parser.ParseJson(File.ReadAllText(Path.Combine(examples, "resident-copy.json")));
        copy.Household = household;
        copy.Requester.Resident = head;
        var (code, stdout, stderr) = await ServerProcess.RunAsync("dotnet",
            [Program, "issue", "--file", Write(work, "copy.json", copy), "--printer", "P-001", "--output-dir", Path.Combine(work, "certificates"), "--address", server.Address, "--token", token],
            RunTimeout);
        Assert.True(code == 0, stdout + stderr);
        var saved = Directory.GetFiles(Path.Combine(work, "certificates"), "*.pdf");
        Assert.Contains("東山", PdfTools.Text(File.ReadAllBytes(Assert.Single(saved))), StringComparison.Ordinal);
    }

    /// <summary>A day relative to today in Japan, typed as a clerk may (西暦).</summary>
    private static DateOnly JapanToday => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));

    private static string Day(int offset) =>
        DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    [Spec("7.1.1.1#17")]
    [Spec("7.1.2.4#2")]
    [Spec("7.1.2.4#3")]
    public async Task The_clerk_sees_on_the_terminal_whether_the_cs_is_reached_what_it_refused_and_what_was_received_for_a_clerk()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(StartTimeout);
        await using var server = await ServerProcess.StartServingAsync(StartTimeout, "srs-terminal-cs", $"--Cs:Address={cs.Address}", "--Cs:PollSeconds=0.2", "--Cs:MaxBackoffSeconds=1");
        var clerk = await ServerProcess.MintAsync(server.DataDirectory, City, "clerk", "--terminal", "T001", "--staff", "clerk-cs");
        // A 転入 without a 住民票コード (none in stock): the CS refuses its 本人確認情報, which holds the queue.
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(server.Address))
        {
            await new RegistrationService.RegistrationServiceClient(channel).RecordMoveInAsync(Requests.MoveIn(City, Requests.UniqueKana(), members: 1),
                new Grpc.Core.Metadata { { "Authorization", "Bearer " + clerk } });
        }
        // A 転入通知 for a 住民票コード the city does not have: on its 取込エラー一覧.
        var unknown = Requests.ResidentCode();
        await cs.Client.InjectAsync(new Contracts.JukiNet.V1.CsMessage
        {
            MessageId = Guid.NewGuid().ToString("N"), SenderCode = "271004", RecipientCode = City, Kind = Contracts.JukiNet.V1.CsMessageKind.MoveInNotice,
            IdouDate = Day(-2), NotifiedDate = Day(-1),
            Person = new Contracts.JukiNet.V1.CsPerson { ResidentCode = unknown, Name = "高橋 花子", Destination = "大阪府大阪市北区梅田1-1-1" },
        });
        using var statusChannel = Grpc.Net.Client.GrpcChannel.ForAddress(server.Address);
        var link = new CsLinkService.CsLinkServiceClient(statusChannel);
        var headers = new Grpc.Core.Metadata { { "Authorization", "Bearer " + clerk } };
        for (var i = 0; i < 300; i++)
        {
            var now = await link.GetCsLinkStatusAsync(new GetCsLinkStatusRequest(), headers);
            if (now.Failed == 1 && now.InboundNeedsReview == 1 && now.Reachable)
            {
                break;
            }
            await Task.Delay(100);
        }

        await using var term = PseudoTerminal.Start("dotnet", [Program, "--address", server.Address], new Dictionary<string, string> { ["SRS_TOKEN"] = clerk });
        await term.AnswerAsync("番号 [1]: ", "17");
        var shown = await term.ExpectAsync("番号 [1]: ");
        Assert.Contains("━━ CS連携の状況", shown, StringComparison.Ordinal);
        Assert.Contains("CS: 接続中", shown, StringComparison.Ordinal);
        Assert.Contains("送信エラー 1 件", shown, StringComparison.Ordinal);
        Assert.Contains("取込エラー（要確認） 1 件", shown, StringComparison.Ordinal);
        Assert.Contains("本人確認情報（国内転入）", shown, StringComparison.Ordinal);
        Assert.Contains("住民票コードがありません", shown, StringComparison.Ordinal);
        Assert.Contains($"転入通知情報 住民票コード {unknown}（271004 から）", shown, StringComparison.Ordinal);
        Assert.Contains("がありません", shown[shown.IndexOf(unknown, StringComparison.Ordinal)..], StringComparison.Ordinal);

        // The CS goes down: the terminal says so.
        await cs.KillAsync();
        for (var i = 0; i < 300 && (await link.GetCsLinkStatusAsync(new GetCsLinkStatusRequest(), headers)).Reachable; i++)
        {
            await Task.Delay(100);
        }
        await term.TypeAsync("17");
        Assert.Contains("CS: 接続できません", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);
        await term.TypeAsync("0");
        await term.ExpectAsync("終了します。");
        Assert.Equal(0, await term.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    [Spec("9.1#7")]
    public async Task A_supervisor_follows_the_citys_jobs_on_the_terminal_with_what_each_gave_or_why_it_failed_and_a_clerk_does_not()
    {
        await using var server = await ServerProcess.StartServingAsync(StartTimeout, "srs-terminal-jobs", "--Jobs:PollSeconds=0.2");
        var supervisor = await ServerProcess.MintAsync(server.DataDirectory, City, "supervisor", "--terminal", "T001", "--staff", "sv-jobs");
        var clerk = await ServerProcess.MintAsync(server.DataDirectory, City, "clerk", "--terminal", "T001", "--staff", "clerk-jobs");
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(server.Address))
        {
            await new RegistrationService.RegistrationServiceClient(channel).RecordMoveInAsync(Requests.MoveIn(City, Requests.UniqueKana(), members: 2),
                new Grpc.Core.Metadata { { "Authorization", "Bearer " + clerk } });
            var jobs = new Contracts.Jobs.V1.JobService.JobServiceClient(channel);
            var headers = new Grpc.Core.Metadata { { "Authorization", "Bearer " + supervisor } };
            var drawn = await jobs.StartJobAsync(new Contracts.Jobs.V1.StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Jobs.V1.JobKind.RandomExtraction, Reason = "意識調査",
                RandomExtraction = new Contracts.Jobs.V1.RandomExtractionParameters { Count = 1, Seed = 7 },
            }, headers);
            // No CS here: the 整合性確認 ends abnormally.
            var check = await jobs.StartJobAsync(new Contracts.Jobs.V1.StartJobRequest
            {
                RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Jobs.V1.JobKind.CsConsistency, Reason = "夜間の整合性確認",
            }, headers);
            foreach (var started in new[] { drawn, check })
            {
                for (var i = 0; i < 300 && !(await jobs.GetOperationAsync(new Contracts.Jobs.V1.GetOperationRequest { Name = started.Name }, headers)).Done; i++)
                {
                    await Task.Delay(100);
                }
            }
        }

        await using (var term = PseudoTerminal.Start("dotnet", [Program, "--address", server.Address], new Dictionary<string, string> { ["SRS_TOKEN"] = supervisor }))
        {
            await term.AnswerAsync("番号 [1]: ", "18");
            var shown = await term.ExpectAsync("番号 [1]: ");
            Assert.Contains("━━ バッチ処理の状況", shown, StringComparison.Ordinal);
            Assert.Contains("9.6 無作為抽出　正常終了 100%", shown, StringComparison.Ordinal);
            Assert.Contains("sv-jobs　意識調査", shown, StringComparison.Ordinal);
            Assert.Contains("抽出 1", shown, StringComparison.Ordinal);
            Assert.Contains("7.1.1.2 整合性確認　異常終了", shown, StringComparison.Ordinal);
            Assert.Contains("JOB_FAILED: CS_NOT_CONFIGURED", shown, StringComparison.Ordinal);
            // The latest first.
            Assert.True(shown.IndexOf("整合性確認", StringComparison.Ordinal) < shown.IndexOf("無作為抽出", StringComparison.Ordinal));
            await term.TypeAsync("0");
            await term.ExpectAsync("終了します。");
        }
        await using (var term = PseudoTerminal.Start("dotnet", [Program, "--address", server.Address], new Dictionary<string, string> { ["SRS_TOKEN"] = clerk }))
        {
            await term.AnswerAsync("番号 [1]: ", "18");
            var refused = await term.ExpectAsync("番号 [1]: ");
            Assert.DoesNotContain("無作為抽出", refused, StringComparison.Ordinal);
            Assert.Contains("[ROLE_NOT_PERMITTED]", refused, StringComparison.Ordinal);
            await term.TypeAsync("0");
            await term.ExpectAsync("終了します。");
        }
    }

    [Fact]
    [Spec("10.8#1")]
    [Spec("10.8#4")]
    public async Task A_move_out_certificate_csv_opens_the_move_in_filled_in_on_its_confirmation_screen_and_the_clerk_records_it()
    {
        await using var server = await ServerProcess.StartServingAsync(StartTimeout, "srs-terminal-csv");
        var clerk = await ServerProcess.MintAsync(server.DataDirectory, City, "clerk", "--terminal", "T001", "--staff", "clerk-csv");
        var work = RepositoryPaths.NewTempDirectory("srs-terminal-csv-files");
        var kana = Requests.UniqueKana();
        var csv = Path.Combine(work, "転出証明書.csv");
        File.WriteAllText(csv, string.Join("\r\n",
            "氏名,氏名カナ,生年月日,性別,続柄,本籍,筆頭者,住所,転出先,転出予定日",
            $"取込　一郎,{kana}　イチロウ,昭和50年1月2日,男,世帯主,東京都千代田区千代田1番,取込　一郎,埼玉県所沢市東町1-1,本町2丁目3番4号,{Day(-1)}",
            $"取込　花子,{kana}　ハナコ,昭和52年3月4日,女,妻,東京都千代田区千代田1番,取込　一郎,埼玉県所沢市東町1-1,本町2丁目3番4号,{Day(-1)}") + "\r\n", new System.Text.UTF8Encoding(true));

        await using var term = PseudoTerminal.Start("dotnet", [Program, "--address", server.Address], new Dictionary<string, string> { ["SRS_TOKEN"] = clerk });
        await term.AnswerAsync("番号 [1]: ", "16");
        await term.AnswerAsync("データの種類（1:転出証明書", "1");
        await term.AnswerAsync("CSV ファイル: ", csv);
        // Straight to the confirmation screen, every item from the CSV; nothing is recorded yet.
        var confirmation = await term.ExpectAsync("操作（1:登録する");
        Assert.Contains("異動日（転入日）を確かめて入力してください", confirmation, StringComparison.Ordinal);
        Assert.Contains("━━ 転入 ━━", confirmation, StringComparison.Ordinal);
        Assert.Contains("取込 一郎", confirmation, StringComparison.Ordinal);
        Assert.Contains("取込 花子", confirmation, StringComparison.Ordinal);
        Assert.Contains("本町2丁目3番4号", confirmation, StringComparison.Ordinal);
        Assert.Contains("埼玉県所沢市東町1-1", confirmation, StringComparison.Ordinal);
        // The clerk types the 転入日 (blank until typed, 4.0.3#2) and the 届出人 the certificate does not carry, then records.
        await term.TypeAsync("2");
        await term.AnswerAsync("修正する項目の番号", "1");
        await term.AnswerAsync("異動日（転入日）: ", Day(0));
        await term.AnswerAsync("届出日 [", "");
        await term.AnswerAsync("操作（1:登録する", "2");
        await term.AnswerAsync("修正する項目の番号", "2");
        await term.AnswerAsync("届出人の氏名", "取込 一郎");
        await term.AnswerAsync("届出人と異動者の関係", "本人");
        await term.AnswerAsync("操作（1:登録する", "1");
        var recorded = await term.ExpectAsync("番号 [1]: ");
        Assert.Contains("■ 転入を記録しました", recorded, StringComparison.Ordinal);
        Assert.Contains("取込 花子", recorded, StringComparison.Ordinal);
        await term.TypeAsync("0");
        await term.ExpectAsync("終了します。");
        Assert.Equal(0, await term.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    [Spec("2.3.1#1")]
    [Spec("4.1.3.0.3#1")]
    public async Task Births_moves_and_deaths_are_entered_on_their_screens_and_a_supervisor_approves_a_provisional_one()
    {
        var saved = RepositoryPaths.NewTempDirectory("srs-terminal-idou-pdf");
        await using var server = await ServerProcess.StartServingAsync(StartTimeout, "srs-terminal-idou");
        var data = server.DataDirectory;
        var clerk = await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T001", "--staff", "clerk-a");
        var supervisor = await ServerProcess.MintAsync(data, City, "supervisor", "--terminal", "T002", "--staff", "boss-b");
        var work = RepositoryPaths.NewTempDirectory("srs-terminal-idou-files");
        var kana = Requests.UniqueKana();
        var family = Requests.MoveIn(City, kana, familyName: "画面", members: 4);
        var moved = await Terminal(server.Address, clerk, "record", "move-in", "--file", Write(work, "family.json", family));
        Assert.True(moved.ExitCode == 0, moved.Answer.ToString());
        var household = NumberOf(moved.Answer.GetProperty("household").GetString()!);
        var numbers = moved.Answer.GetProperty("residents").EnumerateArray().Select(r => r.GetProperty("residentNumber").GetString()!).ToList();

        await using (var term = PseudoTerminal.Start("dotnet", [Program, "--address", server.Address, "--output-dir", saved],
            new Dictionary<string, string> { ["SRS_TOKEN"] = clerk }))
        {
            // 出生
            await term.AnswerAsync("番号 [1]: ", "6");
            await term.ExpectAsync("━━ 出生 ━━");
            await term.AnswerAsync("生まれた子が入る世帯の世帯番号: ", household);
            await Member(term, "画面", "三郎", kana, "サブロウ", Day(-3), "1", "子", "");
            await term.AnswerAsync("届出日 [", "");
            await term.AnswerAsync("届出人の氏名: ", "画面 一郎");
            await term.AnswerAsync("届出人と異動者の関係 [父]: ", "");
            await term.AnswerAsync("操作（1:登録する", "1");
            Assert.Contains("■ 出生を記録しました", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);

            // 転居 of one member into a household of their own: the screen says 一部転居.
            await term.TypeAsync("5");
            await term.AnswerAsync("世帯:世帯番号（世帯全員）: ", numbers[2]);
            await term.ExpectAsync("── 処理: 一部転居 ──");
            await term.AnswerAsync("異動日（転居日）: ", Day(-1));
            await term.AnswerAsync("届出日 [", "");
            await term.AnswerAsync("届出人の氏名: ", "画面 太郎");
            await term.AnswerAsync("届出人と異動者の関係 [本人]: ", "");
            await term.AnswerAsync("郵便番号か住所の読みの頭文字", "");
            await term.AnswerAsync("町字: ", Requests.TownOf(City));
            await term.AnswerAsync("丁目（なし: 0） [0]: ", "2");
            await term.AnswerAsync("番地・号（例 2番3号）: ", "7番1号");
            await term.AnswerAsync("方書: ", "");
            await term.AnswerAsync("郵便番号（7桁）: ", "");
            await term.AnswerAsync("加わる世帯の世帯番号（空欄: 新しい世帯）: ", "");
            await term.AnswerAsync($"{numbers[2]} の新しい続柄: ", "世帯主");
            await term.AnswerAsync("操作（1:登録する", "1");
            Assert.Contains("■ 一部転居を記録しました", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);

            // 転出 of another member, and its 転出証明書 in the same visit (4.1.3.0.3).
            await term.TypeAsync("4");
            await term.AnswerAsync("世帯:世帯番号（世帯全員）: ", numbers[3]);
            await term.ExpectAsync("── 処理: 一部転出 ──");
            await term.AnswerAsync("転出予定日: ", Day(3));
            await term.AnswerAsync("届出日 [", "");
            await term.AnswerAsync("届出人の氏名: ", "画面 次郎");
            await term.AnswerAsync("届出人と異動者の関係 [本人]: ", "");
            await term.AnswerAsync("転出の種類", "");
            await term.AnswerAsync("都道府県: ", "神奈川県");
            await term.AnswerAsync("市区町村: ", "横浜市中区");
            await term.AnswerAsync("町名・番地・方書: ", "山下町1番");
            await term.AnswerAsync("操作（1:登録する", "1");
            await term.ExpectAsync("■ 一部転出を記録しました");
            await term.AnswerAsync("続けて転出証明書を交付しますか (Y/n): ", "");
            await term.ExpectAsync("━━ 証明書の交付（転出証明書）");
            await term.AnswerAsync("再交付ですか (y/N): ", "");
            await term.AnswerAsync("請求者の区分", "1");
            await term.AnswerAsync("請求者の氏名: ", "画面 次郎");
            await term.AnswerAsync("請求者の宛名番号", "");
            await term.AnswerAsync("本人確認書類", "個人番号カード");
            await term.AnswerAsync("部数 [1]: ", "");
            await term.AnswerAsync("プリンタ（端末に登録されたもの）: ", "P-001");
            await term.AnswerAsync("操作（1:交付する", "1");
            Assert.Contains("■ 転出証明書を交付しました", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);
            Assert.Contains("神奈川県横浜市中区", PdfTools.Text(File.ReadAllBytes(Assert.Single(Directory.GetFiles(saved, "*.pdf")))), StringComparison.Ordinal);

            // 死亡, kept as 仮登録 for a supervisor's 決裁.
            await term.TypeAsync("7");
            await term.AnswerAsync("宛名番号: ", numbers[1]);
            await term.AnswerAsync("死亡日: ", Day(-1));
            await term.AnswerAsync("届出日 [", "");
            await term.AnswerAsync("届出人の氏名: ", "画面 一郎");
            await term.AnswerAsync("届出人と異動者の関係 [親族]: ", "");
            await term.AnswerAsync("操作（1:登録する", "3");
            Assert.Contains("■ 死亡を仮登録しました", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);
            await term.TypeAsync("0");
            Assert.Equal(0, await term.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        await using (var term = PseudoTerminal.Start("dotnet", [Program, "--address", server.Address, "--token", supervisor]))
        {
            await term.AnswerAsync("番号 [1]: ", "10");
            await term.ExpectAsync("入力 clerk-a（T001）");
            await term.AnswerAsync("決裁する番号（0: 戻る） [0]: ", "1");
            await term.AnswerAsync("を本登録しますか (y/N): ", "y");
            Assert.Contains("本登録しました", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);
            await term.TypeAsync("2");
            await term.AnswerAsync("宛名番号: ", numbers[0]);
            var shown = await term.ExpectAsync("番号 [1]: ");
            Assert.Contains("【除票】", shown, StringComparison.Ordinal); // the deceased, approved
            Assert.Contains("三郎", shown, StringComparison.Ordinal); // the child born
            await term.TypeAsync("0");
            Assert.Equal(0, await term.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    private static string NumberOf(string name) => name[(name.LastIndexOf('/') + 1)..];

    [Fact]
    [Spec("3.1#3")]
    [Spec("3.1#5")]
    public async Task A_supervisor_releases_an_issuance_block_from_the_terminal_and_an_inquiry_alert_is_read_only_once_acknowledged()
    {
        var work = RepositoryPaths.NewTempDirectory("srs-terminal-block-files");
        await using var server = await ServerProcess.StartServingAsync(StartTimeout, "srs-terminal-block");
        var data = server.DataDirectory;
        var clerk = await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T001", "--staff", "clerk-c");
        var supervisor = await ServerProcess.MintAsync(data, City, "supervisor", "--terminal", "T002", "--staff", "boss-d");
        var kana = Requests.UniqueKana();
        var moved = await Terminal(server.Address, clerk, "record", "move-in", "--file", Write(work, "family.json", Requests.MoveIn(City, kana, familyName: "保護", members: 2)));
        var residents = moved.Answer.GetProperty("residents").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(server.Address))
        {
            var suppressions = new Contracts.Protection.V1.SuppressionService.SuppressionServiceClient(channel);
            var headers = new Grpc.Core.Metadata { { "authorization", $"Bearer {supervisor}" } };
            foreach (var (resident, process, level) in new[]
            {
                (residents[0], Contracts.Protection.V1.SuppressedProcess.Issuance, Contracts.Protection.V1.SuppressionLevel.Error),
                (residents[1], Contracts.Protection.V1.SuppressedProcess.Inquiry, Contracts.Protection.V1.SuppressionLevel.Alert),
            })
            {
                await suppressions.CreateSuppressionAsync(new Contracts.Protection.V1.CreateSuppressionRequest
                {
                    RequestId = Guid.NewGuid().ToString(),
                    Suppression = new Contracts.Protection.V1.Suppression
                    {
                        Resident = resident, Processes = { process }, Level = level, Category = Contracts.Protection.V1.SuppressionCategory.Other,
                        Reason = "確認中", StartsOn = Requests.Date(today.Year, today.Month, today.Day),
                    },
                }, headers);
            }
        }
        var copy = new Contracts.Certificates.V1.IssueCertificateRequest
        {
            Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy,
            Residents = { residents[0] },
            Requester = new Contracts.Certificates.V1.Requester
            {
                Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = "保護 一郎", Resident = residents[0], IdentityCheck = "運転免許証",
            },
            Copies = 1,
            Printer = "P-001",
        };
        var copyFile = Write(work, "copy.json", copy);
        var refused = await Terminal(server.Address, clerk, "issue", "--file", copyFile, "--output-dir", Path.Combine(work, "out"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("SUPPRESSED", refused.Answer.GetProperty("problem").GetProperty("reason").GetString());

        await using (var term = PseudoTerminal.Start("dotnet", [Program, "--address", server.Address, "--token", supervisor]))
        {
            await term.AnswerAsync("番号 [1]: ", "11");
            var listed = await term.ExpectAsync("一時解除する番号（0: 戻る） [0]: ");
            var line = listed.Split('\n').Single(l => l.Contains(residents[0][(residents[0].LastIndexOf('/') + 1)..], StringComparison.Ordinal));
            Assert.Contains("発行、エラー", line, StringComparison.Ordinal);
            await term.TypeAsync(line.Trim().Split(' ')[0]);
            await term.AnswerAsync("解除する職員の職員番号: ", "clerk-c");
            await term.AnswerAsync("解除する時間（分） [15]: ", "");
            await term.AnswerAsync("理由: ", "本人が来庁し身元を確認");
            Assert.Contains("■ 一時解除しました（職員 clerk-c", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);
            await term.TypeAsync("0");
            Assert.Equal(0, await term.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        var issued = await Terminal(server.Address, clerk, "issue", "--file", copyFile, "--output-dir", Path.Combine(work, "out"));
        Assert.True(issued.ExitCode == 0, issued.Answer.ToString());

        await using (var term = PseudoTerminal.Start("dotnet", [Program, "--address", server.Address, "--token", clerk]))
        {
            await term.AnswerAsync("番号 [1]: ", "2");
            await term.AnswerAsync("宛名番号: ", residents[1][(residents[1].LastIndexOf('/') + 1)..]);
            Assert.Contains("SUPPRESSED", await term.ExpectAsync("照会を続けますか (y/N): "), StringComparison.Ordinal);
            await term.TypeAsync("y");
            Assert.Contains("保護 花子", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);
            await term.TypeAsync("0");
            Assert.Equal(0, await term.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    [Spec("2.3.1#1")]
    public async Task A_head_change_and_any_other_idou_from_a_prepared_file_go_through_the_confirmation_screen()
    {
        await using var server = await ServerProcess.StartServingAsync(StartTimeout, "srs-terminal-other");
        var clerk = await ServerProcess.MintAsync(server.DataDirectory, City, "clerk", "--terminal", "T001");
        var work = RepositoryPaths.NewTempDirectory("srs-terminal-other-files");
        var kana = Requests.UniqueKana();
        var moved = await Terminal(server.Address, clerk, "record", "move-in", "--file", Write(work, "family.json", Requests.MoveIn(City, kana, familyName: "変更", members: 3)));
        Assert.True(moved.ExitCode == 0, moved.Answer.ToString());
        var household = NumberOf(moved.Answer.GetProperty("household").GetString()!);
        var residents = moved.Answer.GetProperty("residents").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList();
        var removal = new RecordOfficialRemovalRequest
        {
            Reason = OfficialRemovalReason.Official,
            Residents = { new ResidentRef { Name = residents[2] } },
            // The counter's today is Japan's (the head change above is dated so): from 15:00 UTC on it is a day ahead of UTC.
            RemovalDate = Requests.Date(JapanToday.Year, JapanToday.Month, JapanToday.Day),
            NotificationDate = Requests.Date(JapanToday.Year, JapanToday.Month, JapanToday.Day),
            Note = "居住実態調査の結果、居住の事実なし",
        };
        var removalFile = Write(work, "removal.json", removal);

        await using var term = PseudoTerminal.Start("dotnet", [Program, "--address", server.Address, "--token", clerk]);
        await term.AnswerAsync("番号 [1]: ", "12");
        await term.ExpectAsync("━━ 世帯主変更 ━━");
        await term.AnswerAsync("世帯番号: ", household);
        await term.AnswerAsync("新しい世帯主の宛名番号: ", NumberOf(residents[1]));
        await term.AnswerAsync($"{NumberOf(residents[0])} 変更 一郎（{kana} イチロウ） の新しい続柄: ", "夫");
        await term.AnswerAsync($"{NumberOf(residents[2])} 変更 太郎（{kana} タロウ） の新しい続柄: ", "子");
        await term.AnswerAsync("異動日: ", "今日");
        await term.AnswerAsync("届出日 [", "");
        await term.AnswerAsync("届出人の氏名: ", "変更 花子");
        await term.AnswerAsync("届出人と異動者の関係 [本人]: ", "");
        await term.AnswerAsync("操作（1:登録する", "1");
        Assert.Contains("■ 世帯主変更を記録しました", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);

        await term.TypeAsync("13");
        await term.ExpectAsync("異動の種類");
        Assert.Contains("11:職権消除", await term.ExpectAsync(": "), StringComparison.Ordinal);
        await term.TypeAsync("11");
        await term.AnswerAsync("届出内容ファイル（proto JSON）: ", removalFile);
        var confirmation = await term.ExpectAsync("操作（1:登録する");
        Assert.Contains("職権消除　入力内容の確認", confirmation, StringComparison.Ordinal);
        Assert.Contains("居住実態調査の結果", confirmation, StringComparison.Ordinal);
        await term.TypeAsync("1");
        Assert.Contains("■ 職権消除を記録しました", await term.ExpectAsync("番号 [1]: "), StringComparison.Ordinal);
        await term.TypeAsync("0");
        Assert.Equal(0, await term.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var shown = await Terminal(server.Address, clerk, "show", NumberOf(residents[1]));
        Assert.Equal("世帯主", shown.Answer.GetProperty("resident").GetProperty("relationship").GetString());
        Assert.Equal("RESIDENT_STATUS_REMOVED", shown.Answer.GetProperty("household").GetProperty("removedMembers")[0].GetProperty("status").GetString());
    }
}
