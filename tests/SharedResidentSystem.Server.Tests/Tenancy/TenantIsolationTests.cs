using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;

namespace SharedResidentSystem.Server.Tests.Tenancy;

/// <summary>
/// A 小平市 caller cannot read, search, change or even learn of a 東久留米市 record, through
/// every RPC of the contract. The first test fails when an RPC is added without being
/// covered here.
/// </summary>
public abstract class TenantIsolationTests(ServerFixture server)
{
    private const string Owner = "132225";
    private const string Other = "132110";

    /// <summary>Every RPC of our own services, and the test below that covers it.</summary>
    private static readonly string[] Covered =
    [
        "srs.tenancy.v1.TenantService/GetTenant",
        "srs.tenancy.v1.TenantAdminService/ListTenants",
        "srs.tenancy.v1.TenantAdminService/GetTenantConfig",
        "srs.tenancy.v1.TenantAdminService/ListTenantConfigVersions",
        "srs.tenancy.v1.TenantAdminService/ValidateTenantConfig",
        "srs.tenancy.v1.TenantAdminService/DiffTenantConfig",
        "srs.tenancy.v1.TenantAdminService/ApplyTenantConfig",
        "srs.tenancy.v1.TenantAdminService/ImportTowns",
        "srs.tenancy.v1.TenantAdminService/CreateTenant",
        "srs.residents.v1.ResidentService/GetResident",
        "srs.residents.v1.ResidentService/SearchResidents",
        "srs.residents.v1.ResidentService/GetHousehold",
        "srs.residents.v1.ResidentService/ListResidentIdou",
        "srs.residents.v1.ResidentService/ListSearchHistory",
        "srs.residents.v1.ResidentService/ListMissingMoveInNotices",
        "srs.residents.v1.MemoService/AddMemo",
        "srs.residents.v1.MemoService/UpdateMemo",
        "srs.residents.v1.MemoService/DeleteMemo",
        "srs.residents.v1.MemoService/ListMemos",
        "srs.residents.v1.InputAssistService/SuggestKatagaki",
        "srs.residents.v1.InputAssistService/SuggestAddress",
        "srs.registration.v1.CsLinkService/ListCsMessages",
        "srs.registration.v1.CsLinkService/ResendCsMessage",
        "srs.registration.v1.CsLinkService/CompleteCsMessage",
        "srs.registration.v1.CsLinkService/CheckCsConsistency",
        "srs.registration.v1.CsLinkService/ListCsInbound",
        "srs.registration.v1.CsLinkService/GetCsLinkStatus",
        "srs.registration.v1.CsLinkService/CompleteCsInbound",
        "srs.registration.v1.CsLinkService/DesignateDeliveryAddress",
        "srs.registration.v1.CsLinkService/GetDeliveryAddress",
        "srs.registration.v1.CsLinkService/RequestCertificateSerial",
        "srs.jobs.v1.JobService/StartJob",
        "srs.jobs.v1.JobService/GetOperation",
        "srs.jobs.v1.JobService/ListOperations",
        "srs.jobs.v1.JobService/CancelOperation",
        "srs.analytics.v1.EucService/DescribeSource",
        "srs.analytics.v1.EucService/Extract",
        "srs.analytics.v1.IndicatorService/ListIdouCounts",
        "srs.analytics.v1.IndicatorService/ListCertificateCounts",
        "srs.analytics.v1.IndicatorService/ListHandlingTimes",
        "srs.analytics.v1.IndicatorService/ListRefusalCounts",
        "srs.analytics.v1.IndicatorService/ListPaperlessShares",
        "srs.analytics.v1.IndicatorService/RenderIndicatorReport",
        "srs.link.v1.LinkService/Subscribe",
        "srs.link.v1.LinkService/ReportServiceStatus",
        "srs.residents.v1.InputAssistService/ListAddressMaster",
        "srs.residents.v1.InputAssistService/SuggestDomicile",
        "srs.registration.v1.RegistrationService/RecordMoveIn",
        "srs.registration.v1.RegistrationService/RecordMoveOut",
        "srs.registration.v1.RegistrationService/RecordAddressChange",
        "srs.registration.v1.RegistrationService/RecordBirth",
        "srs.registration.v1.RegistrationService/RecordDeath",
        "srs.registration.v1.RegistrationService/RecordHouseholdChange",
        "srs.registration.v1.RegistrationService/RecordHeadChange",
        "srs.registration.v1.RegistrationService/CorrectResident",
        "srs.registration.v1.RegistrationService/RecordAmendment",
        "srs.registration.v1.RegistrationService/RecordOfficialEntry",
        "srs.registration.v1.RegistrationService/RecordOfficialRemoval",
        "srs.registration.v1.RegistrationService/RecordCancellation",
        "srs.registration.v1.RegistrationService/RemakeResident",
        "srs.registration.v1.RegistrationService/RecordMoveInNotice",
        "srs.registration.v1.ReviewService/ListPendingIdou",
        "srs.registration.v1.ReviewService/ApprovePendingIdou",
        "srs.registration.v1.ReviewService/DiscardPendingIdou",
        "srs.registration.v1.MoveOutCertificateService/GetMoveOutCertificate",
        "srs.registration.v1.MoveOutCertificateService/GetAdultWardNotice",
        "srs.registration.v1.MoveOutCertificateService/GetReceivedMoveOutCertificate",
        "srs.registration.v1.ImmigrationNoticeService/ListImmigrationNotices",
        "srs.registration.v1.ImmigrationNoticeService/RecordImmigrationNoticeResults",
        "srs.registration.v1.ImmigrationNoticeService/ResendImmigrationNotice",
        "srs.registration.v1.ResidentCodeService/ImportResidentCodes",
        "srs.registration.v1.ResidentCodeService/GetResidentCodeStock",
        "srs.audit.v1.AuditService/SearchAccessLog",
        "srs.audit.v1.AuditService/AnalyseAccessLog",
        "srs.audit.v1.AuditService/ExportAccessLog",
        "srs.audit.v1.AuditService/GetCheckpoint",
        "srs.audit.v1.AuditService/VerifyChain",
        "srs.protection.v1.SuppressionService/CreateSuppression",
        "srs.protection.v1.SuppressionService/LiftSuppression",
        "srs.protection.v1.SuppressionService/ReleaseSuppression",
        "srs.protection.v1.SuppressionService/ListSuppressions",
        "srs.protection.v1.SupportMeasureService/CreateSupportMeasure",
        "srs.protection.v1.SupportMeasureService/GetSupportMeasure",
        "srs.protection.v1.SupportMeasureService/ListSupportMeasures",
        "srs.protection.v1.SupportMeasureService/ConfirmSupportMeasure",
        "srs.protection.v1.SupportMeasureService/ExtendSupportMeasure",
        "srs.protection.v1.SupportMeasureService/EndSupportMeasure",
        "srs.protection.v1.SupportMeasureService/CheckRequester",
        "srs.certificates.v1.CertificateService/IssueCertificate",
        "srs.certificates.v1.CertificateService/PreviewCertificate",
        "srs.certificates.v1.CertificateService/ListIssuances",
        "srs.certificates.v1.CertificateService/GetIssuance",
        "srs.certificates.v1.CertificateService/ReprintIssuance",
        "srs.certificates.v1.CertificateService/DisposeIssuance",
        "srs.certificates.v1.CertificateService/VerifyCertificate",
        "srs.certificates.v1.PersonalNoticeService/RegisterPersonalNotice",
        "srs.certificates.v1.PersonalNoticeService/ListPersonalNoticeRegistrations",
        "srs.certificates.v1.PersonalNoticeService/EndPersonalNoticeRegistration",
        "srs.certificates.v1.PersonalNoticeService/ListPersonalNotices",
        "srs.certificates.v1.PersonalNoticeService/GetPersonalNoticeLetter",
        "srs.staff.v1.StaffAdminService/ListStaff",
        "srs.staff.v1.StaffAdminService/AddStaff",
        "srs.staff.v1.StaffAdminService/UpdateStaff",
        "srs.staff.v1.StaffAdminService/SetStaffDisabled",
        "srs.staff.v1.StaffAdminService/ResetStaff",
        "srs.staff.v1.StaffAdminService/IssueLinkedSystemSecret",
        "srs.staff.v1.StaffAdminService/RotateSigningKey",
        "srs.migration.v1.MigrationService/ExportCity",
        "srs.migration.v1.MigrationService/ImportCity",
        "srs.registration.v1.IntakeService/ReadIntakeCsv",
        "srs.staff.v1.StaffSessionService/GetSession",
        "srs.staff.v1.StaffSessionService/ChangePassword",
        "srs.staff.v1.StaffSessionService/ConfirmPassword",
    ];

