using Grpc.Core;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Cs;

/// <summary>
/// 送付先情報 designated by a clerk (7.1.1.1, 7.1.1.4) and 特例転出 (4.1.3.0.4), through the
/// register's services; what reaches the CS is in CsLinkTests, against the emulator.
/// </summary>
public abstract class DeliveryAndSpecialMoveOutTests(ServerFixture server)
{
    private const string City = "132136";
    private const string Residence = "東京都清瀬市元町1丁目1番";

    private CsLinkService.CsLinkServiceClient Link(string role = Roles.Clerk) => new(server.As(City, role));

    private async Task<Resident> ResidentAsync(bool cardHeld = false)
    {
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Members[0].Entitlements = new Entitlements { CardHeld = cardHeld };
        var family = await new RegisterDriver(server, City).Registration.RecordMoveInAsync(request);
        return family.Residents[0];
    }

    private async Task<IReadOnlyList<CsMessageEntry>> SentForAsync(Resident person) =>
        (await Link().ListCsMessagesAsync(new ListCsMessagesRequest { Kind = "送付先情報", Resident = person.Name })).Messages;

    private static DesignateDeliveryAddressRequest Designation(Resident person, string note = "DV 被害のため居所へ送付") => new()
    {
        RequestId = Guid.NewGuid().ToString(), Resident = person.Name, PrintCategory = DeliveryPrintCategory.Print, SpecialCircumstances = true,
        Residence = Residence, ResidenceKatagaki = "ひまわり荘201", ResidencePostalCode = "2040021", Note = note,
    };

    [Fact]
    [Spec("7.1.1.1#2")]
    [Spec("7.1.1.4#3")]
    [Spec("7.1.1.4#4")]
    public async Task A_designation_of_print_category_special_circumstances_and_residence_is_sent_at_once_and_its_history_is_listed()
    {
        var person = await ResidentAsync();
        var none = await Link().GetDeliveryAddressAsync(new GetDeliveryAddressRequest { Resident = person.Name });
        Assert.Equal((false, DeliveryPrintCategory.Print, false, person.Address.PostalCode), (none.Designated, none.PrintCategory, none.Delivery.Residence, none.Delivery.PostalCode));
        Assert.Contains(person.Address.Town, none.Delivery.Address, StringComparison.Ordinal);
        Assert.Empty(await SentForAsync(person));

        // To a 居所 other than the 住所, with 特別な事情: sent with it at once.
        var designated = await Link().DesignateDeliveryAddressAsync(Designation(person));
        Assert.Equal((true, true, true, Residence, "ひまわり荘201", "2040021", 1), (designated.Designated, designated.SpecialCircumstances, designated.Delivery.Residence,
            designated.Delivery.Address, designated.Delivery.Katagaki, designated.Delivery.PostalCode, designated.Delivery.PrintCategory));
        Assert.Equal(("DV 被害のため居所へ送付", "staff-1"), (designated.Note, designated.Staff));
        var sent = Assert.Single(await SentForAsync(person));
        Assert.Equal((designated.Message, "送付先の変更指定", CsMessageState.Pending), (sent.Name, sent.Reason, sent.State));

        // Back to the 住所, handed over by the city itself: a second designation, a second message, both listed in order.
        var back = await Link().DesignateDeliveryAddressAsync(new DesignateDeliveryAddressRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = person.Name, PrintCategory = DeliveryPrintCategory.NoPrint, Note = "窓口で交付",
        });
        Assert.Equal((DeliveryPrintCategory.NoPrint, false, none.Delivery.Address, 2), (back.PrintCategory, back.Delivery.Residence, back.Delivery.Address, back.Delivery.PrintCategory));
        var now = await Link().GetDeliveryAddressAsync(new GetDeliveryAddressRequest { Resident = person.Name });
        Assert.Equal((true, DeliveryPrintCategory.NoPrint, "窓口で交付"), (now.Designated, now.PrintCategory, now.Note));
        Assert.Equal([designated.Message, back.Message], (await SentForAsync(person)).Select(m => m.Name));

