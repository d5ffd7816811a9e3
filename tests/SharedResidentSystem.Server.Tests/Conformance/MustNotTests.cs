using Google.Protobuf.Reflection;
using Microsoft.Extensions.DependencyInjection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.Core;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Conformance;

/// <summary>
/// 【実装しない機能】: each test shows a function the standard forbids is absent, in the way a
/// clerk would meet it (what the service accepts and answers, what its contract offers), so
/// that it fails if the function appeared.
/// </summary>
public abstract class MustNotTests(ServerFixture server)
{
    private const string City = "132136";
    private readonly RegisterDriver _clerk = new(server, City);

    /// <summary>Every field of every request the contract's services take, with its message, recursively.</summary>
    private static IEnumerable<(MessageDescriptor Message, FieldDescriptor Field)> RequestFields(params ServiceDescriptor[] services)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<MessageDescriptor>(services.SelectMany(s => s.Methods).Select(m => m.InputType));
        while (pending.Count > 0)
        {
            var message = pending.Pop();
            if (!seen.Add(message.FullName) || message.FullName.StartsWith("google.", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var field in message.Fields.InDeclarationOrder())
            {
                yield return (message, field);
                if (field.FieldType == FieldType.Message)
                {
                    pending.Push(field.MessageType);
                }
            }
        }
    }