    [Fact]
    public void Every_rpc_of_the_contract_is_covered_here()
    {
        var descriptors = new[]
        {
            TenantService.Descriptor, TenantAdminService.Descriptor, ResidentService.Descriptor, InputAssistService.Descriptor, MemoService.Descriptor, RegistrationService.Descriptor, ReviewService.Descriptor, ResidentCodeService.Descriptor, MoveOutCertificateService.Descriptor, ImmigrationNoticeService.Descriptor,
            SuppressionService.Descriptor, SupportMeasureService.Descriptor, Contracts.Audit.V1.AuditService.Descriptor,
            Contracts.Certificates.V1.CertificateService.Descriptor, Contracts.Certificates.V1.PersonalNoticeService.Descriptor,
            Contracts.Staff.V1.StaffAdminService.Descriptor, Contracts.Staff.V1.StaffSessionService.Descriptor,
            Contracts.Migration.V1.MigrationService.Descriptor, IntakeService.Descriptor, CsLinkService.Descriptor, Contracts.Link.V1.LinkService.Descriptor,
            Contracts.Jobs.V1.JobService.Descriptor, Contracts.Analytics.V1.EucService.Descriptor,
            Contracts.Analytics.V1.IndicatorService.Descriptor,
        };
        var all = descriptors.SelectMany(s => s.Methods.Select(m => $"{s.FullName}/{m.Name}")).Order().ToList();
        var contractServices = typeof(TenantService).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsAbstract && t.IsSealed && t.GetProperty("Descriptor")?.PropertyType == typeof(Google.Protobuf.Reflection.ServiceDescriptor))
            .Select(t => ((Google.Protobuf.Reflection.ServiceDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!).FullName)
            // jukinet.* is the CS's side of the 住基ネット link (implemented by the CS, not by the register).
            .Where(name => name.StartsWith("srs.", StringComparison.Ordinal))
            .Order().ToList();
        Assert.Equal(descriptors.Select(d => d.FullName).Order(), contractServices);
        Assert.Equal(Covered.Order(), all);
    }

