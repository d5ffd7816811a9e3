using Google.Protobuf.Collections;
using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Cs;

/// <summary>The register and the CS emulator as two processes: every 異動 reaches the CS, in order, once.</summary>
public sealed class CsLinkTests
{
    private const string City = "132225";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The server's settings that link it to <paramref name="cs"/>, polling often.</summary>
    private static string[] LinkedTo(CsEmulatorProcess cs) => [$"--Cs:Address={cs.Address}", "--Cs:PollSeconds=0.2", "--Cs:MaxBackoffSeconds=1"];

    /// <summary>The headers of a staff member of <paramref name="city"/> in <paramref name="role"/> at terminal T001.</summary>
    private static async Task<Metadata> SignedInAsync(string data, string role, string city = City) =>
        new() { { "Authorization", "Bearer " + await ServerProcess.MintAsync(data, city, role, "--terminal", "T001") } };

    private static async Task<IReadOnlyList<CsMessage>> ReceivedAsync(CsEmulatorProcess cs, int count)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var received = await cs.ReceivedAsync(City);
            if (received.Count >= count || DateTime.UtcNow > until)
            {
                return received;
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A new version of the city's configuration with <paramref name="csLink"/> as its csLink section.</summary>
    private static Task SetCsLinkAsync(Contracts.Tenancy.V1.TenantAdminService.TenantAdminServiceClient admin, Metadata operatorHeaders, System.Text.Json.Nodes.JsonObject csLink, string reason) =>
        SetSectionAsync(admin, operatorHeaders, "csLink", csLink, reason);

    /// <summary>A new version of the city's configuration with <paramref name="value"/> as its <paramref name="section"/>.</summary>
    private static async Task SetSectionAsync(Contracts.Tenancy.V1.TenantAdminService.TenantAdminServiceClient admin, Metadata operatorHeaders, string section,
        System.Text.Json.Nodes.JsonObject value, string reason)
    {
        var current = await admin.GetTenantConfigAsync(new Contracts.Tenancy.V1.GetTenantConfigRequest { Name = $"tenants/{City}" }, operatorHeaders);
        var document = System.Text.Json.Nodes.JsonNode.Parse(current.Document)!.AsObject();
        document[section] = value;
        await admin.ApplyTenantConfigAsync(new Contracts.Tenancy.V1.ApplyTenantConfigRequest
        {
            Name = $"tenants/{City}", Document = document.ToJsonString(), Etag = current.Etag, Reason = reason, RequestId = Guid.NewGuid().ToString(),
        }, operatorHeaders);
    }

    private static List<(string Resident, CsMessageKind Kind)> Of(IEnumerable<CsMessage> messages, string reason) =>
        [.. messages.Where(m => m.IdouReason == reason).Select(m => (m.Person.ResidentNumber, m.Kind))];

    [Fact]
    [Spec("7.1.1.1#1")]
    [Spec("7.1.1.1#3")]
    [Spec("7.1.1.1#7")]
    [Spec("7.1.1.1#12")]
    [Spec("7.1.1.1#14")]
    [Spec("7.1.2.1#1")]
    [Spec("7.1.2.1#2")]
    [Spec("7.1.1.4#1")]
    [Spec("7.1.2.2#1")]
    [Spec("4.1.3.0.4#2")]
    public async Task Every_idou_reaches_the_cs_in_its_order_once_even_across_a_cs_outage()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(StartTimeout);
        await using var server = ServerProcess.Start(null, LinkedTo(cs));
        await server.WaitUntilServingAsync(StartTimeout);
        var clerk = await SignedInAsync(server.DataDirectory, "clerk");
        var operatorHeaders = await SignedInAsync(server.DataDirectory, "operator");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var registration = new RegistrationService.RegistrationServiceClient(channel);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        Google.Type.Date Day(int offset) => new() { Year = today.AddDays(offset).Year, Month = today.AddDays(offset).Month, Day = today.AddDays(offset).Day };
        await new ResidentCodeService.ResidentCodeServiceClient(channel).ImportResidentCodesAsync(
            new ImportResidentCodesRequest { RequestId = Guid.NewGuid().ToString(), Codes = { ResidentCode(), ResidentCode() } }, operatorHeaders);

        // 転入 of two (their 住民票コード from the 転出証明書), then a birth into the household.
        var moveIn = MovedInOn(MoveIn(City, UniqueKana(), members: 2), Day(-3));
        foreach (var member in moveIn.Members)
        {
            member.ResidentCode = ResidentCode();
        }
        moveIn.Members[1].Entitlements = new Entitlements { CardHeld = true };
        var family = await registration.RecordMoveInAsync(moveIn, clerk);
        var (head, wife) = (family.Residents[0].ResidentNumber, family.Residents[1].ResidentNumber);
        var born = await registration.RecordBirthAsync(new RecordBirthRequest
        {
            RequestId = Guid.NewGuid().ToString(), Household = family.Residents[0].Household, NotificationDate = Day(-1), Notifier = RegisterDriver.Notifier(),
            Child = RegisterDriver.Person("高橋", "実", moveIn.Members[0].PersonName.FamilyKana, "ミノル", today.AddDays(-2).Year, today.AddDays(-2).Month, today.AddDays(-2).Day, Sex.Male, "子"),
        }, clerk);
        var child = born.Residents.Single(r => r.ResidentNumber != head && r.ResidentNumber != wife).ResidentNumber;
        // The child's 個人番号 comes back from the CS and is taken in (個人番号の職権記載), which owes its own
        // 本人確認情報, the 送付先情報 of its 通知書 and the 符号の取得要求.
        var first = await ReceivedAsync(cs, 11);
        Assert.Equal(11, first.Count);

        // The CS goes down; the counter goes on: the household's 転居 and the wife's 特例転出 (she holds a card) wait in the outbox.
        await cs.KillAsync();
        var residents = new ResidentService.ResidentServiceClient(channel);
        async Task<ResidentRef> Current(string number) =>
            RegisterDriver.Ref(await residents.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{number}" }, clerk));
        var moved = await registration.RecordAddressChangeAsync(new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { await Current(head), await Current(wife), await Current(child) }, MoveDate = Day(-1), NotificationDate = Day(0),
            Notifier = RegisterDriver.Notifier(), Address = new Contracts.Common.V1.Address { Town = "南沢", Chome = 2, Banchi = "3番4号" },
        }, clerk);
        await registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { await Current(wife) }, PlannedDate = Day(3), NotificationDate = Day(0), Notifier = RegisterDriver.Notifier(),
            Destination = new Contracts.Common.V1.Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-1" }, Special = true,
        }, clerk);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the register tries, and waits longer each time
        await cs.StartAsync(StartTimeout);
        var all = await ReceivedAsync(cs, 19);

        // Each message once, in the order of the 異動 (and within one, person by person).
        Assert.Equal(all.Count, all.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(all.Select(m => m.Sequence).Order(), all.Select(m => m.Sequence));
        Assert.Equal(["国内転入", "出生", "個人番号の職権記載", "転居", "国内転出"], all.Select(m => m.IdouReason).Distinct());
        Assert.Equal([(child, CsMessageKind.Identity), (child, CsMessageKind.DeliveryAddress), (child, CsMessageKind.SymbolRequest)], Of(all, "個人番号の職権記載"));
        var taken = all.First(m => m.IdouReason == "個人番号の職権記載");
        // 7.1.1.4#1: the new number's 通知書 goes to the child's 住所 (as it was then), printed by J-LIS.
        var delivery = all.Single(m => m.Kind == CsMessageKind.DeliveryAddress).Delivery;
        Assert.Equal((1, false, false, "高橋　実", taken.Person.PostalCode), (delivery.PrintCategory, delivery.Residence, delivery.SpecialCircumstances, delivery.Addressee, delivery.PostalCode));
        Assert.StartsWith(delivery.Address, taken.Person.Address, StringComparison.Ordinal);
        Assert.All(all.Where(m => m.Kind is CsMessageKind.DeliveryAddress or CsMessageKind.SymbolRequest), m => Assert.Equal(taken.Person.IndividualNumber, m.Person.IndividualNumber));
        Assert.True(Core.Numbers.CheckDigits.IsValidIndividualNumber(taken.Person.IndividualNumber), taken.Person.IndividualNumber);
        var childNow = await residents.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{child}", IncludeIndividualNumber = true }, clerk);
        Assert.Equal(taken.Person.IndividualNumber, childNow.IndividualNumber);
        var persons = new[] { head, wife }.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(persons.SelectMany(p => new[] { (p, CsMessageKind.Identity), (p, CsMessageKind.MoveInNotice), (p, CsMessageKind.FamilyRegisterAnnex) }), Of(all, "国内転入"));
        // A newborn has no 個人番号: its generation is asked for first. The child's 本籍 is 不明: no 附票 notice.
        Assert.Equal([(child, CsMessageKind.IndividualNumberRequest), (child, CsMessageKind.Identity)], Of(all, "出生"));
        Assert.Equal([.. persons.SelectMany(p => new[] { (p, CsMessageKind.Identity), (p, CsMessageKind.FamilyRegisterAnnex) }), (child, CsMessageKind.Identity)], Of(all, "転居"));
        // 4.1.3.0.4#2: a 特例転出 sends its 転出証明書情報 to the CS by itself.
        Assert.Equal([(wife, CsMessageKind.Identity), (wife, CsMessageKind.MoveOutCertificate), (wife, CsMessageKind.FamilyRegisterAnnex)], Of(all, "国内転出"));

        // What the messages say: the former city for the 転入通知, the 本籍地 for the 附票, the new address.
        var notice = all.First(m => m.Kind == CsMessageKind.MoveInNotice);
        Assert.Equal(("大阪府大阪市北区 梅田1-1-1", "132225"), (notice.Recipient, notice.SenderCode));
        Assert.Equal("東京都千代田区千代田1番", all.First(m => m.Kind == CsMessageKind.FamilyRegisterAnnex).Recipient);
        Assert.Contains("南沢2丁目3番4号", all.Last(m => m.IdouReason == "転居" && m.Kind == CsMessageKind.Identity).Person.Address, StringComparison.Ordinal);
        Assert.All(all.Where(m => m.Kind == CsMessageKind.Identity), m => Assert.Equal(11, m.Person.ResidentCode.Length));
        Assert.Equal(3, moved.Residents.Count);
    }

    [Fact]
    [Spec("7.1.1.1#8")]
    [Spec("7.1.1.1#9")]
    [Spec("7.1.1.1#10")]
    [Spec("7.1.1.1#17")]
    [Spec("4.1.3.0.4#5")]
    public async Task A_refused_message_holds_the_queue_until_completed_by_hand_and_a_sent_one_is_sent_again_with_another_reason()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(StartTimeout);
        await using var server = ServerProcess.Start(null, LinkedTo(cs));
        await server.WaitUntilServingAsync(StartTimeout);
        var clerk = await SignedInAsync(server.DataDirectory, "clerk");
        var supervisor = await SignedInAsync(server.DataDirectory, "supervisor");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var registration = new RegistrationService.RegistrationServiceClient(channel);
        var link = new CsLinkService.CsLinkServiceClient(channel);

        // No 住民票コード in stock: the 本人確認情報 of this 転入 is refused by the CS and holds the queue.
        var uncoded = (await registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1), clerk)).Residents[0];
        var coded = MoveIn(City, UniqueKana(), members: 1);
        coded.Members[0].ResidentCode = ResidentCode();
        coded.Members[0].Entitlements = new Entitlements { CardHeld = true };
        var second = (await registration.RecordMoveInAsync(coded, clerk)).Residents[0];
        CsMessageEntry? refused = null;
        for (var i = 0; i < 300 && refused is null; i++)
        {
            refused = (await link.ListCsMessagesAsync(new ListCsMessagesRequest { State = CsMessageState.Failed }, clerk)).Messages.SingleOrDefault();
            await Task.Delay(100);
        }
        Assert.NotNull(refused);
        Assert.Equal((uncoded.Name, "本人確認情報"), (refused.Resident, refused.Kind));
        Assert.Contains("住民票コードがありません", refused.Result, StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.DoesNotContain(await cs.ReceivedAsync(City), m => m.Person.ResidentNumber == second.ResidentNumber);
        var waiting = await link.ListCsMessagesAsync(new ListCsMessagesRequest { State = CsMessageState.Pending, Resident = second.Name }, clerk);
        Assert.Equal(["本人確認情報", "転入通知情報", "戸籍附票記載事項通知"], waiting.Messages.Select(m => m.Kind));

        // A clerk may not complete it; a supervisor records what was done by hand, and the queue goes on.
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => link.CompleteCsMessageAsync(new CompleteCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = refused.Name, Note = "x" }, clerk).ResponseAsync)).StatusCode);
        Assert.Equal(["note"], (await Assert.ThrowsAsync<RpcException>(() => link.CompleteCsMessageAsync(new CompleteCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = refused.Name }, supervisor).ResponseAsync)).ViolatedFields());
        var completed = await link.CompleteCsMessageAsync(new CompleteCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = refused.Name, Note = "住民票コードを確認のうえ CS 端末で入力" }, supervisor);
        Assert.Equal(CsMessageState.Sent, completed.State);
        Assert.StartsWith("手入力で補完", completed.Result, StringComparison.Ordinal);
        // The same person's 転入通知 and 附票 notice are refused in turn (no 住民票コード either) and completed the same way.
        var done = new List<string> { refused.Kind };
        for (var tries = 0; done.Count < 3 && tries < 600; tries++)
        {
            var next = (await link.ListCsMessagesAsync(new ListCsMessagesRequest { State = CsMessageState.Failed }, clerk)).Messages.SingleOrDefault();
            if (next is null)
            {
                await Task.Delay(100);
                continue;
            }
            Assert.Equal(uncoded.Name, next.Resident);
            await link.CompleteCsMessageAsync(new CompleteCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = next.Name, Note = "CS 端末で入力" }, supervisor);
            done.Add(next.Kind);
        }
        Assert.Equal(["本人確認情報", "転入通知情報", "戸籍附票記載事項通知"], done);
        var received = await ReceivedAsync(cs, 3);
        Assert.Equal(3, received.Count(m => m.Person.ResidentNumber == second.ResidentNumber));

        // A sent 本人確認情報 goes again, with another 異動事由, at the end of the queue.
        var identity = (await link.ListCsMessagesAsync(new ListCsMessagesRequest { Resident = second.Name, Kind = "本人確認情報" }, clerk)).Messages.Single();
        var again = await link.ResendCsMessageAsync(new ResendCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = identity.Name, Reason = "職権修正" }, supervisor);
        var resent = (await ReceivedAsync(cs, received.Count + 1))[^1];
        Assert.Equal((true, "職権修正", CsMessageKind.Identity, second.ResidentNumber), (resent.Resend, resent.IdouReason, resent.Kind, resent.Person.ResidentNumber));
        Assert.True(long.Parse(again.Name.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture) > long.Parse(identity.Name.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["reason"], (await Assert.ThrowsAsync<RpcException>(() => link.ResendCsMessageAsync(new ResendCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = identity.Name, Reason = "引っ越し" }, supervisor).ResponseAsync)).ViolatedFields());

        // 4.1.3.0.4: a 転出証明書情報 the CS has is never sent again by hand.
        var moveOut = await registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(second) }, PlannedDate = MoveIn(City, "ア").MoveDate, NotificationDate = MoveIn(City, "ア").NotificationDate,
            Notifier = RegisterDriver.Notifier(), Destination = new Contracts.Common.V1.Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-1" }, Special = true,
        }, clerk);
        CsMessageEntry? certificate = null;
        for (var i = 0; i < 300 && certificate is null; i++)
        {
            certificate = (await link.ListCsMessagesAsync(new ListCsMessagesRequest { Kind = "転出証明書情報", State = CsMessageState.Sent, Resident = second.Name }, clerk)).Messages.SingleOrDefault();
            await Task.Delay(100);
        }
        Assert.NotNull(certificate);
        var forbidden = await Assert.ThrowsAsync<RpcException>(() => link.ResendCsMessageAsync(new ResendCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = certificate.Name }, supervisor).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, forbidden.StatusCode);
        Assert.Single(await cs.ReceivedAsync(City), m => m.Kind == CsMessageKind.MoveOutCertificate);
        Assert.NotEmpty(moveOut.Residents);
    }

    [Fact]
    [Spec("7.1.1.1#1")]
    [Spec("7.1.1.1#2")]
    [Spec("7.1.1.1#6")]
    [Spec("7.1.1.4#2")]
    [Spec("7.1.1.4#3")]
    [Spec("7.1.2.2#2")]
    [Spec("7.1.2.4#1")]
    [Spec("7.1.1.2#1")]
    public async Task Each_other_kind_of_idou_and_each_delivery_address_reaches_the_cs_with_what_it_owes()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(StartTimeout);
        await using var server = ServerProcess.Start(null, LinkedTo(cs));
        await server.WaitUntilServingAsync(StartTimeout);
        var clerk = await SignedInAsync(server.DataDirectory, "clerk");
        var operatorHeaders = await SignedInAsync(server.DataDirectory, "operator");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var registration = new RegistrationService.RegistrationServiceClient(channel);
        var residents = new ResidentService.ResidentServiceClient(channel);
        var link = new CsLinkService.CsLinkServiceClient(channel);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        Google.Type.Date Day(int offset) => new() { Year = today.AddDays(offset).Year, Month = today.AddDays(offset).Month, Day = today.AddDays(offset).Day };
        async Task<ResidentRef> Current(string number) =>
            RegisterDriver.Ref(await residents.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{number}" }, clerk));
        await new ResidentCodeService.ResidentCodeServiceClient(channel).ImportResidentCodesAsync(
            new ImportResidentCodesRequest { RequestId = Guid.NewGuid().ToString(), Codes = { ResidentCode() } }, operatorHeaders);
        // Each 異動 and what it owes per person it wrote (in 宛名番号 order), as the emulator must receive it.
        var expected = new List<(string Reason, List<(string, CsMessageKind)> Kinds)>();
        void Expect(string reason, RecordIdouResponse recorded, params CsMessageKind[] kinds) =>
            expected.Add((reason, [.. recorded.Residents.Select(r => r.ResidentNumber).Order(StringComparer.Ordinal).SelectMany(r => kinds.Select(k => (r, k)))]));

        var moveIn = MovedInOn(MoveIn(City, UniqueKana(), members: 3), Day(-6));
        foreach (var member in moveIn.Members)
        {
            (member.ResidentCode, member.IndividualNumber) = (ResidentCode(), IndividualNumber());
        }
        moveIn.Members[2].Entitlements = new Entitlements { CardHeld = true };
        var family = await registration.RecordMoveInAsync(moveIn, clerk);
        Expect("国内転入", family, CsMessageKind.Identity, CsMessageKind.MoveInNotice, CsMessageKind.FamilyRegisterAnnex);
        var (husband, wife, son) = (family.Residents[0], family.Residents[1], family.Residents[2]);

        var split = await registration.RecordHouseholdChangeAsync(new RecordHouseholdChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = HouseholdChangeKind.Split, Residents = { await Current(son.ResidentNumber) },
            Placement = new Placement { Relationships = { [son.Name] = "世帯主" } }, ChangeDate = Day(-5), NotificationDate = Day(-5), Notifier = RegisterDriver.Notifier(),
        }, clerk);
        Expect("世帯分離", split, CsMessageKind.Identity);
        var head = await registration.RecordHeadChangeAsync(new RecordHeadChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Household = husband.Household, NewHead = await Current(wife.ResidentNumber), Relationships = { [husband.Name] = "夫" },
            ChangeDate = Day(-5), NotificationDate = Day(-5), Notifier = RegisterDriver.Notifier(),
        }, clerk);
        Expect("世帯主変更", head, CsMessageKind.Identity);
        var death = await registration.RecordDeathAsync(new RecordDeathRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = await Current(husband.ResidentNumber), DeathDate = Day(-4), NotificationDate = Day(-3), Notifier = RegisterDriver.Notifier("高橋 花子"),
        }, clerk);
        Expect("死亡", death, CsMessageKind.Identity, CsMessageKind.FamilyRegisterAnnex);
        // 職権記載 of a person without a 個人番号: it is asked for; its 職権記載 sends the 送付先情報 of the 通知書 and asks for the 符号.
        var entered = await registration.RecordOfficialEntryAsync(new RecordOfficialEntryRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = OfficialEntryReason.Official, EntryDate = Day(-3), NotificationDate = Day(-2),
            Address = new Contracts.Common.V1.Address { Town = "本町", Chome = 1, Banchi = "5番6号" }, Note = "居住の実態を確認",
            Members = { RegisterDriver.Person("鈴木", "一", "スズキ", "ハジメ", 1970, 1, 1, Sex.Male, "世帯主") },
        }, clerk);
        Expect("職権記載", entered, CsMessageKind.IndividualNumberRequest, CsMessageKind.Identity);
        expected.Add(("個人番号の職権記載", [(entered.Residents[0].ResidentNumber, CsMessageKind.Identity), (entered.Residents[0].ResidentNumber, CsMessageKind.DeliveryAddress),
            (entered.Residents[0].ResidentNumber, CsMessageKind.SymbolRequest)]));
        var removed = await registration.RecordOfficialRemovalAsync(new RecordOfficialRemovalRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = OfficialRemovalReason.Official, Residents = { await Current(wife.ResidentNumber) }, RemovalDate = Day(-2), NotificationDate = Day(-2), Note = "居住の実態なし",
        }, clerk);
        Expect("職権消除", removed, CsMessageKind.Identity, CsMessageKind.FamilyRegisterAnnex);
        var cancelled = await registration.RecordCancellationAsync(new RecordCancellationRequest
        {
            RequestId = Guid.NewGuid().ToString(), Idou = removed.Idou, NotificationDate = Day(-1), Note = "居住が確認されたため",
        }, clerk);
        Expect("異動の取消し（増）", cancelled, CsMessageKind.Identity, CsMessageKind.FamilyRegisterAnnex);
        // 世帯合併: the son's household of one joins his mother's again.
        var merged = await registration.RecordHouseholdChangeAsync(new RecordHouseholdChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = HouseholdChangeKind.Merge, Residents = { await Current(son.ResidentNumber) },
            Placement = new Placement { Household = husband.Household, Relationships = { [son.Name] = "子" } }, ChangeDate = Day(-1), NotificationDate = Day(-1), Notifier = RegisterDriver.Notifier(),
        }, clerk);
        Expect("世帯合併", merged, CsMessageKind.Identity);
        // 軽微な修正 of the mother's 方書.
        var mother = await residents.GetResidentAsync(new GetResidentRequest { Name = wife.Name }, clerk);
        mother.Address.Katagaki = "コーポ202";
        var corrected = await registration.CorrectResidentAsync(new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = mother, UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "address.katagaki" } },
            CorrectionDate = Day(0), NotificationDate = Day(0), Reason = "方書の誤記",
        }, clerk);
        Expect("軽微な修正", corrected, CsMessageKind.Identity);
        // 国外転入等 of a Japanese with a 個人番号, then their 国外転出: the 本籍地 is told both times.
        var fromAbroad = MovedInOn(MoveIn(City, UniqueKana(), members: 1), Day(-1));
        fromAbroad.Reason = MoveInReason.FromAbroad;
        fromAbroad.PreviousAddress = new Contracts.Common.V1.Address { Country = "アメリカ合衆国", FreeText = "ニューヨーク州" };
        (fromAbroad.Members[0].ResidentCode, fromAbroad.Members[0].IndividualNumber) = (ResidentCode(), IndividualNumber());
        var returned = await registration.RecordMoveInAsync(fromAbroad, clerk);
        Expect("国外転入等", returned, CsMessageKind.Identity, CsMessageKind.FamilyRegisterAnnex);
        var leftAgain = await registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { await Current(returned.Residents[0].ResidentNumber) }, PlannedDate = Day(1), NotificationDate = Day(0),
            Notifier = RegisterDriver.Notifier(), Abroad = true, Destination = new Contracts.Common.V1.Address { Country = "アメリカ合衆国", FreeText = "ニューヨーク州" },
        }, clerk);
        Expect("国外転出", leftAgain, CsMessageKind.Identity, CsMessageKind.FamilyRegisterAnnex);

        // 7.1.1.4#3: the son's documents go to his 居所; 7.1.1.4#2: the CS asks for the 送付先 of its 更新対象者.
        await link.DesignateDeliveryAddressAsync(new DesignateDeliveryAddressRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = son.Name, PrintCategory = DeliveryPrintCategory.Print, SpecialCircumstances = true,
            Residence = "東京都清瀬市元町1丁目1番", ResidenceKatagaki = "清瀬病院", ResidencePostalCode = "2040021", Note = "長期入院",
        }, clerk);
        expected.Add(("送付先の変更指定", [(son.ResidentNumber, CsMessageKind.DeliveryAddress)]));
        var unknown = ResidentCode();
        await cs.Client.InjectAsync(new CsMessage
        {
            MessageId = Guid.NewGuid().ToString("N"), SenderCode = "000000", RecipientCode = City, Kind = CsMessageKind.DeliveryTargets,
            Purpose = "電子証明書の有効期限通知", TargetCodes = { moveIn.Members[2].ResidentCode, unknown },
        });
        expected.Add(("更新対象者 (電子証明書の有効期限通知)", [(son.ResidentNumber, CsMessageKind.DeliveryAddress)]));
        // 7.1.2.4#1: the serial number of the son's 利用者証明用電子証明書 (he holds a card; his mother does not).
        var serialRequest = await link.RequestCertificateSerialAsync(new RequestCertificateSerialRequest { RequestId = Guid.NewGuid().ToString(), Resident = son.Name }, clerk);
        expected.Add(("シリアル番号の取得", [(son.ResidentNumber, CsMessageKind.CertificateSerialRequest)]));
        var noCard = await Assert.ThrowsAsync<RpcException>(() => link.RequestCertificateSerialAsync(new RequestCertificateSerialRequest { RequestId = Guid.NewGuid().ToString(), Resident = wife.Name }, clerk).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, noCard.StatusCode);

        var all = await ReceivedAsync(cs, expected.Sum(e => e.Kinds.Count));
        Assert.Equal(all.Count, all.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(all.Select(m => m.Sequence).Order(), all.Select(m => m.Sequence));
        // (The 個人番号の職権記載 comes whenever the CS answers: its place among the others is not fixed.)
        Assert.Equal(expected.Select(e => e.Reason).Order(StringComparer.Ordinal), all.Select(m => m.IdouReason).Distinct().Order(StringComparer.Ordinal));
        foreach (var (reason, kinds) in expected)
        {
            Assert.Equal(kinds, Of(all, reason));
        }
        var sonDeliveries = all.Where(m => m.Kind == CsMessageKind.DeliveryAddress && m.Person.ResidentNumber == son.ResidentNumber).ToList();
        Assert.All(sonDeliveries, m => Assert.Equal((true, true, "東京都清瀬市元町1丁目1番", "清瀬病院", "2040021", 1, moveIn.Members[2].IndividualNumber),
            (m.Delivery.Residence, m.Delivery.SpecialCircumstances, m.Delivery.Address, m.Delivery.Katagaki, m.Delivery.PostalCode, m.Delivery.PrintCategory, m.Person.IndividualNumber)));
        var newcomer = all.Single(m => m.Kind == CsMessageKind.DeliveryAddress && m.Person.ResidentNumber == entered.Residents[0].ResidentNumber).Delivery;
        Assert.Equal((false, "鈴木　一"), (newcomer.Residence, newcomer.Addressee));
        Assert.Contains("本町1丁目5番6号", newcomer.Address, StringComparison.Ordinal);
        // The 更新対象者 not in the register are named for a clerk.
        var targets = (await link.ListCsInboundAsync(new ListCsInboundRequest { Kind = "送付先情報の更新対象者" }, clerk)).Messages.Single();
        Assert.Equal(Contracts.Registration.V1.CsInboundState.Applied, targets.State);
        Assert.Contains(unknown, targets.Result, StringComparison.Ordinal);
        Assert.DoesNotContain(moveIn.Members[2].ResidentCode, targets.Result, StringComparison.Ordinal);
        // 7.1.1.4#4: the son's 送付先情報, as sent.
        var history = (await link.ListCsMessagesAsync(new ListCsMessagesRequest { Kind = "送付先情報", Resident = son.Name }, clerk)).Messages;
        Assert.Equal(["送付先の変更指定", "更新対象者 (電子証明書の有効期限通知)"], history.Select(m => m.Reason));
        Assert.All(history, m => Assert.Equal(CsMessageState.Sent, m.State));
        // 7.1.2.2#2: whether the 符号の取得要求 reached the CS is seen in the list.
        var symbol = Assert.Single((await link.ListCsMessagesAsync(new ListCsMessagesRequest { Kind = "符号の取得要求" }, clerk)).Messages);
        Assert.Equal((CsMessageState.Sent, entered.Residents[0].Name), (symbol.State, symbol.Resident));
        var serial = (await link.ListCsMessagesAsync(new ListCsMessagesRequest { Kind = "電子証明書のシリアル番号の取得要求", Resident = son.Name }, clerk)).Messages.Single();
        Assert.Equal((serialRequest.Name, CsMessageState.Sent), (serial.Name, serial.State));
        Assert.Matches("シリアル番号 [0-9A-F]{16}$", serial.Result);

        // 7.1.1.2#1: the 整合性確認 on a schedule of the city's configuration (its run due two minutes ago), as a job.
        var at = DateTime.UtcNow.AddHours(9).AddMinutes(-2).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var schedules = new System.Text.Json.Nodes.JsonObject
        {
            ["schedules"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = "daily-check", ["kind"] = "csConsistency", ["at"] = at, ["every"] = "day", ["reason"] = "定期の整合性確認",
            }),
        };
        await SetSectionAsync(new Contracts.Tenancy.V1.TenantAdminService.TenantAdminServiceClient(channel), operatorHeaders, "jobs", schedules, "整合性確認を毎日行う");
        var supervisor = await SignedInAsync(server.DataDirectory, "supervisor");
        var jobs = new Contracts.Jobs.V1.JobService.JobServiceClient(channel);
        Contracts.Jobs.V1.Operation? check = null;
        for (var i = 0; i < 600 && check is not { Done: true }; i++)
        {
            check = (await jobs.ListOperationsAsync(new Contracts.Jobs.V1.ListOperationsRequest(), supervisor)).Operations.SingleOrDefault(o => o.Metadata.Schedule.StartsWith("daily-check@", StringComparison.Ordinal));
            await Task.Delay(100);
        }
        Assert.NotNull(check);
        Assert.Equal(Contracts.Jobs.V1.JobState.Succeeded, check.Metadata.State);
        var byHand = await link.CheckCsConsistencyAsync(new CheckCsConsistencyRequest(), operatorHeaders);
        Assert.Equal((byHand.Compared, byHand.DifferenceCount), ((int)check.Response.Counts["照合"], (int)check.Response.Counts["相違"]));
        var differences = File.ReadAllLines(Path.Combine(server.DataDirectory, "jobs", City, check.Response.Files.Single()));
        Assert.Equal(byHand.DifferenceCount + 1, differences.Length);
    }

    [Fact]
    [Spec("7.1.1.2#1")]
    public async Task A_consistency_check_killed_mid_run_goes_on_and_lists_what_an_uninterrupted_run_lists()
    {
        // A slow line for the 整合性確認 (each 本人確認情報 takes 150 ms to come), so that the kill falls inside it.
        await using var cs = new CsEmulatorProcess(null, "--stream-delay-ms", "150");
        await cs.StartAsync(StartTimeout);
        string[] settings = [.. LinkedTo(cs), "--Jobs:PollSeconds=0.2"];
        var server = ServerProcess.Start(null, settings);
        try
        {
            await server.WaitUntilServingAsync(StartTimeout);
            var clerk = await SignedInAsync(server.DataDirectory, "clerk");
            var operatorHeaders = await SignedInAsync(server.DataDirectory, "operator");
            var supervisor = await SignedInAsync(server.DataDirectory, "supervisor");
            Contracts.Jobs.V1.Operation killed;
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                var made = new List<Resident>();
                for (var i = 0; i < 4; i++)
                {
                    var moveIn = MoveIn(City, UniqueKana(), members: 2);
                    foreach (var member in moveIn.Members)
                    {
                        member.ResidentCode = ResidentCode();
                    }
                    made.AddRange((await registration.RecordMoveInAsync(moveIn, clerk)).Residents);
                }
                for (var i = 0; i < 300 && (await cs.ReceivedAsync(City)).Count(m => m.Kind == CsMessageKind.Identity) < 8; i++)
                {
                    await Task.Delay(100);
                }
                Assert.Equal(8, (await cs.ReceivedAsync(City)).Count(m => m.Kind == CsMessageKind.Identity));
                // A 転居 kept back by manual linking: the CS holds the old 住所 of one household.
                await SetCsLinkAsync(new Contracts.Tenancy.V1.TenantAdminService.TenantAdminServiceClient(channel), operatorHeaders,
                    new System.Text.Json.Nodes.JsonObject { ["manual"] = true }, "CS 回線の工事");
                var residents = new ResidentService.ResidentServiceClient(channel);
                var movers = new List<ResidentRef>();
                foreach (var r in made.Take(2))
                {
                    movers.Add(RegisterDriver.Ref(await residents.GetResidentAsync(new GetResidentRequest { Name = r.Name }, clerk)));
                }
                await registration.RecordAddressChangeAsync(new RecordAddressChangeRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Residents = { movers }, MoveDate = MoveIn(City, "ア").NotificationDate, NotificationDate = MoveIn(City, "ア").NotificationDate,
                    Notifier = RegisterDriver.Notifier(), Address = new Contracts.Common.V1.Address { Town = "南沢", Chome = 5, Banchi = "1番1号" },
                }, clerk);
                var jobs = new Contracts.Jobs.V1.JobService.JobServiceClient(channel);
                killed = await jobs.StartJobAsync(new Contracts.Jobs.V1.StartJobRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Jobs.V1.JobKind.CsConsistency, Reason = "定期の整合性確認",
                }, supervisor);
                for (var i = 0; i < 600 && (await jobs.GetOperationAsync(new Contracts.Jobs.V1.GetOperationRequest { Name = killed.Name }, supervisor)).Metadata.State != Contracts.Jobs.V1.JobState.Running; i++)
                {
                    await Task.Delay(20);
                }
                await Task.Delay(300); // two of the eight 本人確認情報 have come
                Assert.False((await jobs.GetOperationAsync(new Contracts.Jobs.V1.GetOperationRequest { Name = killed.Name }, supervisor)).Done);
            }
            await server.KillAsync();
            server = ServerProcess.Restart(server, settings);
            await server.WaitUntilServingAsync(StartTimeout);
            using var again = GrpcChannel.ForAddress(server.Address);
            var resumedJobs = new Contracts.Jobs.V1.JobService.JobServiceClient(again);
            Contracts.Jobs.V1.Operation resumed;
            do
            {
                await Task.Delay(50);
                resumed = await resumedJobs.GetOperationAsync(new Contracts.Jobs.V1.GetOperationRequest { Name = killed.Name }, supervisor);
            }
            while (!resumed.Done);
            Assert.Equal((Contracts.Jobs.V1.JobState.Succeeded, 1), (resumed.Metadata.State, resumed.Metadata.Resumed));

            // The same check uninterrupted, started with srs-admin.
            var token = supervisor.Get("Authorization")!.Value["Bearer ".Length..];
            var admin = await ServerProcess.RunAsync("dotnet", [ServerProcess.ProgramPath("tools/SharedResidentSystem.AdminTool", "srs-admin.dll"), "job", "consistency",
                "--reason", "定期の整合性確認", "--watch", "--address", server.Address, "--token", token], TimeSpan.FromSeconds(120), "");
            Assert.True(admin.ExitCode == 0, admin.Stderr);
            var uninterrupted = (await resumedJobs.ListOperationsAsync(new Contracts.Jobs.V1.ListOperationsRequest(), supervisor)).Operations[^1];
            Assert.Equal((Contracts.Jobs.V1.JobKind.CsConsistency, 0), (uninterrupted.Metadata.Kind, uninterrupted.Metadata.Resumed));
            string[] Listed(Contracts.Jobs.V1.Operation done) => File.ReadAllLines(Path.Combine(server.DataDirectory, "jobs", City, done.Response.Files.Single()));
            Assert.Equal(Listed(uninterrupted), Listed(resumed));
            Assert.Equal(uninterrupted.Response.Counts, resumed.Response.Counts);
            Assert.Equal((8L, 2L), (resumed.Response.Counts["照合"], resumed.Response.Counts["相違"]));
            Assert.All(Listed(resumed).Skip(1), line => Assert.Contains("住所", line, StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    [Spec("7.1.1.1#3")]
    [Spec("7.1.1.1#11")]
    [Spec("7.1.1.2#1")]
    public async Task A_city_on_manual_linking_keeps_its_messages_and_a_server_killed_mid_delivery_loses_and_repeats_nothing()
    {
        // A slow line (each message takes 50 ms), so that the kill below falls in the middle of the delivery.
        await using var cs = new CsEmulatorProcess(null, "--submit-delay-ms", "50");
        await cs.StartAsync(StartTimeout);
        string[] link = [$"--Cs:Address={cs.Address}", "--Cs:PollSeconds=0.05", "--Cs:MaxBackoffSeconds=1"];
        var data = RepositoryPaths.NewTempDirectory("srs-cs-server");
        try
        {
            var server = ServerProcess.Start(data, link);
            await server.WaitUntilServingAsync(StartTimeout);
            var clerk = await SignedInAsync(data, "clerk");
            var operatorHeaders = await SignedInAsync(data, "operator");
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                // Manual linking for a while (the city's configuration, a version like any other).
                var admin = new Contracts.Tenancy.V1.TenantAdminService.TenantAdminServiceClient(channel);
                Task SetManualAsync(bool manual) => SetCsLinkAsync(admin, operatorHeaders, new System.Text.Json.Nodes.JsonObject { ["manual"] = manual }, manual ? "CS 回線の工事" : "工事の終了");
                await SetManualAsync(true);
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                for (var i = 0; i < 10; i++)
                {
                    var moveIn = MoveIn(City, UniqueKana(), members: 1);
                    moveIn.Members[0].ResidentCode = ResidentCode();
                    await registration.RecordMoveInAsync(moveIn, clerk);
                }
                await Task.Delay(TimeSpan.FromSeconds(1.5));
                Assert.Empty(await cs.ReceivedAsync(City));
                var waiting = await new CsLinkService.CsLinkServiceClient(channel).ListCsMessagesAsync(new ListCsMessagesRequest { State = CsMessageState.Pending }, clerk);
                Assert.Equal(30, waiting.Messages.Count);
                // 整合性確認 (7.1.1.2): the ten are not at the CS yet.
                var unsent = await new CsLinkService.CsLinkServiceClient(channel).CheckCsConsistencyAsync(new CheckCsConsistencyRequest(), operatorHeaders);
                Assert.Equal((10, 10), (unsent.Compared, unsent.DifferenceCount));
                Assert.All(unsent.Differences, d => Assert.Equal("CSにない", d.Item));
                await SetManualAsync(false);
            }
            // The server dies (kill -9) while it sends.
            for (var i = 0; i < 600 && (await cs.ReceivedAsync(City)).Count < 3; i++)
            {
                await Task.Delay(10);
            }
            await server.KillAsync();
            await server.DisposeAsync();
            var before = (await cs.ReceivedAsync(City)).Count;
            Assert.InRange(before, 3, 29);

            await using var again = ServerProcess.Start(data, link);
            await again.WaitUntilServingAsync(StartTimeout);
            var all = await ReceivedAsync(cs, 30);
            Assert.Equal(30, all.Count);
            Assert.Equal(30, all.Select(m => m.MessageId).Distinct().Count());
            Assert.Equal(all.Select(m => m.Sequence).Order(), all.Select(m => m.Sequence));
            using var channel2 = GrpcChannel.ForAddress(again.Address);
            var list = new CsLinkService.CsLinkServiceClient(channel2);
            for (var i = 0; i < 100 && (await list.ListCsMessagesAsync(new ListCsMessagesRequest { State = CsMessageState.Pending }, clerk)).Messages.Count > 0; i++)
            {
                await Task.Delay(100);
            }
            Assert.Equal(30, (await list.ListCsMessagesAsync(new ListCsMessagesRequest { State = CsMessageState.Sent }, clerk)).Messages.Count);

            // Everything sent: the register and the CS agree; a 転居 kept back by manual linking is the one difference, item by item.
            var consistent = await list.CheckCsConsistencyAsync(new CheckCsConsistencyRequest(), operatorHeaders);
            Assert.Equal((10, 0), (consistent.Compared, consistent.DifferenceCount));
            Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => list.CheckCsConsistencyAsync(new CheckCsConsistencyRequest(), clerk).ResponseAsync)).StatusCode);
            var admin2 = new Contracts.Tenancy.V1.TenantAdminService.TenantAdminServiceClient(channel2);
            await SetCsLinkAsync(admin2, operatorHeaders, new System.Text.Json.Nodes.JsonObject { ["manual"] = true }, "CS 回線の工事");
            var residents = new ResidentService.ResidentServiceClient(channel2);
            var someone = (await residents.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{all[0].Person.ResidentNumber}" }, clerk));
            await new RegistrationService.RegistrationServiceClient(channel2).RecordAddressChangeAsync(new RecordAddressChangeRequest
            {
                RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(someone) }, MoveDate = MoveIn(City, "ア").NotificationDate, NotificationDate = MoveIn(City, "ア").NotificationDate,
                Notifier = RegisterDriver.Notifier(), Address = new Contracts.Common.V1.Address { Town = "南沢", Chome = 5, Banchi = "1番1号" },
            }, clerk);
            var moved = await list.CheckCsConsistencyAsync(new CheckCsConsistencyRequest(), operatorHeaders);
            var difference = Assert.Single(moved.Differences);
            Assert.Equal(("住所", someone.Name, someone.ResidentCode), (difference.Item, difference.Resident, difference.ResidentCode));
            Assert.Contains("南沢5丁目1番1号", difference.RegisterValue, StringComparison.Ordinal);
            Assert.Equal(all[0].Person.Address, difference.CsValue);
        }
        finally
        {
            RepositoryPaths.Remove(data);
        }
    }

    [Fact]
    [Spec("7.1.1.1#4")]
    [Spec("7.1.1.1#5")]
    [Spec("4.1.3.1.1#1")]
    [Spec("4.1.3.1.1#2")]
    [Spec("4.1.3.1.2#1")]
    [Spec("4.1.3.1.2#2")]
    [Spec("4.1.3.1.2#3")]
    [Spec("4.1.3.1.2#4")]
    [Spec("4.1.3.1.2#5")]
    [Spec("4.1.3.1.2#6")]
    [Spec("4.1.3.1.2#7")]
    [Spec("4.1.3.1.2#10")]
    [Spec("7.1.1.1#15")]
    [Spec("4.1.3.0.4#1")]
    [Spec("7.1.1.3#1")]
    [Spec("7.1.1.3#2")]
    [Spec("7.1.2.4#2")]
    [Spec("7.1.2.4#3")]
    public async Task Messages_on_the_shared_cs_are_routed_to_their_city_and_taken_by_themselves_or_listed_for_a_clerk()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(StartTimeout);
        var link = LinkedTo(cs);
        var data = RepositoryPaths.NewTempDirectory("srs-cs-inbound");
        try
        {
            var server = ServerProcess.Start(data, link);
            await server.WaitUntilServingAsync(StartTimeout);
            var clerk = await SignedInAsync(data, "clerk");
            var operatorHeaders = await SignedInAsync(data, "operator");
            var jointOperator = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(data, "*", "operator") } };
            var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
            Google.Type.Date Day(int offset) => new() { Year = today.AddDays(offset).Year, Month = today.AddDays(offset).Month, Day = today.AddDays(offset).Day };
            string Text(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

            // A family moves in; one of them moves out to a city outside the joint system.
            string code;
            string headCode;
            string head;
            string leaver;
            long freeBefore;
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                var moveIn = MovedInOn(MoveIn(City, UniqueKana(), members: 2), Day(-10));
                foreach (var member in moveIn.Members)
                {
                    member.ResidentCode = ResidentCode();
                }
                code = moveIn.Members[1].ResidentCode;
                headCode = moveIn.Members[0].ResidentCode;
                var family = await new RegistrationService.RegistrationServiceClient(channel).RecordMoveInAsync(moveIn, clerk);
                leaver = family.Residents[1].ResidentNumber;
                head = family.Residents[0].ResidentNumber;
                var residents = new ResidentService.ResidentServiceClient(channel);
                var wife = await residents.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{leaver}" }, clerk);
                await new RegistrationService.RegistrationServiceClient(channel).RecordMoveOutAsync(new RecordMoveOutRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(wife) }, PlannedDate = Day(-2), NotificationDate = Day(-3), Notifier = RegisterDriver.Notifier(),
                    Destination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田1-1-1" },
                }, clerk);
                freeBefore = (await new ResidentCodeService.ResidentCodeServiceClient(channel).GetResidentCodeStockAsync(new GetResidentCodeStockRequest(), operatorHeaders)).Free;
            }
            // The register is down while the CS takes messages for the joint system, so that they come in one fetch.
            await server.KillAsync();
            await server.DisposeAsync();
            CsMessage Notice(string id, string recipient, string residentCode, string destination) => new()
            {
                MessageId = id, SenderCode = "271004", RecipientCode = recipient, Kind = CsMessageKind.MoveInNotice, IdouDate = Text(-2), NotifiedDate = Text(-1),
                Person = new CsPerson { ResidentCode = residentCode, Name = "高橋 花子", Destination = destination, PostalCode = "5300001" },
            };
            var run = Guid.NewGuid().ToString("N")[..8];
            var codes = new[] { ResidentCode(), ResidentCode() };
            var injected = new[]
            {
                Notice($"{run}-1", City, code, "大阪府大阪市北区梅田1丁目1番1号"),
                // The same notice sent again with a correction, in the same fetch: the later one is taken.
                Notice($"{run}-2", City, code, "大阪府大阪市北区梅田2丁目2番2号"),
                Notice($"{run}-3", City, ResidentCode(), "大阪府大阪市北区梅田3丁目"),
                Notice($"{run}-4", "131016", code, "大阪府大阪市北区梅田4丁目"),
                new CsMessage { MessageId = $"{run}-5", SenderCode = "000000", RecipientCode = City, Kind = CsMessageKind.FreeResidentCodes, FreeCodes = { codes } },
                new CsMessage
                {
                    MessageId = $"{run}-6", SenderCode = "271004", RecipientCode = "132110", Kind = CsMessageKind.MoveOutCertificate, IdouDate = Text(-1), NotifiedDate = Text(-2),
                    Person = new CsPerson { ResidentCode = ResidentCode(), Name = "山田 一郎", NameKana = "ヤマダ イチロウ", BirthDate = "1980-04-01", Sex = 1, Address = "大阪府大阪市北区梅田5丁目", Destination = "東京都小平市小川町1-1",
                        Domicile = "大阪府大阪市北区梅田5丁目5番", DomicileHead = "山田 一郎" },
                },
                // 文字化け: for a clerk to see and correct.
                Notice($"{run}-7", City, code + "x", "大阪府\uFFFD市"),
                // The card system's news (7.1.1.3): the head now holds a 個人番号カード.
                new CsMessage { MessageId = $"{run}-9", SenderCode = "000000", RecipientCode = City, Kind = CsMessageKind.CardStatus, CardHeld = true, IdouDate = Text(-1), Person = new CsPerson { ResidentCode = headCode } },
            };
            foreach (var message in injected)
            {
                await cs.Client.InjectAsync(message);
            }

            await using var again = ServerProcess.Start(data, link);
            await again.WaitUntilServingAsync(StartTimeout);
            var states = new Google.Protobuf.Collections.RepeatedField<InboundState>();
            for (var i = 0; i < 300 && !(states.Count == injected.Length && states.All(s => s.Acknowledged)); i++)
            {
                await Task.Delay(100);
                states = (await cs.Client.ListInboundAsync(new ListInboundRequest())).Messages;
            }
            Assert.All(states, s => Assert.True(s.Acknowledged, s.Message.MessageId));
            // Routed by 団体コード: the one for a city outside the joint system is refused to the CS, with why.
            var refused = Assert.Single(states, s => s.Refused);
            Assert.Equal($"{run}-4", refused.Message.MessageId);
            Assert.Contains("構成団体ではありません", refused.Reason, StringComparison.Ordinal);

            using var channel2 = GrpcChannel.ForAddress(again.Address);
            var link2 = new CsLinkService.CsLinkServiceClient(channel2);
            var mine = (await link2.ListCsInboundAsync(new ListCsInboundRequest(), clerk)).Messages.ToDictionary(m => m.MessageId);
            Assert.Equal([$"{run}-1", $"{run}-2", $"{run}-3", $"{run}-5", $"{run}-7", $"{run}-9"], mine.Keys.Order(StringComparer.Ordinal));
            Assert.Equal((CsInboundState.Applied, $"tenants/{City}/residents/{head}"), (mine[$"{run}-9"].State, mine[$"{run}-9"].Resident));
            Assert.Equal(CsInboundState.Superseded, mine[$"{run}-1"].State);
            Assert.Equal((CsInboundState.Applied, $"tenants/{City}/residents/{leaver}"), (mine[$"{run}-2"].State, mine[$"{run}-2"].Resident));
            Assert.Equal(CsInboundState.NeedsReview, mine[$"{run}-3"].State);
            Assert.Contains("住民 (除票を含む) がありません", mine[$"{run}-3"].Result, StringComparison.Ordinal);
            Assert.Equal(CsInboundState.Applied, mine[$"{run}-5"].State);
            Assert.Equal(CsInboundState.NeedsReview, mine[$"{run}-7"].State);
            Assert.Contains("文字化け", mine[$"{run}-7"].Result, StringComparison.Ordinal);
            // The 取込エラー一覧: the notices a clerk must see.
            var errors = (await link2.ListCsInboundAsync(new ListCsInboundRequest { State = CsInboundState.NeedsReview }, clerk)).Messages;
            Assert.Equal([$"{run}-3", $"{run}-7"], errors.Select(e => e.MessageId));
            // The 転出証明書情報 went to 小平市, the refused one to the joint system's operators only.
            var kodaira = await SignedInAsync(data, "clerk", "132110");
            var certificate = Assert.Single((await link2.ListCsInboundAsync(new ListCsInboundRequest(), kodaira)).Messages, m => m.MessageId == $"{run}-6");
            Assert.Equal((CsInboundState.Received, "山田 一郎", "東京都小平市小川町1-1"), (certificate.State, certificate.Person.Name, certificate.Person.Destination));
            // 特例転入 at 小平市's counter from it (4.1.3.0.4): the entries of the 転入, then the message marked as used.
            var entries = await new MoveOutCertificateService.MoveOutCertificateServiceClient(channel2).GetReceivedMoveOutCertificateAsync(
                new GetReceivedMoveOutCertificateRequest { Name = certificate.Name }, kodaira);
            var entry = Assert.Single(entries.Persons);
            Assert.Equal(("山田", "一郎", "ヤマダ", "イチロウ", 1980, 4, 1, Sex.Male), (entry.PersonName.Family, entry.PersonName.Given, entry.PersonName.FamilyKana,
                entry.PersonName.GivenKana, entry.BirthDate.Year, entry.BirthDate.Month, entry.BirthDate.Day, entry.Sex));
            Assert.Equal((Day(-1), "大阪府大阪市北区梅田5丁目", "271004"), (entries.PlannedDate, entries.PreviousAddress.FreeText, entries.SourceCityCode));
            Assert.Equal(("大阪府大阪市北区梅田5丁目5番", "山田 一郎"), (entry.Domicile.Address, entry.Domicile.HeadName));
            var specialMoveIn = MoveIn("132110", UniqueKana(), members: 1);
            specialMoveIn.Members.Clear();
            entry.Relationship = "世帯主";
            specialMoveIn.Members.Add(entry);
            specialMoveIn.MoveDate = entries.PlannedDate;
            specialMoveIn.NotificationDate = Day(0);
            specialMoveIn.PreviousAddress = entries.PreviousAddress;
            var arrived = (await new RegistrationService.RegistrationServiceClient(channel2).RecordMoveInAsync(specialMoveIn, kodaira)).Residents.Single();
            Assert.Equal(certificate.Person.ResidentCode, (await new ResidentService.ResidentServiceClient(channel2).GetResidentAsync(new GetResidentRequest { Name = arrived.Name }, kodaira)).ResidentCode);
            Assert.Equal(CsInboundState.Completed, (await link2.CompleteCsInboundAsync(new CompleteCsInboundRequest
            {
                RequestId = Guid.NewGuid().ToString(), Name = certificate.Name, Note = $"特例転入 ({arrived.Name}) に使用",
            }, kodaira)).State);
            var notCertificate = await Assert.ThrowsAsync<RpcException>(() => new MoveOutCertificateService.MoveOutCertificateServiceClient(channel2)
                .GetReceivedMoveOutCertificateAsync(new GetReceivedMoveOutCertificateRequest { Name = mine[$"{run}-5"].Name }, clerk).ResponseAsync);
            Assert.Equal(StatusCode.FailedPrecondition, notCertificate.StatusCode);
            var joint = (await link2.ListCsInboundAsync(new ListCsInboundRequest(), jointOperator)).Messages;
            Assert.Equal([(CsInboundState.Refused, "131016")], joint.Where(m => m.MessageId.StartsWith(run, StringComparison.Ordinal)).Select(m => (m.State, m.RecipientCode)));

            // 転入通知の受理 recorded by itself on the 除票: the notice's dates and destination beside the planned ones.
            var residents2 = new ResidentService.ResidentServiceClient(channel2);
            var removed = await residents2.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{leaver}" }, clerk);
            Assert.Equal((Day(-1), Day(-2), "大阪府大阪市北区梅田2丁目2番2号"), (removed.Removal.MoveInNoticeOn, removed.Removal.ConfirmedOn, removed.Removal.ConfirmedDestination.FreeText));
            Assert.Equal(("梅田1-1-1", Day(-2)), (removed.Removal.Destination.FreeText, removed.Removal.OccurredOn));
            Assert.True((await residents2.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{head}" }, clerk)).Entitlements.CardHeld);
            // The 空きコード are in the stock.
            var stock = await new ResidentCodeService.ResidentCodeServiceClient(channel2).GetResidentCodeStockAsync(new GetResidentCodeStockRequest(), operatorHeaders);
            Assert.Equal(freeBefore + 2, stock.Free);

            // A notice sent again later corrects what was taken (4.1.3.1.2#5).
            await cs.Client.InjectAsync(Notice($"{run}-8", City, code, "大阪府大阪市北区梅田8丁目8番8号"));
            for (var i = 0; i < 300 && (await residents2.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{leaver}" }, clerk)).Removal.ConfirmedDestination.FreeText != "大阪府大阪市北区梅田8丁目8番8号"; i++)
            {
                await Task.Delay(100);
            }
            Assert.Equal("大阪府大阪市北区梅田8丁目8番8号", (await residents2.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{leaver}" }, clerk)).Removal.ConfirmedDestination.FreeText);
            // 4.1.3.1.2#7: what was taken is corrected by a clerk as a 転入通知の受理 of its own (4.1.3.1.1); the taken one stays in the history.
            var taken = await residents2.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{leaver}" }, clerk);
            var corrected = await new RegistrationService.RegistrationServiceClient(channel2).RecordMoveInNoticeAsync(new RecordMoveInNoticeRequest
            {
                RequestId = Guid.NewGuid().ToString(), Resident = RegisterDriver.Ref(taken), NoticeDate = Day(0), ConfirmedOn = Day(-2),
                ConfirmedDestination = new Contracts.Common.V1.Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田8丁目8番9号" },
            }, clerk);
            Assert.Equal(("梅田8丁目8番9号", taken.HistoryNumber + 1), (corrected.Residents.Single().Removal.ConfirmedDestination.FreeText, corrected.Residents.Single().HistoryNumber));
            var change = (await residents2.ListResidentIdouAsync(new ListResidentIdouRequest { Name = $"tenants/{City}/residents/{leaver}" }, clerk)).Idou[^1].Changes.Single(c => c.Item == "転出先（確定）");
            Assert.EndsWith("梅田8丁目8番8号", change.Before, StringComparison.Ordinal);
            Assert.EndsWith("梅田8丁目8番9号", change.After, StringComparison.Ordinal);

            // 広域交付 (7.1.1.1#4): a 交付地's request for the head's 住民票 is answered through the CS to that city; once a
            // 抑止 of issuance protects the head, a request is not answered but listed for a clerk.
            await cs.Client.InjectAsync(new CsMessage
            {
                MessageId = $"{run}-10", SenderCode = "271004", RecipientCode = City, Kind = CsMessageKind.WideAreaCopyRequest, Person = new CsPerson { ResidentCode = headCode },
            });
            CsMessage? copy = null;
            for (var i = 0; i < 300 && copy is null; i++)
            {
                await Task.Delay(100);
                copy = (await cs.ReceivedAsync(City)).FirstOrDefault(m => m.Kind == CsMessageKind.WideAreaCopy && m.Person.ResidentNumber == head);
            }
            Assert.NotNull(copy);
            Assert.Equal(("271004", headCode), (copy.RecipientCode, copy.Person.ResidentCode));
            // Not among what a clerk may send again (7.1.1.1).
            var sentCopy = (await link2.ListCsMessagesAsync(new ListCsMessagesRequest { Kind = "広域交付住民票情報" }, clerk)).Messages.Single();
            var supervisor = await SignedInAsync(data, "supervisor");
            Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(() => link2.ResendCsMessageAsync(
                new ResendCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = sentCopy.Name }, supervisor).ResponseAsync)).StatusCode);
            await new Contracts.Protection.V1.SuppressionService.SuppressionServiceClient(channel2).CreateSuppressionAsync(new Contracts.Protection.V1.CreateSuppressionRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                Suppression = new Contracts.Protection.V1.Suppression
                {
                    Resident = $"tenants/{City}/residents/{head}", Processes = { Contracts.Protection.V1.SuppressedProcess.Issuance }, Level = Contracts.Protection.V1.SuppressionLevel.Error,
                    Category = Contracts.Protection.V1.SuppressionCategory.Other, Reason = "本人からの申出", StartsOn = Day(-1),
                },
            }, supervisor);
            await cs.Client.InjectAsync(new CsMessage
            {
                MessageId = $"{run}-11", SenderCode = "271004", RecipientCode = City, Kind = CsMessageKind.WideAreaCopyRequest, Person = new CsPerson { ResidentCode = headCode },
            });
            CsInboundEntry? refusedCopy = null;
            for (var i = 0; i < 300 && refusedCopy is null; i++)
            {
                await Task.Delay(100);
                refusedCopy = (await link2.ListCsInboundAsync(new ListCsInboundRequest { State = CsInboundState.NeedsReview }, clerk)).Messages.FirstOrDefault(m => m.MessageId == $"{run}-11");
            }
            Assert.NotNull(refusedCopy);
            Assert.Contains("抑止", refusedCopy.Result, StringComparison.Ordinal);
            await Task.Delay(500);
            Assert.Single(await cs.ReceivedAsync(City), m => m.Kind == CsMessageKind.WideAreaCopy);

            // A clerk deals with an error by hand; it leaves the error list.
            var done = await link2.CompleteCsInboundAsync(new CompleteCsInboundRequest { RequestId = Guid.NewGuid().ToString(), Name = errors[0].Name, Note = "転出先市に照会し、該当者なしと確認" }, clerk);
            Assert.Equal(CsInboundState.Completed, done.State);
            Assert.Equal([$"{run}-7", $"{run}-11"], (await link2.ListCsInboundAsync(new ListCsInboundRequest { State = CsInboundState.NeedsReview }, clerk)).Messages.Select(e => e.MessageId));

            // 住基ネットの稼働状況 (7.1.2.4): reachable, nothing refused, one received message for a clerk; then the CS goes down.
            var status = await link2.GetCsLinkStatusAsync(new GetCsLinkStatusRequest(), clerk);
            Assert.Equal((true, true, false, 0, 2), (status.Configured, status.Reachable, status.Manual, status.Failed, status.InboundNeedsReview));
            Assert.NotNull(status.LastContactAt);
            await cs.KillAsync();
            for (var i = 0; i < 300 && (await link2.GetCsLinkStatusAsync(new GetCsLinkStatusRequest(), clerk)).Reachable; i++)
            {
                await Task.Delay(100);
            }
            var down = await link2.GetCsLinkStatusAsync(new GetCsLinkStatusRequest(), clerk);
            Assert.False(down.Reachable);
            Assert.True(down.LastFailureAt.ToDateTimeOffset() > down.LastContactAt.ToDateTimeOffset());
        }
        finally
        {
            RepositoryPaths.Remove(data);
        }
    }

    [Fact]
    [Spec("7.1.2.1#3")]
    [Spec("7.1.1.1#7")]
    public async Task A_change_request_without_the_new_number_asks_the_cs_and_takes_the_number_it_generates()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(StartTimeout);
        await using var server = ServerProcess.Start(null, LinkedTo(cs));
        await server.WaitUntilServingAsync(StartTimeout);
        var clerk = await SignedInAsync(server.DataDirectory, "clerk");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var registration = new RegistrationService.RegistrationServiceClient(channel);
        var residents = new ResidentService.ResidentServiceClient(channel);
        var moveIn = MoveIn(City, UniqueKana(), members: 1);
        moveIn.Members[0].ResidentCode = ResidentCode();
        var old = IndividualNumber();
        moveIn.Members[0].IndividualNumber = old;
        var name = (await registration.RecordMoveInAsync(moveIn, clerk)).Residents[0].Name;
        var number = name[(name.LastIndexOf('/') + 1)..];

        // 個人番号の変更請求 with the number left empty: the 請求 is recorded and the CS is asked for a new one.
        var now = await residents.GetResidentAsync(new GetResidentRequest { Name = name, IncludeIndividualNumber = true }, clerk);
        var asked = new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = AmendmentReason.IndividualNumberChangeRequest,
            Resident = new Contracts.Residents.V1.Resident { Name = name, Etag = now.Etag }, UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "individual_number" } },
            AmendmentDate = moveIn.NotificationDate, NotificationDate = moveIn.NotificationDate, Note = "漏えいのおそれによる変更請求",
        };
        await registration.RecordAmendmentAsync(asked, clerk);
        var changed = now;
        for (var i = 0; i < 300 && changed.IndividualNumber == old; i++)
        {
            await Task.Delay(100);
            changed = await residents.GetResidentAsync(new GetResidentRequest { Name = name, IncludeIndividualNumber = true }, clerk);
        }
        Assert.NotEqual(old, changed.IndividualNumber);
        Assert.True(Core.Numbers.CheckDigits.IsValidIndividualNumber(changed.IndividualNumber), changed.IndividualNumber);

        // The CS had the 変更要求 and gave that number; the register's new number went to it as 本人確認情報.
        var sent = await cs.ReceivedAsync(City);
        var request = Assert.Single(sent, m => m.Kind == CsMessageKind.IndividualNumberChangeRequest && m.Person.ResidentNumber == number);
        Assert.Equal((old, "個人番号の変更請求"), (request.Person.IndividualNumber, request.IdouReason));
        for (var i = 0; i < 100 && !(await cs.ReceivedAsync(City)).Any(m => m.Kind == CsMessageKind.Identity && m.Person.IndividualNumber == changed.IndividualNumber); i++)
        {
            await Task.Delay(100);
        }
        Assert.Contains(await cs.ReceivedAsync(City), m => m.Kind == CsMessageKind.Identity && m.Person.IndividualNumber == changed.IndividualNumber);
        // Two 異動 of the 請求: its 受付 (nothing changed yet) and the number taken in, by the link.
        var history = (await residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = name }, clerk)).Idou.Where(i => i.Reason == "個人番号の変更請求").ToList();
        Assert.Equal(2, history.Count);
        Assert.Empty(history[0].Changes);
        Assert.Equal(("cs-link", "個人番号"), (history[1].Staff, history[1].Changes.Single().Item));
    }

    [Fact]
    [Spec("7.1.1.1#16")]
    public async Task A_character_the_network_lacks_holds_the_message_until_the_city_converts_it()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(StartTimeout);
        await using var server = ServerProcess.Start(null, LinkedTo(cs));
        await server.WaitUntilServingAsync(StartTimeout);
        var clerk = await SignedInAsync(server.DataDirectory, "clerk");
        var supervisor = await SignedInAsync(server.DataDirectory, "supervisor");
        var operatorHeaders = await SignedInAsync(server.DataDirectory, "operator");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var link = new CsLinkService.CsLinkServiceClient(channel);

        // 𠮷 (U+20BB7) is not a 住基ネット統一文字; 葛 with its IVS goes as 葛.
        var moveIn = MoveIn(City, UniqueKana(), familyName: "𠮷田", members: 1);
        moveIn.Members[0].ResidentCode = ResidentCode();
        moveIn.Members[0].PersonName.Given = "葛\U000E0102子";
        var number = (await new RegistrationService.RegistrationServiceClient(channel).RecordMoveInAsync(moveIn, clerk)).Residents[0].ResidentNumber;
        var held = new RepeatedField<CsMessageEntry>();
        for (var i = 0; i < 300 && held.Count == 0; i++)
        {
            await Task.Delay(100);
            held = (await link.ListCsMessagesAsync(new ListCsMessagesRequest { State = CsMessageState.Failed }, clerk)).Messages;
        }
        var first = Assert.Single(held);
        Assert.Equal(("本人確認情報", $"tenants/{City}/residents/{number}"), (first.Kind, first.Resident));
        Assert.Contains("𠮷 (U+20BB7)", first.Result, StringComparison.Ordinal);
        Assert.Contains("csLink.characters", first.Result, StringComparison.Ordinal);
        Assert.DoesNotContain(await cs.ReceivedAsync(City), m => m.Person.ResidentNumber == number);
        Assert.Equal(1, (await link.GetCsLinkStatusAsync(new GetCsLinkStatusRequest(), clerk)).Failed);

        // The city adds its conversion (a configuration version like any other) and the message is sent again.
        await SetCsLinkAsync(new Contracts.Tenancy.V1.TenantAdminService.TenantAdminServiceClient(channel), operatorHeaders,
            new System.Text.Json.Nodes.JsonObject { ["characters"] = new System.Text.Json.Nodes.JsonObject { ["𠮷"] = "吉" } }, "住基ネット統一文字への変換の登録");
        await link.ResendCsMessageAsync(new ResendCsMessageRequest { RequestId = Guid.NewGuid().ToString(), Name = first.Name }, supervisor);
        IReadOnlyList<CsMessage> sent = [];
        for (var i = 0; i < 300 && sent.Count < 3; i++)
        {
            await Task.Delay(100);
            sent = [.. (await cs.ReceivedAsync(City)).Where(m => m.Person.ResidentNumber == number)];
        }
        Assert.Equal([CsMessageKind.MoveInNotice, CsMessageKind.FamilyRegisterAnnex, CsMessageKind.Identity], sent.Select(m => m.Kind));
        Assert.All(sent, m => Assert.Equal("吉田　葛子", m.Person.Name));
    }
}
