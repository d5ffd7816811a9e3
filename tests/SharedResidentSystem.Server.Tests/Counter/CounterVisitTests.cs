using Microsoft.Playwright;
using Xunit.Abstractions;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Counter;

/// <summary>
/// The browser counter (issue 22) in Debian's chromium against the server process: a whole
/// counter visit, a supervisor's 決裁, the screen lock, a 転入 by keyboard alone. Each test has
/// its own server and browser; screenshots of the screens go to docs/counter/.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class CounterVisitTests(ITestOutputHelper output)
{
    private const string City = "132136";

    private static string DaysAgo(int days) => Wareki.Format(JapanTime.Today(TimeProvider.System).AddDays(-days));

    private static async Task FillMemberAsync(IPage page, int index, string family, string given, string familyKana, string givenKana, string birth, string sex, string relationship)
    {
        await page.FillAsync($"#m{index}-family", family);
        await page.FillAsync($"#m{index}-given", given);
        await page.FillAsync($"#m{index}-family-kana", familyKana);
        await page.FillAsync($"#m{index}-given-kana", givenKana);
        await page.FillAsync($"#m{index}-birth", birth);
        await page.SelectOptionAsync($"#m{index}-sex", sex);
        await page.FillAsync($"#m{index}-relationship", relationship);
        await page.FillAsync($"#m{index}-domicile", "東京都東村山市本町一丁目1番地");
        await page.FillAsync($"#m{index}-domicile-head", "窓口 太郎");
    }

    private static async Task FillMoveInAsync(IPage page, string family, string familyKana)
    {
        await page.Locator("nav a[href='move-in']").ClickAsync();
        await page.Locator("#move-date").WaitForAsync();
        // The address master has loaded when the 町字 list has more than its prompt.
        await Assertions.Expect(page.Locator("#place option")).Not.ToHaveCountAsync(1);
        await page.FillAsync("#move-date", DaysAgo(3));
        await page.FillAsync("#notification-date", DaysAgo(1));
        await page.FillAsync("#notifier-name", $"{family} 太郎");
        await page.SelectOptionAsync("#place", new SelectOptionValue { Index = 1 });
        await page.FillAsync("#banchi", "1番2号");
        await page.FillAsync("#previous-address", "東京都小平市小川町一丁目100番地");
        await FillMemberAsync(page, 0, family, "太郎", familyKana, "タロウ", "昭和60年6月15日", "1", "世帯主");
    }

    /// <summary>Waits for <paramref name="selector"/>; a refusal shown instead fails the test with its text.</summary>
    private static async Task NoProblemAsync(IPage page, string selector)
    {
        await page.Locator($"{selector}, #problem").First.WaitForAsync();
        if (await page.Locator("#problem").CountAsync() > 0)
        {
            Assert.Fail(await page.Locator("#problem").InnerTextAsync());
        }
    }

    [Fact]
    [Spec("4.0.9#1")]
    public async Task A_counter_visit_searches_moves_a_family_in_corrects_an_error_on_confirmation_and_issues_a_certificate()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-clerk", terminal: "T001");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("端末 T001");

        // Search: nobody of that name yet.
        await page.FillAsync("#q-name", "まどぐち");
        await page.Locator("#search").ClickAsync();
        await Assertions.Expect(page.Locator("#results caption")).ToHaveTextAsync("0 件");
        await counter.ScreenshotAsync("search");

        // 転入 of a family of two; the wife's 個人番号 has a wrong check digit.
        await FillMoveInAsync(page, "窓口", "マドグチ");
        await page.Locator("#add-member").ClickAsync();
        await FillMemberAsync(page, 1, "窓口", "花子", "マドグチ", "ハナコ", "S62.2.3", "2", "妻");
        await page.FillAsync("#m1-individual-number", "123456789012");
        await counter.ScreenshotAsync("move-in");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("窓口 花子");
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("昭和62年2月3日");
        await counter.ScreenshotAsync("confirmation");
        await page.Locator("#register").ClickAsync();
        // Refused on the confirmation screen: nothing recorded; 修正 shows the error beside its field.
        await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("個人番号");
        // The refusal takes the focus (and the screen scrolls to it).
        await Assertions.Expect(page.Locator("#problem")).ToBeFocusedAsync();
        await counter.ScreenshotAsync("confirmation-refused");
        await page.Locator("#amend").ClickAsync();
        var error = page.Locator("#m1-individual-number-error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#m1-individual-number")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#m1-individual-number")).ToHaveAttributeAsync("aria-invalid", "true");
        await counter.ScreenshotAsync("move-in-error");
        await page.FillAsync("#m1-individual-number", "");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("登録しました");
        var householdNumber = await page.Locator("#household-number").InnerTextAsync();
        Assert.NotEmpty(householdNumber);
        await counter.ScreenshotAsync("move-in-done");

        // The search finds both now (loose kana), and the 照会 shows the household and its 異動履歴.
        await page.Locator("nav a[href='search']").ClickAsync();
        await page.FillAsync("#q-name", "ﾏﾄﾞｸﾞﾁ");
        await page.Locator("#search").ClickAsync();
        await Assertions.Expect(page.Locator("#results caption")).ToHaveTextAsync("2 件");
        await page.Locator("#results tbody tr", new() { HasText = "花子" }).Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("#household")).ToContainTextAsync("窓口 太郎");
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("転入");
        await counter.ScreenshotAsync("resident");
        // As of a day before the 転入 she was not a resident here.
        await page.FillAsync("#as-of", DaysAgo(30));
        await page.Locator("#show-as-of").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#record")).ToHaveCountAsync(0);

        // 証明書: preview, issue, download the PDF and read it back.
        await page.FillAsync("#as-of", "");
        await page.Locator("#show-as-of").ClickAsync();
        await page.Locator("#to-certificate").ClickAsync();
        await page.FillAsync("#identity-check", "運転免許証");
        await page.Locator("#preview").ClickAsync();
        await NoProblemAsync(page, "iframe#pdf");
        await counter.ScreenshotAsync("certificate-preview");
        await page.Locator("#issue").ClickAsync();
        await Assertions.Expect(page.Locator("#issued")).ToContainTextAsync("交付しました");
        var issueNumber = await page.Locator(".issue-number").First.InnerTextAsync();
        var code = await page.Locator(".verification-code").First.InnerTextAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-1").ClickAsync());
        var pdf = Path.Combine(RepositoryPaths.NewTempDirectory("srs-counter-pdf"), "certificate.pdf");
        await download.SaveAsAsync(pdf);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(pdf), 0, 4));
        var (exit, text, _) = await ServerProcess.RunAsync("pdftotext", ["-layout", pdf, "-"], TimeSpan.FromSeconds(30));
        Assert.Equal(0, exit);
        static string Packed(string t) => t.Replace(" ", "", StringComparison.Ordinal).Replace("\u3000", "", StringComparison.Ordinal);
        Assert.Contains("住民票の写し", text, StringComparison.Ordinal);
        Assert.Contains("窓口花子", Packed(text), StringComparison.Ordinal);
        Assert.Contains(Packed(issueNumber), Packed(text), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#issuances tbody tr").First).ToContainTextAsync("住民票の写し");
        await counter.ScreenshotAsync("certificate-issued");

        // The public verification page knows the certificate, without a sign-in.
        await page.Locator("#sign-out").ClickAsync();
        await page.GotoAsync(counter.Address + "verify");
        await page.FillAsync("#code", code);
        await page.Locator("#verify").ClickAsync();
        await Assertions.Expect(page.Locator("#verify-result")).ToContainTextAsync("有効");
        await counter.ScreenshotAsync("verify");
    }

    [Fact]
    [Spec("4.0.8#2")]
    [Spec("4.0.8#4")]
    public async Task A_clerks_provisional_move_in_waits_for_a_supervisors_approval()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-clerk", terminal: "T002");
        // A clerk sees no 決裁 in the menu.
        await Assertions.Expect(page.Locator("nav a[href='approvals']")).ToHaveCountAsync(0);
        await FillMoveInAsync(page, "決裁", "ケッサイ");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#provisional").ClickAsync();
        await NoProblemAsync(page, "#pending-number");
        var pending = await page.Locator("#pending-number").InnerTextAsync();
        // Not in the register before the 決裁.
        await page.Locator("nav a[href='search']").ClickAsync();
        await page.FillAsync("#q-name", "けっさい");
        await page.Locator("#search").ClickAsync();
        await Assertions.Expect(page.Locator("#results caption")).ToHaveTextAsync("0 件");
        await page.Locator("#sign-out").ClickAsync();

        await counter.SignInAsync(City, "murayama-supervisor", terminal: "T002");
        await page.Keyboard.PressAsync("Alt+3");
        await Assertions.Expect(page.Locator("#pending")).ToContainTextAsync("決裁 太郎");
        await counter.ScreenshotAsync("approvals");
        await page.Locator($"#approve-{pending}").ClickAsync();
        await NoProblemAsync(page, "#approval-result");
        await Assertions.Expect(page.Locator("#approval-result")).ToContainTextAsync("本登録しました");
        await Assertions.Expect(page.Locator("#no-pending")).ToBeVisibleAsync();
        await page.Locator("nav a[href='search']").ClickAsync();
        await page.FillAsync("#q-name", "けっさい");
        await page.Locator("#search").ClickAsync();
        await Assertions.Expect(page.Locator("#results caption")).ToHaveTextAsync("1 件");
    }

    [Fact]
    [Spec("2.3.2#1")]
    public async Task The_screen_lock_hides_the_screen_until_the_signed_in_staff_members_password_is_given()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-clerk", terminal: "T001");
        await page.FillAsync("#q-name", "ひみつ");
        await page.Keyboard.PressAsync("Alt+l");
        await Assertions.Expect(page.Locator("#unlock-password")).ToBeFocusedAsync();
        // Nothing of the screen behind the lock is left in the page.
        await Assertions.Expect(page.Locator("#q-name")).ToHaveCountAsync(0);
        await counter.ScreenshotAsync("lock");
        // A wrong password does not open it.
        await page.FillAsync("#unlock-password", ServerProcess.DemoStaff("murayama-clerk").Password + "x");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#unlock-error")).ToContainTextAsync("パスワードが違います");
        await Assertions.Expect(page.Locator("#q-name")).ToHaveCountAsync(0);
        await page.FillAsync("#unlock-password", ServerProcess.DemoStaff("murayama-clerk").Password);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#q-name")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#unlock-password")).ToHaveCountAsync(0);
    }

    [Fact]
    [Spec("2.3.2#1")]
    public async Task A_move_in_is_done_with_the_keyboard_alone_in_the_order_of_the_paper_form()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-clerk", terminal: "T001");
        var keys = page.Keyboard;
        await keys.PressAsync("Alt+2");
        await Assertions.Expect(page.Locator("#place option")).Not.ToHaveCountAsync(1);
        await page.Locator("#reason").FocusAsync();

        async Task FieldAsync(string id, string? text = null, string? key = null)
        {
            await Assertions.Expect(page.Locator($"#{id}")).ToBeFocusedAsync();
            if (text is not null)
            {
                await keys.TypeAsync(text);
            }
            if (key is not null)
            {
                await keys.PressAsync(key);
            }
            await keys.PressAsync("Tab");
        }

        await FieldAsync("reason");
        await FieldAsync("move-date", DaysAgo(2));
        await FieldAsync("notification-date", DaysAgo(1));
        await FieldAsync("notifier-name", "鍵盤 一郎");
        await FieldAsync("notifier-relation");
        await FieldAsync("place", key: "ArrowDown");
        await FieldAsync("banchi", "3番4号");
        await FieldAsync("katagaki");
        await FieldAsync("previous-address", "東京都小平市小川町一丁目200番地");
        await FieldAsync("m0-kind");
        await FieldAsync("m0-family", "鍵盤");
        await FieldAsync("m0-given", "一郎");
        await FieldAsync("m0-family-kana", "ケンバン");
        await FieldAsync("m0-given-kana", "イチロウ");
        await FieldAsync("m0-birth", "平成2年3月4日");
        await FieldAsync("m0-sex", key: "ArrowDown");
        await FieldAsync("m0-relationship");
        await FieldAsync("m0-domicile", "東京都東村山市本町一丁目1番地");
        await FieldAsync("m0-domicile-head", "鍵盤 一郎");
        await FieldAsync("m0-old-surname");
        await FieldAsync("m0-old-surname-kana");
        await FieldAsync("m0-individual-number");
        await keys.PressAsync("Alt+k");
        await Assertions.Expect(page.Locator("#confirm-title")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("平成2年3月4日");
        await keys.PressAsync("Alt+t");
        await NoProblemAsync(page, "#done");
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("鍵盤 一郎");
    }

    [Fact]
    public async Task MJ_characters_are_drawn_with_the_systems_IPAmj_font_subset_variation_sequences_included()
    {
        // 葛 with the variation selector U+E0102: IPAmj明朝 has its own glyph for the sequence.
        const string Kuzu = "葛\U000E0102";
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;

        // The served subset maps the sequence to a glyph of its own, not the plain 葛's.
        using (var http = new HttpClient())
        {
            using var answer = await http.PostAsync(counter.Address + "mj-font", new StringContent(Kuzu + "西"));
            answer.EnsureSuccessStatusCode();
            Assert.Equal("font/ttf", answer.Content.Headers.ContentType?.MediaType);
            using var blob = HarfBuzzSharp.Blob.FromStream(await answer.Content.ReadAsStreamAsync());
            using var face = new HarfBuzzSharp.Face(blob, 0);
            using var font = new HarfBuzzSharp.Font(face);
            Assert.True(font.TryGetNominalGlyph('葛', out var plain));
            Assert.True(font.TryGetVariationGlyph('葛', 0xE0102, out var variant));
            Assert.NotEqual(plain, variant);
            Assert.True(font.TryGetNominalGlyph('西', out _));
            Assert.False(font.TryGetNominalGlyph('東', out _)); // a subset: only what was asked for
        }

        await counter.SignInAsync(City, "murayama-clerk", terminal: "T001");
        await FillMoveInAsync(page, Kuzu + "西", "クズニシ");
        await page.Locator("#to-confirm").ClickAsync();
        var name = page.Locator("#confirmation td.mj", new() { HasText = "クズニシ" }).First;
        await Assertions.Expect(name).ToContainTextAsync(Kuzu + "西");
        await page.WaitForFunctionAsync("() => document.fonts.check('16px \"SRS MJ\"', '\\u845b\\udb40\\udd02')");
        // Chromium reports which font drew the text: the web font (a subset of IPAmj明朝), not a font of the PC.
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var document = await cdp.SendAsync("DOM.getDocument");
        await cdp.SendAsync("CSS.enable");
        var node = await cdp.SendAsync("DOM.querySelector", new Dictionary<string, object>
        {
            ["nodeId"] = document!.Value.GetProperty("root").GetProperty("nodeId").GetInt32(),
            ["selector"] = "#confirmation tbody tr:first-child td.mj",
        });
        // The subset grows as characters appear: the cell's own characters may arrive a moment after 葛's.
        static bool Served(System.Text.Json.JsonElement f) => f.GetProperty("isCustomFont").GetBoolean() && f.GetProperty("familyName").GetString()!.Contains("IPAmj", StringComparison.Ordinal);
        List<System.Text.Json.JsonElement> used = [];
        for (var attempt = 0; attempt < 40 && !used.Any(Served); attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(250);
            }
            var fonts = await cdp.SendAsync("CSS.getPlatformFontsForNode", new Dictionary<string, object> { ["nodeId"] = node!.Value.GetProperty("nodeId").GetInt32() });
            used = fonts!.Value.GetProperty("fonts").EnumerateArray().ToList();
        }
        output.WriteLine(string.Join("; ", used.Select(f => f.ToString())));
        Assert.Contains(used, Served);
        await counter.ScreenshotAsync("mj");
    }

    [Fact]
    [Spec("4.0.10#1")]
    [Spec("4.0.10#3")]
    [Spec("4.0.10#4")]
    [Spec("4.0.10#6")]
    [Spec("4.0.10#7")]
    [Spec("4.0.10#8")]
    public async Task A_household_moves_within_the_city_a_member_dies_and_the_last_one_moves_out_from_the_resident_screen()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-clerk", terminal: "T001");
        await FillMoveInAsync(page, "異動", "イドウ");
        await page.FillAsync("#m0-old-surname", "旧姓");
        await page.FillAsync("#m0-old-surname-kana", "キュウセイ");
        // 4.0.10: the person added starts with the head's 氏 and the 本籍・筆頭者 typed before, never the 旧氏; the focus is on the 名.
        await page.Locator("#add-member").ClickAsync();
        await Assertions.Expect(page.Locator("#m1-given")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#m1-family")).ToHaveValueAsync("異動");
        await Assertions.Expect(page.Locator("#m1-family-kana")).ToHaveValueAsync("イドウ");
        await Assertions.Expect(page.Locator("#m1-domicile")).ToHaveValueAsync("東京都東村山市本町一丁目1番地");
        await Assertions.Expect(page.Locator("#m1-domicile-head")).ToHaveValueAsync("窓口 太郎");
        await Assertions.Expect(page.Locator("#m1-old-surname")).ToHaveValueAsync("");
        // The names and places typed on the 届 are offered again where a name or a place is typed.
        await Assertions.Expect(page.Locator("#m1-domicile")).ToHaveAttributeAsync("list", "typed-places");
        await Assertions.Expect(page.Locator("#typed-places option[value='東京都小平市小川町一丁目100番地']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#typed-names option[value='異動 太郎']")).ToHaveCountAsync(1);
        await FillMemberAsync(page, 1, "異動", "花子", "イドウ", "ハナコ", "S62.2.3", "2", "妻");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        // Within the app only: a reload would be a new sign-in (the tokens live in the tab's memory).
        await page.Locator("#done li a", new() { HasText = "太郎" }).First.ClickAsync();

        // 軽微な修正 (4.2.3.2) of the reading of his given name: nothing changed is refused before anything is sent; the change is shown before and after.
        await page.Keyboard.PressAsync("Alt+M");
        await Assertions.Expect(page.Locator("#c-given-kana")).ToHaveValueAsync("タロウ");
        await page.FillAsync("#c-reason", "戸籍の附票により誤記を確認");
        await page.FillAsync("#date", DaysAgo(2));
        await page.FillAsync("#notification-date", DaysAgo(0));
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#update-mask-error")).ToBeVisibleAsync();
        await page.FillAsync("#c-given-kana", "タロオ");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("タロウ");
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("タロオ");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("タロオ");
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("軽微な修正");

        // 転居 of the whole household, from the 照会.
        await page.Locator("#to-address-change").ClickAsync();
        await Assertions.Expect(page.Locator("#place option")).Not.ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#movers input:checked")).ToHaveCountAsync(2);
        await page.FillAsync("#date", DaysAgo(2));
        await page.FillAsync("#notification-date", DaysAgo(1));
        await page.FillAsync("#notifier-name", "異動 太郎");
        await page.SelectOptionAsync("#place", new SelectOptionValue { Index = 2 });
        await page.FillAsync("#banchi", "5番6号");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("5番6号");
        await counter.ScreenshotAsync("address-change");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a", new() { HasText = "花子" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("5番6号");
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("転居");

        // 死亡 of the wife: a date before she moved in contradicts the record and is refused.
        await page.Locator("#to-death").ClickAsync();
        await page.FillAsync("#date", DaysAgo(5));
        await page.FillAsync("#notification-date", DaysAgo(0));
        await page.FillAsync("#notifier-name", "異動 太郎");
        await page.FillAsync("#notifier-relation", "夫");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToBeVisibleAsync();
        await page.Locator("#amend").ClickAsync();
        await page.FillAsync("#date", DaysAgo(1));
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("除票");

        // 転出 of the one left.
        await page.Locator("nav a[href='search']").ClickAsync();
        await page.FillAsync("#q-name", "イドウ タロオ");
        await page.Locator("#search").ClickAsync();
        await page.Locator("#results tbody tr", new() { HasText = "太郎" }).Locator("a").ClickAsync();
        await page.Locator("#to-move-out").ClickAsync();
        await Assertions.Expect(page.Locator("#movers input")).ToHaveCountAsync(1);
        await page.FillAsync("#date", DaysAgo(0));
        await page.FillAsync("#notification-date", DaysAgo(0));
        await page.FillAsync("#notifier-name", "異動 太郎");
        await page.FillAsync("#destination", "埼玉県所沢市並木一丁目1番地");
        // A 特例転出 needs a card: he holds none, and the refusal stands beside the box.
        await page.Locator("#special").CheckAsync();
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("特例転出");
        await page.Locator("#register").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("個人番号カード");
        await page.Locator("#amend").ClickAsync();
        await page.Locator("#special").UncheckAsync();
        await page.Locator("#to-confirm").ClickAsync();
        await counter.ScreenshotAsync("move-out");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("除票");

        // The new city's 転入通知 confirms the day and the address: taken on the 除票.
        await page.Locator("#done li a").First.ClickAsync();
        await page.Keyboard.PressAsync("Alt+Y");
        await Assertions.Expect(page.Locator("#destination")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("所沢市"));
        await page.FillAsync("#date", DaysAgo(0));
        await page.FillAsync("#notification-date", DaysAgo(0));
        await page.FillAsync("#destination", "埼玉県所沢市並木一丁目2番地");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("並木一丁目2番地");
    }

    [Fact]
    [Spec("7.1.1.1#17")]
    [Spec("7.1.1.1#10")]
    [Spec("9.1#3")]
    [Spec("9.1#5")]
    public async Task A_supervisor_completes_a_refused_cs_message_runs_a_job_again_with_a_changed_condition_and_reads_the_indicators()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(TimeSpan.FromSeconds(90));
        await using var counter = await CounterBrowser.StartAsync(output, $"--Cs:Address={cs.Address}", "--Cs:PollSeconds=0.2", "--Cs:MaxBackoffSeconds=1",
            "--Jobs:PollSeconds=0.2");
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-supervisor", terminal: "T002");
        // A 転入 with no 住民票コード (the city has none in stock): the CS refuses its 本人確認情報.
        await FillMoveInAsync(page, "連携", "レンケイ");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");

        // 7.1.1.1#17: the refusal is shown with the CS's reason; the queue waits behind it.
        await page.Keyboard.PressAsync("Alt+5");
        await Assertions.Expect(page.Locator("#cs-state")).ToContainTextAsync("CS: ");
        var failed = page.Locator("#failed tbody tr");
        for (var i = 0; i < 60 && await failed.CountAsync() == 0; i++)
        {
            await Task.Delay(500);
            await page.Locator("#reload").ClickAsync();
        }
        await Assertions.Expect(failed).ToHaveCountAsync(1);
        await Assertions.Expect(failed.First).ToContainTextAsync("本人確認情報");
        await Assertions.Expect(failed.First).ToContainTextAsync("住民票コードがありません");
        await Assertions.Expect(page.Locator("#cs-counts")).ToContainTextAsync("送信エラー 1 件");
        await counter.ScreenshotAsync("link");
        var first = (await failed.First.GetAttributeAsync("id"))!["message-".Length..];
        // 7.1.1.1#10: completed by hand, with what was done: without it, the error stands beside the note and nothing changes.
        await page.Locator($"#complete-{first}").ClickAsync();
        await Assertions.Expect(page.Locator($"#note-{first}-error")).ToBeVisibleAsync();
        await Assertions.Expect(failed).ToHaveCountAsync(1);
        await page.FillAsync($"#note-{first}", "住民票コードを確認のうえ CS 端末で入力");
        await page.Locator($"#complete-{first}").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToHaveCountAsync(0);
        await NoProblemAsync(page, "#link-result");
        await Assertions.Expect(page.Locator("#link-result")).ToContainTextAsync("補完済みにしました");
        // The queue goes on: the same person's 転入通知情報 is the next the CS refuses.
        for (var i = 0; i < 60 && !(await failed.AllInnerTextsAsync()).Any(t => t.Contains("転入通知情報", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(500);
            await page.Locator("#reload").ClickAsync();
        }
        await Assertions.Expect(failed.First).ToContainTextAsync("転入通知情報");

        // A job: the reason is asked for before anything starts; the first run, then one with a changed condition.
        await page.Keyboard.PressAsync("Alt+6");
        await page.SelectOptionAsync("#job-kind", "SuppressionList");
        await page.Locator("#start").ClickAsync();
        await Assertions.Expect(page.Locator("#job-reason-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#no-jobs")).ToBeVisibleAsync();
        await page.FillAsync("#job-reason", "月例の点検");
        await page.Locator("#start").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToHaveCountAsync(0);
        await NoProblemAsync(page, "#job-result");
        var jobs = page.Locator("#jobs tbody tr");
        await Assertions.Expect(jobs).ToHaveCountAsync(1);
        await Assertions.Expect(jobs.First).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 60_000 });
        await Assertions.Expect(jobs.First.Locator("progress")).ToHaveAttributeAsync("value", "100");
        // 9.1#3: choosing the kind again brings the last run's conditions back; 9.1#5: the one changed is named.
        await page.SelectOptionAsync("#job-kind", "");
        await page.SelectOptionAsync("#job-kind", "SuppressionList");
        await Assertions.Expect(page.Locator("#previous")).ToContainTextAsync("前回");
        await Assertions.Expect(page.Locator("#include-lifted")).Not.ToBeCheckedAsync();
        await page.Locator("#include-lifted").CheckAsync();
        await page.FillAsync("#job-reason", "解除済みも含めて点検");
        await page.Locator("#start").ClickAsync();
        await NoProblemAsync(page, "#job-result");
        await Assertions.Expect(page.Locator("#job-result")).ToContainTextAsync("前回から変わった条件: 解除済みを含める");
        await Assertions.Expect(jobs).ToHaveCountAsync(2);
        await Assertions.Expect(jobs.First).ToContainTextAsync("前回から変更: 解除済みを含める");
        await Assertions.Expect(jobs.First).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 60_000 });
        await counter.ScreenshotAsync("jobs");

        // The indicators: this month's 転入 is counted; a month that cannot be read is named beside its field.
        await page.Keyboard.PressAsync("Alt+7");
        await Assertions.Expect(page.Locator("#idou-counts")).ToBeVisibleAsync();
        var thisMonth = JapanTime.Today(TimeProvider.System).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#idou-counts thead")).ToContainTextAsync(thisMonth);
        await Assertions.Expect(page.Locator("#idou-counts tbody tr").Filter(new() { HasText = "転入" }).Locator("td.total")).ToHaveTextAsync("1");
        await counter.ScreenshotAsync("indicators");
        await page.FillAsync("#from-month", "2026-13");
        await page.Locator("#show").ClickAsync();
        await Assertions.Expect(page.Locator("#from-month-error")).ToBeVisibleAsync();
        await page.FillAsync("#from-month", thisMonth);
        await page.FillAsync("#to-month", thisMonth);
        await page.Keyboard.PressAsync("Alt+P");
        await Assertions.Expect(page.Locator("#problem")).ToHaveCountAsync(0);
        await NoProblemAsync(page, "#report-pdf");
        Assert.StartsWith("blob:", await page.Locator("#report-pdf").GetAttributeAsync("src"), StringComparison.Ordinal);
    }

    /// <summary>The 宛名番号 of the member of the household shown on the 照会 whose row has <paramref name="name"/>.</summary>
    [Fact]
    [Spec("4.2.1.1#1")]
    [Spec("4.2.1.1#2")]
    [Spec("1.1.7#1")]
    [Spec("4.2.3.1#3")]
    [Spec("4.1.1.2#2")]
    [Spec("4.1.1.2#3")]
    public async Task A_person_entered_by_office_has_her_old_surname_recorded_moves_out_and_comes_back_twice_as_the_same_resident()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-clerk", terminal: "T001");

        // 4.2.1.1#1: 住所設定 by 職権記載, its 職権記録書 asked for before anything is sent; #2: the 従前の住所 not known is 不明.
        await page.Keyboard.PressAsync("Alt+2");
        await page.Locator("#to-official-entry").WaitForAsync();
        await page.Keyboard.PressAsync("Alt+V");
        await page.Locator("#official-reason").WaitForAsync();
        await Assertions.Expect(page.Locator("#place option")).Not.ToHaveCountAsync(1);
        await page.SelectOptionAsync("#official-reason", "Official");
        await page.FillAsync("#move-date", DaysAgo(10));
        await page.FillAsync("#notification-date", DaysAgo(9));
        await page.SelectOptionAsync("#place", new SelectOptionValue { Index = 1 });
        await page.FillAsync("#banchi", "3番4号");
        await page.FillAsync("#previous-address", "不明");
        await FillMemberAsync(page, 0, "職権", "花子", "ショッケン", "ハナコ", "昭和55年3月3日", "2", "世帯主");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#note-error")).ToContainTextAsync("職権記録書");
        await Assertions.Expect(page.Locator("#note")).ToBeFocusedAsync();
        await page.FillAsync("#note", "実態調査により居住を確認し住所を設定");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("職権記載 (住所の設定");
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("実態調査により居住を確認し住所を設定");
        await counter.ScreenshotAsync("official-entry");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        var number = (await page.Locator("#done li a").First.InnerTextAsync()).Split(' ')[0];
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("職権記載");
        await Assertions.Expect(page.Locator("#record tr", new() { HasText = "従前の住所" })).ToContainTextAsync("不明");

        // 1.1.7#1: 旧氏 recorded on her 請求; the reason is required, the change shown before → after.
        await page.Keyboard.PressAsync("Alt+V");
        await page.SelectOptionAsync("#amend-reason", "OldSurnameEntry");
        await page.FillAsync("#old-surname", "旧姓");
        await page.FillAsync("#old-surname-kana", "キュウセイ");
        await page.FillAsync("#date", DaysAgo(8));
        await page.FillAsync("#notification-date", DaysAgo(8));
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#note-error")).ToBeVisibleAsync();
        await page.FillAsync("#note", "本人の請求 (戸籍謄本で確認)");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("(なし) → 旧姓（キュウセイ）");
        await counter.ScreenshotAsync("amendment");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#record tr", new() { HasText = "旧氏" })).ToContainTextAsync("旧姓（キュウセイ）");
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("旧氏");

        // 4.2.3.1#3: a 修正 is a 軽微な修正 or not, as the clerk chooses: not, and the 職権修正 screen opens with its items.
        await page.Keyboard.PressAsync("Alt+M");
        await Assertions.Expect(page.Locator("#minor-yes")).ToBeCheckedAsync();
        await page.Locator("#minor-no").ClickAsync();
        await Assertions.Expect(page.Locator("#amend-reason")).ToHaveValueAsync("OfficialCorrection");
        await Assertions.Expect(page.Locator("#c-relationship")).ToHaveValueAsync("世帯主");
        await Assertions.Expect(page.Locator("#basis")).ToBeVisibleAsync();

        // She moves out; back, her 除票 is taken in from its page (4.1.1.2#3) and one item changed.
        await MoveOutAsync(page, number, DaysAgo(6));
        await page.Keyboard.PressAsync("Alt+Z");
        await Assertions.Expect(page.Locator("#returning")).ToContainTextAsync(number);
        await Assertions.Expect(page.Locator("#m0-family")).ToHaveValueAsync("職権");
        await Assertions.Expect(page.Locator("#m0-birth")).ToHaveValueAsync("昭和55年3月3日");
        await Assertions.Expect(page.Locator("#m0-old-surname")).ToHaveValueAsync("旧姓");
        await Assertions.Expect(page.Locator("#previous-address")).ToHaveValueAsync("埼玉県所沢市並木一丁目1番地");
        await Assertions.Expect(page.Locator("#place option")).Not.ToHaveCountAsync(1);
        await page.FillAsync("#move-date", DaysAgo(4));
        await page.FillAsync("#notification-date", DaysAgo(4));
        await page.SelectOptionAsync("#place", new SelectOptionValue { Index = 1 });
        await page.FillAsync("#banchi", "7番8号");
        await page.FillAsync("#m0-domicile", "東京都東村山市本町二丁目2番地");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync($"除票 {number} の宛名番号・履歴を引き継ぎます");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await Assertions.Expect(page.Locator("#done li a").First).ToContainTextAsync(number);
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#record tr", new() { HasText = "本籍" })).ToContainTextAsync("本町二丁目2番地");
        await Assertions.Expect(page.Locator("#record caption")).Not.ToContainTextAsync("除票");

        // Out again; back typed as a new person: the 除票 with her 氏名・性別・生年月日 is offered (4.1.1.2#2) and chosen.
        await MoveOutAsync(page, number, DaysAgo(2));
        await FillMoveInAsync(page, "職権", "ショッケン");
        await FillMemberAsync(page, 0, "職権", "花子", "ショッケン", "ハナコ", "昭和55年3月3日", "2", "世帯主");
        await page.FillAsync("#move-date", DaysAgo(0));
        await page.FillAsync("#notification-date", DaysAgo(0));
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await Assertions.Expect(page.Locator("#alerts")).ToContainTextAsync("REENTRY_CANDIDATE");
        await Assertions.Expect(page.Locator("#reentry tbody tr")).ToHaveCountAsync(1);
        await page.Locator("#reentry").ScrollIntoViewIfNeededAsync();
        await counter.ScreenshotAsync("reentry");
        await page.Locator($"#reentry-{number}").ClickAsync();
        await Assertions.Expect(page.Locator("#alerts")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync($"除票 {number} の宛名番号・履歴を引き継ぎます");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await Assertions.Expect(page.Locator("#done li a").First).ToContainTextAsync(number);
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#history tbody tr")).ToHaveCountAsync(6);
    }

    [Fact]
    [Spec("10.8#1")]
    [Spec("10.8#4")]
    [Spec("10.8#5")]
    [Spec("10.8#6")]
    public async Task Csv_data_read_at_the_counter_opens_a_move_in_a_move_within_the_city_and_a_certificate_recorded_only_on_the_clerks_word()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-clerk", terminal: "T001");
        var kana = "トリコミ";
        const string header = "氏名,氏名カナ,生年月日,性別,続柄,本籍,筆頭者,住所,転出先,転出予定日";
        string Row(string given, string givenKana, string birth, string sex, string relationship) =>
            $"取込　{given},{kana}　{givenKana},{birth},{sex},{relationship},東京都千代田区千代田1番,取込　一郎,埼玉県所沢市東町1-1,東京都東村山市本町2丁目3番4号 コーポ東 101,{Wareki.Format(JapanTime.Today(TimeProvider.System).AddDays(-5))}";

        // A 転出証明書 with a date that cannot be read: refused, the column and the line named; nothing opens.
        await page.Keyboard.PressAsync("Alt+9");
        await page.Locator("#intake-kind").WaitForAsync();
        await page.SelectOptionAsync("#intake-kind", "MoveOutCertificate");
        await SetCsvAsync(page, header, Row("一郎", "イチロウ", "昭和45年4月1日", "男", "世帯主"), Row("花子", "ハナコ", "昭和99年13月1日", "女", "妻"));
        await page.Locator("#read").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("3 行目「生年月日」");
        await Assertions.Expect(page.Locator("#intake-kind")).ToBeVisibleAsync();

        // Read again, whole: the 転入届 opens filled in; the 異動日 is the clerk's (named beside its field), the 転出予定日 in the notes.
        await SetCsvAsync(page, header, Row("一郎", "イチロウ", "昭和45年4月1日", "男", "世帯主"), Row("花子", "ハナコ", "1972-05-02", "女", "妻"));
        await page.Locator("#read").ClickAsync();
        await Assertions.Expect(page.Locator("#intake-notes")).ToContainTextAsync("転出予定日");
        await Assertions.Expect(page.Locator("#move-date-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#m1-given")).ToHaveValueAsync("花子");
        await Assertions.Expect(page.Locator("#m1-birth")).ToHaveValueAsync("昭和47年5月2日");
        await Assertions.Expect(page.Locator("#place")).ToHaveValueAsync("本町|2");
        await Assertions.Expect(page.Locator("#katagaki")).ToHaveValueAsync("コーポ東 101");
        await Assertions.Expect(page.Locator("#previous-address")).ToHaveValueAsync("埼玉県所沢市東町1-1");
        await page.FillAsync("#move-date", DaysAgo(3));
        await page.FillAsync("#notification-date", DaysAgo(1));
        await page.FillAsync("#notifier-name", "取込 一郎");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("取込 花子");
        await counter.ScreenshotAsync("intake-move-in");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await Assertions.Expect(page.Locator("#done li")).ToHaveCountAsync(2);
        var number = (await page.Locator("#done li a").First.InnerTextAsync()).Split(' ')[0];
        var wife = (await page.Locator("#done li a[href^='residents/']").Nth(1).InnerTextAsync()).Split(' ')[0];

        // A 住民異動届 of a 転居 of the household: the person's 転居 opens on its confirmation screen.
        await page.Keyboard.PressAsync("Alt+9");
        await page.SelectOptionAsync("#intake-kind", "IdouNotification");
        await SetCsvAsync(page, "異動の種類,異動日,届出日,届出人氏名,届出人続柄,新住所,宛名番号",
            $"転居,{DaysAgo(1)},{DaysAgo(0)},取込　一郎,本人,秋津町3丁目5-6,{number}",
            $"転居,{DaysAgo(1)},{DaysAgo(0)},取込　一郎,本人,秋津町3丁目5-6,{wife}");
        await page.Locator("#read").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("秋津町3丁目5番6号");
        await Assertions.Expect(page.Locator("#intake-notes")).ToBeVisibleAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");

        // A 交付申請書: the certificate form filled in, previewed and issued as ever.
        await page.Keyboard.PressAsync("Alt+9");
        await page.SelectOptionAsync("#intake-kind", "CertificateApplication");
        await SetCsvAsync(page, "証明書の種類,宛名番号,氏名,請求者の区分,請求者氏名,本人確認書類,通数,記載事項",
            $"住民票の写し,{number},取込　一郎,本人,取込　一郎,運転免許証,2,世帯主・続柄・本籍");
        await page.Locator("#read").ClickAsync();
        await Assertions.Expect(page.Locator("#copies")).ToHaveValueAsync("2");
        await Assertions.Expect(page.Locator("#identity-check")).ToHaveValueAsync("運転免許証");
        await Assertions.Expect(page.Locator("#item-" + (int)SharedResidentSystem.Contracts.Certificates.V1.CertificateItem.Domicile)).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#intake-notes")).ToBeVisibleAsync();
        await page.Locator("#preview").ClickAsync();
        await NoProblemAsync(page, "iframe#pdf");
        await page.Locator("#issue").ClickAsync();
        await Assertions.Expect(page.Locator("#issued")).ToContainTextAsync("交付しました");
        await Assertions.Expect(page.Locator("#issuances tbody tr").First).ToContainTextAsync("住民票の写し");
    }

    [Fact]
    [Spec("1.1.16#1")]
    [Spec("3.4#2")]
    [Spec("3.4#3")]
    [Spec("3.4#4")]
    [Spec("3.4#5")]
    [Spec("3.4#7")]
    [Spec("3.4#9")]
    public async Task A_supervisor_registers_a_support_measure_whose_end_follows_its_start_sees_it_near_its_end_extends_and_ends_it()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-supervisor", terminal: "T002");
        await FillMoveInAsync(page, "支援", "シエン");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        var number = (await page.Locator("#done li a").First.InnerTextAsync()).Split(' ')[0];
        await page.Locator("#done li a").First.ClickAsync();

        // Her 住民票 made anew by the supervisor (1.1.4): its reason asked for first; the 改製 stands in the history.
        await page.Keyboard.PressAsync("Alt+K");
        await Assertions.Expect(page.Locator("#movers input:checked")).ToHaveCountAsync(1);
        await page.FillAsync("#date", DaysAgo(0));
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#note-error")).ToBeVisibleAsync();
        await page.FillAsync("#note", "記載欄に余白がなくなったため");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("改製年月日");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("改製");
        // The 住民票 as it stood before is issued as the 改製原住民票.
        await page.Keyboard.PressAsync("Alt+C");
        await page.Locator("#remade-original").CheckAsync();
        await page.FillAsync("#identity-check", "運転免許証");
        await page.Locator("#preview").ClickAsync();
        await NoProblemAsync(page, "iframe#pdf");
        await page.Locator($"a[href='residents/{number}']").First.ClickAsync();

        // From her 照会: the applicant is filled in; 3.4#4: the end follows the start (a year, to the day before), to be changed if need be.
        await page.Keyboard.PressAsync("Alt+S");
        await Assertions.Expect(page.Locator("#sm-applicant")).ToHaveValueAsync(number);
        var today = JapanTime.Today(TimeProvider.System);
        var start = today.AddDays(-345);
        await page.FillAsync("#sm-starts", Wareki.Format(start));
        await page.Locator("#sm-contact").FocusAsync();
        await Assertions.Expect(page.Locator("#sm-ends")).ToHaveValueAsync(Wareki.Format(start.AddYears(1).AddDays(-1)));
        // Without the 加害者's name and the 事務, refused beside them; nothing registered.
        await page.Locator("#create").ClickAsync();
        await Assertions.Expect(page.Locator("#p-0-name-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#services-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#no-measures")).ToBeVisibleAsync();
        await page.FillAsync("#p-0-name", "加害 太郎");
        await page.FillAsync("#p-0-kana", "カガイ タロウ");
        await page.FillAsync("#p-0-address", "埼玉県所沢市並木二丁目2番地");
        await page.Locator("#service-1").CheckAsync();
        await page.FillAsync("#sm-contact", "携帯 090-0000-0000 (平日のみ)");
        // The 申出書 sent on to the city of her 本籍 (1.1.16 転送情報).
        await page.FillAsync("#t-0-city", "東京都千代田区");
        await page.FillAsync("#t-0-on", DaysAgo(0));
        await page.Locator("#create").ClickAsync();
        await NoProblemAsync(page, "#measure-result");

        // 3.4#2: the supervisor sees the measure's details: whom it protects, the 加害者, the 事務, the period.
        var row = page.Locator("#measures tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync(number);
        await Assertions.Expect(row).ToContainTextAsync("加害 太郎（カガイ タロウ）");
        await Assertions.Expect(row).ToContainTextAsync("住民票の写し等の交付");
        await Assertions.Expect(row).ToContainTextAsync("携帯 090-0000-0000");
        // 1.1.16#1: reached from her 照会, the measure's record shows her as the register holds her, and what each service keeps.
        await Assertions.Expect(row.Locator($".protected[data-resident='{number}']")).ToContainTextAsync("支援 太郎（シエン タロウ）");
        await Assertions.Expect(row.Locator($".protected[data-resident='{number}']")).ToContainTextAsync("前住所 東京都小平市小川町一丁目100番地");
        await Assertions.Expect(row).ToContainTextAsync($"{number} 現住所: ");
        await Assertions.Expect(row).ToContainTextAsync("1か月以内に終了");
        await Assertions.Expect(row).ToContainTextAsync($"転送: 東京都千代田区 ({DaysAgo(0)})");
        await page.Locator("#measures").ScrollIntoViewIfNeededAsync();
        await counter.ScreenshotAsync("support-measures");

        // Her 照会 is stopped by the measure's 抑止 until the supervisor, having examined the matter, releases it to himself (3.4#3);
        // 3.4#7: the 照会 then warns that the measure ends within a month.
        await row.Locator($"a[href='residents/{number}']").First.ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("SUPPRESSED");
        await page.Keyboard.PressAsync("Alt+8");
        var suppression = page.Locator("#suppressions tbody tr", new() { HasText = number });
        await Assertions.Expect(suppression).ToContainTextAsync("支援措置");
        var sid = (await suppression.GetAttributeAsync("id"))!["suppression-".Length..];
        await page.Locator($"#open-{sid}").ClickAsync();
        await page.FillAsync($"#why-{sid}", "支援措置の期間の確認のため");
        await page.FillAsync($"#staff-{sid}", "murayama-supervisor");
        await page.Locator($"#release-{sid}").ClickAsync();
        await NoProblemAsync(page, "#suppression-result");
        await suppression.Locator($"a[href='residents/{number}']").ClickAsync();
        await Assertions.Expect(page.Locator("#notices")).ToContainTextAsync("1か月以内に終了");

        // 3.4#5: within a month of its end it is extended by a year from the day after; 3.4#9: ended on her 申出, its reason asked for first.
        await page.Keyboard.PressAsync("Alt+S");
        row = page.Locator("#measures tbody tr").First;
        var id = (await row.GetAttributeAsync("id"))!["measure-".Length..];
        await page.Locator($"#open-{id}").ClickAsync();
        await page.Locator($"#extend-{id}").ClickAsync();
        await NoProblemAsync(page, "#measure-result");
        await Assertions.Expect(row).ToContainTextAsync($"{Wareki.Format(start.AddYears(2).AddDays(-1))} まで");
        await Assertions.Expect(row).Not.ToContainTextAsync("1か月以内に終了");
        // (The row's 開始・延長・終了 stays open as the clerk left it.)
        await page.Locator($"#measure-{id} details").EvaluateAsync("d => d.open = true");
        await page.Locator($"#end-{id}").ClickAsync();
        await Assertions.Expect(page.Locator($"#row-{id}-error")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "Active");
        await page.FillAsync($"#end-why-{id}", "支援対象者から終了の申出");
        await page.Locator($"#end-{id}").ClickAsync();
        await NoProblemAsync(page, "#measure-result");
        await Assertions.Expect(page.Locator("#no-measures")).ToBeVisibleAsync();
        await page.Locator("#include-ended").CheckAsync();
        await Assertions.Expect(page.Locator("#measures tbody tr").First).ToContainTextAsync("【終了】");
    }

    private static Task SetCsvAsync(IPage page, params string[] lines) =>
        page.Locator("#intake-file").SetInputFilesAsync(new FilePayload
        {
            Name = "intake.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"),
        });

    /// <summary>A 転出 of the resident shown, to another city, dated <paramref name="day"/>; the screen ends on the 除票.</summary>
    private static async Task MoveOutAsync(IPage page, string number, string day)
    {
        await page.Locator($"a[href='residents/{number}']").First.ClickAsync();
        await page.Locator("#to-move-out").WaitForAsync();
        await page.Keyboard.PressAsync("Alt+O");
        await page.FillAsync("#date", day);
        await page.FillAsync("#notification-date", day);
        await page.FillAsync("#notifier-name", "職権 花子");
        await page.FillAsync("#destination", "埼玉県所沢市並木一丁目1番地");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a", new() { HasText = number }).ClickAsync();
        await Assertions.Expect(page.Locator("#record caption")).ToContainTextAsync("除票");
    }

    private static Task<string> MemberNumberAsync(IPage page, string name) =>
        page.Locator("#household tbody tr", new() { HasText = name }).Locator("td").First.InnerTextAsync();

    private static async Task NotifiedTodayAsync(IPage page, bool dated = true)
    {
        if (dated)
        {
            await page.FillAsync("#date", DaysAgo(0));
        }
        await page.FillAsync("#notification-date", DaysAgo(0));
        await page.FillAsync("#notifier-name", "家族 花子");
    }

    [Fact]
    [Spec("4.0.1#1")]
    [Spec("4.0.1#3")]
    [Spec("4.0.1#4")]
    [Spec("4.0.2#1")]
    [Spec("4.0.2#2")]
    [Spec("4.0.2#3")]
    public async Task A_family_has_a_birth_changes_its_head_splits_joins_another_household_and_one_member_moves_alone()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-clerk", terminal: "T002");
        await FillMoveInAsync(page, "家族", "カゾク");
        await page.Locator("#add-member").ClickAsync();
        await FillMemberAsync(page, 1, "家族", "花子", "カゾク", "ハナコ", "S62.2.3", "2", "妻");
        await page.Locator("#add-member").ClickAsync();
        await FillMemberAsync(page, 2, "家族", "一郎", "カゾク", "イチロウ", "H20.4.1", "1", "子");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a", new() { HasText = "太郎" }).First.ClickAsync();

        // 4.0.1#4 出生: the child's items are entered (the family name taken from the parent); a birth after today is refused.
        await page.Keyboard.PressAsync("Alt+U");
        await Assertions.Expect(page.Locator("#child-family")).ToHaveValueAsync("家族");
        await page.FillAsync("#child-given", "次郎");
        await page.FillAsync("#child-given-kana", "ジロウ");
        await page.FillAsync("#child-birth", DaysAgo(-3));
        await page.SelectOptionAsync("#child-sex", "1");
        await page.FillAsync("#child-domicile", "東京都東村山市本町一丁目1番地");
        await page.FillAsync("#child-domicile-head", "家族 太郎");
        await NotifiedTodayAsync(page, dated: false);
        await page.FillAsync("#notifier-relation", "母");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToBeVisibleAsync();
        await page.Locator("#amend").ClickAsync();
        await Assertions.Expect(page.Locator("#child-birth-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#child-birth")).ToBeFocusedAsync();
        await counter.ScreenshotAsync("birth-error");
        await page.FillAsync("#child-birth", DaysAgo(5));
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("家族 次郎");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a", new() { HasText = "次郎" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("#household tbody tr")).ToHaveCountAsync(4);
        var (hanako, taro, ichiro, jiro) = (await MemberNumberAsync(page, "花子"), await MemberNumberAsync(page, "太郎"),
            await MemberNumberAsync(page, "一郎"), await MemberNumberAsync(page, "次郎"));

        // 世帯主変更: the wife becomes the head; every other member's 続柄 to her is asked for, one missing is refused.
        await page.Keyboard.PressAsync("Alt+J");
        await page.Locator($"#head-{hanako}").CheckAsync();
        await Assertions.Expect(page.Locator("#new-relationships input")).ToHaveCountAsync(3);
        await page.FillAsync($"#rel-{ichiro}", "子");
        await page.FillAsync($"#rel-{jiro}", "子");
        await NotifiedTodayAsync(page);
        await page.FillAsync("#notifier-relation", "本人");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator($"#rel-{taro}-error")).ToContainTextAsync("太郎");
        await Assertions.Expect(page.Locator($"#rel-{taro}")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToHaveCountAsync(0);
        // One the register does not know as a 続柄 is the server's to refuse, beside the 続柄.
        await page.FillAsync($"#rel-{taro}", "あいうえお");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToBeVisibleAsync();
        await page.Locator("#amend").ClickAsync();
        await Assertions.Expect(page.Locator("#relationships-error")).ToBeVisibleAsync();
        await counter.ScreenshotAsync("head-change-error");
        await page.FillAsync($"#rel-{taro}", "夫");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#household caption")).ToContainTextAsync("世帯主 家族 花子");
        await Assertions.Expect(page.Locator("#household tbody tr", new() { HasText = "太郎" })).ToContainTextAsync("夫");

        // 4.0.2#1-2 世帯分離: the son alone forms a household of his own, as its head.
        await page.Keyboard.PressAsync("Alt+W");
        await page.Locator($"#who-{ichiro}").CheckAsync();
        await Assertions.Expect(page.Locator("#target-new")).ToBeCheckedAsync();
        await page.FillAsync($"#rel-{ichiro}", "世帯主");
        await NotifiedTodayAsync(page);
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("世帯分離");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#household tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#household caption")).ToContainTextAsync("世帯主 家族 一郎");

        // 4.0.2#3 世帯変更: the baby joins his brother's household, found with the basic search and shown while his 続柄 is typed.
        await page.Locator("nav a[href='search']").ClickAsync();
        await page.FillAsync("#q-name", "カゾク ジロウ");
        await page.Locator("#search").ClickAsync();
        await page.Locator("#results tbody tr", new() { HasText = "次郎" }).Locator("a").ClickAsync();
        await page.Keyboard.PressAsync("Alt+W");
        await page.Locator($"#who-{jiro}").CheckAsync();
        await page.Locator("#target-existing").CheckAsync();
        await page.FillAsync("#target-query", "かぞく いちろう");
        await page.Keyboard.PressAsync("Alt+G");
        await page.Locator($"#pick-{ichiro}").ClickAsync();
        await Assertions.Expect(page.Locator("#target-members")).ToContainTextAsync("一郎");
        await page.FillAsync($"#rel-{jiro}", "弟");
        await NotifiedTodayAsync(page);
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("世帯変更");
        await counter.ScreenshotAsync("household-change");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#household tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#household tbody tr", new() { HasText = "次郎" })).ToContainTextAsync("弟");

        // 4.0.1#3 転居 of one member of a household: he forms a new household at the new address, as its head.
        await page.Locator("nav a[href='search']").ClickAsync();
        await page.FillAsync("#q-name", "カゾク タロウ");
        await page.Locator("#search").ClickAsync();
        await page.Locator("#results tbody tr", new() { HasText = "太郎" }).Locator("a").ClickAsync();
        await page.Keyboard.PressAsync("Alt+R");
        await Assertions.Expect(page.Locator("#place option")).Not.ToHaveCountAsync(1);
        await page.Locator($"#who-{hanako}").UncheckAsync();
        await page.FillAsync($"#rel-{taro}", "世帯主");
        await NotifiedTodayAsync(page);
        await page.SelectOptionAsync("#place", new SelectOptionValue { Index = 2 });
        await page.FillAsync("#banchi", "7番8号");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("新しい世帯");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("7番8号");
        await Assertions.Expect(page.Locator("#household tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#household caption")).ToContainTextAsync("世帯主 家族 太郎");

        // He did not move after all: the 転居 is cancelled on his 申出, its reason required, and he is back where he was.
        await page.Locator("#to-cancel").ClickAsync();
        await Assertions.Expect(page.Locator("#cancelled-idou")).ToContainTextAsync("転居");
        await page.SelectOptionAsync("#basis", "Application");
        await page.FillAsync("#notification-date", DaysAgo(0));
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#note-error")).ToBeVisibleAsync();
        await page.FillAsync("#note", "本人の申出: 転居していなかった");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("申出");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#record")).Not.ToContainTextAsync("7番8号");
        await Assertions.Expect(page.Locator("#household caption")).ToContainTextAsync("世帯主 家族 花子");
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("取消");
    }

    [Fact]
    [Spec("1.1.9#1")]
    [Spec("1.1.9#2")]
    public async Task A_foreign_resident_moves_in_with_the_items_of_article_30_45_her_dates_written_in_the_western_calendar()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-clerk", terminal: "T002");
        await FillMoveInAsync(page, "グエン", "グエン");
        await page.SelectOptionAsync("#m0-kind", "foreign");
        // The 本籍 and 旧氏 of a Japanese resident give way to the items of 法30条の45.
        await Assertions.Expect(page.Locator("#m0-domicile")).ToHaveCountAsync(0);
        await page.FillAsync("#m0-given", "ティ ラン");
        await page.FillAsync("#m0-given-kana", "ティ ラン");
        await page.FillAsync("#m0-birth", "1995-07-14");
        await page.SelectOptionAsync("#m0-sex", "2");
        await page.FillAsync("#m0-alphabet-name", "NGUYEN THI LAN");
        await page.FillAsync("#m0-nationality", "ベトナム");
        await page.SelectOptionAsync("#m0-category", "MidLongTerm");
        await page.FillAsync("#m0-residence-status", "技術・人文知識・国際業務");
        await page.FillAsync("#m0-period-of-stay", "3年");
        await page.FillAsync("#m0-stay-expires", "2029-03-31");
        await page.FillAsync("#m0-card-number", "12345");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("1995年7月14日");
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("2029年3月31日");
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("中長期在留者");
        await page.Locator("#register").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToBeVisibleAsync();
        await page.Locator("#amend").ClickAsync();
        await Assertions.Expect(page.Locator("#m0-card-number-error")).ToContainTextAsync("英字2桁");
        await page.FillAsync("#m0-card-number", "AB12345678CD");
        await page.Locator("#to-confirm").ClickAsync();
        await counter.ScreenshotAsync("move-in-foreign");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await page.Locator("#done li a").First.ClickAsync();
        // 1.1.9#1: on the 照会 her 生年月日 and 満了日 are in 西暦, the 異動 dates in 和暦.
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("1995年7月14日");
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("ベトナム");
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("NGUYEN THI LAN");
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("2029年3月31日");
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("AB12345678CD");
        await counter.ScreenshotAsync("resident-foreign");
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("令和");

        // She is found not to live there: a 職権消除, refused without what the 職権記録書 must say, then recorded as a 除票.
        await page.Keyboard.PressAsync("Alt+X");
        await Assertions.Expect(page.Locator("#movers input:checked")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#removal-reason", "Official");
        await page.FillAsync("#date", DaysAgo(0));
        await page.FillAsync("#notification-date", DaysAgo(0));
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#note-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#note")).ToBeFocusedAsync();
        await page.FillAsync("#note", "実態調査により居住の実態がないことを確認");
        await page.Locator("#to-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("市の調査");
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("除票");
    }

    [Fact]
    [Spec("3.1#1")]
    [Spec("3.1#9")]
    public async Task A_supervisor_sets_an_inquiry_suppression_releases_it_to_one_clerk_for_some_minutes_and_lifts_it()
    {
        await using var counter = await CounterBrowser.StartAsync(output);
        var page = counter.Page;
        await counter.SignInAsync(City, "murayama-supervisor", terminal: "T002");
        await FillMoveInAsync(page, "抑止", "ヨクシ");
        await page.Locator("#to-confirm").ClickAsync();
        await page.Locator("#register").ClickAsync();
        await NoProblemAsync(page, "#done");
        var number = (await page.Locator("#done li a").First.InnerTextAsync()).Split(' ')[0];

        // 3.1#1: an 抑止 of 照会 at error level; without a process it is refused beside the processes, and nothing is set.
        await page.Keyboard.PressAsync("Alt+8");
        await Assertions.Expect(page.Locator("#no-suppressions")).ToBeVisibleAsync();
        await page.FillAsync("#s-resident", number);
        await page.SelectOptionAsync("#s-level", "Error");
        await page.SelectOptionAsync("#s-category", "Other");
        await page.FillAsync("#s-reason", "本人からの相談により照会を止める");
        await page.FillAsync("#s-starts", DaysAgo(0));
        await page.Locator("#create").ClickAsync();
        await Assertions.Expect(page.Locator("#processes-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#no-suppressions")).ToBeVisibleAsync();
        await page.Locator("#process-Inquiry").CheckAsync();
        await page.Locator("#create").ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToHaveCountAsync(0);
        await NoProblemAsync(page, "#suppression-result");
        var row = page.Locator("#suppressions tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(number);
        var id = (await row.GetAttributeAsync("id"))!["suppression-".Length..];

        // 3.1#9: the search results say who is under an 抑止.
        await page.Locator("nav a[href='search']").ClickAsync();
        await page.FillAsync("#q-name", "よくし");
        await page.Locator("#search").ClickAsync();
        await Assertions.Expect(page.Locator("#results tbody tr", new() { HasText = number })).ToContainTextAsync("抑止あり");
        await page.Locator("#sign-out").ClickAsync();

        // The clerk's 照会 is stopped; released to her for 15 minutes, it shows.
        async Task ClerkOpensAsync()
        {
            await counter.SignInAsync(City, "murayama-clerk", terminal: "T002");
            await page.FillAsync("#q-name", "よくし");
            await page.Locator("#search").ClickAsync();
            await page.Locator("#results tbody tr", new() { HasText = number }).Locator("a").ClickAsync();
        }
        await ClerkOpensAsync();
        await Assertions.Expect(page.Locator("#problem")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#record")).ToHaveCountAsync(0);
        await page.Locator("#sign-out").ClickAsync();

        await counter.SignInAsync(City, "murayama-supervisor", terminal: "T002");
        await page.Keyboard.PressAsync("Alt+8");
        await page.Locator($"#open-{id}").ClickAsync();
        await page.FillAsync($"#staff-{id}", "murayama-clerk");
        await page.Locator($"#release-{id}").ClickAsync();
        await Assertions.Expect(page.Locator($"#row-{id}-error")).ToBeVisibleAsync();
        await page.FillAsync($"#why-{id}", "本人の申出による証明書の確認");
        await page.Locator($"#release-{id}").ClickAsync();
        await NoProblemAsync(page, "#suppression-result");
        await Assertions.Expect(page.Locator("#suppression-result")).ToContainTextAsync("murayama-clerk");
        await Assertions.Expect(row).ToContainTextAsync("murayama-clerk へ");
        await counter.ScreenshotAsync("suppressions");
        await page.Locator("#sign-out").ClickAsync();

        await ClerkOpensAsync();
        await Assertions.Expect(page.Locator("#record")).ToContainTextAsync("抑止 太郎");
        await page.Locator("#sign-out").ClickAsync();

        // Lifted with its reason: gone from the list of those in force, kept among the lifted.
        await counter.SignInAsync(City, "murayama-supervisor", terminal: "T002");
        await page.Keyboard.PressAsync("Alt+8");
        await page.Locator($"#open-{id}").ClickAsync();
        await page.FillAsync($"#why-{id}", "相談が終わったため");
        await page.Locator($"#lift-{id}").ClickAsync();
        await NoProblemAsync(page, "#suppression-result");
        await Assertions.Expect(page.Locator("#no-suppressions")).ToBeVisibleAsync();
        await page.Locator("#include-lifted").CheckAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-active", "false");
    }
}