    [Spec("4.0.3#1")]
    [Spec("4.0.3#4")]
    [Spec("4.0.3#5")]
    [Fact]
    public async Task The_processing_date_cannot_be_entered_it_is_the_day_the_service_records_the_idou()
    {
        // No request has a field for it (the resident record an amendment carries echoes its
        // recorded_at, which the service does not take: tried below; 通称 has its own dates).
        var processingFields = RequestFields(RegistrationService.Descriptor, ReviewService.Descriptor)
            .Where(f => f.Message.Name is not ("Resident" or "CommonName"))
            .Where(f => f.Field.Name.Contains("process", StringComparison.Ordinal) || f.Field.Name.Contains("recorded", StringComparison.Ordinal))
            .Select(f => $"{f.Message.Name}.{f.Field.Name}")
            .ToList();
        Assert.Empty(processingFields);

        var recorded = await _clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1));
        var resident = recorded.Residents[0];
        var idou = Assert.Single((await _clerk.Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = resident.Name })).Idou);
        Assert.Equal(server.Time.GetUtcNow().UtcDateTime, idou.RecordedAt.ToDateTime());
        Assert.Equal(Date(2026, 11, 20), idou.OccurredOn);

        var backdated = resident.Clone();
        backdated.RecordedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        backdated.PersonName.Given = "一朗";
        await _clerk.Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = AmendmentReason.ClericalError, Resident = backdated,
            UpdateMask = Google.Protobuf.WellKnownTypes.FieldMask.FromString("person_name"), AmendmentDate = Date(2026, 11, 25), NotificationDate = Date(2026, 11, 25), Note = "誤記",
        });
        var history = (await _clerk.Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = resident.Name })).Idou;
        Assert.All(history, i => Assert.Equal(server.Time.GetUtcNow().UtcDateTime, i.RecordedAt.ToDateTime()));
        Assert.Equal(server.Time.GetUtcNow().UtcDateTime, (await _clerk.GetAsync(resident.Name)).RecordedAt.ToDateTime());
    }

    [Spec("1.1.8#23")]
    [Fact]
    public async Task A_birth_date_partly_unknown_stays_unknown_no_assumed_date_is_made()
    {
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Members[0].BirthDate = new PartialDate { Year = 1950, Month = 0, Day = 0 };
        var recorded = (await _clerk.Registration.RecordMoveInAsync(request)).Residents[0];
        var read = await _clerk.GetAsync(recorded.Name);
        Assert.Equal((1950, 0, 0), (read.BirthDate.Year, read.BirthDate.Month, read.BirthDate.Day));
    }

    [Spec("2.1.2#15")]
    [Theory]
    [InlineData("㈱高橋")]
    [InlineData("（有）高橋")]
    [InlineData("高橋(株)")]
    public async Task Company_symbols_are_neither_entered_in_a_name_nor_searched_for(string name)
    {
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Members[0].PersonName.Family = name;
        var entered = await Assert.ThrowsAsync<RpcException>(() => _clerk.Registration.RecordMoveInAsync(request).ResponseAsync);
        Assert.Contains("members[0].person_name.family", entered.ViolatedFields());
        var searched = await Assert.ThrowsAsync<RpcException>(() => _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = name }).ResponseAsync);
        Assert.Equal(["name_query"], searched.ViolatedFields());
    }

    [Spec("4.2.2.1#2")]
    [Spec("4.2.2.1#3")]
    [Fact]
    public void A_death_is_recorded_without_a_choice_of_presumed_death_or_a_cause()
    {
        var fields = RecordDeathRequest.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).ToList();
        Assert.Equal(["request_id", "resident", "death_date", "notification_date", "notifier", "acknowledged_alerts", "provisional"], fields);
    }

    [Spec("3.5#1")]
    [Fact]
    public void No_suppression_can_be_set_for_a_refusal_of_registration_requests()
    {
        var categories = Contracts.Protection.V1.SuppressionServiceReflection.Descriptor.FindTypeByName<EnumDescriptor>("SuppressionCategory").Values.Select(v => v.Name).ToList();
        Assert.Equal(["SUPPRESSION_CATEGORY_UNSPECIFIED", "SUPPRESSION_CATEGORY_SUPPORT_MEASURE", "SUPPRESSION_CATEGORY_EXCLUSIVE_CONTROL", "SUPPRESSION_CATEGORY_OTHER"], categories);
    }

    [Spec("4.6.0.1#10")]
    [Fact]
    public void A_cancellation_has_no_special_kind_for_a_false_notification()
    {
        var fields = RecordCancellationRequest.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).ToList();
        Assert.Equal(["request_id", "idou", "residents", "notification_date", "note", "acknowledged_alerts", "provisional", "basis"], fields);
        // basis says what the 取消し was made on (4.6.1.1), never that the 異動 was false.
        var bases = RegistrationServiceReflection.Descriptor.FindTypeByName<EnumDescriptor>("OfficialBasis").Values.Select(v => v.Name).ToList();
        Assert.Equal(["OFFICIAL_BASIS_UNSPECIFIED", "OFFICIAL_BASIS_APPLICATION", "OFFICIAL_BASIS_FAMILY_REGISTER", "OFFICIAL_BASIS_NOTICE"], bases);
    }

    [Spec("4.0.7#2")]
    [Fact]
    public void A_lot_is_not_offered_from_a_building_name()
    {
        var methods = InputAssistService.Descriptor.Methods.Select(m => m.Name).ToList();
        Assert.Equal(["SuggestKatagaki", "SuggestAddress", "ListAddressMaster", "SuggestDomicile"], methods);
        Assert.DoesNotContain(InputAssistService.Descriptor.Methods.Single(m => m.Name == "SuggestKatagaki").OutputType.Fields.InDeclarationOrder(),
            f => f.Name.Contains("banchi", StringComparison.Ordinal) || f.Name.Contains("lot", StringComparison.Ordinal));
        // The calls that offer places (住所辞書, 住居表示・地番) take no 方書 to start from.
        foreach (var name in new[] { "SuggestAddress", "ListAddressMaster" })
        {
            Assert.DoesNotContain(FieldNames(InputAssistService.Descriptor.Methods.Single(m => m.Name == name).InputType), f => f.Contains("katagaki", StringComparison.Ordinal) || f.Contains("building", StringComparison.Ordinal));
        }
    }

    [Spec("4.0.7#2")]
    [Fact]
    public async Task A_building_name_typed_into_the_address_assist_finds_no_place()
    {
        // コーポ (a 方書 in use in every test city) is no reading of a 町字: nothing comes back.
        await _clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1));
        foreach (var query in new[] { "コーポ", "コーポ101", "こーぽ" })
        {
            Assert.Empty((await _clerk.InputAssist.SuggestAddressAsync(new SuggestAddressRequest { Query = query })).Candidates);
        }
    }

    [Spec("4.1.2.1#2")]
    [Fact]
    public async Task A_move_to_another_building_at_the_same_lot_writes_no_note_of_its_own()
    {
        var moved = (await _clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var request = new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(moved) }, MoveDate = Date(2026, 11, 25), NotificationDate = Date(2026, 11, 25),
            Notifier = RegisterDriver.Notifier(), Address = _clerk.Address(1, "2番3号", "コーポ202"),
        };
        request.AcknowledgedAlerts.Add("SAME_ADDRESS");
        var recorded = await _clerk.Registration.RecordAddressChangeAsync(request);
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<Core.Security.CallerContext>().Set(new Core.Security.Caller(City, "t", "t", new HashSet<string>()));
        var id = long.Parse(recorded.Idou.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var idou = scope.ServiceProvider.GetRequiredService<Core.Storage.SrsDbContext>().Idous.Single(i => i.Id == id);
        Assert.Equal("転居", idou.Reason);
        Assert.DoesNotContain("同一住所", idou.Note, StringComparison.Ordinal);
    }

    [Spec("4.1.1.2#6")]
    [Spec("4.3.1#5")]
    [Spec("7.1.2.1#4")]
    [Spec("9.4#3")]
    [Spec("9.8#1")]
    [Spec("9.7#12")]
    [Spec("9.7#13")]
    [Spec("9.7#15")]
    [Fact]
    public void The_lists_the_contract_offers_are_none_of_those_the_standard_forbids()
    {
        // Every list or export any service answers; a new one must be added here on purpose,
        // after checking it is not a list the standard forbids (再転入者, 住民票コード付番結果,
        // 個人番号請求者・変更者, 成年被後見人, 経過滞在者, the lists of a 住所一括変更's area and
        // the data handed to other bodies of 9.7). ListStaff lists staff accounts, no resident;
        // ExportCity is the whole register as migration files for the city's own operator (10.6);
        // ListCsInbound lists what the CS sent the city (転入通知, 転出証明書情報, 空きコード) and the
        // 転入通知情報取込エラー一覧 that 4.1.3.1.2 asks for. ListOperations lists the city's jobs (the
        // draw of 9.6 is what 9.6 asks for; no job lists 成年被後見人 or 経過滞在者). The indicators'
        // lists (ListIdouCounts …) are counts by month and kind: they name nobody.
        var lists = ContractMethods()
            .Where(m => m.Name.StartsWith("List", StringComparison.Ordinal) || m.Name.StartsWith("Export", StringComparison.Ordinal))
            .Select(m => m.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            ["ExportAccessLog", "ExportCity", "ListAddressMaster", "ListCertificateCounts", "ListCsInbound", "ListCsMessages", "ListHandlingTimes", "ListIdouCounts", "ListImmigrationNotices", "ListIssuances", "ListMemos", "ListMissingMoveInNotices", "ListOperations",
             "ListPaperlessShares", "ListPendingIdou", "ListPersonalNoticeRegistrations", "ListPersonalNotices", "ListRefusalCounts", "ListResidentIdou", "ListSearchHistory", "ListStaff",
             "ListSupportMeasures", "ListSuppressions", "ListTenantConfigVersions", "ListTenants"],
            lists);
        // 9.4#3: 成年被後見人 is an item of a record (Entitlements.adult_ward, set by a 異動); no search,
        // list, export or job takes it as a condition, so none can list them.
        var conditions = ContractMethods()
            .Where(m => m.Name.StartsWith("Search", StringComparison.Ordinal) || m.Name.StartsWith("List", StringComparison.Ordinal) || m.Name.StartsWith("Export", StringComparison.Ordinal)
                || m.Name == "StartJob")
            .SelectMany(m => FieldNames(m.InputType));
        Assert.DoesNotContain(conditions, f => f.Contains("adult_ward", StringComparison.Ordinal));
        Assert.Contains("Entitlements.adult_ward", FieldNames(Contracts.Residents.V1.Resident.Descriptor));
    }

    /// <summary>The names of the fields of these messages and of every message inside them.</summary>
    private static List<string> FieldNames(params MessageDescriptor[] messages)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        var pending = new Stack<MessageDescriptor>(messages);
        while (pending.Count > 0)
        {
            var message = pending.Pop();
            if (!seen.Add(message.FullName) || message.FullName.StartsWith("google.", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var field in message.Fields.InDeclarationOrder())
            {
                names.Add($"{message.Name}.{field.Name}");
                if (field.FieldType == FieldType.Message)
                {
                    pending.Push(field.MessageType);
                }
            }
        }
        return names;
    }

    /// <summary>Every method of every service of the contract (the services the server checks at start).</summary>
    private static IEnumerable<MethodDescriptor> ContractMethods() => Server.Pipeline.CallPolicies.ContractServices().SelectMany(s => s.Methods);

    /// <summary>Every method of every service of the contract, as "Service.Method".</summary>
    private static List<string> Methods() =>
        ContractMethods().Select(m => $"{m.Service.Name}.{m.Name}").Order(StringComparer.Ordinal).ToList();

    [Spec("2.1.3#12")]
    [Fact]
    public async Task A_list_on_screen_is_not_narrowed_by_a_further_condition_the_search_starts_again()
    {
        var kana = UniqueKana();
        await _clerk.Registration.RecordMoveInAsync(MoveIn(City, kana, members: 3));
        var first = await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, PageSize = 1 });
        Assert.NotEmpty(first.NextPageToken);
        var narrowed = await Assert.ThrowsAsync<RpcException>(() => _clerk.Residents.SearchResidentsAsync(
            new SearchResidentsRequest { NameQuery = kana, Sex = Sex.Female, PageSize = 1, PageToken = first.NextPageToken }).ResponseAsync);
        Assert.Equal("INVALID_PAGE_TOKEN", narrowed.ErrorInfo()?.Reason);
        Assert.DoesNotContain(RequestFields(ResidentService.Descriptor), f => f.Field.Name.Contains("within", StringComparison.Ordinal)
            || f.Field.Name.Contains("narrow", StringComparison.Ordinal) || f.Field.Name.Contains("previous_result", StringComparison.Ordinal));
    }

    [Spec("2.2.1#3")]
    [Fact]
    public async Task History_is_shown_per_record_a_new_record_of_the_same_person_is_not_joined_to_the_old_one()
    {
        var request = MoveIn(City, UniqueKana(), members: 1);
        var earlier = (await _clerk.Registration.RecordMoveInAsync(request)).Residents[0];
        await _clerk.Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(earlier) }, PlannedDate = Date(2026, 11, 25), NotificationDate = Date(2026, 11, 25),
            Notifier = RegisterDriver.Notifier(), Destination = new Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田2-2-2" },
        });
        // The same name, sex and birth date come back: the clerk is alerted and enters a new record.
        var again = request.Clone();
        again.RequestId = Guid.NewGuid().ToString();
        again.MoveDate = again.NotificationDate = Date(2026, 11, 26);
        again.Members[0].IndividualNumber = IndividualNumber();
        again.AcknowledgedAlerts.Add("REENTRY_CANDIDATE");
        var later = (await _clerk.Registration.RecordMoveInAsync(again)).Residents[0];
        Assert.NotEqual(earlier.ResidentNumber, later.ResidentNumber);

        var laterHistory = (await _clerk.Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = later.Name })).Idou;
        Assert.Equal(["国内転入"], laterHistory.Select(i => i.Reason));
        Assert.Equal(2, (await _clerk.Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = earlier.Name })).Idou.Count);
        Assert.Equal(["name", "acknowledged_alerts"], ListResidentIdouRequest.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name));
    }

    [Spec("4.0.6#5")]
    [Fact]
    public void No_municipal_code_list_turns_a_domicile_into_a_city_name_and_location()
    {
        Assert.Equal(["DomicileCandidate.source", "DomicileCandidate.address", "DomicileCandidate.head_name"], FieldNames(DomicileCandidate.Descriptor));
        Assert.Equal(["Domicile.address", "Domicile.head_name"], FieldNames(Domicile.Descriptor));
    }

    [Spec("4.0.10#10")]
    [Fact]
    public async Task An_address_is_never_taken_from_the_household_entered_before_only_a_room_given_is_refused()
    {
        await _clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1));
        var next = MoveIn(City, UniqueKana(), members: 1);
        next.Address = new Address { Katagaki = "コーポ102" };
        var refused = await Assert.ThrowsAsync<RpcException>(() => _clerk.Registration.RecordMoveInAsync(next).ResponseAsync);
        Assert.Contains(refused.ViolatedFields(), f => f.StartsWith("address", StringComparison.Ordinal));
    }

    [Spec("4.1.4.1#2")]
    [Spec("4.1.4.1#4")]
    [Spec("4.1.4.1#5")]
    [Fact]
    public void A_household_change_carries_no_address_or_katagaki_of_its_own()
    {
        var fields = FieldNames(RecordHouseholdChangeRequest.Descriptor).Where(f => f.StartsWith("RecordHouseholdChangeRequest.", StringComparison.Ordinal) || f.StartsWith("Placement.", StringComparison.Ordinal));
        Assert.DoesNotContain(fields, f => f.Contains("address", StringComparison.Ordinal) || f.Contains("katagaki", StringComparison.Ordinal));
    }

    [Spec("4.1.3.0.4#5")]
    [Spec("4.1.3.0.4#6")]
    [Spec("4.2.3.1#4")]
    [Spec("7.1.1.3#12")]
    [Spec("7.1.1.3#13")]
    [Spec("7.1.2.3#3")]
    [Spec("7.2.2#9")]
    [Spec("7.2.2#10")]
    [Spec("7.2.2#11")]
    [Spec("7.2.2#12")]
    [Spec("7.2.2#13")]
    [Spec("7.2.2#14")]
    [Spec("4.5.7#10")]
    [Spec("9.7#14")]
    [Fact]
    public void The_contract_offers_none_of_the_forbidden_functions_of_the_card_the_cs_and_the_other_systems()
    {
        // Every method of the contract: a new one is added here on purpose, after checking it is
        // none of these: resending 転出証明書情報 to the CS by hand or switching a 転出 to 特例 after
        // it was entered (4.1.3.0.4), a 戸籍附票記載事項通知 detail set from an amendment (4.2.3.1),
        // the card's electronic certificates or its reissue (7.1.1.3), taking in a 団体内統合宛名番号
        // (7.1.2.3), reading other systems' latest data (7.2.2), a consistency check of the
        // 入管 notices (4.5.7), sending the 附票 notices of a 住所一括変更 at once (9.7).
        Assert.Equal(
            ["AuditService.AnalyseAccessLog", "AuditService.ExportAccessLog", "AuditService.GetCheckpoint", "AuditService.SearchAccessLog", "AuditService.VerifyChain",
             "CertificateService.DisposeIssuance", "CertificateService.GetIssuance", "CertificateService.IssueCertificate", "CertificateService.ListIssuances",
             "CertificateService.PreviewCertificate", "CertificateService.ReprintIssuance", "CertificateService.VerifyCertificate",
             "CsLinkService.CheckCsConsistency", "CsLinkService.CompleteCsInbound", "CsLinkService.CompleteCsMessage", "CsLinkService.DesignateDeliveryAddress", "CsLinkService.GetCsLinkStatus",
             "CsLinkService.GetDeliveryAddress", "CsLinkService.ListCsInbound", "CsLinkService.ListCsMessages", "CsLinkService.RequestCertificateSerial",
             "CsLinkService.ResendCsMessage", "EucService.DescribeSource", "EucService.Extract",
             "ImmigrationNoticeService.ListImmigrationNotices", "ImmigrationNoticeService.RecordImmigrationNoticeResults", "ImmigrationNoticeService.ResendImmigrationNotice",
             "IndicatorService.ListCertificateCounts", "IndicatorService.ListHandlingTimes", "IndicatorService.ListIdouCounts", "IndicatorService.ListPaperlessShares",
             "IndicatorService.ListRefusalCounts", "IndicatorService.RenderIndicatorReport",
             "InputAssistService.ListAddressMaster", "InputAssistService.SuggestAddress", "InputAssistService.SuggestDomicile", "InputAssistService.SuggestKatagaki", "IntakeService.ReadIntakeCsv",
             "JobService.CancelOperation", "JobService.GetOperation", "JobService.ListOperations", "JobService.StartJob",
             "LinkService.ReportServiceStatus", "LinkService.Subscribe",
             "MemoService.AddMemo", "MemoService.DeleteMemo", "MemoService.ListMemos", "MemoService.UpdateMemo",
             "MigrationService.ExportCity", "MigrationService.ImportCity",
             "MoveOutCertificateService.GetAdultWardNotice", "MoveOutCertificateService.GetMoveOutCertificate", "MoveOutCertificateService.GetReceivedMoveOutCertificate",
             "PersonalNoticeService.EndPersonalNoticeRegistration", "PersonalNoticeService.GetPersonalNoticeLetter", "PersonalNoticeService.ListPersonalNoticeRegistrations",
             "PersonalNoticeService.ListPersonalNotices", "PersonalNoticeService.RegisterPersonalNotice",
             "RegistrationService.CorrectResident", "RegistrationService.RecordAddressChange", "RegistrationService.RecordAmendment", "RegistrationService.RecordBirth",
             "RegistrationService.RecordCancellation", "RegistrationService.RecordDeath", "RegistrationService.RecordHeadChange", "RegistrationService.RecordHouseholdChange",
             "RegistrationService.RecordMoveIn", "RegistrationService.RecordMoveInNotice", "RegistrationService.RecordMoveOut", "RegistrationService.RecordOfficialEntry",
             "RegistrationService.RecordOfficialRemoval", "RegistrationService.RemakeResident",
             "ResidentCodeService.GetResidentCodeStock", "ResidentCodeService.ImportResidentCodes",
             "ResidentService.GetHousehold", "ResidentService.GetResident", "ResidentService.ListMissingMoveInNotices", "ResidentService.ListResidentIdou",
             "ResidentService.ListSearchHistory", "ResidentService.SearchResidents",
             "ReviewService.ApprovePendingIdou", "ReviewService.DiscardPendingIdou", "ReviewService.ListPendingIdou",
             "StaffAdminService.AddStaff", "StaffAdminService.IssueLinkedSystemSecret", "StaffAdminService.ListStaff", "StaffAdminService.ResetStaff", "StaffAdminService.RotateSigningKey",
             "StaffAdminService.SetStaffDisabled", "StaffAdminService.UpdateStaff",
             "StaffSessionService.ChangePassword", "StaffSessionService.ConfirmPassword", "StaffSessionService.GetSession",
             "SupportMeasureService.CheckRequester", "SupportMeasureService.ConfirmSupportMeasure", "SupportMeasureService.CreateSupportMeasure",
             "SupportMeasureService.EndSupportMeasure", "SupportMeasureService.ExtendSupportMeasure", "SupportMeasureService.GetSupportMeasure", "SupportMeasureService.ListSupportMeasures",
             "SuppressionService.CreateSuppression", "SuppressionService.LiftSuppression", "SuppressionService.ListSuppressions", "SuppressionService.ReleaseSuppression",
             "TenantAdminService.ApplyTenantConfig", "TenantAdminService.CreateTenant", "TenantAdminService.DiffTenantConfig", "TenantAdminService.GetTenantConfig",
             "TenantAdminService.ImportTowns", "TenantAdminService.ListTenantConfigVersions", "TenantAdminService.ListTenants", "TenantAdminService.ValidateTenantConfig",
             "TenantService.GetTenant"],
            Methods());

        // What a resident record holds of other systems is what the register itself keeps (法第7条)
        // and what 7.2.2 asks (whether a card is held): no card certificates, no 統合宛名番号, no 投票区
        // or 抹消, no insurance card numbers, no 米穀.
        var resident = FieldNames(Resident.Descriptor);
        string[] foreign = ["certificate", "card", "integrated", "voting", "district", "struck", "insurance_number", "card_number", "rice"];
        string[] asked = ["ForeignResidentItems.residence_card_number", "Entitlements.card_held"];
        Assert.DoesNotContain(resident, f => foreign.Any(w => f.Contains(w, StringComparison.Ordinal)) && !asked.Contains(f));
        Assert.DoesNotContain(FieldNames(RecordMoveOutRequest.Descriptor), f => f.Contains("special", StringComparison.Ordinal) && f.Contains("switch", StringComparison.Ordinal));
        Assert.DoesNotContain(RecordAmendmentRequest.Descriptor.Fields.InDeclarationOrder(), f => f.Name.Contains("notice", StringComparison.Ordinal) || f.Name.Contains("detail", StringComparison.Ordinal));
    }

    [Spec("4.1.0.3#5")]
    [Spec("4.3.2#3")]
    [Spec("4.3.3#3")]
    [Spec("4.5.7#9")]
    [Spec("7.1.1.3#11")]
    [Spec("10.7#8")]
    [Fact]
    public async Task The_documents_the_contract_prints_are_none_of_those_forbidden_and_each_is_printed_by_a_logged_call()
    {
        // Every method whose answer carries a printed document (a PDF): a new one is added here on purpose,
        // after checking it is none of a notice of the latest 異動 to the person who moved
        // (4.1.0.3), a 返納案内 or 記載事項変更案内 (4.3.2, 7.1.1.3), a 住民票コード確認票 (4.3.3), a
        // notice of an unfinished 在留カード endorsement (4.5.7). GetAdultWardNotice is the 通知書 to
        // the 転入地 that 9.4#2 asks for. RenderIndicatorReport is the cities' indicators (counts; nobody named);
        // EucService.Extract prints the list and the labels 10.1#15 asks for (its data: CSV, XML or PDF).
        var printing = ContractMethods().Where(m => HasBytes(m.OutputType, [])).Select(m => $"{m.Service.Name}.{m.Name}").Order(StringComparer.Ordinal).ToList();
        // (The ledger's answers, DisposeIssuance, GetIssuance and ListIssuances, share the copy
        // message but leave its PDF empty: only ReprintIssuance hands the bytes out again.)
        Assert.Equal(
            ["CertificateService.DisposeIssuance", "CertificateService.GetIssuance", "CertificateService.IssueCertificate", "CertificateService.ListIssuances",
             "CertificateService.PreviewCertificate", "CertificateService.ReprintIssuance", "EucService.Extract", "IndicatorService.RenderIndicatorReport", "MoveOutCertificateService.GetAdultWardNotice",
             "PersonalNoticeService.GetPersonalNoticeLetter"],
            printing);

        // 10.7: nothing prints outside a logged call; even a 見本 leaves its entry.
        var family = await _clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1));
        var staff = $"preview-{Guid.NewGuid():N}"[..16];
        var certificates = new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(server.Invoker(server.Token(City, staff: staff)));
        await certificates.PreviewCertificateAsync(new Contracts.Certificates.V1.IssueCertificateRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Residents = { family.Residents[0].Name },
            Requester = new Contracts.Certificates.V1.Requester { Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = "本人", Resident = family.Residents[0].Name, IdentityCheck = "運転免許証" },
        });
        var log = await new Contracts.Audit.V1.AuditService.AuditServiceClient(server.As(City, Core.Security.Roles.Auditor))
            .SearchAccessLogAsync(new Contracts.Audit.V1.SearchAccessLogRequest { Staff = staff });
        var entry = Assert.Single(log.Entries);
        Assert.Equal("/srs.certificates.v1.CertificateService/PreviewCertificate", entry.Function);
        Assert.Contains(family.Residents[0].ResidentNumber, entry.Residents);
    }

    private static bool HasBytes(MessageDescriptor message, HashSet<string> seen) =>
        seen.Add(message.FullName) && message.Fields.InDeclarationOrder().Any(f => (f.FieldType == FieldType.Bytes && f.Name is "pdf" or "data") || (f.FieldType == FieldType.Message && HasBytes(f.MessageType, seen)));

    [Spec("4.6.0.1#11")]
    [Fact]
    public async Task A_move_out_past_its_planned_date_is_cancelled_without_an_alert()
    {
        var moved = (await _clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var moveOut = await _clerk.Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(moved) }, PlannedDate = Date(2026, 11, 24), NotificationDate = Date(2026, 11, 24),
            Notifier = RegisterDriver.Notifier(), Destination = new Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田3-3-3" },
        });
        Assert.Equal(ResidentStatus.Removed, (await _clerk.GetAsync(moved.Name)).Status);

        // The planned date (11/24) has passed; the cancellation goes through as any other, no alert to acknowledge.
        await _clerk.Registration.RecordCancellationAsync(new RecordCancellationRequest
        {
            RequestId = Guid.NewGuid().ToString(), Idou = moveOut.Idou, NotificationDate = Date(2026, 11, 26), Note = "転出届の誤り",
        });
        Assert.Equal(ResidentStatus.Active, (await _clerk.GetAsync(moved.Name)).Status);
    }

    [Spec("4.3.2#2")]
    [Fact]
    public void A_resident_code_change_is_kept_only_as_the_idou_of_the_history_no_change_record_of_its_own()
    {
        // 1.2.1 keeps every item's history in the 異動履歴 (a changed 住民票コード included); nothing
        // beside it records 住民票コード changes with their own dates.
        var fields = FieldNames(Resident.Descriptor, Contracts.Registration.V1.ResidentCodeStock.Descriptor, IdouRecord.Descriptor);
        Assert.DoesNotContain(fields, f => f.Contains("code_change", StringComparison.Ordinal) || f.Contains("code_changed", StringComparison.Ordinal));
    }

    [Spec("1.3.8#11")]
    [Fact]
    public void The_issuance_ledger_cannot_be_deleted_from()
    {
        var methods = Contracts.Certificates.V1.CertificateService.Descriptor.Methods.Select(m => m.Name).ToList();
        Assert.DoesNotContain(methods, m => m.StartsWith("Delete", StringComparison.Ordinal) || m.StartsWith("Purge", StringComparison.Ordinal) || m.StartsWith("Remove", StringComparison.Ordinal));
        Assert.Contains("DisposeIssuance", methods);
    }
}

public sealed class MustNotTestsOnSqlite(SqliteServer server) : MustNotTests(server), IClassFixture<SqliteServer>;

public sealed class MustNotTestsOnPostgres(PostgresServer server) : MustNotTests(server), IClassFixture<PostgresServer>;
