using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Certificates;

/// <summary>
/// What certificates take from the city's configuration, with the fake clock moved forward:
/// the mayor on the day of issue, the 職務代理者 in their period, the seal, フリガナ (5.3), and
/// 本人通知 (8.1). Each test adds a city of its own by configuration alone.
/// </summary>
public abstract class CertificateConfigurationTests(ServerFixture server) : CertificateCityTests(server)
{
    [Fact]
    [Spec("5.3#1")]
    [Spec("5.3#6")]
    [Spec("5.3#7")]
    [Spec("5.3#8")]
    public async Task Furigana_is_printed_where_the_city_switched_it_on()
    {
        const string code = "132276"; // 福生市
        await CreateCityAsync(code, "福生市", "\"options\": { \"5.3\": true },");
        var (issued, family) = await IssueAsync(code, furigana: true);
        var text = PdfTools.Text(issued.Copies[0].Pdf.ToByteArray());
        var kana = Core.Certificates.CertificateComposer.ToKatakana(family.Residents[0].PersonName.FamilyKana);
        Assert.Contains($"（{kana}", text, StringComparison.Ordinal);
        Assert.Contains("イチロウ）", text, StringComparison.Ordinal);

        // Only names carry it (氏名, and the 世帯主's), only in brackets, only in katakana: every
        // other item is printed as without フリガナ.
        var (plain, _) = await IssueAsync(code, family: family);
        string[] names = ["name", "head", "old_surname", "common_name"];
        var withKana = issued.Certificate.HouseholdFields.Concat(issued.Certificate.Persons.SelectMany(p => p.Fields)).ToList();
        var without = plain.Certificate.HouseholdFields.Concat(plain.Certificate.Persons.SelectMany(p => p.Fields)).ToList();
        Assert.Equal(without.Where(f => !names.Contains(f.Key)), withKana.Where(f => !names.Contains(f.Key)));
        Assert.All(withKana.Where(f => names.Contains(f.Key)), f => Assert.Matches(@"^[^（）]+（[ァ-ヴー　]+）$", f.Value));
    }

    [Fact]
    [Spec("8.1.1#1")]
    [Spec("8.1.1#3")]
    [Spec("8.1.2#1")]
    [Spec("8.1.3#1")]
    public async Task A_registered_resident_is_notified_when_a_third_party_obtains_their_certificate()
    {
        const string code = "132284"; // 狛江市
        await CreateCityAsync(code, "狛江市", "\"options\": { \"8.1\": true }, \"personalNotice\": { \"condition\": \"registeredExceptSelf\" },");
        var family = await new RegistrationService.RegistrationServiceClient(Server.As(code)).RecordMoveInAsync(Requests.MoveIn(code, Requests.UniqueKana(), members: 2));
        var notices = new PersonalNoticeService.PersonalNoticeServiceClient(Server.As(code));
        var registration = await notices.RegisterPersonalNoticeAsync(new RegisterPersonalNoticeRequest { RequestId = Id(), Resident = family.Residents[0].Name });
        Assert.True(registration.Active);
        Assert.Equal(2029, registration.ExpiresOn.Year);

        // The resident's own request owes no notice under "registeredExceptSelf"; a third party's does.
        await IssueAsync(code, family: family);
        Assert.Empty((await notices.ListPersonalNoticesAsync(new ListPersonalNoticesRequest { Resident = family.Residents[0].Name })).Notices);
        var thirdParty = new Requester
        {
            Category = RequesterCategory.ThirdParty, Name = "債権 回収", IdentityCheck = "運転免許証", Purpose = ThirdPartyPurpose.RightsOrDuties, PurposeDetail = "訴訟のため",
        };
        var (issued, _) = await IssueAsync(code, requester: thirdParty, family: family);
        var notice = Assert.Single((await notices.ListPersonalNoticesAsync(new ListPersonalNoticesRequest { Resident = family.Residents[0].Name })).Notices);
        Assert.Equal(issued.Issuance, notice.Issuance);
        Assert.Equal("ThirdParty", notice.RequesterCategory);

        var letter = await notices.GetPersonalNoticeLetterAsync(new GetPersonalNoticeLetterRequest { Name = notice.Name });
        var text = PdfTools.Text(letter.Pdf.ToByteArray());
        Assert.Contains("第三者", text, StringComparison.Ordinal);
        Assert.Contains("住民票の写し", text, StringComparison.Ordinal);
        Assert.Contains("1通", text, StringComparison.Ordinal);
        Assert.DoesNotContain("債権", text, StringComparison.Ordinal);

        await notices.EndPersonalNoticeRegistrationAsync(new EndPersonalNoticeRegistrationRequest { RequestId = Id(), Name = registration.Name });
        Assert.Empty((await notices.ListPersonalNoticeRegistrationsAsync(new ListPersonalNoticeRegistrationsRequest())).Registrations);
        // A city without the option says so.
        var off = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => new PersonalNoticeService.PersonalNoticeServiceClient(Server.As("132136")).ListPersonalNoticesAsync(new ListPersonalNoticesRequest()).ResponseAsync);
        Assert.Equal("OPTION_DISABLED", off.ErrorInfo()?.Reason);
    }
}

