using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Tenancy;

public class TenantConfigDocumentTests
{
    private static List<string> Problems(string document) =>
        TenantConfigDocument.Read(document).Problems.Select(p => $"{p.Path}: {p.Code}").ToList();

    [Fact]
    public void The_smallest_document_gets_the_standard_defaults()
    {
        var result = TenantConfigDocument.Read(TenantDocuments.Minimal());
        Assert.True(result.IsValid, string.Join('\n', result.Problems));
        var city = result.Definition!;
        Assert.Equal("この写しは、住民票の原本と相違ないことを証明する。", city.Certificates[CertificateKinds.ResidentCopy].AuthText);
        Assert.Equal(300, city.Certificates[CertificateKinds.ResidentCopy].Fee);
        Assert.True(city.IsOn("2.1.2"));
        Assert.False(city.IsOn("8.1"));
        Assert.Equal(150, city.Retention.RemovedRecordsYears);
        Assert.Null(city.Access);
    }

    [Fact]
    [Spec("1.3.1#1")]
    public void Offices_terminals_and_printers_are_registered()
    {
        var city = TenantConfigDocument.Read(TenantDocuments.Minimal()).Definition!;
        var (office, terminal) = city.FindTerminal("T001")!.Value;
        Assert.Equal("本庁", office.Name);
        Assert.Equal("本庁1", terminal.Name);
        Assert.Equal("プリンタ001", Assert.Single(terminal.Printers).Name);
        Assert.Null(city.FindTerminal("T999"));
    }

    [Spec("1.3.9#4")]
    [Theory]
    [InlineData("\\u3000\\u3000")]
    [InlineData(" \\u3000 ")]
    [InlineData("\\u00a0")]
    [InlineData("\\t")]
    public void A_value_made_only_of_blanks_is_refused_like_an_empty_one(string blankInJson)
    {
        var document = TenantDocuments.Minimal(mayor: blankInJson, extra: $$"""
            "certificates": { "residentCopy": { "authText": "{{blankInJson}}" } },
            """);
        var problems = Problems(document);
        Assert.Contains("$.authenticators[0].name: pattern", problems);
        Assert.Contains("$.certificates.residentCopy.authText: pattern", problems);
    }

    [Spec("5.6#7")]
    [Fact]
    public void A_branch_office_cannot_have_a_seal_of_its_own()
    {
        var document = TenantDocuments.Minimal().Replace("\"id\": \"honcho\", \"name\": \"本庁\",", "\"id\": \"honcho\", \"name\": \"本庁\", \"seal\": \"branch\",", StringComparison.Ordinal);
        Assert.Contains("$.offices[0].seal: unknown", Problems(document));
    }

