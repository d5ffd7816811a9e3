using System.Security.Cryptography;
using Grpc.Core;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Certificates;

/// <summary>
/// Certificates through a real channel, read back from the PDF: what each requester category
/// gets, refusals in the ledger, 抑止・支援措置 with a supervisor's release, verification, the
/// ledger and reprints, copies, 転出証明書.
/// </summary>
public abstract class CertificateTests(ServerFixture server)
{
    private const string City = "132136";

    private CertificateService.CertificateServiceClient Clerk(string staff = "staff-1") =>
        new(server.Invoker(server.Token(City, staff: staff)));

    private static string Id() => Guid.NewGuid().ToString();

    private static async Task<RpcException> Refusal(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    /// <summary>A family of four (世帯主, 妻, 子, 子) with 個人番号 on the head.</summary>
    private async Task<RecordIdouResponse> FamilyAsync(string? family = null, bool number = true)
    {
        var request = Requests.MoveIn(City, Requests.UniqueKana(), family ?? "高橋", members: 4);
        if (number)
        {
            request.Members[0].IndividualNumber = Requests.IndividualNumber();
        }
        return await new RegistrationService.RegistrationServiceClient(server.As(City)).RecordMoveInAsync(request);
    }

    private static Requester Self(Resident r) => new() { Category = RequesterCategory.SelfOrHousehold, Name = $"{r.PersonName.Family} {r.PersonName.Given}", Resident = r.Name, IdentityCheck = "運転免許証" };

    private static Requester ThirdParty() => new()
    {
        Category = RequesterCategory.ThirdParty, Name = "債権 回収", Address = "東京都千代田区1-1", IdentityCheck = "運転免許証",
        Purpose = ThirdPartyPurpose.RightsOrDuties, PurposeDetail = "貸金返還請求訴訟の提起のため",
    };

    private static IssueCertificateRequest Household(RecordIdouResponse family, Requester requester, params CertificateItem[] items)
    {
        var request = new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.ResidentCopy, Household = family.Residents[0].Household, Requester = requester, Printer = "P-001" };
        request.Items.AddRange(items);
        return request;
    }

    [Fact]
    [Spec("5.5#6")]
    public async Task Issuances_at_the_same_moment_get_one_ledger_number_each_and_serials_in_an_unbroken_run_per_terminal()
    {
        var family = await FamilyAsync();
        var head = family.Residents[0];
        var calls = Enumerable.Range(0, 24).Select(i =>
        {
            var terminal = i % 2 == 0 ? "T001" : "T002";
            var request = Household(family, Self(head));
            request.Copies = 2;
            request.Printer = terminal == "T001" ? "P-001" : "P-003";
            return (Terminal: terminal, Call: new CertificateService.CertificateServiceClient(server.Invoker(server.Token(City, terminal: terminal))).IssueCertificateAsync(request).ResponseAsync);
        }).ToList();
        await Task.WhenAll(calls.Select(c => c.Call));

        Assert.Equal(24, calls.Select(c => c.Call.Result.Issuance).Distinct().Count());
        foreach (var terminal in new[] { "T001", "T002" })
        {
            var serials = calls.Where(c => c.Terminal == terminal)
                .SelectMany(c => c.Call.Result.Copies.Select(copy => int.Parse(copy.IssueNumber.Split(' ')[^2], System.Globalization.CultureInfo.InvariantCulture)))
                .Order().ToList();
            Assert.Equal(24, serials.Count);
            Assert.Equal(Enumerable.Range(serials[0], 24), serials); // distinct, and no number skipped
        }
    }