/// <summary>The 認証者 on the day of issue: this class moves its server's clock forward.</summary>
public abstract class CertificateAuthenticatorTests(ServerFixture server) : CertificateCityTests(server)
{
    /// <summary>The line of the 認証者 as laid out on the page, its words separated by single spaces.</summary>
    private static string Signer(IssueCertificateResponse issued)
    {
        var lines = PdfTools.Text(issued.Copies[0].Pdf.ToByteArray(), layout: true).Split('\n');
        var line = lines.Single(l => l.Contains(issued.Certificate.AuthenticatorTitle.Split(' ')[0], StringComparison.Ordinal));
        return string.Join(' ', line.Split([' ', '\u3000'], StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    [Spec("1.3.9#2")]
    [Spec("5.6#1")]
    public async Task A_new_mayor_applied_for_next_month_signs_certificates_from_that_date_and_a_deputy_in_their_period()
    {
        const string code = "132268"; // 西東京市
        await CreateCityAsync(code, "西東京市", $"\"seals\": {{ \"mayor\": \"{SealPng}\" }},", mayor: "現職　一郎");
        var admin = new TenantAdminService.TenantAdminServiceClient(Server.As(code, Roles.Operator));
        var current = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{code}" });
        var next = current.Document
            .Replace("\"from\": \"2020-01-01\" }", "\"from\": \"2020-01-01\", \"until\": \"2026-11-30\", \"seal\": \"mayor\" }, { \"role\": \"mayor\", \"title\": \"西東京市長\", \"name\": \"新任　花子\", \"from\": \"2026-12-01\", \"seal\": \"mayor\" }, { \"role\": \"deputy\", \"title\": \"西東京市長職務代理者 副市長\", \"name\": \"代理　次郎\", \"from\": \"2026-12-20\", \"until\": \"2026-12-25\" }", StringComparison.Ordinal);
        await admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = $"tenants/{code}", Document = next, Etag = current.Etag, Reason = "市長の交代", RequestId = Id(), EffectiveFrom = Requests.Date(2026, 12, 1) });

        var (before, _) = await IssueAsync(code);
        Assert.Equal("東京都西東京市長 現職 一郎", Signer(before));
        Assert.Equal("現職　一郎", before.Certificate.AuthenticatorName);

        Server.Time.Advance(TimeSpan.FromDays(7)); // 2026-12-03
        var (after, _) = await IssueAsync(code);
        Assert.Equal("東京都西東京市長 新任 花子", Signer(after));
        Assert.Contains("/Subtype /Image", System.Text.Encoding.Latin1.GetString(after.Copies[0].Pdf.ToByteArray()), StringComparison.Ordinal);

        Server.Time.Advance(TimeSpan.FromDays(18)); // 2026-12-21
        var (deputy, _) = await IssueAsync(code);
        Assert.Equal("東京都西東京市長職務代理者 副市長 代理 次郎", Signer(deputy));

        // The ledger keeps which configuration version each certificate was issued under.
        var ledger = (await new CertificateService.CertificateServiceClient(Server.As(code)).ListIssuancesAsync(new ListIssuancesRequest())).Issuances;
        Assert.Equal([2, 2, 1], ledger.Select(i => i.ConfigVersion));
    }
}

/// <summary>Adding a city by configuration and issuing a household's certificate there.</summary>
public abstract class CertificateCityTests(ServerFixture server)
{
    protected ServerFixture Server => server;

    protected const string Joint = SrsClaims.JointSystem;

    // A 1x1 PNG, enough to be drawn as the seal.
    protected const string SealPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    protected static string Id() => Guid.NewGuid().ToString();

    protected async Task CreateCityAsync(string code, string name, string extra = "", string mayor = "見本　太郎")
    {
        var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(Joint, staff: "joint-op", roles: Roles.Operator)));
        await admin.CreateTenantAsync(new CreateTenantRequest { Document = TenantDocuments.Minimal(code, name, mayor, extra), Reason = "test", RequestId = Id() });
    }

    protected async Task<(IssueCertificateResponse Issued, RecordIdouResponse Family)> IssueAsync(string code, bool furigana = false, Requester? requester = null, RecordIdouResponse? family = null)
    {
        family ??= await new RegistrationService.RegistrationServiceClient(server.As(code)).RecordMoveInAsync(Requests.MoveIn(code, Requests.UniqueKana(), members: 2));
        var head = family.Residents[0];
        var issued = await new CertificateService.CertificateServiceClient(server.As(code)).IssueCertificateAsync(new IssueCertificateRequest
        {
            RequestId = Id(), Kind = CertificateKind.ResidentCopy, Household = head.Household, Furigana = furigana, Printer = "P-001",
            Requester = requester ?? new Requester { Category = RequesterCategory.SelfOrHousehold, Name = "本人", Resident = head.Name, IdentityCheck = "運転免許証" },
        });
        return (issued, family);
    }
}

public sealed class CertificateConfigurationTestsOnSqlite(SqliteServer server) : CertificateConfigurationTests(server), IClassFixture<SqliteServer>;

public sealed class CertificateConfigurationTestsOnPostgres(PostgresServer server) : CertificateConfigurationTests(server), IClassFixture<PostgresServer>;

public sealed class CertificateAuthenticatorTestsOnSqlite(SqliteServer server) : CertificateAuthenticatorTests(server), IClassFixture<SqliteServer>;

public sealed class CertificateAuthenticatorTestsOnPostgres(PostgresServer server) : CertificateAuthenticatorTests(server), IClassFixture<PostgresServer>;
