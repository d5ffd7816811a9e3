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
    public async Task Every_idou_reaches_the_cs_in_its_order_once_even_across_a_cs_outage()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(StartTimeout);
        await using var server = ServerProcess.Start(null, $"--Cs:Address={cs.Address}", "--Cs:PollSeconds=0.2", "--Cs:MaxBackoffSeconds=1");
        await server.WaitUntilServingAsync(StartTimeout);
        var clerk = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(server.DataDirectory, City, "clerk", "--terminal", "T001") } };
        var operatorHeaders = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(server.DataDirectory, City, "operator", "--terminal", "T001") } };
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
        var family = await registration.RecordMoveInAsync(moveIn, clerk);
        var (head, wife) = (family.Residents[0].ResidentNumber, family.Residents[1].ResidentNumber);
        var born = await registration.RecordBirthAsync(new RecordBirthRequest
        {
            RequestId = Guid.NewGuid().ToString(), Household = family.Residents[0].Household, NotificationDate = Day(-1), Notifier = RegisterDriver.Notifier(),
            Child = RegisterDriver.Person("高橋", "実", moveIn.Members[0].PersonName.FamilyKana, "ミノル", today.AddDays(-2).Year, today.AddDays(-2).Month, today.AddDays(-2).Day, Sex.Male, "子"),
        }, clerk);
        var child = born.Residents.Single(r => r.ResidentNumber != head && r.ResidentNumber != wife).ResidentNumber;
        // The child's 個人番号 comes back from the CS and is taken in (個人番号の職権記載), which owes its own 本人確認情報.
        var first = await ReceivedAsync(cs, 9);
        Assert.Equal(9, first.Count);

        // The CS goes down; the counter goes on: the household's 転居 and the wife's 転出 wait in the outbox.
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
            Destination = new Contracts.Common.V1.Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-1" },
        }, clerk);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the register tries, and waits longer each time
        await cs.StartAsync(StartTimeout);
        var all = await ReceivedAsync(cs, 17);

        // Each message once, in the order of the 異動 (and within one, person by person).
        Assert.Equal(all.Count, all.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(all.Select(m => m.Sequence).Order(), all.Select(m => m.Sequence));
        Assert.Equal(["国内転入", "出生", "個人番号の職権記載", "転居", "国内転出"], all.Select(m => m.IdouReason).Distinct());
        var taken = Assert.Single(all, m => m.IdouReason == "個人番号の職権記載");
        Assert.Equal((child, CsMessageKind.Identity), (taken.Person.ResidentNumber, taken.Kind));
        Assert.True(Core.Numbers.CheckDigits.IsValidIndividualNumber(taken.Person.IndividualNumber), taken.Person.IndividualNumber);
        var childNow = await residents.GetResidentAsync(new GetResidentRequest { Name = $"tenants/{City}/residents/{child}", IncludeIndividualNumber = true }, clerk);
        Assert.Equal(taken.Person.IndividualNumber, childNow.IndividualNumber);
        var persons = new[] { head, wife }.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(persons.SelectMany(p => new[] { (p, CsMessageKind.Identity), (p, CsMessageKind.MoveInNotice), (p, CsMessageKind.FamilyRegisterAnnex) }), Of(all, "国内転入"));
        // A newborn has no 個人番号: its generation is asked for first. The child's 本籍 is 不明: no 附票 notice.
        Assert.Equal([(child, CsMessageKind.IndividualNumberRequest), (child, CsMessageKind.Identity)], Of(all, "出生"));
        Assert.Equal([.. persons.SelectMany(p => new[] { (p, CsMessageKind.Identity), (p, CsMessageKind.FamilyRegisterAnnex) }), (child, CsMessageKind.Identity)], Of(all, "転居"));
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
        await using var server = ServerProcess.Start(null, $"--Cs:Address={cs.Address}", "--Cs:PollSeconds=0.2", "--Cs:MaxBackoffSeconds=1");
        await server.WaitUntilServingAsync(StartTimeout);
        var clerk = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(server.DataDirectory, City, "clerk", "--terminal", "T001") } };
        var supervisor = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(server.DataDirectory, City, "supervisor", "--terminal", "T001") } };
        using var channel = GrpcChannel.ForAddress(server.Address);
        var registration = new RegistrationService.RegistrationServiceClient(channel);
        var link = new CsLinkService.CsLinkServiceClient(channel);

        // No 住民票コード in stock: the 本人確認情報 of this 転入 is refused by the CS and holds the queue.
        var uncoded = (await registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1), clerk)).Residents[0];
        var coded = MoveIn(City, UniqueKana(), members: 1);
        coded.Members[0].ResidentCode = ResidentCode();
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
            Notifier = RegisterDriver.Notifier(), Destination = new Contracts.Common.V1.Address { Prefecture = "東京都", City = "小平市", FreeText = "小川町1-1" },
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
    [Spec("7.1.1.1#3")]
    [Spec("7.1.1.1#11")]
    [Spec("7.1.1.2#1")]
    public async Task A_city_on_manual_linking_keeps_its_messages_and_a_server_killed_mid_delivery_loses_and_repeats_nothing()
    {
        await using var cs = new CsEmulatorProcess();
        await cs.StartAsync(StartTimeout);
        string[] link = [$"--Cs:Address={cs.Address}", "--Cs:PollSeconds=0.05", "--Cs:MaxBackoffSeconds=1"];
        var data = RepositoryPaths.NewTempDirectory("srs-cs-server");
        try
        {
            var server = ServerProcess.Start(data, link);
            await server.WaitUntilServingAsync(StartTimeout);
            var clerk = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T001") } };
            var operatorHeaders = new Metadata { { "Authorization", "Bearer " + await ServerProcess.MintAsync(data, City, "operator", "--terminal", "T001") } };
            using (var channel = GrpcChannel.ForAddress(server.Address))
            {
                // Manual linking for a while (the city's configuration, a version like any other).
                var admin = new Contracts.Tenancy.V1.TenantAdminService.TenantAdminServiceClient(channel);
                async Task SetManualAsync(bool manual)
                {
                    var current = await admin.GetTenantConfigAsync(new Contracts.Tenancy.V1.GetTenantConfigRequest { Name = $"tenants/{City}" }, operatorHeaders);
                    var document = System.Text.Json.Nodes.JsonNode.Parse(current.Document)!.AsObject();
                    document["csLink"] = new System.Text.Json.Nodes.JsonObject { ["manual"] = manual };
                    await admin.ApplyTenantConfigAsync(new Contracts.Tenancy.V1.ApplyTenantConfigRequest
                    {
                        Name = $"tenants/{City}", Document = document.ToJsonString(), Etag = current.Etag, Reason = manual ? "CS 回線の工事" : "工事の終了", RequestId = Guid.NewGuid().ToString(),
                    }, operatorHeaders);
                }
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
            var config = await admin2.GetTenantConfigAsync(new Contracts.Tenancy.V1.GetTenantConfigRequest { Name = $"tenants/{City}" }, operatorHeaders);
            var manualAgain = System.Text.Json.Nodes.JsonNode.Parse(config.Document)!.AsObject();
            manualAgain["csLink"] = new System.Text.Json.Nodes.JsonObject { ["manual"] = true };
            await admin2.ApplyTenantConfigAsync(new Contracts.Tenancy.V1.ApplyTenantConfigRequest
            {
                Name = $"tenants/{City}", Document = manualAgain.ToJsonString(), Etag = config.Etag, Reason = "CS 回線の工事", RequestId = Guid.NewGuid().ToString(),
            }, operatorHeaders);
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
}
