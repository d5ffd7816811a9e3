using System.Text.RegularExpressions;
using Grpc.Core;
using SharedResidentSystem.Contracts.Analytics.V1;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Analytics;

/// <summary>
/// The cities' indicators: three cities of this class's own, each with counter work of a known
/// shape done through the contract on a clock the test moves minute by minute (tasks of 4, 2 and
/// 1 minutes, one begun from a CSV read in, a refusal), then each series read back and the report
/// of the three side by side rendered as HTML with SVG charts and as PDF.
/// </summary>
public abstract class IndicatorTests(ServerFixture server)
{
    private static readonly (string Code, string Name)[] Cities = [("132101", "小金井市"), ("132128", "日野市"), ("132144", "国分寺市")];

    private static readonly PerServer<string> Refused = new();

    private static string Id() => Guid.NewGuid().ToString();

    private CallInvoker Staff(string city, string staff, string role = Roles.Clerk) =>
        server.Invoker(SigningKeys.Mint(SigningKeys.FromBase64(server.SigningKeyBase64), new Caller(city, staff, "T001", new HashSet<string> { role }), server.Time, TimeSpan.FromDays(400)));

    private IndicatorService.IndicatorServiceClient Indicators(string city, string role = Roles.Supervisor) => new(Staff(city, "sv-1", role));

