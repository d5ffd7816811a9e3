using System.Text;
using System.Xml.Linq;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Analytics.V1;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Server.Tests.Jobs;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Analytics;

/// <summary>
/// 10.1 EUC through the contract, in a city of this class's own (立川市) with an access table:
/// a population made through the contract (a family with an MJ name and a 個人番号, a foreign
/// resident, someone moved out, a protected person), the copy made by its job, then SQL and the
/// wizard against what the test made; the outputs read back; and every way a question could reach
/// what it must not (another city, files, settings, items hidden from the caller, withheld items).
/// </summary>
public abstract class EucTests(ServerFixture server)
{
    private const string City = "132021";
    private const string Other = "132055";
    private const string MjFamily = "葛\U000E0102城";

    private sealed record Population(Resident Head, Resident Wife, Resident Foreigner, Resident MovedOut);

    private static readonly PerServer<Population> Made = new();

    private EucService.EucServiceClient Euc(string city = City, string staff = "staff-1", string unit = "kanri") => new(Invoker(city, staff, unit, Roles.Supervisor));

    private CallInvoker Invoker(string city, string staff, string unit, params string[] roles) =>
        server.Invoker(SigningKeys.Mint(SigningKeys.FromBase64(server.SigningKeyBase64), new Caller(city, staff, "T001", roles.ToHashSet()) { Unit = unit }, server.Time, TimeSpan.FromDays(400)));

    private static string Id() => Guid.NewGuid().ToString();

    /// <summary>Both cities, their population and a copy of each, made once for the class.</summary>
    private Task<Population> MadeAsync() => Made.GetAsync(server, MakeAsync);