    [Spec("1.1.3#2")]
    [Fact]
    [Spec("5.1#1")]
    [Spec("5.1#2")]
    [Spec("5.2#1")]
    [Spec("5.4#1")]
    public async Task A_household_copy_for_the_resident_prints_the_members_in_order_with_what_was_asked()
    {
        var family = await FamilyAsync();
        var head = family.Residents[0];
        var issued = await Clerk().IssueCertificateAsync(Household(family, Self(head), CertificateItem.HeadAndRelationship));
        var copy = Assert.Single(issued.Copies);
        var text = PdfTools.Text(copy.Pdf.ToByteArray());
        Assert.Contains("住民票の写し", text, StringComparison.Ordinal);
        Assert.Contains("コーポ101", text, StringComparison.Ordinal); // 方書 always (5.4)
        Assert.Contains("世帯主", text, StringComparison.Ordinal);
        Assert.Contains("住民となった年月日", text, StringComparison.Ordinal);
        Assert.DoesNotContain("本籍", text, StringComparison.Ordinal);
        Assert.DoesNotContain("個人番号", text, StringComparison.Ordinal);
        Assert.DoesNotContain("住民票コード", text, StringComparison.Ordinal);
        Assert.Equal(["世帯主", "妻", "子", "子"], issued.Certificate.Persons.Select(p => p.Fields.Single(f => f.Key == "relationship").Value));
        Assert.Equal(family.Residents.Select(r => r.Name).Take(1), issued.Certificate.Persons.Take(1).Select(p => p.Resident));
        Assert.Equal(300, issued.Fee);
        Assert.Equal(Delivery.Counter, issued.Delivery);
        Assert.Matches(@"^\d{8} 東村山市 本庁1 プリンタ001 \d{3} 1/1$", copy.IssueNumber);
        Assert.Contains(copy.IssueNumber, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_resident_may_ask_for_the_numbers_and_the_domicile_and_the_access_log_says_the_number_was_printed()
    {
        var family = await FamilyAsync();
        var head = family.Residents[0];
        var issued = await Clerk("staff-num").IssueCertificateAsync(Household(family, Self(head), CertificateItem.IndividualNumber, CertificateItem.ResidentCode, CertificateItem.Domicile));
        var text = PdfTools.Text(issued.Copies[0].Pdf.ToByteArray());
        var person = await new ResidentService.ResidentServiceClient(server.As(City)).GetResidentAsync(new GetResidentRequest { Name = head.Name, IncludeIndividualNumber = true });
        Assert.Contains(person.IndividualNumber, text, StringComparison.Ordinal);
        Assert.Contains(person.ResidentCode, text, StringComparison.Ordinal);
        Assert.Contains("東京都千代田区千代田1番", text, StringComparison.Ordinal);
        Assert.True(issued.IndividualNumberPrinted);
        var log = await new AuditService.AuditServiceClient(server.As(City, Roles.Auditor)).SearchAccessLogAsync(new SearchAccessLogRequest { Staff = "staff-num", Function = "IssueCertificate" });
        var entry = Assert.Single(log.Entries);
        Assert.True(entry.IndividualNumber);
        Assert.Contains(head.Name.Split('/')[^1], entry.Residents);
    }

    [Fact]
    [Spec("1.3.8#1")]
    public async Task A_third_party_gets_the_basic_items_only_and_asking_for_the_individual_number_is_refused_and_recorded()
    {
        var family = await FamilyAsync();
        var refused = await Refusal(() => Clerk().IssueCertificateAsync(Household(family, ThirdParty(), CertificateItem.IndividualNumber)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("ENTITLEMENT_EXCEEDED", refused.ErrorInfo()?.Reason);
        Assert.Contains("items", refused.ViolatedFields());
        var code = await Refusal(() => Clerk().IssueCertificateAsync(Household(family, ThirdParty(), CertificateItem.ResidentCode)).ResponseAsync);
        Assert.Equal("ENTITLEMENT_EXCEEDED", code.ErrorInfo()?.Reason);

        var issued = await Clerk().IssueCertificateAsync(Household(family, ThirdParty()));
        var text = PdfTools.Text(issued.Copies[0].Pdf.ToByteArray());
        Assert.Contains("生年月日", text, StringComparison.Ordinal);
        Assert.Contains("性別", text, StringComparison.Ordinal);
        Assert.DoesNotContain("続柄", text, StringComparison.Ordinal);
        Assert.DoesNotContain("住民となった年月日", text, StringComparison.Ordinal);
        Assert.DoesNotContain("本籍", text, StringComparison.Ordinal);

        var ledger = await Clerk().ListIssuancesAsync(new ListIssuancesRequest { Resident = family.Residents[0].Name, IncludeRefused = true });
        Assert.Equal(2, ledger.Issuances.Count(i => i.Outcome == "ENTITLEMENT_EXCEEDED"));
        var ok = Assert.Single(ledger.Issuances, i => i.Outcome == "ISSUED");
        Assert.Equal(RequesterCategory.ThirdParty, ok.RequesterCategory);
        Assert.Contains("貸金返還請求訴訟", ok.RequesterDetail, StringComparison.Ordinal);
        Assert.Equal("本庁", ok.OfficeName);
        Assert.Equal("本庁1", ok.TerminalName);
        Assert.Equal(4, ok.Residents.Count);
        Assert.False(ok.IndividualNumberPrinted);
        // 1.3.8: 交付年月日時, 交付場所 (above), 交付対象者 (above), 種別, 記載事項, 枚数, 発行番号, 端末名・ユーザID, 処分情報.
        Assert.Equal(server.Time.GetUtcNow().UtcDateTime, ok.IssuedAt.ToDateTime());
        Assert.Equal(CertificateKind.ResidentCopy, ok.Kind);
        Assert.Empty(ok.ItemsPrinted); // a third party: the basic items only
        Assert.Equal((1, 1), (ok.Copies, ok.Pages));
        Assert.Equal(issued.Copies[0].IssueNumber, Assert.Single(ok.CopiesIssued).IssueNumber);
        Assert.Equal(("staff-1", "T001"), (ok.Staff, ok.Terminal));
        Assert.False(ok.Disposed);
        await Clerk().DisposeIssuanceAsync(new DisposeIssuanceRequest { RequestId = Id(), Name = ok.Name, Reason = "請求者の確認誤りにより回収・廃棄" });
        var disposed = await Clerk().GetIssuanceAsync(new GetIssuanceRequest { Name = ok.Name });
        Assert.True(disposed.Disposed);
        Assert.Equal("請求者の確認誤りにより回収・廃棄", disposed.DisposalReason);
    }

    [Fact]
    public async Task An_agent_asking_for_the_individual_number_gets_it_by_post_and_a_third_party_must_state_a_purpose()
    {
        var family = await FamilyAsync();
        var agent = new Requester { Category = RequesterCategory.Agent, Name = "代理 花子", IdentityCheck = "個人番号カード", PowerOfAttorney = true, PrincipalName = "高橋 一郎" };
        var issued = await Clerk().IssueCertificateAsync(Household(family, agent, CertificateItem.IndividualNumber));
        Assert.Equal(Delivery.PostToResident, issued.Delivery);
        Assert.Contains("郵送", PdfTools.Text(issued.Copies[0].Pdf.ToByteArray()), StringComparison.Ordinal);

        var noAttorney = await Refusal(() => Clerk().IssueCertificateAsync(Household(family, new Requester { Category = RequesterCategory.Agent, Name = "代理 花子", IdentityCheck = "免許証", PrincipalName = "高橋 一郎" })).ResponseAsync);
        Assert.Contains("requester.power_of_attorney", noAttorney.ViolatedFields());
        var noPurpose = await Refusal(() => Clerk().IssueCertificateAsync(Household(family, new Requester { Category = RequesterCategory.ThirdParty, Name = "第三 者", IdentityCheck = "免許証" })).ResponseAsync);
        Assert.Contains("requester.purpose", noPurpose.ViolatedFields());
        Assert.Contains("requester.purpose_detail", noPurpose.ViolatedFields());
        var other = (await FamilyAsync("佐藤")).Residents[0];
        var stranger = await Refusal(() => Clerk().IssueCertificateAsync(Household(family, Self(other))).ResponseAsync);
        Assert.Equal("ENTITLEMENT_EXCEEDED", stranger.ErrorInfo()?.Reason);
    }

    [Spec("1.1.9#1")]
    [Spec("1.1.9#2")]
    [Spec("1.1.9#4")]
    [Spec("1.1.9#5")]
    [Fact]
    public async Task A_certificate_writes_dates_in_wareki_except_a_foreign_residents_birth_date_and_stay_expiry()
    {
        var request = Requests.FromAbroad(Requests.MoveIn(City, Requests.UniqueKana(), members: 1), new ForeignResidentItems
        {
            Nationality = "ベトナム", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "留学", PeriodOfStay = "2年",
            StayExpiresOn = Requests.Date(2028, 3, 31), ResidenceCardNumber = Requests.CardNumber(),
        });
        var foreigner = (await new RegistrationService.RegistrationServiceClient(server.As(City)).RecordMoveInAsync(request)).Residents[0];
        var foreignCopy = await Clerk().IssueCertificateAsync(new IssueCertificateRequest
        {
            RequestId = Id(), Kind = CertificateKind.ResidentCopy, Residents = { foreigner.Name }, Requester = Self(foreigner), Printer = "P-001",
            Items = { CertificateItem.ForeignItems, CertificateItem.Dates },
        });
        var foreignText = PdfTools.Text(foreignCopy.Copies[0].Pdf.ToByteArray());
        Assert.Contains("1980年6月15日", foreignText, StringComparison.Ordinal);
        Assert.Contains("2028年3月31日", foreignText, StringComparison.Ordinal);
        Assert.DoesNotContain("昭和55年", foreignText, StringComparison.Ordinal);
        Assert.DoesNotContain("令和10年3月31日", foreignText, StringComparison.Ordinal);
        Assert.Contains("令和8年11月20日", foreignText, StringComparison.Ordinal);

        var family = await FamilyAsync();
        var japaneseCopy = await Clerk().IssueCertificateAsync(Household(family, Self(family.Residents[0]), CertificateItem.Dates));
        var japaneseText = PdfTools.Text(japaneseCopy.Copies[0].Pdf.ToByteArray());
        Assert.Contains("昭和55年6月15日", japaneseText, StringComparison.Ordinal);
        Assert.Contains("令和8年11月20日", japaneseText, StringComparison.Ordinal);
        Assert.DoesNotContain("1980年", japaneseText, StringComparison.Ordinal);
        Assert.DoesNotContain("2026年", japaneseText, StringComparison.Ordinal);
    }

    [Spec("4.5.5#5")]
    [Spec("5.1#11")]
    [Spec("5.5#7")]
    [Fact]
    public async Task A_certificate_prints_only_the_registers_items_and_no_place_of_issue_beyond_the_issue_number()
    {
        CertificateItem[] every = [CertificateItem.HeadAndRelationship, CertificateItem.Domicile, CertificateItem.ResidentCode, CertificateItem.IndividualNumber,
            CertificateItem.ForeignItems, CertificateItem.Dates, CertificateItem.OtherNames];
        string[] registerItems = ["住所", "世帯主", "氏名", "旧氏", "通称", "生年月日", "性別", "続柄", "住民となった年月日", "外国人住民となった年月日", "住所を定めた年月日",
            "従前の住所", "本籍", "筆頭者", "国籍・地域", "法第30条の45に規定する区分", "在留資格", "在留期間等", "在留期間等の満了の日", "在留カード等の番号", "住民票コード", "個人番号"];
        var family = await FamilyAsync();
        var japanese = await Clerk().IssueCertificateAsync(Household(family, Self(family.Residents[0]), every));
        var request = Requests.FromAbroad(Requests.MoveIn(City, Requests.UniqueKana(), members: 1), new ForeignResidentItems
        {
            Nationality = "ベトナム", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "留学", PeriodOfStay = "2年",
            StayExpiresOn = Requests.Date(2028, 3, 31), ResidenceCardNumber = Requests.CardNumber(),
        });
        var foreigner = (await new RegistrationService.RegistrationServiceClient(server.As(City)).RecordMoveInAsync(request)).Residents[0];
        var foreign = await Clerk().IssueCertificateAsync(new IssueCertificateRequest
        {
            RequestId = Id(), Kind = CertificateKind.ResidentCopy, Residents = { foreigner.Name }, Requester = Self(foreigner), Printer = "P-001", Items = { every },
        });
        foreach (var issued in new[] { japanese, foreign })
        {
            var labels = issued.Certificate.HouseholdFields.Concat(issued.Certificate.Persons.SelectMany(p => p.Fields)).Select(f => f.Label).Distinct();
            Assert.All(labels, label => Assert.Contains(label, registerItems));
            var copy = Assert.Single(issued.Copies);
            // The 発行番号 names the terminal (本庁1) as 5.5 asks; nothing else names the office.
            var text = PdfTools.Text(copy.Pdf.ToByteArray()).Replace(copy.IssueNumber, "", StringComparison.Ordinal);
            foreach (var absent in new[] { "旧外登法", "登録年月日", "通称住所", "発行場所", "交付場所", "本庁" })
            {
                Assert.DoesNotContain(absent, text, StringComparison.Ordinal);
            }
        }
    }

    [Spec("5.1#9")]
    [Fact]
    public async Task A_household_copy_never_puts_a_removed_member_beside_the_current_ones()
    {
        var family = await FamilyAsync();
        var child = await new ResidentService.ResidentServiceClient(server.As(City)).GetResidentAsync(new GetResidentRequest { Name = family.Residents[3].Name });
        await new RegistrationService.RegistrationServiceClient(server.As(City)).RecordDeathAsync(new RecordDeathRequest
        {
            RequestId = Id(), Resident = new ResidentRef { Name = child.Name, Etag = child.Etag }, DeathDate = Requests.Date(2026, 11, 21),
            NotificationDate = Requests.Date(2026, 11, 25), Notifier = RegisterDriver.Notifier(),
        });
        foreach (var kind in new[] { CertificateKind.ResidentCopy, CertificateKind.RemovedResidentCopy })
        {
            var mixed = new IssueCertificateRequest
            {
                RequestId = Id(), Kind = kind, Layout = CertificateLayout.Household, Residents = { family.Residents[0].Name, child.Name }, Requester = Self(family.Residents[0]),
            };
            var refused = await Refusal(() => Clerk().IssueCertificateAsync(mixed).ResponseAsync);
            Assert.True(refused.ErrorInfo()?.Reason is "RESIDENT_REMOVED" or "NOT_ELIGIBLE", refused.ErrorInfo()?.Reason);
        }
        var household = await Clerk().IssueCertificateAsync(Household(family, Self(family.Residents[0])));
        Assert.DoesNotContain(household.Certificate.Persons, p => p.Resident == child.Name);
        Assert.Equal(3, household.Certificate.Persons.Count);
    }

    [Spec("5.1#10")]
    [Fact]
    public async Task A_idou_dated_before_a_certificate_was_issued_raises_no_alert_of_it()
    {
        var family = await FamilyAsync();
        await Clerk().IssueCertificateAsync(Household(family, Self(family.Residents[0])));
        var registration = new RegistrationService.RegistrationServiceClient(server.As(City));
        var members = (await new ResidentService.ResidentServiceClient(server.As(City)).GetHouseholdAsync(new GetHouseholdRequest { Name = family.Residents[0].Household })).Members;
        var move = new RecordAddressChangeRequest
        {
            RequestId = Id(), MoveDate = Requests.Date(2026, 11, 22), NotificationDate = Requests.Date(2026, 11, 26), Notifier = RegisterDriver.Notifier(),
            Address = new Contracts.Common.V1.Address { Town = Requests.TownOf(City), Chome = 2, Banchi = "5番1号" },
        };
        move.Residents.AddRange(members.Select(m => new ResidentRef { Name = m.Name, Etag = m.Etag }));
        var moved = await registration.RecordAddressChangeAsync(move); // no acknowledged alert needed
        Assert.All(moved.Residents, r => Assert.Equal("5番1号", r.Address.Banchi));
    }

    [Spec("5.2#26")]
    [Fact]
    public void The_order_of_household_members_is_the_standards_no_setting_defines_another()
    {
        using var schema = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "config", "schema", "tenant-config.schema.json")));
        var names = new List<string>();
        void Walk(System.Text.Json.JsonElement e)
        {
            if (e.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    names.Add(p.Name);
                    Walk(p.Value);
                }
            }
            else if (e.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }
        Walk(schema.RootElement);
        Assert.Contains("certificates", names);
        Assert.DoesNotContain(names, n => n.Contains("order", StringComparison.OrdinalIgnoreCase) || n.Contains("sort", StringComparison.OrdinalIgnoreCase));
    }

    [Spec("10.7#2")]
    [Spec("10.7#9")]
    [Spec("10.7#10")]
    [Fact]
    public async Task Copies_are_set_per_request_and_a_mass_print_is_refused()
    {
        var family = await FamilyAsync();
        var many = Household(family, Self(family.Residents[0]));
        many.Copies = Core.Certificates.Issuances.MaxCopies + 1;
        var refused = await Refusal(() => Clerk().IssueCertificateAsync(many).ResponseAsync);
        Assert.Equal(["copies"], refused.ViolatedFields());
        many.RequestId = Id();
        many.Copies = 3;
        Assert.Equal(3, (await Clerk().IssueCertificateAsync(many)).Copies.Count);
    }

    [Spec("1.1.15#4")]
    [Fact]
    public async Task A_memo_is_never_printed_on_a_certificate()
    {
        var family = await FamilyAsync();
        var head = family.Residents[0];
        await new Contracts.Residents.V1.MemoService.MemoServiceClient(server.As(City)).AddMemoAsync(new Contracts.Residents.V1.AddMemoRequest
        {
            RequestId = Id(), Resident = head.Name, Text = "窓口メモ：転居の相談あり",
        });
        var issued = await Clerk().IssueCertificateAsync(Household(family, Self(head), CertificateItem.HeadAndRelationship));
        Assert.DoesNotContain("窓口メモ", PdfTools.Text(issued.Copies[0].Pdf.ToByteArray()), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Certificate.Persons.SelectMany(p => p.Fields), f => f.Value.Contains("窓口メモ", StringComparison.Ordinal));
    }

    [Spec("5.7#2")]
    [Fact]
    [Spec("5.7#1")]
    public async Task An_official_request_needs_a_legal_basis_for_numbers_is_free_and_marked()
    {
        var family = await FamilyAsync();
        var official = new Requester { Category = RequesterCategory.Official, Name = "東京都主税局", Agency = "東京都主税局", PurposeDetail = "滞納処分のため" };
        var noBasis = await Refusal(() => Clerk().IssueCertificateAsync(Household(family, official, CertificateItem.IndividualNumber)).ResponseAsync);
        Assert.Contains("requester.legal_basis", noBasis.ViolatedFields());
        official.LegalBasis = "番号法第19条第8号";
        var request = Household(family, official, CertificateItem.IndividualNumber);
        request.OfficialUse = true;
        var issued = await Clerk().IssueCertificateAsync(request);
        Assert.Equal(0, issued.Fee);
        var officialText = PdfTools.Text(issued.Copies[0].Pdf.ToByteArray());
        Assert.Contains("公用", officialText, StringComparison.Ordinal);
        Assert.DoesNotContain("規定により免除", officialText, StringComparison.Ordinal);
        Assert.DoesNotContain("附票通知", officialText, StringComparison.Ordinal);
    }

    [Fact]
    [Spec("3.4#1")]
    [Spec("3.4#3")]
    public async Task A_perpetrator_is_refused_and_a_protected_resident_needs_a_supervisor_release_and_both_are_in_the_ledger()
    {
        var family = await FamilyAsync();
        var wife = family.Residents[1];
        var supervisor = server.As(City, Roles.Supervisor);
        await new SupportMeasureService.SupportMeasureServiceClient(supervisor).CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Id(),
            SupportMeasure = new SupportMeasure
            {
                Applicant = wife.Name, Services = { "住民票の写し等の交付" }, StartsOn = Requests.Date(2026, 11, 1),
                Perpetrators = { new Perpetrator { Name = "加害 次郎", NameKana = "カガイ ジロウ" } },
            },
        });
        var single = new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.ResidentCopy, Residents = { wife.Name }, Requester = Self(wife) };

        var perpetrator = ThirdParty();
        perpetrator.Name = "加害 次郎";
        var byPerpetrator = new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.ResidentCopy, Residents = { wife.Name }, Requester = perpetrator };
        var refused = await Refusal(() => Clerk("clerk-dv").IssueCertificateAsync(byPerpetrator).ResponseAsync);
        Assert.Equal("PERPETRATOR_REQUEST", refused.ErrorInfo()?.Reason);

        var blocked = await Refusal(() => Clerk("clerk-dv").IssueCertificateAsync(single).ResponseAsync);
        Assert.Equal("SUPPRESSED", blocked.ErrorInfo()?.Reason);

        var suppressions = new SuppressionService.SuppressionServiceClient(supervisor);
        var suppression = (await suppressions.ListSuppressionsAsync(new ListSuppressionsRequest())).Suppressions.Single(s => s.Resident == wife.Name);
        await suppressions.ReleaseSuppressionAsync(new ReleaseSuppressionRequest { RequestId = Id(), Name = suppression.Name, Minutes = 10, ForStaff = "clerk-dv", Reason = "本人の請求と確認した" });
        single.RequestId = Id();
        var issued = await Clerk("clerk-dv").IssueCertificateAsync(single);
        Assert.Single(issued.Copies);
        // The release does not open the door to the perpetrator.
        byPerpetrator.RequestId = Id();
        Assert.Equal("PERPETRATOR_REQUEST", (await Refusal(() => Clerk("clerk-dv").IssueCertificateAsync(byPerpetrator).ResponseAsync)).ErrorInfo()?.Reason);

        var ledger = (await Clerk().ListIssuancesAsync(new ListIssuancesRequest { Resident = wife.Name, IncludeRefused = true })).Issuances;
        Assert.Equal(2, ledger.Count(i => i.Outcome == "PERPETRATOR_REQUEST"));
        Assert.Single(ledger, i => i.Outcome == "SUPPRESSED");
        Assert.Single(ledger, i => i.Outcome == "ISSUED" && i.Staff == "clerk-dv");
    }

    [Fact]
    [Spec("5.5#6")]
    public async Task Each_copy_has_its_own_number_and_code_and_verification_reveals_nothing_personal()
    {
        var family = await FamilyAsync();
        var request = Household(family, Self(family.Residents[0]));
        request.Copies = 2;
        var issued = await Clerk().IssueCertificateAsync(request);
        Assert.Equal(2, issued.Copies.Count);
        Assert.NotEqual(issued.Copies[0].IssueNumber, issued.Copies[1].IssueNumber);
        Assert.NotEqual(issued.Copies[0].VerificationCode, issued.Copies[1].VerificationCode);
        Assert.Equal(600, issued.Fee);

        var anonymous = new CertificateService.CertificateServiceClient(server.Invoker(null));
        var copy = issued.Copies[1];
        var answer = await anonymous.VerifyCertificateAsync(new VerifyCertificateRequest { Code = copy.VerificationCode });
        Assert.True(answer.Valid);
        Assert.Equal(VerifyCertificateResponse.Types.Status.Issued, answer.Status);
        Assert.Equal(City, answer.CityCode);
        Assert.Equal("東村山市", answer.CityName);
        Assert.Equal(CertificateKind.ResidentCopy, answer.Kind);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(copy.Pdf.ToByteArray())), answer.ContentHash);
        Assert.Equal(copy.ContentHash, answer.ContentHash);
        // Nothing personal: the answer's fields are exactly these.
        Assert.Equal(["status", "valid", "issued_at", "city_code", "city_name", "kind", "content_hash", "pages"], VerifyCertificateResponse.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name));
        var json = Google.Protobuf.JsonFormatter.Default.Format(answer);
        Assert.DoesNotContain("高橋", json, StringComparison.Ordinal);

        var changed = copy.VerificationCode[..^1] + (copy.VerificationCode[^1] == '0' ? '1' : '0');
        var wrong = await anonymous.VerifyCertificateAsync(new VerifyCertificateRequest { Code = changed });
        Assert.False(wrong.Valid);
        Assert.Equal(VerifyCertificateResponse.Types.Status.Malformed, wrong.Status);
        Assert.Equal("", wrong.CityCode);

        // 処分: verification then says the certificate was disposed.
        await Clerk().DisposeIssuanceAsync(new DisposeIssuanceRequest { RequestId = Id(), Name = issued.Issuance, Reason = "請求者の選択誤りにより回収・廃棄" });
        var disposed = await anonymous.VerifyCertificateAsync(new VerifyCertificateRequest { Code = copy.VerificationCode });
        Assert.Equal(VerifyCertificateResponse.Types.Status.Disposed, disposed.Status);
        Assert.False(disposed.Valid);
        var entry = await Clerk().GetIssuanceAsync(new GetIssuanceRequest { Name = issued.Issuance });
        Assert.True(entry.Disposed);
        Assert.Contains("選択誤り", entry.DisposalReason, StringComparison.Ordinal);
    }

    [Spec("1.3.8#2")]
    [Spec("1.3.8#3")]
    [Spec("1.3.8#4")]
    [Spec("1.3.8#5")]
    [Spec("1.3.8#6")]
    [Spec("1.3.8#7")]
    [Spec("1.3.8#8")]
    [Spec("1.3.8#9")]
    [Spec("1.3.8#10")]
    [Fact]
    public async Task The_ledger_keeps_every_item_of_an_issuance_and_its_disposal()
    {
        var family = await FamilyAsync();
        var request = Household(family, Self(family.Residents[0]), CertificateItem.HeadAndRelationship, CertificateItem.Domicile);
        (request.Copies, request.Printer) = (2, "P-003");
        var before = server.Time.GetUtcNow();
        var issued = await new CertificateService.CertificateServiceClient(server.Invoker(server.Token(City, staff: "staff-ledger-items", terminal: "T002"))).IssueCertificateAsync(request);
        var after = server.Time.GetUtcNow();
        var entry = await Clerk().GetIssuanceAsync(new GetIssuanceRequest { Name = issued.Issuance });

        // #2 交付年月日時, #3 交付場所, #4 交付対象者, #5 種別, #6 記載事項, #7 枚数, #8 発行番号, #9 端末名・ユーザID.
        Assert.InRange(entry.IssuedAt.ToDateTimeOffset(), before, after);
        var japanDay = entry.IssuedAt.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(9));
        Assert.Equal(Requests.Date(japanDay.Year, japanDay.Month, japanDay.Day), entry.IssuedOn);
        Assert.Equal("本庁", entry.OfficeName);
        Assert.Equal(family.Residents.Select(r => r.Name).Order(StringComparer.Ordinal), entry.Residents.Order(StringComparer.Ordinal));
        Assert.Equal(CertificateKind.ResidentCopy, entry.Kind);
        Assert.Contains(CertificateItem.HeadAndRelationship, entry.ItemsPrinted);
        Assert.Contains(CertificateItem.Domicile, entry.ItemsPrinted);
        Assert.DoesNotContain(CertificateItem.ResidentCode, entry.ItemsPrinted);
        Assert.DoesNotContain(CertificateItem.IndividualNumber, entry.ItemsPrinted);
        Assert.Equal((false, false), (entry.IndividualNumberPrinted, entry.ResidentCodePrinted));
        Assert.Equal((2, 1), (entry.Copies, entry.Pages));
        Assert.Equal(issued.Copies.Select(c => c.IssueNumber), entry.CopiesIssued.Select(c => c.IssueNumber));
        Assert.All(entry.CopiesIssued, c => Assert.NotEmpty(c.IssueNumber));
        Assert.Equal(("T002", "本庁2", "staff-ledger-items"), (entry.Terminal, entry.TerminalName, entry.Staff));
        Assert.False(entry.Disposed);

        // #10 処分情報: a certificate issued in error and destroyed is recorded as such, with why and when.
        var disposed = await Clerk().DisposeIssuanceAsync(new DisposeIssuanceRequest { RequestId = Id(), Name = issued.Issuance, Reason = "世帯主の指定誤りにより回収・廃棄" });
        Assert.Equal((true, "世帯主の指定誤りにより回収・廃棄"), (disposed.Disposed, disposed.DisposalReason));
        var read = await Clerk().GetIssuanceAsync(new GetIssuanceRequest { Name = issued.Issuance });
        Assert.Equal((true, "世帯主の指定誤りにより回収・廃棄"), (read.Disposed, read.DisposalReason));
        Assert.NotNull(read.DisposedAt);
        // The rest of the entry stays as it was issued.
        Assert.Equal((entry.Copies, entry.OfficeName, entry.Staff), (read.Copies, read.OfficeName, read.Staff));
    }

    [Fact]
    [Spec("2.2.2#1")]
    [Spec("2.2.2#2")]
    public async Task The_ledger_is_searched_by_person_and_a_reprint_yields_the_same_bytes()
    {
        var family = await FamilyAsync();
        var issued = await Clerk("staff-ledger").IssueCertificateAsync(Household(family, Self(family.Residents[0])));
        var reprint = await Clerk().ReprintIssuanceAsync(new ReprintIssuanceRequest { Name = issued.Issuance });
        Assert.Equal(issued.Copies[0].Pdf, reprint.Copies[0].Pdf);
        var byPerson = await Clerk().ListIssuancesAsync(new ListIssuancesRequest { Resident = family.Residents[3].Name });
        var entry = Assert.Single(byPerson.Issuances);
        Assert.Equal(issued.Issuance, entry.Name);
        Assert.Equal("staff-ledger", entry.Staff);
        Assert.Equal(issued.Copies[0].IssueNumber, entry.CopiesIssued[0].IssueNumber);
        Assert.Equal(1, entry.Pages);
        Assert.Equal(300, entry.Fee);
        var byStaff = await Clerk().ListIssuancesAsync(new ListIssuancesRequest { Staff = "staff-ledger", From = Requests.Date(2026, 11, 26), Until = Requests.Date(2026, 11, 26) });
        Assert.Contains(byStaff.Issuances, i => i.Name == issued.Issuance);
        // A repeat of the same request id answers the first issuance, bytes and all.
        var repeat = Household(family, Self(family.Residents[0]));
        var first = await Clerk("staff-ledger").IssueCertificateAsync(repeat);
        var second = await Clerk("staff-ledger").IssueCertificateAsync(repeat);
        Assert.Equal(first.Issuance, second.Issuance);
        Assert.Equal(first.Copies[0].Pdf, second.Copies[0].Pdf);
        Assert.NotEqual(issued.Issuance, first.Issuance);
    }

    [Spec("1.1.9#1")]
    [Spec("5.1#12")]
    [Fact]
    [Spec("5.1#8")]
    public async Task A_move_out_certificate_shows_the_planned_move_and_a_copy_before_that_date_leaves_it_out()
    {
        var family = await FamilyAsync();
        var head = family.Residents[3]; // a child moves out; the household stays
        var heads = await new ResidentService.ResidentServiceClient(server.As(City)).GetResidentAsync(new GetResidentRequest { Name = head.Name });
        await new RegistrationService.RegistrationServiceClient(server.As(City)).RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Id(), Residents = { new ResidentRef { Name = heads.Name, Etag = heads.Etag } }, PlannedDate = Requests.Date(2026, 12, 10),
            NotificationDate = Requests.Date(2026, 11, 26), Notifier = RegisterDriver.Notifier(),
            Destination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田9-9-9" },
        });
        // Before the planned date a 住民票の写し does not show what the 転出届 recorded (5.1).
        var copy = await Clerk().IssueCertificateAsync(new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.ResidentCopy, Residents = { head.Name }, Requester = Self(head) });
        Assert.DoesNotContain("梅田9-9-9", PdfTools.Text(copy.Copies[0].Pdf.ToByteArray()), StringComparison.Ordinal);
        var wholeHousehold = await Clerk().IssueCertificateAsync(Household(family, Self(family.Residents[0])));
        Assert.Equal(4, wholeHousehold.Certificate.Persons.Count);
        Assert.DoesNotContain("梅田9-9-9", PdfTools.Text(wholeHousehold.Copies[0].Pdf.ToByteArray()), StringComparison.Ordinal);

        var moveOut = new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.MoveOutCertificate, Residents = { head.Name }, Requester = Self(head), Layout = CertificateLayout.Individual };
        var certificate = await Clerk().IssueCertificateAsync(moveOut);
        var text = PdfTools.Text(certificate.Copies[0].Pdf.ToByteArray());
        Assert.Contains("転出証明書", text, StringComparison.Ordinal);
        Assert.Contains("梅田9-9-9", text, StringComparison.Ordinal);
        Assert.Contains("令和8年12月10日", text, StringComparison.Ordinal);
        Assert.DoesNotContain("再交付", text, StringComparison.Ordinal);
        moveOut.RequestId = Id();
        moveOut.Reissue = true;
        Assert.Contains("再交付", PdfTools.Text((await Clerk().IssueCertificateAsync(moveOut)).Copies[0].Pdf.ToByteArray()), StringComparison.Ordinal);

        var notMoving = await Refusal(() => Clerk().IssueCertificateAsync(new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.MoveOutCertificate, Residents = { family.Residents[1].Name }, Requester = Self(family.Residents[1]) }).ResponseAsync);
        Assert.Equal("NOT_ELIGIBLE", notMoving.ErrorInfo()?.Reason);
        var thirdParty = await Refusal(() => Clerk().IssueCertificateAsync(new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.MoveOutCertificate, Residents = { head.Name }, Requester = ThirdParty() }).ResponseAsync);
        Assert.Equal("ENTITLEMENT_EXCEEDED", thirdParty.ErrorInfo()?.Reason);
    }

    [Spec("4.1.3.0.3#3")]
    [Spec("4.1.3.0.3#4")]
    [Fact]
    public async Task A_reissued_move_out_certificate_prints_what_the_first_one_printed_not_the_record_corrected_since()
    {
        var family = await FamilyAsync();
        var child = family.Residents[3];
        var registration = new RegistrationService.RegistrationServiceClient(server.As(City));
        var residents = new ResidentService.ResidentServiceClient(server.As(City));
        var before = await residents.GetResidentAsync(new GetResidentRequest { Name = child.Name });
        await registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Id(), Residents = { new ResidentRef { Name = before.Name, Etag = before.Etag } }, PlannedDate = Requests.Date(2026, 12, 10),
            NotificationDate = Requests.Date(2026, 11, 26), Notifier = RegisterDriver.Notifier(),
            Destination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田9-9-9" },
        });
        var moveOut = new IssueCertificateRequest
        {
            RequestId = Id(), Kind = CertificateKind.MoveOutCertificate, Residents = { child.Name }, Requester = Self(child), Layout = CertificateLayout.Individual,
            Items = { CertificateItem.HeadAndRelationship },
        };
        var first = (await Clerk().IssueCertificateAsync(moveOut)).Certificate.Persons.Single().Fields.Single(f => f.Key == "head").Value;
        Assert.StartsWith(family.Residents[0].PersonName.Family, first, StringComparison.Ordinal);
        Assert.Contains(family.Residents[0].PersonName.Given, first, StringComparison.Ordinal);

        // The household the child leaves changes its 世帯主 after the certificate was handed over.
        var wife = await residents.GetResidentAsync(new GetResidentRequest { Name = family.Residents[1].Name });
        await registration.RecordHeadChangeAsync(new RecordHeadChangeRequest
        {
            RequestId = Id(), Household = family.Residents[0].Household, NewHead = new ResidentRef { Name = wife.Name, Etag = wife.Etag },
            Relationships = { [family.Residents[0].Name] = "夫", [family.Residents[2].Name] = "子" },
            ChangeDate = Requests.Date(2026, 11, 26), NotificationDate = Requests.Date(2026, 11, 26), Notifier = RegisterDriver.Notifier(),
        });
        var fresh = (await Clerk().IssueCertificateAsync(new IssueCertificateRequest(moveOut) { RequestId = Id() })).Certificate.Persons.Single().Fields.Single(f => f.Key == "head").Value;
        Assert.Contains(wife.PersonName.Given, fresh, StringComparison.Ordinal);

        moveOut.RequestId = Id();
        moveOut.Reissue = true;
        var reissued = await Clerk().IssueCertificateAsync(moveOut);
        Assert.Equal(first, reissued.Certificate.Persons.Single().Fields.Single(f => f.Key == "head").Value);
        var text = PdfTools.Text(reissued.Copies[0].Pdf.ToByteArray());
        Assert.Contains("再交付", text, StringComparison.Ordinal);
        Assert.Contains(family.Residents[0].PersonName.Given, text, StringComparison.Ordinal);
        Assert.DoesNotContain(wife.PersonName.Given, text, StringComparison.Ordinal);
        Assert.Contains("梅田9-9-9", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_record_gives_a_removed_copy_and_third_parties_only_the_basic_items()
    {
        var family = await FamilyAsync();
        var child = family.Residents[3];
        var record = await new ResidentService.ResidentServiceClient(server.As(City)).GetResidentAsync(new GetResidentRequest { Name = child.Name });
        await new RegistrationService.RegistrationServiceClient(server.As(City)).RecordDeathAsync(new RecordDeathRequest
        {
            RequestId = Id(), Resident = new ResidentRef { Name = record.Name, Etag = record.Etag }, DeathDate = Requests.Date(2026, 11, 21),
            NotificationDate = Requests.Date(2026, 11, 25), Notifier = RegisterDriver.Notifier(),
        });
        var current = await Refusal(() => Clerk().IssueCertificateAsync(new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.ResidentCopy, Residents = { child.Name }, Requester = Self(family.Residents[0]) }).ResponseAsync);
        Assert.Equal("RESIDENT_REMOVED", current.ErrorInfo()?.Reason);
        var removed = await Clerk().IssueCertificateAsync(new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.RemovedResidentCopy, Residents = { child.Name }, Requester = Self(family.Residents[0]) });
        var text = PdfTools.Text(removed.Copies[0].Pdf.ToByteArray());
        Assert.Contains("住民票の除票の写し", text, StringComparison.Ordinal);
        Assert.Contains("死亡", text, StringComparison.Ordinal);
        var thirdParty = await Refusal(() => Clerk().IssueCertificateAsync(new IssueCertificateRequest { RequestId = Id(), Kind = CertificateKind.RemovedResidentCopy, Residents = { child.Name }, Requester = ThirdParty(), Items = { CertificateItem.HeadAndRelationship } }).ResponseAsync);
        Assert.Equal("ENTITLEMENT_EXCEEDED", thirdParty.ErrorInfo()?.Reason);
    }

    [Fact]
    [Spec("1.1.3#1")]
    [Spec("5.1#6")]
    public async Task An_individual_layout_gives_each_person_a_page_and_the_auth_text_only_on_the_last()
    {
        var family = await FamilyAsync();
        var request = Household(family, Self(family.Residents[0]), CertificateItem.HeadAndRelationship);
        request.Layout = CertificateLayout.Individual;
        var issued = await Clerk().IssueCertificateAsync(request);
        var pdf = issued.Copies[0].Pdf.ToByteArray();
        Assert.Equal(4, issued.Copies[0].Pages);
        Assert.Equal(4, PdfTools.Pages(pdf));
        for (var page = 1; page <= 4; page++)
        {
            var text = PdfTools.Text(pdf, page);
            Assert.Contains("コーポ101", text, StringComparison.Ordinal); // each person's own address
            Assert.Contains($" {page}/4", text, StringComparison.Ordinal);
            Assert.Equal(page == 4, text.Contains("相違ないことを証明する", StringComparison.Ordinal));
        }
    }

    [Fact]
    [Spec("10.7#3")]
    [Spec("10.7#1")]
    public async Task A_preview_is_marked_and_leaves_no_ledger_entry_and_an_unknown_printer_is_refused()
    {
        var family = await FamilyAsync();
        var preview = await Clerk("staff-preview").PreviewCertificateAsync(Household(family, Self(family.Residents[0])));
        Assert.Equal("", preview.Issuance);
        Assert.Contains("見本", PdfTools.Text(preview.Copies[0].Pdf.ToByteArray()), StringComparison.Ordinal);
        Assert.Empty((await Clerk().ListIssuancesAsync(new ListIssuancesRequest { Staff = "staff-preview", IncludeRefused = true })).Issuances);
        var request = Household(family, Self(family.Residents[0]));
        request.Printer = "P-404";
        Assert.Contains("printer", (await Refusal(() => Clerk().IssueCertificateAsync(request).ResponseAsync)).ViolatedFields());
        var furigana = Household(family, Self(family.Residents[0]));
        furigana.Furigana = true;
        Assert.Equal("OPTION_DISABLED", (await Refusal(() => Clerk().IssueCertificateAsync(furigana).ResponseAsync)).ErrorInfo()?.Reason);
    }
}

public sealed class CertificateTestsOnSqlite(SqliteServer server) : CertificateTests(server), IClassFixture<SqliteServer>;

public sealed class CertificateTestsOnPostgres(PostgresServer server) : CertificateTests(server), IClassFixture<PostgresServer>;