        // A designation that contradicts itself changes nothing.
        var refused = await Assert.ThrowsAsync<RpcException>(() => Link().DesignateDeliveryAddressAsync(new DesignateDeliveryAddressRequest(Designation(person)) { RequestId = Guid.NewGuid().ToString(), ResidencePostalCode = "" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["residence_postal_code"], refused.ViolatedFields());
        var unspecified = await Assert.ThrowsAsync<RpcException>(() => Link().DesignateDeliveryAddressAsync(new DesignateDeliveryAddressRequest(Designation(person)) { RequestId = Guid.NewGuid().ToString(), PrintCategory = DeliveryPrintCategory.Unspecified }).ResponseAsync);
        Assert.Equal(["print_category"], unspecified.ViolatedFields());
        Assert.Equal(2, (await SentForAsync(person)).Count);
        Assert.Equal(DeliveryPrintCategory.NoPrint, (await Link().GetDeliveryAddressAsync(new GetDeliveryAddressRequest { Resident = person.Name })).PrintCategory);
    }

    [Fact]
    [Spec("7.1.1.4#3")]
    public async Task A_protected_persons_residence_is_neither_shown_nor_changed_past_the_suppression_and_a_removed_person_has_none()
    {
        var person = await ResidentAsync();
        await Link().DesignateDeliveryAddressAsync(Designation(person));
        var suppressions = new SuppressionService.SuppressionServiceClient(server.As(City, Roles.Supervisor));
        var created = await suppressions.CreateSuppressionAsync(new CreateSuppressionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Suppression = new Suppression
            {
                Resident = person.Name, Processes = { SuppressedProcess.Inquiry, SuppressedProcess.Idou }, Level = SuppressionLevel.Error,
                Category = SuppressionCategory.Other, Reason = "実態調査中", StartsOn = Date(2026, 11, 1),
            },
        });
        var read = await Assert.ThrowsAsync<RpcException>(() => Link().GetDeliveryAddressAsync(new GetDeliveryAddressRequest { Resident = person.Name }).ResponseAsync);
        Assert.Equal(ErrorReasons.Suppressed, read.ErrorInfo()?.Reason);
        Assert.DoesNotContain(Residence, read.Status.Detail, StringComparison.Ordinal);
        var write = await Assert.ThrowsAsync<RpcException>(() => Link().DesignateDeliveryAddressAsync(Designation(person, "別の居所")).ResponseAsync);
        Assert.Equal(ErrorReasons.Suppressed, write.ErrorInfo()?.Reason);
        Assert.Single(await SentForAsync(person));
        await suppressions.LiftSuppressionAsync(new LiftSuppressionRequest { RequestId = Guid.NewGuid().ToString(), Name = created.Name, Etag = created.Etag, Reason = "調査終了" });
        Assert.Equal(Residence, (await Link().GetDeliveryAddressAsync(new GetDeliveryAddressRequest { Resident = person.Name })).Residence);

        // A 除票 is sent no documents: no designation.
        var leaver = await ResidentAsync();
        await MoveOutAsync(leaver, special: false);
        var removed = await Assert.ThrowsAsync<RpcException>(() => Link().DesignateDeliveryAddressAsync(Designation(leaver)).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, removed.StatusCode);
        Assert.Equal(["resident"], removed.ViolatedFields());
        // Another city's resident is not found.
        var foreign = await Assert.ThrowsAsync<RpcException>(() => new CsLinkService.CsLinkServiceClient(server.As("132110")).GetDeliveryAddressAsync(new GetDeliveryAddressRequest { Resident = person.Name }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
    }

    private async Task<RecordIdouResponse> MoveOutAsync(Resident person, bool special, bool abroad = false)
    {
        var current = await new RegisterDriver(server, City).GetAsync(person.Name);
        return await new RegisterDriver(server, City).Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { RegisterDriver.Ref(current) }, PlannedDate = Date(2026, 12, 5), NotificationDate = Date(2026, 11, 26),
            Notifier = RegisterDriver.Notifier(), Abroad = abroad, Special = special,
            Destination = abroad ? new Contracts.Common.V1.Address { Country = "アメリカ合衆国", FreeText = "ニューヨーク" } : new Contracts.Common.V1.Address { Prefecture = "埼玉県", City = "所沢市", FreeText = "東町2-2" },
        });
    }

