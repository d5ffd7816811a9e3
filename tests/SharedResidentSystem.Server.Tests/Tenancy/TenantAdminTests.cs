using Grpc.Core;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Tenancy;

/// <summary>
/// The tenant administration through a real channel: versions with effective dates, whole
/// documents refused with every path, etags, the joint operator, a fourth city added by
/// configuration alone, and every change in the city's access log.
/// </summary>
public abstract class TenantAdminTests(ServerFixture server)
{
    private const string Joint = SrsClaims.JointSystem;

    private TenantAdminService.TenantAdminServiceClient Admin(string tenant) => new(server.Invoker(server.Token(tenant, staff: "op-" + tenant, roles: Roles.Operator)));

    private static string Id() => Guid.NewGuid().ToString();

    private static async Task<RpcException> Refusal(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    [Spec("5.6#2")]
    [Spec("5.6#8")]
    [Fact]
    public async Task A_fourth_city_joins_by_configuration_alone_and_registers_a_resident_and_issues_a_certificate_at_once()
    {
        const string code = "132217";
        var document = TenantDocuments.Minimal(code, "清瀬市", mayor: "清瀬　太郎");
        var admin = Admin(Joint);
        var create = new CreateTenantRequest { Document = document, Reason = "共同利用への参加", RequestId = Id() };
        var created = await admin.CreateTenantAsync(create);
        Assert.Equal(1, created.Version.Version);
        // The same request again (a retry) gets the first answer, not TENANT_EXISTS.
        Assert.Equal(created, await admin.CreateTenantAsync(create));
        Assert.True(created.Version.InEffect);
        Assert.Contains(created.Changes, c => c.Path == "$.code" && c.Kind == ConfigChange.Types.Kind.Added);

        // The new city's clerk can work at once; its operator sees its configuration.
        var moveIn = Requests.MoveIn(code, Requests.UniqueKana(), members: 1);
        var recorded = await new RegistrationService.RegistrationServiceClient(server.As(code)).RecordMoveInAsync(moveIn);
        Assert.StartsWith($"tenants/{code}/residents/", recorded.Residents[0].Name, StringComparison.Ordinal);
        var certificate = await new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(server.As(code)).IssueCertificateAsync(new Contracts.Certificates.V1.IssueCertificateRequest
        {
            RequestId = Id(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Household = recorded.Residents[0].Household, Printer = "P-001",
            Requester = new Contracts.Certificates.V1.Requester { Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = "本人", Resident = recorded.Residents[0].Name, IdentityCheck = "運転免許証" },
        });
        var pdf = PdfTools.Text(certificate.Copies[0].Pdf.ToByteArray(), layout: true);
        Assert.Contains("東京都清瀬市本町一丁目", pdf, StringComparison.Ordinal);
        Assert.Matches(@"東京都清瀬市長\s+清瀬\s+太郎", pdf);
        Assert.Matches(@"\d{8} 清瀬市 本庁1 プリンタ001 \d{3} 1/1", pdf);
        var tenant = await new TenantService.TenantServiceClient(server.As(code)).GetTenantAsync(new GetTenantRequest());
        Assert.Equal("清瀬市", tenant.DisplayName);
        Assert.Equal(created.Version.Etag, tenant.Etag);
        Assert.Contains(code, (await admin.ListTenantsAsync(new ListTenantsRequest())).Tenants.Select(t => t.TenantCode));

        // Adding it again is refused.
        var again = await Refusal(() => admin.CreateTenantAsync(new CreateTenantRequest { Document = document, Reason = "again", RequestId = Id() }).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, again.StatusCode);
        Assert.Equal("TENANT_EXISTS", again.ErrorInfo()?.Reason);
    }

    [Fact]
    [Spec("1.3.9#2")]
    public async Task A_new_mayor_applied_for_next_month_takes_effect_on_that_date_and_past_versions_stay_readable()
    {
        const string code = "132136";
        var admin = Admin(code);
        var current = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{code}" });
        var document = current.Document.Replace("\"from\": \"2020-01-01\"", "\"from\": \"2020-01-01\", \"until\": \"2026-12-31\"", StringComparison.Ordinal)
            .Replace("\"authenticators\": [", "\"authenticators\": [ { \"role\": \"mayor\", \"title\": \"東村山市長\", \"name\": \"新任　市長\", \"from\": \"2027-01-01\" },", StringComparison.Ordinal);
        var diff = await admin.DiffTenantConfigAsync(new DiffTenantConfigRequest { Name = $"tenants/{code}", Document = document });
        Assert.Empty(diff.Problems);
        Assert.Contains(diff.Changes, c => c.Path == "$.authenticators[0].name" && c.After == "\"新任　市長\"");
        var applied = await admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest
        {
            Name = $"tenants/{code}", Document = document, Etag = current.Etag, Reason = "市長選挙の結果", RequestId = Id(),
            EffectiveFrom = Requests.Date(2026, 12, 1),
        });
        Assert.Equal(current.Version + 1, applied.Version.Version);
        Assert.False(applied.Version.InEffect);

        // Today the old version is in effect; on 2026-12-01 the new one; the old one stays readable.
        var today = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{code}" });
        Assert.Equal(current.Version, today.Version);
        var december = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{code}", AsOf = Requests.Date(2026, 12, 1) });
        Assert.Equal(applied.Version.Version, december.Version);
        var old = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{code}", Version = current.Version });
        Assert.Equal(current.Document, old.Document);
        var history = await admin.ListTenantConfigVersionsAsync(new ListTenantConfigVersionsRequest { Name = $"tenants/{code}" });
        Assert.Equal([applied.Version.Version, current.Version], history.Versions.Take(2).Select(v => v.Version));
        Assert.Equal("市長選挙の結果", history.Versions[0].Reason);
        Assert.Equal("op-132136", history.Versions[0].Author);

        // The version in effect today is still a base to edit from; sent back unedited it changes nothing on any date.
        var unchanged = await Refusal(() => admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = $"tenants/{code}", Document = current.Document, Etag = current.Etag, Reason = "x", RequestId = Id() }).ResponseAsync);
        Assert.Equal("CONFIG_UNCHANGED", unchanged.ErrorInfo()?.Reason);
        // Nor does the same document laid out differently (indentation, line breaks, spacing).
        var relaidOut = System.Text.Json.Nodes.JsonNode.Parse(current.Document)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, IndentSize = 4 }) + "\n\n";
        Assert.NotEqual(current.Document, relaidOut);
        var whitespace = await Refusal(() => admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = $"tenants/{code}", Document = relaidOut, Etag = current.Etag, Reason = "x", RequestId = Id() }).ResponseAsync);
        Assert.Equal("CONFIG_UNCHANGED", whitespace.ErrorInfo()?.Reason);

        // The change is in the city's access log with its diff.
        var log = await new AuditService.AuditServiceClient(server.As(code, Roles.Auditor)).SearchAccessLogAsync(new SearchAccessLogRequest { Function = "ApplyTenantConfig" });
        var entry = Assert.Single(log.Entries, e => e.Outcome == "OK");
        Assert.Equal("op-132136", entry.Staff);
        Assert.Contains("新任　市長", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("市長選挙の結果", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_compose_by_date_a_change_today_neither_brings_forward_nor_drops_a_version_waiting_for_later()
    {
        const string code = "132152";
        var admin = Admin(Joint);
        await admin.CreateTenantAsync(new CreateTenantRequest { Document = TenantDocuments.Minimal(code, "昭島市", mayor: "東大和　一郎"), Reason = "test", RequestId = Id() });
        var name = $"tenants/{code}";
        var v1 = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = name });

        // v2, waiting for 2027-04-01: a new mayor.
        var newMayor = v1.Document.Replace("東大和　一郎", "東大和　二郎", StringComparison.Ordinal);
        var v2 = (await admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = name, Document = newMayor, Etag = v1.Etag, Reason = "市長選挙", RequestId = Id(), EffectiveFrom = Requests.Date(2027, 4, 1) })).Version;

        // A fee change effective today, edited from the latest document (v2): what the operator
        // edited is the fee alone; the diff shows it on both dates and the mayor on neither.
        var latest = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = name, Version = v2.Version });
        var feeFromLatest = latest.Document.Replace("\"prefecture\": \"東京都\",", "\"prefecture\": \"東京都\", \"certificates\": { \"residentCopy\": { \"fee\": 350 } },", StringComparison.Ordinal);
        var diff = await admin.DiffTenantConfigAsync(new DiffTenantConfigRequest { Name = name, Document = feeFromLatest, Etag = latest.Etag });
        Assert.Equal(v2.Version, diff.BaseVersion);
        Assert.Equal([Requests.Date(2026, 11, 26), Requests.Date(2027, 4, 1)], diff.Dates.Select(d => d.EffectiveFrom));
        Assert.All(diff.Dates, d => Assert.Equal(["$.certificates.residentCopy.fee"], d.Changes.Select(c => c.Path)));
        var applied = await admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = name, Document = feeFromLatest, Etag = latest.Etag, Reason = "手数料改定", RequestId = Id() });
        Assert.Equal(2, applied.Versions.Count);

        var today = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = name });
        Assert.Contains("東大和　一郎", today.Document, StringComparison.Ordinal);
        Assert.DoesNotContain("東大和　二郎", today.Document, StringComparison.Ordinal);
        Assert.Contains("350", today.Document, StringComparison.Ordinal);
        var april = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = name, AsOf = Requests.Date(2027, 4, 1) });
        Assert.Contains("東大和　二郎", april.Document, StringComparison.Ordinal);
        Assert.Contains("350", april.Document, StringComparison.Ordinal);

        // A change edited from today's document is carried to April too, not dropped there; a
        // setting the April version decides itself (the mayor's name) keeps April's value.
        var edited = today.Document.Replace("\"nameKana\": \"みほんし\"", "\"nameKana\": \"ひがしやまとし\"", StringComparison.Ordinal)
            .Replace("東大和　一郎", "東大和　壱郎", StringComparison.Ordinal);
        var composed = await admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = name, Document = edited, Etag = today.Etag, Reason = "読みと表記の訂正", RequestId = Id() });
        var kept = Assert.Single(composed.Dates, d => d.EffectiveFrom.Equals(Requests.Date(2027, 4, 1))).Kept;
        Assert.Contains(kept, c => c.Path == "$.authenticators");
        april = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = name, AsOf = Requests.Date(2027, 4, 1) });
        Assert.Contains("ひがしやまとし", april.Document, StringComparison.Ordinal);
        Assert.Contains("東大和　二郎", april.Document, StringComparison.Ordinal);
        Assert.Contains("東大和　壱郎", (await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = name })).Document, StringComparison.Ordinal);

        // A document edited from a version no longer in effect on any day from today is stale.
        var stale = await Refusal(() => admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = name, Document = edited, Etag = today.Etag, Reason = "x", RequestId = Id() }).ResponseAsync);
        Assert.Equal("STALE_ETAG", stale.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task A_bad_document_is_refused_whole_with_every_path_and_nothing_changes()
    {
        const string code = "132110";
        var admin = Admin(code);
        var current = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{code}" });
        var broken = current.Document
            .Replace("\"nameKana\": \"こだいらし\",", "", StringComparison.Ordinal)
            .Replace("\"prefecture\": \"東京都\",", "\"prefecture\": \"東京都\", \"certificates\": { \"residentCopy\": { \"authText\": \"\" } }, \"options\": { \"1.3.5\": true },", StringComparison.Ordinal);
        var check = await admin.ValidateTenantConfigAsync(new ValidateTenantConfigRequest { Name = $"tenants/{code}", Document = broken });
        Assert.False(check.Valid);
        Assert.Contains(check.Problems, p => p.Path == "$.nameKana" && p.Code == "required");
        Assert.Contains(check.Problems, p => p.Path == "$.certificates.residentCopy.authText" && p.Code == "pattern");

        var refused = await Refusal(() => admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = $"tenants/{code}", Document = broken, Etag = current.Etag, Reason = "x", RequestId = Id() }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("CONFIG_INVALID", refused.ErrorInfo()?.Reason);
        Assert.Contains("$.nameKana", refused.ViolatedFields());
        Assert.Contains("$.certificates.residentCopy.authText", refused.ViolatedFields());

        // An option this version does not provide is refused once the schema is satisfied.
        var unavailable = current.Document.Replace("\"prefecture\": \"東京都\",", "\"prefecture\": \"東京都\", \"options\": { \"1.3.5\": true },", StringComparison.Ordinal);
        var optionRefusal = await Refusal(() => admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = $"tenants/{code}", Document = unavailable, Etag = current.Etag, Reason = "x", RequestId = Id() }).ResponseAsync);
        Assert.Contains("$.options['1.3.5']", optionRefusal.ViolatedFields());

        // A version cannot take effect in the past.
        var renamed = current.Document.Replace("\"name\": \"本庁\"", "\"name\": \"本庁舎\"", StringComparison.Ordinal);
        var past = await Refusal(() => admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = $"tenants/{code}", Document = renamed, Etag = current.Etag, Reason = "x", RequestId = Id(), EffectiveFrom = Requests.Date(2026, 11, 1) }).ResponseAsync);
        Assert.Equal("CONFIG_EFFECTIVE_IN_PAST", past.ErrorInfo()?.Reason);

        var after = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{code}" });
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(current.Etag, after.Etag);
    }

    [Fact]
    [Spec("1.3.3#1")]
    [Spec("1.3.3#9")]
    public async Task The_address_dictionary_is_imported_from_the_postal_csv_as_a_new_version()
    {
        const string code = "132225";
        var admin = Admin(Joint);
        var current = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{code}" });
        var csv = TenantDocuments.PostalCsv(code, ("2039999", "新町テスト"));
        var imported = await admin.ImportTownsAsync(new ImportTownsRequest { Name = $"tenants/{code}", Csv = csv, Etag = current.Etag, Reason = "住所辞書の月次更新", RequestId = Id() });
        Assert.Contains(imported.Changes, c => c.After == "\"新町テスト\"");
        Assert.True(imported.Version.InEffect);
        var clerk = new RegistrationService.RegistrationServiceClient(server.As(code));
        var moveIn = Requests.MoveIn(code, Requests.UniqueKana(), members: 1);
        moveIn.Address.Town = "新町テスト";
        await clerk.RecordMoveInAsync(moveIn);
    }

    /// <summary>東大和市 with an access table: 市民課 does everything, 課税課 only looks, 窓口分室 looks and issues; both without 個人番号 and 本籍.</summary>
    private async Task<Func<string, string, CallInvoker>> CityWithAccessTableAsync()
    {
        var admin = Admin(Joint);
        if ((await admin.ListTenantsAsync(new ListTenantsRequest())).Tenants.All(t => t.TenantCode != "132233"))
        {
            var access = """
                "access": {
                  "units": [ { "id": "shimin", "name": "市民課", "functions": ["inquiry", "idou"] },
                             { "id": "zeimu", "name": "課税課", "functions": ["inquiry"], "hiddenItems": ["individualNumber", "honseki"] },
                             { "id": "bunshitsu", "name": "窓口分室", "functions": ["inquiry", "issue"], "hiddenItems": ["individualNumber", "honseki"] } ],
                  "users": [ { "id": "temp-1", "unit": "shimin", "until": "2026-11-25" } ]
                },
                """;
            await admin.CreateTenantAsync(new CreateTenantRequest { Document = TenantDocuments.Minimal("132233", "東大和市", extra: access), Reason = "test", RequestId = Id() });
        }
        return (staff, unit) =>
            server.Invoker(Core.Security.SigningKeys.Mint(Core.Security.SigningKeys.FromBase64(server.SigningKeyBase64), new Caller("132233", staff, "T001", new HashSet<string> { Roles.Clerk }) { Unit = unit }, server.Time, TimeSpan.FromDays(400)));
    }

    [Fact]
    [Spec("10.4#1")]
    public async Task Items_hidden_from_a_unit_are_hidden_in_history_households_searches_and_certificates()
    {
        var As = await CityWithAccessTableAsync();
        var kana = Requests.UniqueKana();
        var moveIn = Requests.MoveIn("132233", kana, members: 2);
        moveIn.Members[0].IndividualNumber = Requests.IndividualNumber();
        var family = await new RegistrationService.RegistrationServiceClient(As("c-2", "shimin")).RecordMoveInAsync(moveIn);
        var head = family.Residents[0];
        var corrected = head.Clone();
        corrected.Domicile = new Domicile { Address = "東京都東大和市中央一丁目", HeadName = head.Domicile.HeadName };
        await new RegistrationService.RegistrationServiceClient(As("c-2", "shimin")).RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Id(), Reason = AmendmentReason.OfficialCorrection, Resident = corrected, UpdateMask = Google.Protobuf.WellKnownTypes.FieldMask.FromString("domicile"),
            AmendmentDate = Requests.Date(2026, 11, 25), NotificationDate = Requests.Date(2026, 11, 25), Note = "本籍地からの通知",
        });
        var residents = new ResidentService.ResidentServiceClient(As("b-1", "bunshitsu"));

        var history = (await residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = head.Name })).Idou;
        var items = history.SelectMany(i => i.Changes).Select(c => c.Item).ToList();
        Assert.Contains("氏名", items);
        Assert.DoesNotContain("本籍", items);
        Assert.DoesNotContain("筆頭者", items);
        Assert.DoesNotContain("個人番号", items);
        Assert.DoesNotContain(history, i => i.Changes.Any(c => c.Before.Contains("千代田", StringComparison.Ordinal) || c.After.Contains("中央", StringComparison.Ordinal)));

        var household = await residents.GetHouseholdAsync(new GetHouseholdRequest { Name = head.Household });
        Assert.All(household.Members, m => Assert.Null(m.Domicile));
        Assert.All(household.Members, m => Assert.Equal("", m.IndividualNumber));
        var found = (await residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana })).Residents;
        Assert.Equal(2, found.Count);
        Assert.All(found, r => Assert.Null(r.Domicile));
        var byNumber = await Refusal(() => residents.SearchResidentsAsync(new SearchResidentsRequest { IndividualNumber = moveIn.Members[0].IndividualNumber }).ResponseAsync);
        Assert.Equal(("ITEM_HIDDEN", StatusCode.PermissionDenied), (byNumber.ErrorInfo()?.Reason, byNumber.StatusCode));
        Assert.Equal(["individual_number"], byNumber.ViolatedFields());
        var byMissingNumber = await Refusal(() => residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, MissingItems = { "person_name.given_kana", "individual_number" } }).ResponseAsync);
        Assert.Equal("ITEM_HIDDEN", byMissingNumber.ErrorInfo()?.Reason);
        Assert.Equal(["missing_items[1]"], byMissingNumber.ViolatedFields());
        var byMissingDomicile = await Refusal(() => residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, MissingItems = { "domicile" } }).ResponseAsync);
        Assert.Equal(["missing_items[0]"], byMissingDomicile.ViolatedFields());

        var certificates = new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(As("b-1", "bunshitsu"));
        var request = new Contracts.Certificates.V1.IssueCertificateRequest
        {
            RequestId = Id(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Household = head.Household, Printer = "P-001",
            Requester = new Contracts.Certificates.V1.Requester { Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = "本人", Resident = head.Name, IdentityCheck = "運転免許証" },
            Items = { Contracts.Certificates.V1.CertificateItem.Domicile },
        };
        var withDomicile = await Refusal(() => certificates.IssueCertificateAsync(request).ResponseAsync);
        Assert.Equal("ITEM_HIDDEN", withDomicile.ErrorInfo()?.Reason);
        request.Items.Clear();
        request.Items.Add(Contracts.Certificates.V1.CertificateItem.HeadAndRelationship);
        request.RequestId = Id();
        var issued = await certificates.IssueCertificateAsync(request);
        Assert.DoesNotContain(issued.Certificate.Persons.SelectMany(p => p.Fields), f => f.Key is "domicile" or "domicile_head" or "individual_number");
    }

    [Fact]
    [Spec("10.3#5")]
    [Spec("10.3#8")]
    [Spec("10.4#1")]
    public async Task The_access_table_grants_functions_per_unit_and_user_and_hides_items()
    {
        var As = await CityWithAccessTableAsync();

        var moveIn = Requests.MoveIn("132233", Requests.UniqueKana(), members: 1);
        moveIn.Members[0].IndividualNumber = "123456789018";
        var resident = (await new RegistrationService.RegistrationServiceClient(As("c-1", "shimin")).RecordMoveInAsync(moveIn)).Residents[0];

        // 市民課 sees everything it asks for; 課税課 may only look, and without 個人番号 and 本籍.
        var full = await new ResidentService.ResidentServiceClient(As("c-1", "shimin")).GetResidentAsync(new GetResidentRequest { Name = resident.Name, IncludeIndividualNumber = true });
        Assert.Equal("123456789018", full.IndividualNumber);
        Assert.NotNull(full.Domicile);
        var tax = await new ResidentService.ResidentServiceClient(As("t-1", "zeimu")).GetResidentAsync(new GetResidentRequest { Name = resident.Name, IncludeIndividualNumber = true });
        Assert.Equal("", tax.IndividualNumber);
        Assert.Null(tax.Domicile);
        Assert.Equal(full.PersonName.Family, tax.PersonName.Family);
        var taxMoveIn = await Refusal(() => new RegistrationService.RegistrationServiceClient(As("t-1", "zeimu")).RecordMoveInAsync(Requests.MoveIn("132233", Requests.UniqueKana(), members: 1)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, taxMoveIn.StatusCode);
        Assert.Equal("FUNCTION_NOT_PERMITTED", taxMoveIn.ErrorInfo()?.Reason);

        // Unknown staff without a unit, and a user past their period of use, are refused.
        Assert.Equal(StatusCode.PermissionDenied, (await Refusal(() => new ResidentService.ResidentServiceClient(As("nobody", "")).GetResidentAsync(new GetResidentRequest { Name = resident.Name }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Refusal(() => new ResidentService.ResidentServiceClient(As("temp-1", "")).GetResidentAsync(new GetResidentRequest { Name = resident.Name }).ResponseAsync)).StatusCode);
    }

    [Spec("1.3.4#3")]
    [Fact]
    [Spec("1.3.4#2")]
    [Spec("4.0.7#1")]
    public async Task The_buildings_registered_for_a_town_are_offered_as_katagaki()
    {
        var document = TenantDocuments.Minimal("132241", "多摩市").Replace("\"chome\": { \"from\": 1, \"to\": 4 }", "\"chome\": { \"from\": 1, \"to\": 4 }, \"buildings\": [\"多摩ハイツ\", \"コーポ101\"]", StringComparison.Ordinal);
        await Admin(Joint).CreateTenantAsync(new CreateTenantRequest { Document = document, Reason = "test", RequestId = Id() });
        await new RegistrationService.RegistrationServiceClient(server.As("132241")).RecordMoveInAsync(Requests.MoveIn("132241", Requests.UniqueKana(), members: 1));
        var assist = new InputAssistService.InputAssistServiceClient(server.As("132241"));
        var found = await assist.SuggestKatagakiAsync(new SuggestKatagakiRequest { Address = new Contracts.Common.V1.Address { Town = "本町", Chome = 1, Banchi = "2番3号" } });
        Assert.Equal(["コーポ101", "多摩ハイツ"], found.Candidates.Select(c => c.Katagaki));
        Assert.Equal(1, found.Candidates[0].Residents);
        Assert.Equal(0, found.Candidates[1].Residents);

        // The dictionary's 丁目 range (1.3.3) bounds what may be entered.
        var beyond = Requests.MoveIn("132241", Requests.UniqueKana(), members: 1);
        beyond.Address.Chome = 7;
        var refused = await Assert.ThrowsAsync<RpcException>(() => new RegistrationService.RegistrationServiceClient(server.As("132241")).RecordMoveInAsync(beyond).ResponseAsync);
        Assert.Contains("address.chome", refused.ViolatedFields());
    }

    [Fact]
    public async Task The_joint_operator_reaches_the_administration_only()
    {
        var refused = await Refusal(() => new ResidentService.ResidentServiceClient(server.As(Joint, Roles.Operator)).SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "タカハシ" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var list = await Admin(Joint).ListTenantsAsync(new ListTenantsRequest());
        Assert.Contains(list.Tenants, t => t.TenantCode == "132225");
        Assert.Contains(list.Tenants, t => t.TenantCode == "132110");
    }
}

public sealed class TenantAdminTestsOnSqlite(SqliteServer server) : TenantAdminTests(server), IClassFixture<SqliteServer>;

public sealed class TenantAdminTestsOnPostgres(PostgresServer server) : TenantAdminTests(server), IClassFixture<PostgresServer>;
