using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>9.4 成年被後見人: set on the record, never printed, and the 通知書 to the 転入地 when they move out.</summary>
public abstract class AdultWardTests(ServerFixture server)
{
    private const string City = "132110";
    private static readonly Google.Type.Date Today = Date(2026, 11, 26);

    private RegistrationService.RegistrationServiceClient Registration => new(server.As(City));

    private MoveOutCertificateService.MoveOutCertificateServiceClient Notices => new(server.As(City));

    private async Task<Resident> GetAsync(Resident r) =>
        await new ResidentService.ResidentServiceClient(server.As(City)).GetResidentAsync(new GetResidentRequest { Name = r.Name });

    [Fact]
    [Spec("9.4#1")]
    [Spec("9.4#2")]
    [Spec("1.1.1#43")]
    public async Task A_ward_is_set_by_an_official_correction_never_printed_and_their_move_out_gives_the_notice_to_the_new_city()
    {
        var family = (await Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 2))).Residents;
        var ward = await GetAsync(family[1]);
        ward.Entitlements ??= new Entitlements();
        ward.Entitlements.AdultWard = true;
        await Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Reason = AmendmentReason.OfficialCorrection, Resident = ward, UpdateMask = new FieldMask { Paths = { "entitlements" } },
            AmendmentDate = Today, NotificationDate = Today, Note = "後見開始の審判 (登記事項証明書による)",
        });
        Assert.True((await GetAsync(family[1])).Entitlements.AdultWard);
        Assert.False((await GetAsync(family[0])).Entitlements.AdultWard);

        // Never on a certificate, whatever is asked.
        var issued = await new CertificateService.CertificateServiceClient(server.As(City)).PreviewCertificateAsync(new IssueCertificateRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = CertificateKind.ResidentCopy, Residents = { family[1].Name }, IncludeHistory = true, Printer = "P-001",
            Items = { CertificateItem.HeadAndRelationship, CertificateItem.Domicile, CertificateItem.ResidentCode },
            Requester = new Requester { Category = RequesterCategory.SelfOrHousehold, Name = "高橋 花子", Resident = family[1].Name, IdentityCheck = "運転免許証" },
        });
        Assert.DoesNotContain("後見", PdfTools.Text(issued.Copies[0].Pdf.ToByteArray()), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Certificate.Persons.SelectMany(p => p.Fields), f => f.Value.Contains("後見", StringComparison.Ordinal));

        // Before a 転出 there is no 通知書; nor for someone who is not a ward.
        var early = await Assert.ThrowsAsync<RpcException>(() => Notices.GetAdultWardNoticeAsync(new GetAdultWardNoticeRequest { Resident = family[1].Name }).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "resident"), (early.StatusCode, early.ViolatedFields().Single()));

        await Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { family.Select(r => new ResidentRef { Name = r.Name }) }, PlannedDate = Date(2026, 12, 5), NotificationDate = Today,
            Notifier = new Notifier { Name = "高橋 一郎", Relation = "世帯主" },
            Destination = new Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田1-1-1" },
        });
        // The clerk is told, on the record, that the 転入地 is to be notified.
        Assert.Contains(Server.Residents.ResidentGrpcService.MoveOutCertificateGrpcServiceNotice, (await GetAsync(family[1])).Notices);
        Assert.DoesNotContain(Server.Residents.ResidentGrpcService.MoveOutCertificateGrpcServiceNotice, (await GetAsync(family[0])).Notices);

        var notice = await Notices.GetAdultWardNoticeAsync(new GetAdultWardNoticeRequest { Resident = family[1].Name });
        Assert.Equal("大阪府大阪市北区長", notice.Addressee);
        var text = System.Text.RegularExpressions.Regex.Replace(PdfTools.Text(notice.Pdf.ToByteArray(), layout: true), @"\s", "");
        Assert.Contains("成年被後見人に関する通知書", text, StringComparison.Ordinal);
        Assert.Contains("大阪府大阪市北区長様", text, StringComparison.Ordinal);
        Assert.Contains("氏名高橋花子", text, StringComparison.Ordinal);
        Assert.Contains("転出しましたので通知します。", text, StringComparison.Ordinal);
        Assert.Contains("転出予定年月日令和8年12月5日", text, StringComparison.Ordinal);
        Assert.Contains("梅田1-1-1", text, StringComparison.Ordinal);
        var notWard = await Assert.ThrowsAsync<RpcException>(() => Notices.GetAdultWardNoticeAsync(new GetAdultWardNoticeRequest { Resident = family[0].Name }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, notWard.StatusCode);
    }
}

public sealed class AdultWardTestsOnSqlite(SqliteServer server) : AdultWardTests(server), IClassFixture<SqliteServer>;

public sealed class AdultWardTestsOnPostgres(PostgresServer server) : AdultWardTests(server), IClassFixture<PostgresServer>;