    [Spec("10.3#17")]
    [Spec("10.4#2")]
    [Fact]
    public void Access_is_granted_per_unit_and_user_only_and_the_relationship_cannot_be_hidden()
    {
        var byPosition = TenantDocuments.Minimal(extra: """
            "access": { "units": [ { "id": "shimin", "name": "市民課", "functions": ["inquiry"] } ], "positions": [ { "id": "kakaricho", "functions": ["approve"] } ] },
            """);
        Assert.Contains("$.access.positions: unknown", Problems(byPosition));
        var hidingRelationship = TenantDocuments.Minimal(extra: """
            "access": { "units": [ { "id": "shimin", "name": "市民課", "functions": ["inquiry"], "hiddenItems": ["relationship"] } ] },
            """);
        Assert.Contains(Problems(hidingRelationship), p => p.StartsWith("$.access.units[0].hiddenItems[0]:", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_structural_problem_is_reported_with_its_path()
    {
        var broken = """
            { "code": "13213", "name": "", "prefecture": "東京都",
              "offices": [ { "id": "honcho", "name": "本庁", "terminals": [] } ],
              "authenticators": [ { "role": "boss", "title": "市長", "name": "見本", "from": "2020-1-1" } ],
              "certificates": { "residentCopy": { "fee": -1 }, "unknownKind": {} },
              "towns": [ { "name": "本町", "postalCode": "189" } ] }
            """;
        var problems = Problems(broken);
        Assert.Contains("$.code: pattern", problems);
        Assert.Contains("$.name: pattern", problems);
        Assert.Contains("$.nameKana: required", problems);
        Assert.Contains("$.offices[0].terminals: minItems", problems);
        Assert.Contains("$.authenticators[0].role: enum", problems);
        Assert.Contains("$.authenticators[0].from: pattern", problems);
        Assert.Contains("$.certificates.residentCopy.fee: minimum", problems);
        Assert.Contains("$.certificates.unknownKind: unknown", problems);
        Assert.Contains("$.towns[0].postalCode: pattern", problems);
    }

    [Fact]
    public void A_missing_auth_text_object_member_is_named_by_path()
    {
        var document = TenantDocuments.Minimal().Replace("\"authenticators\": [ { \"role\": \"mayor\", \"title\": \"東村山市長\", ", "\"authenticators\": [ { \"role\": \"mayor\", ", StringComparison.Ordinal);
        Assert.Contains("$.authenticators[0].title: required", Problems(document));
    }

    [Fact]
    [Spec("1.3.9#1")]
    [Spec("1.3.9#4")]
    public void Mayor_periods_may_not_overlap_and_a_name_is_never_blank()
    {
        var overlapping = TenantDocuments.Minimal(extra: "").Replace(
            "\"from\": \"2020-01-01\" } ]",
            "\"from\": \"2020-01-01\" }, { \"role\": \"mayor\", \"title\": \"市長\", \"name\": \"後任　花子\", \"from\": \"2027-01-01\" } ]", StringComparison.Ordinal);
        Assert.Contains("$.authenticators[1].from: overlap", Problems(overlapping));

        var blank = TenantDocuments.Minimal(mayor: " ");
        Assert.Contains("$.authenticators[0].name: pattern", Problems(blank));
    }

    [Fact]
    [Spec("1.3.9#2")]
    public void The_deputy_replaces_the_mayor_in_their_period_and_a_new_mayor_takes_over_on_the_date()
    {
        var document = TenantDocuments.Minimal().Replace(
            "\"from\": \"2020-01-01\" } ]",
            "\"from\": \"2020-01-01\", \"until\": \"2026-12-31\" }, { \"role\": \"mayor\", \"title\": \"東村山市長\", \"name\": \"後任　花子\", \"from\": \"2027-01-01\" }," +
            " { \"role\": \"deputy\", \"title\": \"東村山市長職務代理者 副市長\", \"name\": \"代理　一郎\", \"from\": \"2026-12-10\", \"until\": \"2026-12-20\" } ]", StringComparison.Ordinal);
        var city = TenantConfigDocument.Read(document).Definition!;
        Assert.Equal("見本　太郎", city.AuthenticatorOn(new DateOnly(2026, 12, 9))!.Name);
        Assert.Equal("代理　一郎", city.AuthenticatorOn(new DateOnly(2026, 12, 10))!.Name);
        Assert.Equal("東村山市長職務代理者 副市長", city.AuthenticatorOn(new DateOnly(2026, 12, 20))!.Title);
        Assert.Equal("見本　太郎", city.AuthenticatorOn(new DateOnly(2026, 12, 31))!.Name);
        Assert.Equal("後任　花子", city.AuthenticatorOn(new DateOnly(2027, 1, 1))!.Name);
    }

    [Fact]
    [Spec("1.3.7#1")]
    public void A_seal_must_be_a_png_and_be_referenced_by_its_key()
    {
        var png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0]);
        var good = TenantDocuments.Minimal(extra: $"\"seals\": {{ \"mayor\": \"{png}\" }},").Replace("\"from\": \"2020-01-01\" }", "\"from\": \"2020-01-01\", \"seal\": \"mayor\" }", StringComparison.Ordinal);
        var city = TenantConfigDocument.Read(good).Definition!;
        Assert.Equal("mayor", city.Authenticators[0].SealKey);
        Assert.Equal(16, city.Seals["mayor"].Length);

        var notPng = good.Replace(png, Convert.ToBase64String(new byte[16]), StringComparison.Ordinal);
        Assert.Contains("$.seals.mayor: png", Problems(notPng));
        var dangling = good.Replace("\"seal\": \"mayor\"", "\"seal\": \"deputy\"", StringComparison.Ordinal);
        Assert.Contains("$.authenticators[0].seal: reference", Problems(dangling));
    }

    [Fact]
    public void Options_are_named_by_section_and_unavailable_ones_cannot_be_switched_on()
    {
        var city = TenantConfigDocument.Read(TenantDocuments.Minimal(extra: "\"options\": { \"8.1\": true, \"5.3\": true, \"1.3.5\": false },")).Definition!;
        Assert.True(city.IsOn("8.1"));
        Assert.True(city.IsOn("5.3"));
        Assert.True(city.IsOn("2.1.2"));
        Assert.False(city.IsOn("1.3.5"));
        Assert.Contains("$.options['2.1.2']: always-on", Problems(TenantDocuments.Minimal(extra: "\"options\": { \"2.1.2\": false },")));
        Assert.Contains("$.options['1.3.5']: not-available", Problems(TenantDocuments.Minimal(extra: "\"options\": { \"1.3.5\": true },")));
        Assert.Contains("$.options['9.9']: unknown", Problems(TenantDocuments.Minimal(extra: "\"options\": { \"9.9\": true },")));
    }

    [Fact]
    [Spec("10.3#5")]
    [Spec("10.3#8")]
    public void The_access_table_is_per_unit_and_user_with_valid_references()
    {
        var access = """
            "access": {
              "units": [ { "id": "shimin", "name": "市民課", "functions": ["inquiry", "idou", "issue"], "hiddenItems": ["individualNumber"] } ],
              "users": [ { "id": "clerk-9", "unit": "shimin", "functions": ["memo"], "until": "2027-03-31" }, { "id": "x", "unit": "nowhere" } ]
            },
            """;
        Assert.Contains("$.access.users[1].unit: reference", Problems(TenantDocuments.Minimal(extra: access)));
        var city = TenantConfigDocument.Read(TenantDocuments.Minimal(extra: access.Replace(", { \"id\": \"x\", \"unit\": \"nowhere\" }", "", StringComparison.Ordinal))).Definition!;
        Assert.Equal("市民課", Assert.Single(city.Access!.Units).Name);
        Assert.Equal(new DateOnly(2027, 3, 31), Assert.Single(city.Access.Users).Until);
        Assert.Contains("$.access.units[0].functions[0]: enum", Problems(TenantDocuments.Minimal(extra: access.Replace("\"inquiry\", \"idou\"", "\"godmode\", \"idou\"", StringComparison.Ordinal))));
    }

    [Fact]
    public void Retention_of_removed_records_cannot_go_below_150_years()
    {
        Assert.Contains("$.retention.removedRecordsYears: minimum", Problems(TenantDocuments.Minimal(extra: "\"retention\": { \"removedRecordsYears\": 100 },")));
    }

    [Fact]
    public void Approval_settings_name_known_reasons_only()
    {
        var good = TenantConfigDocument.Read(TenantDocuments.Minimal(extra: "\"approval\": { \"requiredFor\": [\"職権消除\"] },")).Definition!;
        Assert.Contains("職権消除", good.ApprovalRequiredFor);
        Assert.Contains("$.approval.requiredFor[0]: reason", Problems(TenantDocuments.Minimal(extra: "\"approval\": { \"requiredFor\": [\"転居取消\"] },")));
    }

    [Fact]
    [Spec("1.3.3#9")]
    [Spec("1.3.4#1")]
    public void Towns_are_imported_from_the_postal_csv_keeping_chome_and_buildings()
    {
        var document = TenantDocuments.Minimal();
        var csv = "local_government_code,city,postal_code,town\n132136,東村山市,1890014,本町\n132136,東村山市,1890001,秋津町\n132110,小平市,1870024,たかの台\n";
        var replaced = TenantConfigDocument.Read(TownImport.ReplaceTowns(document, csv, "132136")).Definition!;
        Assert.Equal(["本町", "秋津町"], replaced.Towns.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal((1, 4), replaced.Towns.Single(t => t.Name == "本町").Chome);

        var bad = Assert.Throws<DomainException>(() => TownImport.ReplaceTowns(document, "local_government_code,city,postal_code,town\n132136,東村山市,18900,本町\n", "132136"));
        Assert.Contains(bad.Violations, v => v.Field == "csv line 2");
        Assert.Throws<DomainException>(() => TownImport.ReplaceTowns(document, "code,town\n", "132136"));
        Assert.Throws<DomainException>(() => TownImport.ReplaceTowns(document, csv, "132225"));
    }

    [Fact]
    public void The_diff_names_each_changed_leaf()
    {
        var before = TenantDocuments.Minimal();
        var after = TenantDocuments.Minimal(mayor: "後任　花子", extra: "\"options\": { \"8.1\": true },");
        var changes = ConfigDiff.Compare(before, after).Select(c => c.ToString()).ToList();
        Assert.Contains("~ $.authenticators[0].name: \"見本　太郎\" → \"後任　花子\"", changes);
        Assert.Contains("+ $.options['8.1']: true", changes);
        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public void The_directory_answers_the_version_in_effect_on_a_date()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero));
        var directory = new TenantDirectory(time);
        TenantConfigSnapshot Version(int n, DateOnly from, string mayor) =>
            new("132136", n, from, TenantConfigDocument.Read(TenantDocuments.Minimal(mayor: mayor)).Definition!, $"h{n}", "op", "why", DateTime.UnixEpoch);
        directory.Replace([Version(1, new DateOnly(2026, 11, 1), "一代"), Version(2, new DateOnly(2026, 12, 1), "二代")]);
        Assert.Equal("一代", directory.Get("132136").AuthenticatorOn(new DateOnly(2026, 11, 26))!.Name);
        Assert.Equal("二代", directory.At("132136", new DateOnly(2026, 12, 1))!.Authenticators[0].Name);
        Assert.Equal("一代", directory.At("132136", new DateOnly(2020, 1, 1))!.Authenticators[0].Name);
        Assert.Equal(2, directory.Latest("132136")!.Version);
        time.Advance(TimeSpan.FromDays(5));
        Assert.Equal("二代", directory.Get("132136").Authenticators[0].Name);
        Assert.Null(directory.Find("132225"));
    }
}