    private async Task<Population> MakeAsync()
    {
        var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
        const string access = """
            "access": {
              "units": [ { "id": "kanri", "name": "市民課 (管理)", "functions": ["inquiry", "idou", "approve", "issue", "suppression", "support-measure", "support-inquiry", "batch", "euc"] },
                         { "id": "toukei", "name": "統計担当", "functions": ["euc"], "hiddenItems": ["honseki", "residenceStatus"] },
                         { "id": "kansa", "name": "監査", "functions": ["audit-log"] } ]
            },
            """;
        foreach (var (code, name) in new[] { (City, "立川市"), (Other, "青梅市") })
        {
            await admin.CreateTenantAsync(new CreateTenantRequest { Document = TenantDocuments.Minimal(code, name, extra: access), Reason = "test", RequestId = Id() });
        }
        var clerk = new RegistrationService.RegistrationServiceClient(Invoker(City, "c-1", "kanri", Roles.Clerk));
        var family = MoveIn(City, UniqueKana(), MjFamily, members: 2);
        family.Members[0].IndividualNumber = IndividualNumber();
        var made = (await clerk.RecordMoveInAsync(family)).Residents;
        var foreign = (await clerk.RecordMoveInAsync(FromAbroad(MoveIn(City, UniqueKana(), "グエン", members: 1), new ForeignResidentItems
        {
            Nationality = "ベトナム", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "技能実習", PeriodOfStay = "3年",
            StayExpiresOn = Date(2028, 6, 30), ResidenceCardNumber = CardNumber(),
        }))).Residents[0];
        var leaving = (await clerk.RecordMoveInAsync(MoveIn(City, UniqueKana(), "転出", members: 1))).Residents[0];
        await clerk.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Id(), Residents = { RegisterDriver.Ref(leaving) }, PlannedDate = Date(2026, 11, 25), NotificationDate = Date(2026, 11, 25),
            Notifier = RegisterDriver.Notifier(), Destination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田1-1-1" },
        });
        // The wife is protected (支援措置 in force).
        await new SupportMeasureService.SupportMeasureServiceClient(Invoker(City, "s-1", "kanri", Roles.Supervisor)).CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Id(),
            SupportMeasure = new SupportMeasure
            {
                Applicant = made[1].Name, Services = { "住民票の写し等の交付" }, StartsOn = Date(2026, 11, 1),
                Perpetrators = { new Perpetrator { Name = "加害 次郎", NameKana = "カガイ ジロウ" } },
            },
        });
        // The other city has someone of its own, and a copy.
        await new RegistrationService.RegistrationServiceClient(Invoker(Other, "c-9", "kanri", Roles.Clerk)).RecordMoveInAsync(MoveIn(Other, UniqueKana(), "青梅", members: 1));
        await SnapshotAsync(City);
        await SnapshotAsync(Other);
        return new Population(made[0], made[1], foreign, leaving);
    }

    private async Task<Operation> SnapshotAsync(string city)
    {
        var jobs = new JobService.JobServiceClient(Invoker(city, "s-1", "kanri", Roles.Supervisor));
        var done = await Operations.FinishedAsync(jobs, await jobs.StartJobAsync(new StartJobRequest { RequestId = Id(), Kind = JobKind.EucSnapshot, Reason = "EUC データソースの更新" }));
        Assert.True(done.Metadata.State == JobState.Succeeded, done.Error?.Message);
        return done;
    }

    /// <summary>An extraction read whole: its summary, its rows (TABLE) and its file (other forms).</summary>
    private static async Task<(ExtractSummary Summary, List<string[]> Rows, byte[] File)> ExtractAsync(EucService.EucServiceClient euc, ExtractRequest request)
    {
        request.Reason = request.Reason.Length > 0 ? request.Reason : "統計資料の作成";
        using var call = euc.Extract(request);
        ExtractSummary? summary = null;
        var rows = new List<string[]>();
        var file = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            if (chunk.Summary is { } s)
            {
                summary = s;
            }
            rows.AddRange(chunk.Rows?.Rows.Select(r => r.Values.ToArray()) ?? []);
            chunk.Data?.WriteTo(file);
        }
        return (summary!, rows, file.ToArray());
    }

    private static Task<(ExtractSummary Summary, List<string[]> Rows, byte[] File)> SqlAsync(EucService.EucServiceClient euc, string sql, EucFormat format = EucFormat.Table) =>
        ExtractAsync(euc, new ExtractRequest { Sql = sql, Format = format, DisplayRows = 1000 });

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    [Fact]
    [Spec("10.1#1")]
    [Spec("10.1#2")]
    [Spec("10.1#3")]
    [Spec("10.1#4")]
    [Spec("10.1#5")]
    [Spec("10.1#6")]
    [Spec("10.1#7")]
    [Spec("10.1#8")]
    public async Task The_source_is_a_copy_of_the_whole_register_with_history_and_removed_records_under_the_layouts_item_names()
    {
        var made = await MadeAsync();
        var source = await Euc().DescribeSourceAsync(new DescribeSourceRequest());
        Assert.NotNull(source.TakenAt);
        var persons = source.Tables.Single(t => t.Name == "R01_住民");
        Assert.Equal("住民票（履歴を含む、除票を含む）", persons.Title);
        // 10.1#6: each item as the layout's data item list gives it.
        var sex = persons.Items.Single(i => i.Name == "性別");
        Assert.Equal(("区分", 1, "性別"), (sex.Type, sex.Digits, sex.Code));
        Assert.Contains(sex.Codes, c => c.Code == "2" && c.Name == "女");
        Assert.Equal(("数字", 15), (persons.Items.Single(i => i.Name == "宛名番号").Type, persons.Items.Single(i => i.Name == "宛名番号").Digits));
        Assert.True(persons.Items.Single(i => i.Name == "氏").Gaiji);
        // 10.1#7: what the register manages beyond the persons: the certificate ledger, 異動, 支援措置 …
        Assert.Superset(new HashSet<string> { "R02_異動", "R05_抑止", "R07_支援措置", "R09_交付", "現在の住民" }, source.Tables.Select(t => t.Name).ToHashSet());
        // Withheld whatever the caller's rights, each with why.
        Assert.DoesNotContain(persons.Items, i => i.Name is "個人番号" or "成年被後見人");
        Assert.Contains(source.Withheld, w => w.StartsWith("R01_住民.個人番号: 番号法", StringComparison.Ordinal));
        Assert.Contains(source.Withheld, w => w.StartsWith("R01_住民.成年被後見人:", StringComparison.Ordinal));

        // 10.1#2: every version and the 除票 are there; 現在の住民 is each resident's latest record.
        var euc = Euc();
        var versions = await SqlAsync(euc, $"SELECT 宛名番号, 履歴番号, 住民の状態, 消除事由 FROM R01_住民 WHERE 宛名番号 = '{made.MovedOut.ResidentNumber}' ORDER BY 履歴番号");
        Assert.Equal(2, versions.Rows.Count);
        Assert.Equal(("1", ""), (versions.Rows[0][2], versions.Rows[0][3]));
        Assert.Equal("2", versions.Rows[1][2]);
        Assert.Equal("国内転出", versions.Rows[1][3]);
        var current = await SqlAsync(euc, "SELECT 宛名番号 FROM 現在の住民 ORDER BY 1");
        Assert.Equal(new[] { made.Head, made.Wife, made.Foreigner }.Select(r => r.ResidentNumber).Order(StringComparer.Ordinal), current.Rows.Select(r => r[0]));

        // 10.1#8: a copy, not the online store: a 転入 after it is not seen until the next copy.
        var late = (await new RegistrationService.RegistrationServiceClient(Invoker(City, "c-1", "kanri", Roles.Clerk)).RecordMoveInAsync(MoveIn(City, UniqueKana(), "後日", members: 1))).Residents[0];
        var count = "SELECT count(*) FROM R01_住民 WHERE 宛名番号 = '" + late.ResidentNumber + "'";
        Assert.Equal("0", (await SqlAsync(euc, count)).Rows.Single()[0]);
        await SnapshotAsync(City);
        Assert.Equal("1", (await SqlAsync(euc, count)).Rows.Single()[0]);
        var again = await Euc().DescribeSourceAsync(new DescribeSourceRequest());
        Assert.True(again.TakenAt.ToDateTime() >= source.TakenAt.ToDateTime());
        Assert.NotEqual(source.Operation, again.Operation);
    }

    [Fact]
    [Spec("10.1#9")]
    [Spec("10.1#10")]
    [Spec("10.1#13")]
    [Spec("10.2#1")]
    public async Task Sql_with_ordinary_operators_and_functions_answers_what_the_register_holds_and_each_extraction_is_logged_with_its_persons()
    {
        var made = await MadeAsync();
        var euc = Euc(staff: "euc-user");
        // Operators (||, +, -, >, !=, AND) and the usual functions (count, date_diff, make_date, upper, length …).
        var listed = await SqlAsync(euc, """
            SELECT 宛名番号, 氏 || '　' || 名 AS 氏名, date_diff('year', make_date(生年月日_年, 生年月日_月, 生年月日_日), DATE '2026-11-26') AS 年齢,
                   length(氏) AS 文字数, 生年月日_年 + 1 - 1 AS 生年
            FROM 現在の住民 WHERE 住民種別 = 1 AND 性別 != 2 AND 氏 <> '後日' ORDER BY 宛名番号
            """);
        var head = Assert.Single(listed.Rows);
        Assert.Equal(made.Head.ResidentNumber, head[0]);
        Assert.Equal($"{MjFamily}　一郎", head[1]);   // the IVS sequence kept exactly
        Assert.Equal("46", head[2]);
        Assert.Equal("1980", head[4]);
        Assert.Equal((1L, 1L), (listed.Summary.Rows, listed.Summary.Persons));

        // 10.1#13: the number of persons who meet the conditions, without their records.
        var counted = await SqlAsync(euc, "SELECT 住民種別, count(*) AS 人数 FROM 現在の住民 WHERE 氏 <> '後日' GROUP BY 住民種別 ORDER BY 1");
        Assert.Equal([["1", "2"], ["2", "1"]], counted.Rows);
        Assert.Equal(0, counted.Summary.Persons);

        // The access log names the persons an extraction gave, what was asked and why.
        var auditor = new AuditService.AuditServiceClient(Invoker(City, "a-1", "kansa", Roles.Auditor));
        var entry = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Staff = "euc-user", Function = "/srs.analytics.v1.EucService/Extract" })).Entries
            .Single(e => e.Detail.Contains("AS 文字数", StringComparison.Ordinal));
        Assert.Equal([made.Head.ResidentNumber], entry.Residents);
        Assert.Contains("1 行・1 人", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("理由: 統計資料の作成", entry.Detail, StringComparison.Ordinal);
        Assert.False(entry.IndividualNumber);

        // Another path to the same persons: 宛名番号 renamed is still recognised (by its values), and logged.
        var renamed = await SqlAsync(euc, $"SELECT 宛名番号 AS 番号, 氏 || 名 AS 氏名 FROM 現在の住民 WHERE 世帯番号 = '{made.Head.Household.Split('/')[^1]}'");
        Assert.Equal(2, renamed.Summary.Persons);
        var renamedEntry = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Staff = "euc-user", Function = "/srs.analytics.v1.EucService/Extract" })).Entries
            .Single(e => e.Detail.Contains("AS 番号", StringComparison.Ordinal));
        Assert.Equal(new[] { made.Head.ResidentNumber, made.Wife.ResidentNumber }.Order(StringComparer.Ordinal), renamedEntry.Residents.Order(StringComparer.Ordinal));
    }

    [Fact]
    [Spec("10.1#12")]
    [Spec("10.1#17")]
    public async Task The_wizards_choices_become_one_select_whose_values_are_never_sql_and_whose_mistakes_name_their_field()
    {
        var made = await MadeAsync();
        var euc = Euc();
        var grouped = await ExtractAsync(euc, new ExtractRequest
        {
            Wizard = new WizardQuestion
            {
                Table = "現在の住民", GroupBy = { "住民種別", "性別" }, OrderBy = { "-件数", "住民種別", "性別" },
                Conditions = { new WizardCondition { Item = "氏", Operator = "!=", Values = { "後日" } } },
            },
            Format = EucFormat.Table,
        });
        Assert.Equal(["住民種別", "性別", "件数", "人数"], grouped.Summary.Columns);
        Assert.Equal([["1", "1", "1", "1"], ["1", "2", "1", "1"], ["2", "1", "1", "1"]], grouped.Rows);

        var chosen = await ExtractAsync(euc, new ExtractRequest
        {
            Wizard = new WizardQuestion
            {
                Table = "R01_住民", Items = { "宛名番号", "氏", "名", "履歴番号" },
                Conditions =
                {
                    new WizardCondition { Item = "氏", Operator = "始まる", Values = { "葛" } },
                    new WizardCondition { Item = "生年月日_年", Operator = "の間", Values = { "1980", "1985" } },
                    new WizardCondition { Item = "消除事由", Operator = "空" },
                },
            },
            Format = EucFormat.Table,
        });
        Assert.Equal(new[] { made.Head, made.Wife }.Select(r => r.ResidentNumber).Order(StringComparer.Ordinal), chosen.Rows.Select(r => r[0]));
        Assert.StartsWith("SELECT \"宛名番号\", \"氏\", \"名\", \"履歴番号\" FROM \"R01_住民\" WHERE starts_with(\"氏\", '葛')", chosen.Summary.Sql, StringComparison.Ordinal);

        // A value is a value: quotes and SQL in it find nothing and run nothing.
        var injected = await ExtractAsync(euc, new ExtractRequest
        {
            Wizard = new WizardQuestion { Table = "R01_住民", Items = { "宛名番号" }, Conditions = { new WizardCondition { Item = "氏", Operator = "=", Values = { "x' OR 1=1 --" } } } },
        });
        Assert.Empty(injected.Rows);

        var wrong = await RefusedAsync(() => ExtractAsync(euc, new ExtractRequest
        {
            Wizard = new WizardQuestion
            {
                Table = "R01_住民", Items = { "宛名番号" },
                Conditions = { new WizardCondition { Item = "年収", Operator = "=", Values = { "1" } }, new WizardCondition { Item = "生年月日_年", Operator = ">", Values = { "千九百" } } },
            },
        }));
        Assert.Equal(StatusCode.InvalidArgument, wrong.StatusCode);
        Assert.Equal(["wizard.conditions[0].item", "wizard.conditions[1].values[0]"], wrong.ViolatedFields());
        Assert.Contains("「年収」", wrong.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    [Spec("10.1#14")]
    [Spec("10.1#15")]
    [Spec("10.1#18")]
    public async Task An_extraction_goes_out_as_csv_xml_a_list_pdf_and_a_label_pdf_with_mj_characters_exact()
    {
        var made = await MadeAsync();
        var euc = Euc();
        const string Sql = "SELECT 宛名番号, 氏, 名, 住所_郵便番号, 住所_都道府県, 住所_市区町村, 住所_町字, 住所_丁目, 住所_番地, 住所_方書 FROM 現在の住民 WHERE 住民種別 = 1 AND 氏 <> '後日' ORDER BY 宛名番号";

        var csv = await SqlAsync(euc, Sql, EucFormat.Csv);
        Assert.Equal("抽出結果.csv", csv.Summary.FileName);
        Assert.Equal([0xEF, 0xBB, 0xBF], csv.File[..3]);
        var lines = Encoding.UTF8.GetString(csv.File[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("宛名番号,氏,名,住所_郵便番号,住所_都道府県,住所_市区町村,住所_町字,住所_丁目,住所_番地,住所_方書", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{made.Head.ResidentNumber},{MjFamily},一郎,", lines[1], StringComparison.Ordinal);

        var xml = XDocument.Parse(Encoding.UTF8.GetString((await SqlAsync(euc, Sql, EucFormat.Xml)).File));
        Assert.Equal("抽出結果", xml.Root!.Name.LocalName);
        Assert.Equal([MjFamily, MjFamily], xml.Root.Elements("行").Select(r => r.Element("氏")!.Value));

        // 10.1#15: the list and the 宛名 (labels) as PDF, the MJ name as it is recorded.
        var list = await SqlAsync(euc, Sql, EucFormat.PdfList);
        var listText = PdfTools.Text(list.File);
        Assert.Contains("EUC 抽出結果", listText, StringComparison.Ordinal);
        Assert.Contains(MjFamily, listText, StringComparison.Ordinal);
        var labels = await SqlAsync(euc, Sql, EucFormat.PdfLabel);
        // (pdftotext breaks a label's lines and words as it likes: compared without white space)
        var labelText = System.Text.RegularExpressions.Regex.Replace(PdfTools.Text(labels.File), @"\s", "");
        Assert.Contains($"{MjFamily}一郎様", labelText, StringComparison.Ordinal);
        Assert.Contains($"{MjFamily}花子様", labelText, StringComparison.Ordinal);
        Assert.Equal(1, PdfTools.Pages(labels.File));

        // A label needs an address and a name; a PDF has a limit of rows.
        var unfit = await RefusedAsync(() => SqlAsync(euc, "SELECT 宛名番号 FROM 現在の住民", EucFormat.PdfLabel));
        Assert.Equal("EUC_OUTPUT_UNFIT", unfit.ErrorInfo()?.Reason);
        Assert.Equal(["format"], unfit.ViolatedFields());
    }

    [Fact]
    [Spec("10.1#11")]
    [Spec("10.1#16")]
    public async Task An_extraction_gives_way_to_the_counter_before_its_question_and_before_writing_out_its_answer()
    {
        await MadeAsync();
        var counter = server.Services.GetRequiredService<SharedResidentSystem.Server.Jobs.CounterLoad>();
        var limit = server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SharedResidentSystem.Server.Analytics.EucOptions>>().Value.YieldMilliseconds;
        // A counter call in flight the whole time: the question waits its limit, the first rows theirs, the file's first chunk its own.
        counter.Enter();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var csv = await SqlAsync(Euc(), "SELECT 宛名番号 FROM R01_住民", EucFormat.Csv);
            Assert.True(clock.ElapsedMilliseconds >= 3 * limit, $"{clock.ElapsedMilliseconds} ms");
            Assert.True(csv.Summary.Rows > 0);
        }
        finally
        {
            counter.Exit();
        }
    }

    [Fact]
    public async Task A_question_reaches_nothing_but_the_callers_copy_and_changes_nothing()
    {
        await MadeAsync();
        var euc = Euc();
        async Task Refused(string sql, string reason)
        {
            var refused = await RefusedAsync(() => SqlAsync(euc, sql));
            Assert.Equal(reason, refused.ErrorInfo()?.Reason);
            Assert.Equal(["sql"], refused.ViolatedFields());
        }
        await Refused("DELETE FROM R01_住民", "EUC_QUERY_INVALID");
        await Refused("SELECT 1; SELECT 2", "EUC_QUERY_INVALID");
        await Refused("SET enable_external_access = true", "EUC_QUERY_INVALID");
        await Refused("SELECT * FROM read_csv('/etc/passwd')", "EUC_QUERY_INVALID");
        await Refused("SELECT * FROM glob('/**')", "EUC_QUERY_INVALID");
        await Refused("SELECT 1 FROM 存在しない表", "EUC_QUERY_INVALID");
        // Another city's copy is not named to the engine, by name or by path.
        var described = await Euc(Other).DescribeSourceAsync(new DescribeSourceRequest());
        var otherFolder = $"{described.Operation.Split('/')[^1].PadLeft(6, '0')}";
        var mine = (await SqlAsync(euc, "SELECT count(*) FROM R01_住民")).Rows.Single()[0];
        await Refused($"SELECT * FROM read_parquet('../../{Other}/{otherFolder}/R01_住民.parquet')", "EUC_QUERY_INVALID");
        await Refused($"SELECT * FROM read_parquet('/**/{Other}/**/*.parquet')", "EUC_QUERY_INVALID");
        Assert.Equal(mine, (await SqlAsync(euc, "SELECT count(*) FROM R01_住民")).Rows.Single()[0]);
        // Only supervisors: a clerk is refused before anything runs.
        var clerk = new EucService.EucServiceClient(Invoker(City, "c-1", "kanri", Roles.Clerk));
        Assert.Equal(StatusCode.PermissionDenied, (await RefusedAsync(() => SqlAsync(clerk, "SELECT 1"))).StatusCode);
        var noReason = await RefusedAsync(() => ExtractAsync(euc, new ExtractRequest { Sql = "SELECT 1", Reason = " " }));
        Assert.Equal(StatusCode.InvalidArgument, noReason.StatusCode);
    }

    [Fact]
    [Spec("10.4#1")]
    public async Task Items_hidden_from_the_caller_are_not_in_their_source_by_any_question()
    {
        var made = await MadeAsync();
        var toukei = Euc(staff: "t-1", unit: "toukei");
        var source = await toukei.DescribeSourceAsync(new DescribeSourceRequest());
        var persons = source.Tables.Single(t => t.Name == "R01_住民").Items.Select(i => i.Name).ToList();
        Assert.DoesNotContain("本籍", persons);
        Assert.DoesNotContain("在留資格", persons);
        Assert.Contains("住民票コード", persons);
        Assert.Contains(source.Withheld, w => w.StartsWith("R01_住民.本籍: あなたの権限では表示されない", StringComparison.Ordinal));
        // 支援措置 are read only by those who may inquire into them.
        Assert.DoesNotContain(source.Tables, t => t.Name == "R07_支援措置");

        var refused = await RefusedAsync(() => SqlAsync(toukei, "SELECT 本籍 FROM R01_住民"));
        Assert.Equal("EUC_QUERY_INVALID", refused.ErrorInfo()?.Reason);
        var star = await SqlAsync(toukei, $"SELECT * FROM R01_住民 WHERE 宛名番号 = '{made.Foreigner.ResidentNumber}'");
        Assert.DoesNotContain("在留資格", star.Summary.Columns);
        Assert.DoesNotContain(star.Rows.Single(), v => v == "技能実習");
        // Nor by the file the item is kept in.
        var folder = source.Operation.Split('/')[^1].PadLeft(6, '0');
        Assert.Equal("EUC_QUERY_INVALID", (await RefusedAsync(() => SqlAsync(toukei, $"SELECT * FROM read_parquet('**/{folder}/R01_住民.honseki.parquet')"))).ErrorInfo()?.Reason);
        Assert.Equal("EUC_QUERY_INVALID", (await RefusedAsync(() => SqlAsync(toukei, "SELECT * FROM R07_支援措置"))).ErrorInfo()?.Reason);

        // Whom the table does not hide it from sees it.
        var full = await SqlAsync(Euc(), $"SELECT 本籍, 在留資格 FROM 現在の住民 WHERE 宛名番号 IN ('{made.Head.ResidentNumber}', '{made.Foreigner.ResidentNumber}') ORDER BY 宛名番号");
        Assert.Equal([["東京都千代田区千代田1番", ""], ["", "技能実習"]], full.Rows);
    }

    [Fact]
    [Spec("3.4#1")]
    public async Task An_extraction_that_holds_a_protected_person_says_so()
    {
        var made = await MadeAsync();
        var answer = await SqlAsync(Euc(), $"SELECT 宛名番号, 氏, 名 FROM 現在の住民 WHERE 世帯番号 = '{made.Head.Household.Split('/')[^1]}'");
        Assert.Equal((2L, 1L), (answer.Summary.Persons, answer.Summary.ProtectedPersons));
    }

    [Fact]
    public async Task Without_a_copy_an_extraction_is_refused_saying_which_job_makes_one()
    {
        var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
        const string Empty = "132071";
        if ((await admin.ListTenantsAsync(new ListTenantsRequest())).Tenants.All(t => t.TenantCode != Empty))
        {
            await admin.CreateTenantAsync(new CreateTenantRequest { Document = TenantDocuments.Minimal(Empty, "昭島市"), Reason = "test", RequestId = Id() });
        }
        var euc = new EucService.EucServiceClient(server.As(Empty, Roles.Supervisor));
        Assert.Null((await euc.DescribeSourceAsync(new DescribeSourceRequest())).TakenAt);
        var refused = await RefusedAsync(() => SqlAsync(euc, "SELECT 1"));
        Assert.Equal(("EUC_NO_SNAPSHOT", StatusCode.FailedPrecondition), (refused.ErrorInfo()?.Reason, refused.StatusCode));
    }
}

public sealed class EucTestsOnSqlite(SqliteServer server) : EucTests(server), IClassFixture<SqliteServer>;

public sealed class EucTestsOnPostgres(PostgresServer server) : EucTests(server), IClassFixture<PostgresServer>;
