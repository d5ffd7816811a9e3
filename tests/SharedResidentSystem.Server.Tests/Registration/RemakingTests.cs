using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>1.1.4 改製: no limit of history, 改製 by hand with its date, the 改製原住民票 printable, and the 特別な事由 left out of certificates.</summary>
public abstract class RemakingTests(ServerFixture server)
{
    private const string City = "132136";
    private static readonly Google.Type.Date Today = Date(2026, 11, 26);

    private RegistrationService.RegistrationServiceClient Registration(string role = Roles.Clerk) => new(server.As(City, role));

    private ResidentService.ResidentServiceClient Residents => new(server.As(City));

    private async Task<List<Resident>> FamilyAsync() => [.. (await Registration().RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 2))).Residents];

    private async Task<Resident> GetAsync(Resident r) => await Residents.GetResidentAsync(new GetResidentRequest { Name = r.Name });

    private async Task CorrectKatagakiAsync(Resident r, string katagaki)
    {
        var now = await GetAsync(r);
        now.Address.Katagaki = katagaki;
        await Registration().CorrectResidentAsync(new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = now, UpdateMask = new FieldMask { Paths = { "address.katagaki" } }, CorrectionDate = Today, NotificationDate = Today,
            Reason = "部屋番号の修正",
        });
    }

    private static IssueCertificateRequest Copy(Resident r, bool history = true) => new()
    {
        RequestId = Guid.NewGuid().ToString(), Kind = CertificateKind.ResidentCopy, Residents = { r.Name }, IncludeHistory = history, Printer = "P-001",
        Requester = new Requester { Category = RequesterCategory.SelfOrHousehold, Name = $"{r.PersonName.Family} {r.PersonName.Given}", Resident = r.Name, IdentityCheck = "運転免許証" },
    };

    private async Task<IssueCertificateResponse> PreviewAsync(IssueCertificateRequest request) =>
        await new CertificateService.CertificateServiceClient(server.As(City)).PreviewCertificateAsync(request);

    [Fact]
    [Spec("1.1.4#1")]
    [Spec("1.1.4#2")]
    [Spec("1.1.4#3")]
    public async Task A_record_keeps_every_version_without_a_remaking_of_its_own_and_a_remaking_by_hand_starts_the_copy_anew_keeping_the_original_printable()
    {
        var family = await FamilyAsync();
        var head = family[0];
        // 1.1.4#1: sixty 異動 and no 満欄, no 改製 made by the register.
        for (var i = 1; i <= 60; i++)
        {
            await CorrectKatagakiAsync(head, $"コーポ{i}");
        }
        var history = (await Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = head.Name })).Idou;
        Assert.Equal(61, history.Count);
        Assert.DoesNotContain(history, h => h.Reason == "改製");
        Assert.Null((await GetAsync(head)).RemadeOn);

        // 1.1.4#2: a supervisor makes the household's 住民票 anew; a clerk may not.
        var byClerk = await Assert.ThrowsAsync<RpcException>(() => Registration().RemakeResidentAsync(new RemakeResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { new ResidentRef { Name = head.Name } }, RemadeOn = Today, Note = "汚損のため",
        }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, byClerk.StatusCode);
        var remade = await Registration(Roles.Supervisor).RemakeResidentAsync(new RemakeResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { family.Select(r => new ResidentRef { Name = r.Name }) }, RemadeOn = Today, Note = "汚損のため",
        });
        // 1.1.4#3: its date is kept on the record; the 改製 is a 異動 of its own (記載), and nothing goes to the CS.
        Assert.Equal(Today, (await GetAsync(head)).RemadeOn);
        Assert.Equal(Today, (await GetAsync(family[1])).RemadeOn);
        var entry = (await Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = head.Name })).Idou[^1];
        Assert.Equal(("記載", "改製", remade.Idou), (entry.Category, entry.Reason, entry.Name));
        var cs = await new CsLinkService.CsLinkServiceClient(server.As(City, Roles.Supervisor)).ListCsMessagesAsync(new ListCsMessagesRequest { Resident = head.Name, PageSize = 500 });
        Assert.DoesNotContain(cs.Messages, m => m.Idou == remade.Idou);
        await CorrectKatagakiAsync(head, "コーポ61");

        // The 写し prints the history from the 改製 on; the 改製原住民票 the record and history before it.
        var copy = await PreviewAsync(Copy(head));
        var lines = copy.Certificate.Persons.Single().History;
        Assert.Equal(2, lines.Count);
        Assert.Contains("改製", lines[0], StringComparison.Ordinal);
        Assert.Contains("軽微な修正", lines[1], StringComparison.Ordinal);
        Assert.Equal("住民票の写し", copy.Certificate.Title);
        var originalRequest = Copy(head);
        originalRequest.RemadeOriginal = true;
        var original = await PreviewAsync(originalRequest);
        Assert.Equal("改製原住民票の写し", original.Certificate.Title);
        var originalLines = original.Certificate.Persons.Single().History;
        Assert.Equal(61, originalLines.Count);
        Assert.Contains("国内転入", originalLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(originalLines, l => l.Contains("改製", StringComparison.Ordinal));
        // The 住所 as it stood before the 改製 (its 方書 then), not today's.
        Assert.EndsWith("コーポ60", original.Certificate.HouseholdFields.Single(f => f.Key == "address").Value, StringComparison.Ordinal);
        Assert.EndsWith("コーポ61", copy.Certificate.HouseholdFields.Single(f => f.Key == "address").Value, StringComparison.Ordinal);
        Assert.Contains(original.Certificate.Notes, n => n.Contains("改製されました", StringComparison.Ordinal));
        Assert.Contains("改製原住民票の写し", PdfTools.Text(original.Copies[0].Pdf.ToByteArray()), StringComparison.Ordinal);

        // A second 改製: its 改製原住民票 is the 原票 the first one began, no more.
        await Registration(Roles.Supervisor).RemakeResidentAsync(new RemakeResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { new ResidentRef { Name = head.Name } }, RemadeOn = Today, Note = "再度の汚損",
        });
        var againOriginal = Copy(head);
        againOriginal.RemadeOriginal = true;
        var secondOriginal = (await PreviewAsync(againOriginal)).Certificate.Persons.Single().History;
        Assert.Equal(2, secondOriginal.Count);
        Assert.Contains("改製", secondOriginal[0], StringComparison.Ordinal);
        Assert.Contains("軽微な修正", secondOriginal[1], StringComparison.Ordinal);
        Assert.Single((await PreviewAsync(Copy(head))).Certificate.Persons.Single().History);

        // Only a 写し is printed so, and only of a record that was 改製.
        var item = Copy(head);
        (item.Kind, item.RemadeOriginal) = (CertificateKind.ItemCertificate, true);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => PreviewAsync(item))).StatusCode);
        var never = Copy((await FamilyAsync())[0]);
        never.RemadeOriginal = true;
        var refused = await Assert.ThrowsAsync<RpcException>(() => PreviewAsync(never));
        Assert.Equal((StatusCode.FailedPrecondition, "remade_original"), (refused.StatusCode, refused.ViolatedFields().Single()));
        // A 改製 dated before the last 異動 contradicts the record.
        var early = await Assert.ThrowsAsync<RpcException>(() => Registration(Roles.Supervisor).RemakeResidentAsync(new RemakeResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { new ResidentRef { Name = head.Name } }, RemadeOn = Date(2026, 11, 1), Note = "汚損のため",
        }).ResponseAsync);
        Assert.Equal("remade_on", early.ViolatedFields()[0]);
    }

    [Fact]
    [Spec("1.1.4#4")]
    public async Task The_history_of_a_special_reason_is_left_out_of_a_copy_unless_asked()
    {
        var family = await FamilyAsync();
        var wife = await GetAsync(family[1]);
        wife.Sex = Sex.Male;
        await Registration().RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = AmendmentReason.OfficialCorrection, Resident = wife, UpdateMask = new FieldMask { Paths = { "sex" } },
            AmendmentDate = Today, NotificationDate = Today, Note = "戸籍の届出に基づく性別の変更", SpecialReason = SpecialReason.GenderChange,
        });
        await CorrectKatagakiAsync(family[1], "コーポ202");

        var plain = (await PreviewAsync(Copy(family[1]))).Certificate.Persons.Single().History;
        Assert.Equal(2, plain.Count);
        Assert.DoesNotContain(plain, l => l.Contains("職権修正", StringComparison.Ordinal));
        var asked = Copy(family[1]);
        asked.IncludeSpecialHistory = true;
        var all = (await PreviewAsync(asked)).Certificate.Persons.Single().History;
        Assert.Equal(3, all.Count);
        Assert.Contains(all, l => l.Contains("職権修正", StringComparison.Ordinal));
        // The 異動履歴 of the register keeps it (the record holds the history; only the copy leaves it out).
        Assert.Contains((await Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = family[1].Name })).Idou, h => h.Reason == "職権修正");
        // A 特別な事由 belongs to a 職権修正 or 誤記修正 only.
        var other = await GetAsync(family[0]);
        var refused = await Assert.ThrowsAsync<RpcException>(() => Registration().RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = AmendmentReason.OldSurnameEntry, Resident = new Resident { Name = other.Name, Etag = other.Etag, OldSurname = new OldSurname { Surname = "旧姓", SurnameKana = "キュウセイ" } },
            UpdateMask = new FieldMask { Paths = { "old_surname" } }, AmendmentDate = Today, NotificationDate = Today, Note = "旧氏の記載", SpecialReason = SpecialReason.SpecialAdoption,
        }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "special_reason"), (refused.StatusCode, refused.ViolatedFields().Single()));
    }
}

public sealed class RemakingTestsOnSqlite(SqliteServer server) : RemakingTests(server), IClassFixture<SqliteServer>;

public sealed class RemakingTestsOnPostgres(PostgresServer server) : RemakingTests(server), IClassFixture<PostgresServer>;