    [Fact]
    public async Task Another_city_cannot_read_search_change_or_detect_a_record()
    {
        var kana = Requests.UniqueKana();
        var ownerMoveIn = Requests.MoveIn(Owner, kana, members: 1);
        ownerMoveIn.Address.Katagaki = "秘密荘" + kana;
        ownerMoveIn.Members[0].Domicile = new Domicile { Address = "東京都東久留米市本町一丁目" + kana, HeadName = "高橋 一郎" };
        var created = await new RegistrationService.RegistrationServiceClient(server.As(Owner)).RecordMoveInAsync(ownerMoveIn);
        var victim = created.Residents[0];

        var residents = new ResidentService.ResidentServiceClient(server.As(Other));
        var registration = new RegistrationService.RegistrationServiceClient(server.As(Other));
        var tenants = new TenantService.TenantServiceClient(server.As(Other));

        // GetTenant: the other city's name is answered like a city that does not exist.
        var tenantProbe = await Refusal(() => tenants.GetTenantAsync(new GetTenantRequest { Name = $"tenants/{Owner}" }).ResponseAsync);
        var tenantMissing = await Refusal(() => tenants.GetTenantAsync(new GetTenantRequest { Name = "tenants/999999" }).ResponseAsync);
        AssertIndistinguishable(tenantMissing, tenantProbe);

        // GetResident: by the owner's resource name, and by the same number under its own name.
        var nonexistent = $"tenants/{Owner}/residents/9999999999";
        var probe = await Refusal(() => residents.GetResidentAsync(new GetResidentRequest { Name = victim.Name }).ResponseAsync);
        var missing = await Refusal(() => residents.GetResidentAsync(new GetResidentRequest { Name = nonexistent }).ResponseAsync);
        AssertIndistinguishable(missing, probe);
        Assert.Equal(StatusCode.NotFound, probe.StatusCode);
        try
        {
            var own = await residents.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{Other}/residents/{victim.ResidentNumber}" });
            Assert.NotEqual(kana, own.PersonName.FamilyKana);
        }
        catch (RpcException e)
        {
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
        }

        // SearchResidents: by reading, by written name and by number, with and without 除票.
        foreach (var search in new[]
        {
            new SearchResidentsRequest { NameQuery = kana, IncludeRemoved = true },
            new SearchResidentsRequest { ResidentNumber = victim.ResidentNumber, IncludeRemoved = true },
            new SearchResidentsRequest { NameQuery = victim.PersonName.Family, IncludeRemoved = true, PageSize = 500 },
        })
        {
            var found = await residents.SearchResidentsAsync(search);
            Assert.DoesNotContain(found.Residents, r => r.PersonName.FamilyKana == kana || r.Name == victim.Name);
        }

        // CorrectResident: with the owner's name and the current etag it is not found, and nothing changes.
        var correctionProbe = await Refusal(() => registration.CorrectResidentAsync(new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = new Resident { Name = victim.Name, Etag = victim.Etag, Address = new Address { Katagaki = "乗っ取り" } },
            UpdateMask = FieldMask.FromString("address.katagaki"),
            CorrectionDate = Requests.Date(2026, 11, 26),
            Reason = "probe",
        }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, correctionProbe.StatusCode);

        // ListMissingMoveInNotices: only the caller's own city's 除票 are listed.
        Assert.DoesNotContain((await residents.ListMissingMoveInNoticesAsync(new ListMissingMoveInNoticesRequest { Days = 0 })).Residents, r => r.Name.StartsWith($"tenants/{Owner}/", StringComparison.Ordinal));

        // ListSearchHistory: the same staff id in the owner's city searched by this name; the other city never sees it.
        var ownerHistory = new ResidentService.ResidentServiceClient(server.As(Owner));
        await ownerHistory.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, Katagaki = "秘密荘" });
        Assert.Contains((await ownerHistory.ListSearchHistoryAsync(new ListSearchHistoryRequest())).Entries, h => h.Criteria.Katagaki == "秘密荘");
        var history = await residents.ListSearchHistoryAsync(new ListSearchHistoryRequest());
        Assert.NotEmpty(history.Entries);
        Assert.DoesNotContain(history.Entries, h => h.Criteria.Katagaki == "秘密荘");

        // GetHousehold and ListResidentIdou: the owner's household and history are not found.
        var householdProbe = await Refusal(() => residents.GetHouseholdAsync(new GetHouseholdRequest { Name = victim.Household }).ResponseAsync);
        var householdMissing = await Refusal(() => residents.GetHouseholdAsync(new GetHouseholdRequest { Name = $"tenants/{Owner}/households/9999999999" }).ResponseAsync);
        AssertIndistinguishable(householdMissing, householdProbe);
        var historyProbe = await Refusal(() => residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = victim.Name }).ResponseAsync);
        var historyMissing = await Refusal(() => residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = nonexistent }).ResponseAsync);
        AssertIndistinguishable(historyMissing, historyProbe);

        // InputAssistService: no 方書 or 本籍 of the owner's residents comes out.
        var assist = new InputAssistService.InputAssistServiceClient(server.As(Other));
        var katagaki = await assist.SuggestKatagakiAsync(new SuggestKatagakiRequest { Address = victim.Address });
        Assert.DoesNotContain(katagaki.Candidates, c => c.Katagaki.Contains(kana, StringComparison.Ordinal));
        Assert.Contains((await new InputAssistService.InputAssistServiceClient(server.As(Owner)).SuggestKatagakiAsync(new SuggestKatagakiRequest { Address = victim.Address })).Candidates, c => c.Katagaki == "秘密荘" + kana);
        // The address master answered is the caller's own city's: the owner's 町字 (南沢, 住居表示) is not in it.
        var ownTowns = (await assist.ListAddressMasterAsync(new ListAddressMasterRequest())).Places;
        Assert.All(ownTowns, p => Assert.Equal((Other, Other[..5]), (p.Address.LocalGovernmentCode, p.AddressCode[..5])));
        Assert.Empty((await assist.SuggestAddressAsync(new SuggestAddressRequest { Query = "2030023" })).Candidates);
        var ownerTown = await Refusal(() => assist.ListAddressMasterAsync(new ListAddressMasterRequest { Town = "南沢" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ownerTown.StatusCode);
        var domicileProbe = await Refusal(() => assist.SuggestDomicileAsync(new SuggestDomicileRequest { Resident = victim.Name }).ResponseAsync);
        var domicileMissing = await Refusal(() => assist.SuggestDomicileAsync(new SuggestDomicileRequest { Resident = nonexistent }).ResponseAsync);
        AssertIndistinguishable(domicileMissing, domicileProbe);

        // Every 異動 that names the owner's resident or household is not found.
        var target = new ResidentRef { Name = victim.Name, Etag = victim.Etag };
        var today = Requests.Date(2026, 11, 26);
        var notifier = new Notifier { Name = "探り 太郎", Relation = "本人" };
        var writes = new Func<Task>[]
        {
            () => registration.RecordMoveOutAsync(new RecordMoveOutRequest { RequestId = Guid.NewGuid().ToString(), Residents = { target }, PlannedDate = today, NotificationDate = today, Notifier = notifier, Destination = new Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-1" } }).ResponseAsync,
            () => registration.RecordAddressChangeAsync(new RecordAddressChangeRequest { RequestId = Guid.NewGuid().ToString(), Residents = { target }, MoveDate = today, NotificationDate = today, Notifier = notifier, Address = new Address { Town = Requests.TownOf(Other), Chome = 1, Banchi = "1" } }).ResponseAsync,
            () => registration.RecordBirthAsync(new RecordBirthRequest { RequestId = Guid.NewGuid().ToString(), Household = victim.Household, NotificationDate = today, Notifier = notifier, Child = Requests.MoveIn(Other, Requests.UniqueKana(), members: 1).Members[0] }).ResponseAsync,
            () => registration.RecordDeathAsync(new RecordDeathRequest { RequestId = Guid.NewGuid().ToString(), Resident = target, DeathDate = today, NotificationDate = today, Notifier = notifier }).ResponseAsync,
            () => registration.RecordHouseholdChangeAsync(new RecordHouseholdChangeRequest { RequestId = Guid.NewGuid().ToString(), Kind = HouseholdChangeKind.Split, Residents = { target }, Placement = new Placement { Relationships = { [victim.Name] = "世帯主" } }, ChangeDate = today, NotificationDate = today, Notifier = notifier }).ResponseAsync,
            () => registration.RecordAmendmentAsync(new RecordAmendmentRequest { RequestId = Guid.NewGuid().ToString(), Reason = AmendmentReason.ClericalError, Resident = new Resident { Name = victim.Name, Etag = victim.Etag, Sex = Sex.Female }, UpdateMask = FieldMask.FromString("sex"), AmendmentDate = today, NotificationDate = today, Note = "probe" }).ResponseAsync,
            () => registration.RecordOfficialEntryAsync(new RecordOfficialEntryRequest { RequestId = Guid.NewGuid().ToString(), Reason = OfficialEntryReason.Official, JoinHousehold = victim.Household, EntryDate = today, NotificationDate = today, Members = { Requests.MoveIn(Other, Requests.UniqueKana(), members: 1).Members[0] }, Note = "probe" }).ResponseAsync,
            () => registration.RecordOfficialRemovalAsync(new RecordOfficialRemovalRequest { RequestId = Guid.NewGuid().ToString(), Reason = OfficialRemovalReason.Official, Residents = { target }, RemovalDate = today, NotificationDate = today, Note = "probe" }).ResponseAsync,
            () => registration.RecordMoveInNoticeAsync(new RecordMoveInNoticeRequest { RequestId = Guid.NewGuid().ToString(), Resident = target, NoticeDate = today, ConfirmedOn = today, ConfirmedDestination = new Address { Prefecture = "東京都", City = "小平市" } }).ResponseAsync,
            () => registration.RecordCancellationAsync(new RecordCancellationRequest { RequestId = Guid.NewGuid().ToString(), Idou = created.Idou, NotificationDate = today, Note = "probe" }).ResponseAsync,
            () => new RegistrationService.RegistrationServiceClient(server.As(Other, "supervisor")).RemakeResidentAsync(new RemakeResidentRequest { RequestId = Guid.NewGuid().ToString(), Residents = { target }, RemadeOn = today, Note = "probe" }).ResponseAsync,
            () => registration.RecordHeadChangeAsync(new RecordHeadChangeRequest { RequestId = Guid.NewGuid().ToString(), Household = victim.Household, NewHead = target, ChangeDate = today, NotificationDate = today, Notifier = notifier }).ResponseAsync,
        };
        foreach (var write in writes)
        {
            Assert.Equal(StatusCode.NotFound, (await Refusal(write)).StatusCode);
        }

        // ReviewService: the owner's 仮登録 is neither listed nor approvable nor discardable.
        var pendingRequest = Requests.MoveIn(Owner, Requests.UniqueKana(), members: 1);
        pendingRequest.Provisional = true;
        var pendingOwn = await new RegistrationService.RegistrationServiceClient(server.As(Owner)).RecordMoveInAsync(pendingRequest);
        var review = new ReviewService.ReviewServiceClient(server.As(Other, "supervisor"));
        Assert.DoesNotContain((await review.ListPendingIdouAsync(new ListPendingIdouRequest())).PendingIdou, p => p.Name == pendingOwn.PendingIdou);
        var approveProbe = await Refusal(() => review.ApprovePendingIdouAsync(new ApprovePendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = { new PendingIdouRef { Name = pendingOwn.PendingIdou } } }).ResponseAsync);
        var approveMissing = await Refusal(() => review.ApprovePendingIdouAsync(new ApprovePendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = { new PendingIdouRef { Name = $"tenants/{Owner}/pendingIdou/999999" } } }).ResponseAsync);
        AssertIndistinguishable(approveMissing, approveProbe);
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => review.DiscardPendingIdouAsync(new DiscardPendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = new PendingIdouRef { Name = pendingOwn.PendingIdou } }).ResponseAsync)).StatusCode);
        Assert.Contains((await new ReviewService.ReviewServiceClient(server.As(Owner)).ListPendingIdouAsync(new ListPendingIdouRequest())).PendingIdou, p => p.Name == pendingOwn.PendingIdou);

        // Protection: the owner's 抑止 and 支援措置 cannot be seen, changed or used by the other city.
        await ProtectionIsolationAsync(victim);

        // MoveOutCertificateService: the one cross-city read refuses a record that did not move to the caller's city.
        var crossProbe = await Refusal(() => new MoveOutCertificateService.MoveOutCertificateServiceClient(server.As(Other)).GetMoveOutCertificateAsync(new GetMoveOutCertificateRequest { Resident = victim.Name }).ResponseAsync);
        var crossMissing = await Refusal(() => new MoveOutCertificateService.MoveOutCertificateServiceClient(server.As(Other)).GetMoveOutCertificateAsync(new GetMoveOutCertificateRequest { Resident = nonexistent }).ResponseAsync);
        AssertIndistinguishable(crossMissing, crossProbe);
        // The 通知書 of a 成年被後見人 is of the caller's own residents only.
        var wardProbe = await Refusal(() => new MoveOutCertificateService.MoveOutCertificateServiceClient(server.As(Other)).GetAdultWardNoticeAsync(new GetAdultWardNoticeRequest { Resident = victim.Name }).ResponseAsync);
        var wardMissing = await Refusal(() => new MoveOutCertificateService.MoveOutCertificateServiceClient(server.As(Other)).GetAdultWardNoticeAsync(new GetAdultWardNoticeRequest { Resident = nonexistent }).ResponseAsync);
        AssertIndistinguishable(wardMissing, wardProbe);

        // MemoService: the owner's notes are neither read nor changed by the other city.
        var ownerMemo = await new MemoService.MemoServiceClient(server.As(Owner)).AddMemoAsync(new AddMemoRequest { RequestId = Guid.NewGuid().ToString(), Resident = victim.Name, Text = "秘密のメモ" });
        var otherMemos = new MemoService.MemoServiceClient(server.As(Other));
        foreach (var call in new Func<Task>[]
        {
            () => otherMemos.AddMemoAsync(new AddMemoRequest { RequestId = Guid.NewGuid().ToString(), Resident = victim.Name, Text = "x" }).ResponseAsync,
            () => otherMemos.UpdateMemoAsync(new UpdateMemoRequest { RequestId = Guid.NewGuid().ToString(), Name = ownerMemo.Name, Text = "x" }).ResponseAsync,
            () => otherMemos.DeleteMemoAsync(new DeleteMemoRequest { RequestId = Guid.NewGuid().ToString(), Name = ownerMemo.Name }).ResponseAsync,
            () => otherMemos.ListMemosAsync(new ListMemosRequest { Resident = victim.Name }).ResponseAsync,
        })
        {
            Assert.Equal(StatusCode.NotFound, (await Refusal(call)).StatusCode);
        }

        // ImmigrationNoticeService: each city's queue is its own.
        var foreign = Requests.MoveIn(Owner, Requests.UniqueKana(), members: 1);
        foreign.Reason = MoveInReason.FromAbroad;
        foreign.PreviousAddress = null;
        foreign.Members[0].Kind = ResidentKind.Foreign;
        foreign.Members[0].Domicile = null;
        foreign.Members[0].Foreign = new ForeignResidentItems { Nationality = "ベトナム", Category = ForeignResidentCategory.MidLongTerm, ResidenceCardNumber = Requests.CardNumber() };
        var foreigner = (await new RegistrationService.RegistrationServiceClient(server.As(Owner)).RecordMoveInAsync(foreign)).Residents[0];
        var ownerQueue = (await new ImmigrationNoticeService.ImmigrationNoticeServiceClient(server.As(Owner, "operator")).ListImmigrationNoticesAsync(new ListImmigrationNoticesRequest())).Notices;
        var notice = ownerQueue.Single(n => n.Resident == foreigner.Name);
        var otherQueue = new ImmigrationNoticeService.ImmigrationNoticeServiceClient(server.As(Other, "operator"));
        Assert.DoesNotContain((await otherQueue.ListImmigrationNoticesAsync(new ListImmigrationNoticesRequest())).Notices, n => n.Resident == foreigner.Name);
        AssertIndistinguishable(
            await Refusal(() => otherQueue.ResendImmigrationNoticeAsync(new ResendImmigrationNoticeRequest { RequestId = Guid.NewGuid().ToString(), Name = $"tenants/{Owner}/immigrationNotices/999999" }).ResponseAsync),
            await Refusal(() => otherQueue.ResendImmigrationNoticeAsync(new ResendImmigrationNoticeRequest { RequestId = Guid.NewGuid().ToString(), Name = notice.Name }).ResponseAsync));
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => otherQueue.RecordImmigrationNoticeResultsAsync(new RecordImmigrationNoticeResultsRequest { RequestId = Guid.NewGuid().ToString(), Results = { new ImmigrationNoticeResult { Name = notice.Name, Accepted = true } } }).ResponseAsync)).StatusCode);

        // CsLinkService: each city's CS messages are its own (the foreigner's 本人確認情報 is the owner's).
        var ownerLink = new CsLinkService.CsLinkServiceClient(server.As(Owner, "supervisor"));
        var message = (await ownerLink.ListCsMessagesAsync(new ListCsMessagesRequest { Resident = foreigner.Name })).Messages.First();
        var otherLink = new CsLinkService.CsLinkServiceClient(server.As(Other, "supervisor"));
        Assert.DoesNotContain((await otherLink.ListCsMessagesAsync(new ListCsMessagesRequest())).Messages, m => m.Resident == foreigner.Name);
        // What the CS sent a city is that city's (routed by 団体コード, CsLinkTests): another city neither lists nor completes it.
        Assert.DoesNotContain((await otherLink.ListCsInboundAsync(new ListCsInboundRequest())).Messages, m => m.RecipientCode == Owner);
        // The link's status counts the caller's city only: the owner's waiting messages are not the other city's.
        var ownerWaiting = (await ownerLink.GetCsLinkStatusAsync(new GetCsLinkStatusRequest())).Pending;
        Assert.True(ownerWaiting > 0);
        Assert.Equal((await otherLink.ListCsMessagesAsync(new ListCsMessagesRequest { State = CsMessageState.Pending, PageSize = 500 })).Messages.Count,
            (await otherLink.GetCsLinkStatusAsync(new GetCsLinkStatusRequest())).Pending);
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => otherLink.CompleteCsInboundAsync(new CompleteCsInboundRequest { RequestId = Guid.NewGuid().ToString(), Name = $"tenants/{Owner}/csInbound/1", Note = "x" }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => new MoveOutCertificateService.MoveOutCertificateServiceClient(server.As(Other)).GetReceivedMoveOutCertificateAsync(
            new GetReceivedMoveOutCertificateRequest { Name = $"tenants/{Owner}/csInbound/1" }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => otherLink.ListCsMessagesAsync(new ListCsMessagesRequest { Resident = foreigner.Name }).ResponseAsync)).StatusCode);
        // JobService: each city's jobs are its own (started, seen, listed and cancelled there only).
        var ownerJobs = new Contracts.Jobs.V1.JobService.JobServiceClient(server.As(Owner, "supervisor"));
        var job = await ownerJobs.StartJobAsync(new Contracts.Jobs.V1.StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Jobs.V1.JobKind.RandomExtraction, Reason = "isolation",
            RandomExtraction = new Contracts.Jobs.V1.RandomExtractionParameters { Count = 1, Seed = 1 },
        });
        var otherJobs = new Contracts.Jobs.V1.JobService.JobServiceClient(server.As(Other, "supervisor"));
        AssertIndistinguishable(
            await Refusal(() => otherJobs.GetOperationAsync(new Contracts.Jobs.V1.GetOperationRequest { Name = $"tenants/{Owner}/operations/999999" }).ResponseAsync),
            await Refusal(() => otherJobs.GetOperationAsync(new Contracts.Jobs.V1.GetOperationRequest { Name = job.Name }).ResponseAsync));
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => otherJobs.CancelOperationAsync(new Contracts.Jobs.V1.CancelOperationRequest { RequestId = Guid.NewGuid().ToString(), Name = job.Name }).ResponseAsync)).StatusCode);
        Assert.DoesNotContain((await otherJobs.ListOperationsAsync(new Contracts.Jobs.V1.ListOperationsRequest { PageSize = 500 })).Operations, o => o.Name == job.Name);
        Assert.Contains((await ownerJobs.ListOperationsAsync(new Contracts.Jobs.V1.ListOperationsRequest { PageSize = 500 })).Operations, o => o.Name == job.Name);

        // EucService: a city's copy of its register is read by its own staff only; another city's
        // extraction answers from its own copy (or none), never finding the owner's residents.
        var copied = await Jobs.Operations.FinishedAsync(ownerJobs, await ownerJobs.StartJobAsync(new Contracts.Jobs.V1.StartJobRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Jobs.V1.JobKind.EucSnapshot, Reason = "isolation",
        }));
        Assert.Equal(Contracts.Jobs.V1.JobState.Succeeded, copied.Metadata.State);
        var ownerEuc = new Contracts.Analytics.V1.EucService.EucServiceClient(server.As(Owner, "supervisor"));
        var otherEuc = new Contracts.Analytics.V1.EucService.EucServiceClient(server.As(Other, "supervisor"));
        Assert.Equal(copied.Name, (await ownerEuc.DescribeSourceAsync(new Contracts.Analytics.V1.DescribeSourceRequest())).Operation);
        Assert.NotEqual(copied.Name, (await otherEuc.DescribeSourceAsync(new Contracts.Analytics.V1.DescribeSourceRequest())).Operation);
        async Task<string> CountAsync(Contracts.Analytics.V1.EucService.EucServiceClient euc)
        {
            using var call = euc.Extract(new Contracts.Analytics.V1.ExtractRequest { Reason = "isolation", Sql = $"SELECT count(*) FROM R01_住民 WHERE 宛名番号 = '{foreigner.ResidentNumber}'" });
            await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            {
                if (chunk.Rows is { } rows)
                {
                    return rows.Rows[0].Values[0];
                }
            }
            return "";
        }
        Assert.Equal("1", await CountAsync(ownerEuc));
        // IndicatorService: another city's figures are not found, as if the city did not exist.
        var otherIndicators = new Contracts.Analytics.V1.IndicatorService.IndicatorServiceClient(server.As(Other, "supervisor"));
        AssertIndistinguishable(
            await Refusal(() => otherIndicators.ListIdouCountsAsync(new Contracts.Analytics.V1.IndicatorRequest { Tenant = "tenants/999999" }).ResponseAsync),
            await Refusal(() => otherIndicators.ListIdouCountsAsync(new Contracts.Analytics.V1.IndicatorRequest { Tenant = $"tenants/{Owner}" }).ResponseAsync));
        try
        {
            Assert.Equal("0", await CountAsync(otherEuc));
        }
        catch (RpcException none)
        {
            Assert.Equal("EUC_NO_SNAPSHOT", none.ErrorInfo()?.Reason);
        }

        // A resident's 送付先 (a 居所 may be a protected person's) is the owner's: another city neither reads nor designates it.
        AssertIndistinguishable(
            await Refusal(() => otherLink.GetDeliveryAddressAsync(new GetDeliveryAddressRequest { Resident = $"tenants/{Owner}/residents/999999999" }).ResponseAsync),
            await Refusal(() => otherLink.GetDeliveryAddressAsync(new GetDeliveryAddressRequest { Resident = foreigner.Name }).ResponseAsync));
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => otherLink.DesignateDeliveryAddressAsync(new DesignateDeliveryAddressRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = foreigner.Name, PrintCategory = DeliveryPrintCategory.NoPrint, Note = "x",
        }).ResponseAsync)).StatusCode);
        Assert.False((await ownerLink.GetDeliveryAddressAsync(new GetDeliveryAddressRequest { Resident = foreigner.Name })).Designated);
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => otherLink.RequestCertificateSerialAsync(new RequestCertificateSerialRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = foreigner.Name,
        }).ResponseAsync)).StatusCode);
        AssertIndistinguishable(
            await Refusal(() => otherLink.CompleteCsMessageAsync(new CompleteCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = $"tenants/{Owner}/csMessages/999999", Note = "x" }).ResponseAsync),
            await Refusal(() => otherLink.CompleteCsMessageAsync(new CompleteCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = message.Name, Note = "x" }).ResponseAsync));
        AssertIndistinguishable(
            await Refusal(() => otherLink.ResendCsMessageAsync(new ResendCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = $"tenants/{Owner}/csMessages/999999" }).ResponseAsync),
            await Refusal(() => otherLink.ResendCsMessageAsync(new ResendCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = message.Name }).ResponseAsync));
        Assert.Equal(CsMessageState.Pending, (await ownerLink.ListCsMessagesAsync(new ListCsMessagesRequest { Resident = foreigner.Name })).Messages.First().State);
        // The consistency check compares only the caller's own city with the CS's list of that city
        // (sender_code is the caller's; tested end to end in CsLinkTests); here no CS is configured.
        Assert.Equal("CS_NOT_CONFIGURED", (await Refusal(() => otherLink.CheckCsConsistencyAsync(new CheckCsConsistencyRequest()).ResponseAsync)).ErrorInfo()?.Reason);

        // MigrationService: a city's export holds only its own register, and its folders are out of the other city's reach.
        var run = Guid.NewGuid().ToString("N")[..8];
        await new Contracts.Migration.V1.MigrationService.MigrationServiceClient(server.As(Owner, "operator")).ExportCityAsync(new Contracts.Migration.V1.ExportCityRequest { Folder = "iso-" + run });
        var otherMigration = new Contracts.Migration.V1.MigrationService.MigrationServiceClient(server.As(Other, "operator"));
        await otherMigration.ExportCityAsync(new Contracts.Migration.V1.ExportCityRequest { Folder = "iso-other-" + run });
        var root = SharedResidentSystem.Server.Migration.MigrationGrpcService.Root(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<SharedResidentSystem.Server.Hosting.ServerOptions>>(server.Services).Value);
        Assert.DoesNotContain(victim.ResidentNumber, File.ReadAllText(Path.Combine(root, Other, "iso-other-" + run, "R01_住民.csv")), StringComparison.Ordinal);
        Assert.Contains(victim.ResidentNumber, File.ReadAllText(Path.Combine(root, Owner, "iso-" + run, "R01_住民.csv")), StringComparison.Ordinal);
        foreach (var folder in new[] { "iso-" + run, $"../{Owner}/iso-{run}" })
        {
            using var import = otherMigration.ImportCity(new Contracts.Migration.V1.ImportCityRequest { Folder = folder, DryRun = true });
            var refused = await Refusal(async () => await import.ResponseStream.MoveNext(CancellationToken.None));
            Assert.True(refused.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument, refused.Status.ToString());
        }

        // IntakeService: a CSV naming the owner's 宛名番号 becomes a request for the caller's own city, and reads nothing of the owner's.
        var intake = await new IntakeService.IntakeServiceClient(server.As(Other)).ReadIntakeCsvAsync(new ReadIntakeCsvRequest
        {
            Kind = IntakeKind.CertificateApplication,
            Csv = $"証明書の種類,宛名番号,請求者の区分,請求者氏名\r\n住民票の写し,{victim.ResidentNumber},本人,探り　太郎\r\n",
        });
        Assert.Equal($"tenants/{Other}/residents/{victim.ResidentNumber}", Assert.Single(intake.Certificate.Residents));

        // ResidentCodeService: each city's stock is its own.
        var ownerCodes = new ResidentCodeService.ResidentCodeServiceClient(server.As(Owner, "operator"));
        var otherCodes = new ResidentCodeService.ResidentCodeServiceClient(server.As(Other, "operator"));
        var before = await otherCodes.GetResidentCodeStockAsync(new GetResidentCodeStockRequest());
        await ownerCodes.ImportResidentCodesAsync(new ImportResidentCodesRequest { RequestId = Guid.NewGuid().ToString(), Codes = { Core.Numbers.CheckDigits.WithCheckDigit(7000000000 + Random.Shared.Next(1_000_000), 10) } });
        Assert.Equal(before, await otherCodes.GetResidentCodeStockAsync(new GetResidentCodeStockRequest()));

        // AuditService: the other city's auditor never sees the owner's entries.
        var otherAuditor = new Contracts.Audit.V1.AuditService.AuditServiceClient(server.As(Other, "auditor"));
        var ownerAuditor = new Contracts.Audit.V1.AuditService.AuditServiceClient(server.As(Owner, "auditor"));
        var ownerEntries = (await ownerAuditor.SearchAccessLogAsync(new Contracts.Audit.V1.SearchAccessLogRequest { ResidentNumber = victim.ResidentNumber })).Entries.Select(e => e.Hash).ToHashSet();
        var otherEntries = (await otherAuditor.SearchAccessLogAsync(new Contracts.Audit.V1.SearchAccessLogRequest { PageSize = 1000 })).Entries.Select(e => e.Hash);
        Assert.Empty(ownerEntries.Intersect(otherEntries));
        Assert.NotEmpty(ownerEntries);
        var otherCsv = new System.Text.StringBuilder();
        using (var export = otherAuditor.ExportAccessLog(new Contracts.Audit.V1.SearchAccessLogRequest()))
        {
            await foreach (var chunk in export.ResponseStream.ReadAllAsync())
            {
                otherCsv.Append(chunk.Csv.ToStringUtf8());
            }
        }
        Assert.DoesNotContain(ownerEntries, h => otherCsv.ToString().Contains(h, StringComparison.Ordinal));
        Assert.Equal(Other, (await otherAuditor.GetCheckpointAsync(new Contracts.Audit.V1.GetCheckpointRequest())).Tenant);
        var ownerCheckpoint = await ownerAuditor.GetCheckpointAsync(new Contracts.Audit.V1.GetCheckpointRequest());
        Assert.Equal(["checkpoint.tenant"], (await Refusal(() => otherAuditor.VerifyChainAsync(new Contracts.Audit.V1.VerifyChainRequest { Checkpoint = ownerCheckpoint }).ResponseAsync)).ViolatedFields());
        Assert.NotEmpty((await otherAuditor.AnalyseAccessLogAsync(new Contracts.Audit.V1.AnalyseAccessLogRequest { Analysis = Contracts.Audit.V1.Analysis.AccessPerStaff })).Rows);

        // LinkService: a city's linked system receives that city's register only: its 全件 holds the
        // other city's new resident and not the owner's foreigner (宛名番号 are per city, so by reading).
        var otherKana = Requests.UniqueKana();
        await new RegistrationService.RegistrationServiceClient(server.As(Other)).RecordMoveInAsync(Requests.MoveIn(Other, otherKana, members: 1));
        var otherSystem = new Contracts.Link.V1.LinkService.LinkServiceClient(server.Invoker(server.Token(Other, staff: "juminzei", roles: Roles.LinkedSystem)));
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        using (var subscription = otherSystem.Subscribe(new Contracts.Link.V1.SubscribeRequest(), cancellationToken: stop.Token))
        {
            var readings = new List<string>();
            while (await subscription.ResponseStream.MoveNext(stop.Token) && subscription.ResponseStream.Current.Kind != Contracts.Link.V1.LinkEventKind.SnapshotComplete)
            {
                readings.AddRange(subscription.ResponseStream.Current.Items.Where(i => i.Name == "氏_カナ").Select(i => i.Value));
            }
            Assert.Contains(otherKana, readings);
            Assert.DoesNotContain(foreign.Members[0].PersonName.FamilyKana, readings);
            await stop.CancelAsync();
        }
        // Nor does its 他業務照会 report reach the owner's resident (another city's resident is not found).
        var otherKokuho = new Contracts.Link.V1.LinkService.LinkServiceClient(server.Invoker(server.Token(Other, staff: "kokuho", roles: Roles.LinkedSystem)));
        var report = await Refusal(() => otherKokuho.ReportServiceStatusAsync(new Contracts.Link.V1.ReportServiceStatusRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = foreigner.Name, Service = Contracts.Link.V1.LinkedService.NationalHealthInsurance,
            Status = new Contracts.Residents.V1.Entitlements { NationalHealthInsurance = new Contracts.Residents.V1.Coverage { Covered = true } },
        }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, report.StatusCode);

        // RecordMoveIn: nothing in the request names a city; an address of the owner's dictionary is refused.
        var moveIn = Requests.MoveIn(Other, Requests.UniqueKana(), members: 1);
        moveIn.Address.Town = "南沢";
        var moveInProbe = await Refusal(() => registration.RecordMoveInAsync(moveIn).ResponseAsync);
        Assert.Contains("address.town", moveInProbe.ViolatedFields());

        // The owner still sees the record exactly as it was.
        var ownerView = new ResidentService.ResidentServiceClient(server.As(Owner));
        var after = await ownerView.GetResidentAsync(new GetResidentRequest { Name = victim.Name });
        Assert.Equal(victim, after);
        Assert.Single((await ownerView.ListResidentIdouAsync(new ListResidentIdouRequest { Name = victim.Name })).Idou);
        Assert.Single((await ownerView.GetHouseholdAsync(new GetHouseholdRequest { Name = victim.Household })).Members);
    }

    [Fact]
    public async Task Another_citys_operator_cannot_list_add_change_disable_or_reset_this_citys_staff_nor_rotate_keys()
    {
        var staffId = "iso" + Guid.NewGuid().ToString("N")[..8];
        var joint = new Contracts.Staff.V1.StaffAdminService.StaffAdminServiceClient(server.As(Core.Security.SrsClaims.JointSystem, Core.Security.Roles.Operator));
        var add = new Contracts.Staff.V1.AddStaffRequest { RequestId = Guid.NewGuid().ToString(), Tenant = Owner, StaffId = staffId, Password = "isolation-pass-2026" };
        add.Roles.Add("clerk");
        await joint.AddStaffAsync(add);
        var theirs = new Contracts.Staff.V1.StaffAdminService.StaffAdminServiceClient(server.As(Other, Core.Security.Roles.Operator));
        async Task Refused(Func<Task> call) => Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(call)).StatusCode);

        await Refused(() => theirs.ListStaffAsync(new Contracts.Staff.V1.ListStaffRequest { Tenant = Owner }).ResponseAsync);
        var foreignAdd = add.Clone();
        foreignAdd.RequestId = Guid.NewGuid().ToString();
        foreignAdd.StaffId = staffId + "x";
        await Refused(() => theirs.AddStaffAsync(foreignAdd).ResponseAsync);
        var update = new Contracts.Staff.V1.UpdateStaffRequest { RequestId = Guid.NewGuid().ToString(), Tenant = Owner, StaffId = staffId, Unit = "x" };
        update.UpdateMask.Add("unit");
        await Refused(() => theirs.UpdateStaffAsync(update).ResponseAsync);
        await Refused(() => theirs.SetStaffDisabledAsync(new Contracts.Staff.V1.SetStaffDisabledRequest { RequestId = Guid.NewGuid().ToString(), Tenant = Owner, StaffId = staffId, Disabled = true }).ResponseAsync);
        await Refused(() => theirs.ResetStaffAsync(new Contracts.Staff.V1.ResetStaffRequest { RequestId = Guid.NewGuid().ToString(), Tenant = Owner, StaffId = staffId }).ResponseAsync);
        await Refused(() => theirs.IssueLinkedSystemSecretAsync(new Contracts.Staff.V1.IssueLinkedSystemSecretRequest { RequestId = Guid.NewGuid().ToString(), Tenant = Owner, SystemId = "juminzei" }).ResponseAsync);
        await Refused(() => theirs.RotateSigningKeyAsync(new Contracts.Staff.V1.RotateSigningKeyRequest { RequestId = Guid.NewGuid().ToString(), Reason = "x" }).ResponseAsync);
        // Their own list does not show this city's staff, and the account is unchanged.
        Assert.DoesNotContain((await theirs.ListStaffAsync(new Contracts.Staff.V1.ListStaffRequest())).Staff, s => s.StaffId == staffId);
        var mine = (await joint.ListStaffAsync(new Contracts.Staff.V1.ListStaffRequest { Tenant = Owner })).Staff.Single(s => s.StaffId == staffId);
        Assert.Equal(("", false, false), (mine.Unit, mine.Disabled, mine.MustChangePassword));
        // The joint system's own staff are operators only.
        var jointClerk = new Contracts.Staff.V1.AddStaffRequest { RequestId = Guid.NewGuid().ToString(), Tenant = "*", StaffId = staffId, Password = "isolation-pass-2026" };
        jointClerk.Roles.Add("clerk");
        var notOperator = await Assert.ThrowsAsync<RpcException>(() => joint.AddStaffAsync(jointClerk).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "roles"), (notOperator.StatusCode, notOperator.ViolatedFields().Single()));
        // A clerk's session answers only who the token names.
        var session = await new Contracts.Staff.V1.StaffSessionService.StaffSessionServiceClient(server.As(Other)).GetSessionAsync(new Contracts.Staff.V1.GetSessionRequest());
        Assert.Equal(Other, session.Tenant);
        var unlock = await Assert.ThrowsAsync<RpcException>(() => new Contracts.Staff.V1.StaffSessionService.StaffSessionServiceClient(server.As(Other))
            .ConfirmPasswordAsync(new Contracts.Staff.V1.ConfirmPasswordRequest { Password = "isolation-pass-2026" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, unlock.StatusCode);
    }

    [Fact]
    public async Task The_same_request_id_in_two_cities_is_two_requests()
    {
        var first = Requests.MoveIn(Owner, Requests.UniqueKana(), members: 1);
        var second = Requests.MoveIn(Other, Requests.UniqueKana(), members: 1);
        second.RequestId = first.RequestId;
        var a = await new RegistrationService.RegistrationServiceClient(server.As(Owner)).RecordMoveInAsync(first);
        var b = await new RegistrationService.RegistrationServiceClient(server.As(Other)).RecordMoveInAsync(second);
        Assert.StartsWith($"tenants/{Owner}/", a.Idou, StringComparison.Ordinal);
        Assert.StartsWith($"tenants/{Other}/", b.Idou, StringComparison.Ordinal);
    }

    private async Task ProtectionIsolationAsync(Resident victim)
    {
        var ownerSuppressions = new SuppressionService.SuppressionServiceClient(server.As(Owner, "supervisor"));
        var ownerMeasures = new SupportMeasureService.SupportMeasureServiceClient(server.As(Owner, "supervisor"));
        var suppression = await ownerSuppressions.CreateSuppressionAsync(new CreateSuppressionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Suppression = new Suppression { Resident = victim.Name, Processes = { SuppressedProcess.Issuance }, Level = SuppressionLevel.Alert, Category = SuppressionCategory.Other, Reason = "isolation", StartsOn = Requests.Date(2026, 11, 1) },
        });
        var measure = await ownerMeasures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SupportMeasure = new SupportMeasure { Applicant = victim.Name, Perpetrators = { new Perpetrator { Name = "加害 次郎" } }, Services = { "住民票の写し等の交付" }, StartsOn = Requests.Date(2026, 11, 1) },
        });
        var suppressions = new SuppressionService.SuppressionServiceClient(server.As(Other, "supervisor"));
        var measures = new SupportMeasureService.SupportMeasureServiceClient(server.As(Other, "supervisor"));
        var missingSuppression = $"tenants/{Owner}/suppressions/999999";
        var missingMeasure = $"tenants/{Owner}/supportMeasures/999999";
        var id = () => Guid.NewGuid().ToString();
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => suppressions.CreateSuppressionAsync(new CreateSuppressionRequest { RequestId = id(), Suppression = new Suppression { Resident = victim.Name, Processes = { SuppressedProcess.Inquiry }, Level = SuppressionLevel.Error, Category = SuppressionCategory.Other, Reason = "x", StartsOn = Requests.Date(2026, 11, 1) } }).ResponseAsync)).StatusCode);
        AssertIndistinguishable(
            await Refusal(() => suppressions.LiftSuppressionAsync(new LiftSuppressionRequest { RequestId = id(), Name = missingSuppression, Reason = "x" }).ResponseAsync),
            await Refusal(() => suppressions.LiftSuppressionAsync(new LiftSuppressionRequest { RequestId = id(), Name = suppression.Name, Reason = "x" }).ResponseAsync));
        AssertIndistinguishable(
            await Refusal(() => suppressions.ReleaseSuppressionAsync(new ReleaseSuppressionRequest { RequestId = id(), Name = missingSuppression, Reason = "x" }).ResponseAsync),
            await Refusal(() => suppressions.ReleaseSuppressionAsync(new ReleaseSuppressionRequest { RequestId = id(), Name = suppression.Name, Reason = "x" }).ResponseAsync));
        Assert.DoesNotContain((await suppressions.ListSuppressionsAsync(new ListSuppressionsRequest { IncludeLifted = true })).Suppressions, x => x.Resident == victim.Name);
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => measures.CreateSupportMeasureAsync(new CreateSupportMeasureRequest { RequestId = id(), SupportMeasure = new SupportMeasure { Applicant = victim.Name, Perpetrators = { new Perpetrator { Name = "x" } }, Services = { "住民票の写し等の交付" }, StartsOn = Requests.Date(2026, 11, 1) } }).ResponseAsync)).StatusCode);
        AssertIndistinguishable(
            await Refusal(() => measures.GetSupportMeasureAsync(new GetSupportMeasureRequest { Name = missingMeasure }).ResponseAsync),
            await Refusal(() => measures.GetSupportMeasureAsync(new GetSupportMeasureRequest { Name = measure.Name }).ResponseAsync));
        Assert.DoesNotContain((await measures.ListSupportMeasuresAsync(new ListSupportMeasuresRequest { IncludeEnded = true })).SupportMeasures, m => m.Applicant == victim.Name);
        foreach (var change in new Func<Task>[]
        {
            () => measures.ConfirmSupportMeasureAsync(new ConfirmSupportMeasureRequest { RequestId = id(), Name = measure.Name }).ResponseAsync,
            () => measures.ExtendSupportMeasureAsync(new ExtendSupportMeasureRequest { RequestId = id(), Name = measure.Name }).ResponseAsync,
            () => measures.EndSupportMeasureAsync(new EndSupportMeasureRequest { RequestId = id(), Name = measure.Name, Reason = "x" }).ResponseAsync,
            () => measures.CheckRequesterAsync(new CheckRequesterRequest { Resident = victim.Name, RequesterName = "加害 次郎" }).ResponseAsync,
        })
        {
            Assert.Equal(StatusCode.NotFound, (await Refusal(change)).StatusCode);
        }
        // The owner's measure is unchanged and ends cleanly.
        var ended = await ownerMeasures.EndSupportMeasureAsync(new EndSupportMeasureRequest { RequestId = id(), Name = measure.Name, Etag = measure.Etag, Reason = "isolation test" });
        Assert.Equal(SupportMeasureState.Ended, ended.State);
        await ownerSuppressions.LiftSuppressionAsync(new LiftSuppressionRequest { RequestId = id(), Name = suppression.Name, Etag = suppression.Etag, Reason = "isolation test" });
    }

    [Fact]
    public async Task Another_city_cannot_issue_read_reprint_or_dispose_a_certificate_and_verification_tells_nothing_personal()
    {
        var family = await new RegistrationService.RegistrationServiceClient(server.As(Owner)).RecordMoveInAsync(Requests.MoveIn(Owner, Requests.UniqueKana(), members: 2));
        var head = family.Residents[0];
        var ownerRequester = new Contracts.Certificates.V1.Requester { Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = "本人", Resident = head.Name, IdentityCheck = "運転免許証" };
        var issued = await new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(server.As(Owner)).IssueCertificateAsync(new Contracts.Certificates.V1.IssueCertificateRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Household = head.Household, Requester = ownerRequester,
        });
        var other = new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(server.As(Other));
        var missingResident = $"tenants/{Owner}/residents/000000099";
        var missingIssuance = $"tenants/{Owner}/issuances/999999";
        Contracts.Certificates.V1.IssueCertificateRequest Issue(string resident) => new()
        {
            RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Residents = { resident },
            Requester = new Contracts.Certificates.V1.Requester { Category = Contracts.Certificates.V1.RequesterCategory.ThirdParty, Name = "x", IdentityCheck = "x", Purpose = Contracts.Certificates.V1.ThirdPartyPurpose.OtherLegitimate, PurposeDetail = "x" },
        };
        AssertIndistinguishable(await Refusal(() => other.IssueCertificateAsync(Issue(missingResident)).ResponseAsync), await Refusal(() => other.IssueCertificateAsync(Issue(head.Name)).ResponseAsync));
        AssertIndistinguishable(await Refusal(() => other.PreviewCertificateAsync(Issue(missingResident)).ResponseAsync), await Refusal(() => other.PreviewCertificateAsync(Issue(head.Name)).ResponseAsync));
        AssertIndistinguishable(await Refusal(() => other.ListIssuancesAsync(new Contracts.Certificates.V1.ListIssuancesRequest { Resident = missingResident }).ResponseAsync),
            await Refusal(() => other.ListIssuancesAsync(new Contracts.Certificates.V1.ListIssuancesRequest { Resident = head.Name }).ResponseAsync));
        Assert.DoesNotContain((await other.ListIssuancesAsync(new Contracts.Certificates.V1.ListIssuancesRequest { IncludeRefused = true })).Issuances, i => i.Name == issued.Issuance);
        AssertIndistinguishable(await Refusal(() => other.GetIssuanceAsync(new Contracts.Certificates.V1.GetIssuanceRequest { Name = missingIssuance }).ResponseAsync),
            await Refusal(() => other.GetIssuanceAsync(new Contracts.Certificates.V1.GetIssuanceRequest { Name = issued.Issuance }).ResponseAsync));
        AssertIndistinguishable(await Refusal(() => other.ReprintIssuanceAsync(new Contracts.Certificates.V1.ReprintIssuanceRequest { Name = missingIssuance }).ResponseAsync),
            await Refusal(() => other.ReprintIssuanceAsync(new Contracts.Certificates.V1.ReprintIssuanceRequest { Name = issued.Issuance }).ResponseAsync));
        AssertIndistinguishable(await Refusal(() => other.DisposeIssuanceAsync(new Contracts.Certificates.V1.DisposeIssuanceRequest { RequestId = Guid.NewGuid().ToString(), Name = missingIssuance, Reason = "x" }).ResponseAsync),
            await Refusal(() => other.DisposeIssuanceAsync(new Contracts.Certificates.V1.DisposeIssuanceRequest { RequestId = Guid.NewGuid().ToString(), Name = issued.Issuance, Reason = "x" }).ResponseAsync));
        // Verification is public by design and the same for anyone: no names, no numbers.
        var code = issued.Copies[0].VerificationCode;
        var byOther = await other.VerifyCertificateAsync(new Contracts.Certificates.V1.VerifyCertificateRequest { Code = code });
        var anonymous = await new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(server.Invoker(null)).VerifyCertificateAsync(new Contracts.Certificates.V1.VerifyCertificateRequest { Code = code });
        Assert.Equal(anonymous, byOther);
        Assert.True(anonymous.Valid);

        var notices = new Contracts.Certificates.V1.PersonalNoticeService.PersonalNoticeServiceClient(server.As(Other));
        AssertIndistinguishable(await Refusal(() => notices.RegisterPersonalNoticeAsync(new Contracts.Certificates.V1.RegisterPersonalNoticeRequest { RequestId = Guid.NewGuid().ToString(), Resident = missingResident }).ResponseAsync),
            await Refusal(() => notices.RegisterPersonalNoticeAsync(new Contracts.Certificates.V1.RegisterPersonalNoticeRequest { RequestId = Guid.NewGuid().ToString(), Resident = head.Name }).ResponseAsync));
        AssertIndistinguishable(await Refusal(() => notices.ListPersonalNoticeRegistrationsAsync(new Contracts.Certificates.V1.ListPersonalNoticeRegistrationsRequest { Resident = missingResident }).ResponseAsync),
            await Refusal(() => notices.ListPersonalNoticeRegistrationsAsync(new Contracts.Certificates.V1.ListPersonalNoticeRegistrationsRequest { Resident = head.Name }).ResponseAsync));
        AssertIndistinguishable(await Refusal(() => notices.ListPersonalNoticesAsync(new Contracts.Certificates.V1.ListPersonalNoticesRequest { Resident = missingResident }).ResponseAsync),
            await Refusal(() => notices.ListPersonalNoticesAsync(new Contracts.Certificates.V1.ListPersonalNoticesRequest { Resident = head.Name }).ResponseAsync));
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => notices.EndPersonalNoticeRegistrationAsync(new Contracts.Certificates.V1.EndPersonalNoticeRegistrationRequest { RequestId = Guid.NewGuid().ToString(), Name = $"tenants/{Owner}/personalNoticeRegistrations/1" }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Refusal(() => notices.GetPersonalNoticeLetterAsync(new Contracts.Certificates.V1.GetPersonalNoticeLetterRequest { Name = $"tenants/{Owner}/personalNotices/1" }).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task A_city_operator_cannot_see_or_change_another_city_configuration()
    {
        var admin = new TenantAdminService.TenantAdminServiceClient(server.As(Other, Core.Security.Roles.Operator));
        var listed = await admin.ListTenantsAsync(new ListTenantsRequest());
        Assert.Equal([Other], listed.Tenants.Select(t => t.TenantCode));
        var document = Testing.TenantDocuments.Minimal(Owner, "東久留米市");
        var missing = "tenants/999999";
        foreach (var probe in new Func<string, Task>[]
        {
            name => admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = name }).ResponseAsync,
            name => admin.ListTenantConfigVersionsAsync(new ListTenantConfigVersionsRequest { Name = name }).ResponseAsync,
            name => admin.ValidateTenantConfigAsync(new ValidateTenantConfigRequest { Name = name, Document = document }).ResponseAsync,
            name => admin.DiffTenantConfigAsync(new DiffTenantConfigRequest { Name = name, Document = document }).ResponseAsync,
            name => admin.ApplyTenantConfigAsync(new ApplyTenantConfigRequest { Name = name, Document = document, Etag = "x", Reason = "probe", RequestId = Guid.NewGuid().ToString() }).ResponseAsync,
            name => admin.ImportTownsAsync(new ImportTownsRequest { Name = name, Csv = "local_government_code,city,postal_code,town\n", Etag = "x", Reason = "probe", RequestId = Guid.NewGuid().ToString() }).ResponseAsync,
        })
        {
            AssertIndistinguishable(await Refusal(() => probe(missing)), await Refusal(() => probe($"tenants/{Owner}")));
        }
        // Adding a city is for operators of the joint system; a city's operator is refused.
        var create = await Refusal(() => admin.CreateTenantAsync(new CreateTenantRequest { Document = Testing.TenantDocuments.Minimal("132217", "清瀬市"), Reason = "probe", RequestId = Guid.NewGuid().ToString() }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, create.StatusCode);
        // A clerk has no access to the administration at all.
        var clerk = new TenantAdminService.TenantAdminServiceClient(server.As(Other));
        Assert.Equal(StatusCode.PermissionDenied, (await Refusal(() => clerk.ListTenantsAsync(new ListTenantsRequest()).ResponseAsync)).StatusCode);
    }

    private static async Task<RpcException> Refusal(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    private static void AssertIndistinguishable(RpcException expected, RpcException actual)
    {
        Assert.Equal(expected.StatusCode, actual.StatusCode);
        Assert.Equal(expected.Status.Detail, actual.Status.Detail);
        Assert.Equal(expected.ErrorInfo()?.Reason, actual.ErrorInfo()?.Reason);
    }
}

public sealed class TenantIsolationTestsOnSqlite(SqliteServer server) : TenantIsolationTests(server), IClassFixture<SqliteServer>;

public sealed class TenantIsolationTestsOnPostgres(PostgresServer server) : TenantIsolationTests(server), IClassFixture<PostgresServer>;