    private IndicatorService.IndicatorServiceClient Joint() =>
        new(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));

    private void Minutes(int n) => server.Time.Advance(TimeSpan.FromMinutes(n));

    /// <summary>The cities and their counter work, once for the class; the refusal's reason.</summary>
    private Task<string> MadeAsync() => Refused.GetAsync(server, MakeAsync);

    private async Task<string> MakeAsync()
    {
        var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
        foreach (var (code, name) in Cities)
        {
            await admin.CreateTenantAsync(new CreateTenantRequest { Document = TenantDocuments.Minimal(code, name), Reason = "test", RequestId = Id() });
        }
        // 小金井市: a search and a 転入 (4 min), a CSV read and a 転入 (2 min), a certificate (1 min).
        var (a, _) = Cities[0];
        var clerk = Staff(a, "c-a");
        var kana = UniqueKana();
        await new ResidentService.ResidentServiceClient(clerk).SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana });
        Minutes(4);
        var family = await new RegistrationService.RegistrationServiceClient(clerk).RecordMoveInAsync(MoveIn(a, kana, "指標", members: 1));
        Minutes(1);
        await new IntakeService.IntakeServiceClient(clerk).ReadIntakeCsvAsync(new ReadIntakeCsvRequest
        {
            Kind = IntakeKind.MoveOutCertificate,
            Csv = "氏名,氏名カナ,生年月日,性別,続柄,本籍,筆頭者,住民票コード,住所,転出先,転出予定日\r\n" +
                  $"取込　一郎,{UniqueKana()}　イチロウ,昭和45年4月1日,男,世帯主,東京都千代田区千代田1番,取込　一郎,,埼玉県所沢市東町1-1,東京都小金井市本町1丁目2番3号,2026-11-20\r\n",
        });
        Minutes(2);
        await new RegistrationService.RegistrationServiceClient(clerk).RecordMoveInAsync(MoveIn(a, UniqueKana(), "取込", members: 1));
        Minutes(1);
        var head = family.Residents[0];
        await new CertificateService.CertificateServiceClient(clerk).IssueCertificateAsync(new IssueCertificateRequest
        {
            RequestId = Id(), Kind = CertificateKind.ResidentCopy, Residents = { head.Name }, Printer = "P-001",
            Requester = new Requester { Category = RequesterCategory.SelfOrHousehold, Name = "指標 一郎", Resident = head.Name, IdentityCheck = "運転免許証" },
        });
        // Another clerk is refused once.
        var bad = MoveIn(a, UniqueKana(), members: 1);
        bad.MoveDate = Date(2027, 1, 1);
        var refusal = await Assert.ThrowsAsync<RpcException>(() => new RegistrationService.RegistrationServiceClient(Staff(a, "c-x")).RecordMoveInAsync(bad).ResponseAsync);
        // 日野市: one 転入 after 3 minutes; 国分寺市: nothing.
        var (b, _) = Cities[1];
        await new ResidentService.ResidentServiceClient(Staff(b, "c-b")).SearchResidentsAsync(new SearchResidentsRequest { NameQuery = UniqueKana() });
        Minutes(3);
        await new RegistrationService.RegistrationServiceClient(Staff(b, "c-b")).RecordMoveInAsync(MoveIn(b, UniqueKana(), "日野", members: 2));
        return refusal.ErrorInfo()!.Reason;
    }

    private static IndicatorRequest Month(string city = "") => new() { Tenant = city.Length > 0 ? "tenants/" + city : "", FromMonth = "2026-11", ToMonth = "2026-11" };

    [Fact]
    public async Task Each_series_counts_the_citys_own_counter_work_of_the_month()
    {
        var reason = await MadeAsync();
        var a = Indicators(Cities[0].Code);
        var idou = (await a.ListIdouCountsAsync(Month())).Counts;
        Assert.Equal(2, idou.Where(c => c.Month == "2026-11").Sum(c => c.Count));
        Assert.All(idou, c => Assert.Contains("転入", c.Kind, StringComparison.Ordinal));

        var issued = Assert.Single((await a.ListCertificateCountsAsync(Month())).Counts);
        Assert.Equal(("2026-11", "住民票の写し", 1L, 1L), (issued.Month, issued.Kind, issued.Count, issued.Extra));

        // Tasks of 4, 2 and 1 minutes: median 2, 90th percentile 3.6.
        var times = Assert.Single((await a.ListHandlingTimesAsync(Month())).Months);
        Assert.Equal((3L, 120d, 216d), (times.Tasks, times.MedianSeconds, Math.Round(times.P90Seconds, 6)));
        var paperless = Assert.Single((await a.ListPaperlessSharesAsync(Month())).Months);
        Assert.Equal((3L, 1L), (paperless.Tasks, paperless.FromIntake));
        Assert.Equal(1d / 3, paperless.Share, 6);

        var refusals = (await a.ListRefusalCountsAsync(Month())).Counts;
        Assert.Equal(1, refusals.Where(c => c.Kind == reason).Sum(c => c.Count));

        // Another city's figures are its own; a city with no work has none.
        var b = (await Indicators(Cities[1].Code).ListHandlingTimesAsync(Month())).Months.Single();
        Assert.Equal((1L, 180d), (b.Tasks, b.MedianSeconds));
        Assert.Empty((await Indicators(Cities[2].Code).ListIdouCountsAsync(Month())).Counts);
    }

    [Fact]
    public async Task A_city_reads_its_own_figures_only_and_the_joint_operator_any()
    {
        await MadeAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(() => Indicators(Cities[0].Code).ListIdouCountsAsync(Month(Cities[1].Code)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => Indicators(Cities[0].Code, Roles.Clerk).ListIdouCountsAsync(Month()).ResponseAsync)).StatusCode);
        var joint = await Joint().ListIdouCountsAsync(Month(Cities[1].Code));
        Assert.Equal(1, joint.Counts.Sum(c => c.Count));   // one 異動 of two persons
        Assert.Equal("tenants/" + Cities[1].Code, joint.Tenant);
        var unnamed = await Assert.ThrowsAsync<RpcException>(() => Joint().ListIdouCountsAsync(Month()).ResponseAsync);
        Assert.Equal(["tenant"], unnamed.ViolatedFields());
        var months = await Assert.ThrowsAsync<RpcException>(() => Indicators(Cities[0].Code).ListIdouCountsAsync(new IndicatorRequest { FromMonth = "2026-12", ToMonth = "2026-1x" }).ResponseAsync);
        Assert.Equal(["to_month"], months.ViolatedFields());
    }

    [Fact]
    public async Task The_report_puts_the_three_cities_side_by_side_in_html_with_svg_charts_and_in_pdf()
    {
        await MadeAsync();
        var request = new RenderIndicatorReportRequest { FromMonth = "2026-10", ToMonth = "2026-11" };
        request.Tenants.AddRange(Cities.Select(c => "tenants/" + c.Code));
        var report = await Joint().RenderIndicatorReportAsync(request);

        var html = report.Html.ToStringUtf8();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(5, Regex.Count(html, "<svg "));
        foreach (var heading in new[] { "異動の件数", "証明書の交付", "窓口の処理時間", "エラー・拒否", "紙によらない処理の割合" })
        {
            Assert.Contains($"<h2>{heading}</h2>", html, StringComparison.Ordinal);
        }
        // Each chart has a bar per city and month, titled with its figure; the tables hold the same figures.
        Assert.Contains("<title>小金井市 2026-11: 2件</title>", html, StringComparison.Ordinal);
        Assert.Contains("<title>日野市 2026-11: 1件</title>", html, StringComparison.Ordinal);
        Assert.Contains("<title>国分寺市 2026-11: 0件</title>", html, StringComparison.Ordinal);
        Assert.Contains("<title>小金井市 2026-11: 2分</title>", html, StringComparison.Ordinal);
        Assert.Contains("<title>小金井市 2026-11: 33.33%</title>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">小金井市　計</th><td>0</td><td>2</td><td>2</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">日野市　中央値（分）</th><td>-</td><td>3.0</td><td>3.0</td>", html, StringComparison.Ordinal);

        var pdf = report.Pdf.ToByteArray();
        Assert.True(PdfTools.Pages(pdf) >= 5);
        var text = PdfTools.Text(pdf);
        foreach (var name in Cities.Select(c => c.Name).Append("紙によらない処理の割合"))
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
        // A city's staff make the report of their own city only.
        var own = Indicators(Cities[0].Code);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => own.RenderIndicatorReportAsync(request).ResponseAsync)).StatusCode);
        Assert.Contains("<h1>住民記録 窓口の指標</h1>", (await own.RenderIndicatorReportAsync(new RenderIndicatorReportRequest { FromMonth = "2026-11", ToMonth = "2026-11" })).Html.ToStringUtf8(),
            StringComparison.Ordinal);
    }
}

public sealed class IndicatorTestsOnSqlite(SqliteServer server) : IndicatorTests(server), IClassFixture<SqliteServer>;

public sealed class IndicatorTestsOnPostgres(PostgresServer server) : IndicatorTests(server), IClassFixture<PostgresServer>;