    [Fact]
    [Spec("4.1.3.0.4#1")]
    [Spec("4.1.3.0.4#2")]
    [Spec("4.1.3.0.4#3")]
    [Spec("4.1.3.0.4#4")]
    public async Task A_special_move_out_needs_a_card_holder_sends_the_information_and_its_optional_certificate_says_so()
    {
        // Nobody moving holds a card, or the move is abroad: no 特例転出, and nothing is written.
        var withoutCard = await ResidentAsync();
        var noCard = await Assert.ThrowsAsync<RpcException>(() => MoveOutAsync(withoutCard, special: true));
        Assert.Equal(StatusCode.FailedPrecondition, noCard.StatusCode);
        Assert.Equal(["special"], noCard.ViolatedFields());
        var holder = await ResidentAsync(cardHeld: true);
        var abroad = await Assert.ThrowsAsync<RpcException>(() => MoveOutAsync(holder, special: true, abroad: true));
        Assert.Equal(StatusCode.InvalidArgument, abroad.StatusCode);
        Assert.Equal(["special"], abroad.ViolatedFields());
        Assert.Equal(ResidentStatus.Active, (await new RegisterDriver(server, City).GetAsync(withoutCard.Name)).Status);
        Assert.Equal(ResidentStatus.Active, (await new RegisterDriver(server, City).GetAsync(holder.Name)).Status);

        // The card holder's 特例転出: no 転出証明書 is needed; the 転出証明書情報 waits for the CS.
        await MoveOutAsync(holder, special: true);
        var removed = await new RegisterDriver(server, City).GetAsync(holder.Name);
        Assert.True(removed.Removal.Special);
        var information = (await Link().ListCsMessagesAsync(new ListCsMessagesRequest { Kind = "転出証明書情報", Resident = holder.Name })).Messages;
        Assert.Equal("国内転出", Assert.Single(information).Reason);
        // One may still be printed, marked 「特例による転出処理済」; a 転出 with a paper certificate has no such mark and sends no information.
        var certificates = new CertificateService.CertificateServiceClient(server.As(City));
        string Printed(IssueCertificateResponse issued) => PdfTools.Text(issued.Copies[0].Pdf.ToByteArray());
        IssueCertificateRequest Request(Resident r) => new()
        {
            RequestId = Guid.NewGuid().ToString(), Kind = CertificateKind.MoveOutCertificate, Residents = { r.Name }, Layout = CertificateLayout.Individual,
            Requester = new Requester { Category = RequesterCategory.SelfOrHousehold, Name = $"{r.PersonName.Family} {r.PersonName.Given}", Resident = r.Name, IdentityCheck = "個人番号カード" },
        };
        Assert.Contains("特例による転出処理済", Printed(await certificates.IssueCertificateAsync(Request(holder))), StringComparison.Ordinal);
        await MoveOutAsync(withoutCard, special: false);
        Assert.DoesNotContain("特例による転出処理済", Printed(await certificates.IssueCertificateAsync(Request(withoutCard))), StringComparison.Ordinal);
        Assert.Empty((await Link().ListCsMessagesAsync(new ListCsMessagesRequest { Kind = "転出証明書情報", Resident = withoutCard.Name })).Messages);
        Assert.False((await new RegisterDriver(server, City).GetAsync(withoutCard.Name)).Removal.Special);
    }
}

public sealed class DeliveryAndSpecialMoveOutTestsOnSqlite(SqliteServer server) : DeliveryAndSpecialMoveOutTests(server), IClassFixture<SqliteServer>;

public sealed class DeliveryAndSpecialMoveOutTestsOnPostgres(PostgresServer server) : DeliveryAndSpecialMoveOutTests(server), IClassFixture<PostgresServer>;
