using Grpc.Core;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>
/// CSV intake at the counter (10.8): each of the four kinds of data becomes the pre-filled
/// request of its 異動 or certificate, records nothing by itself, and a problem names the CSV
/// column and line; the pre-filled request, once the clerk adds what the data lacks, records.
/// </summary>
public sealed class IntakeTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private const string City = "132136";

    private IntakeService.IntakeServiceClient Intake => new(server.As(City, Roles.Clerk));

    private RegisterDriver Clerk => new(server, City);

    private async Task<ReadIntakeCsvResponse> ReadAsync(IntakeKind kind, params string[] lines) =>
        await Intake.ReadIntakeCsvAsync(new ReadIntakeCsvRequest { Kind = kind, Csv = string.Join("\r\n", lines) + "\r\n" });

    [Spec("10.8#1")]
    [Spec("10.8#2")]
    [Spec("10.8#4")]
    [Fact]
    public async Task A_move_out_certificate_becomes_a_move_in_that_records_only_when_the_clerk_sends_it()
    {
        var kana = Readings.UniqueKana();
        var before = (await Clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana })).Residents.Count;
        var read = await ReadAsync(IntakeKind.MoveOutCertificate,
            "氏名,氏名カナ,生年月日,性別,続柄,本籍,筆頭者,住民票コード,住所,転出先,転出予定日",
            $"取込　一郎,{kana}　イチロウ,昭和45年4月1日,男,世帯主,東京都千代田区千代田1番,取込　一郎,,埼玉県所沢市東町1-1,東京都東村山市本町2丁目3番4号 コーポ東 101,2026-11-20",
            $"取込　花子,{kana}　ハナコ,1972-05-02,女,妻,東京都千代田区千代田1番,取込　一郎,,埼玉県所沢市東町1-1,東京都東村山市本町2丁目3番4号 コーポ東 101,2026-11-20");

        var moveIn = read.MoveIn;
        Assert.Equal(2, moveIn.Members.Count);
        Assert.Equal(("取込", "一郎", kana, "イチロウ"), (moveIn.Members[0].PersonName.Family, moveIn.Members[0].PersonName.Given, moveIn.Members[0].PersonName.FamilyKana, moveIn.Members[0].PersonName.GivenKana));
        Assert.Equal((1970, 4, 1), (moveIn.Members[0].BirthDate.Year, moveIn.Members[0].BirthDate.Month, moveIn.Members[0].BirthDate.Day));
        Assert.Equal((Sex.Female, "妻"), (moveIn.Members[1].Sex, moveIn.Members[1].Relationship));
        Assert.Equal(("埼玉県", "所沢市", "東町1-1"), (moveIn.PreviousAddress.Prefecture, moveIn.PreviousAddress.City, moveIn.PreviousAddress.FreeText));
        Assert.Equal(("本町", 2, "3番4号", "コーポ東 101"), (moveIn.Address.Town, moveIn.Address.Chome, moveIn.Address.Banchi, moveIn.Address.Katagaki));
        Assert.Contains(read.Notes, n => n.Contains("異動日", StringComparison.Ordinal) && n.Contains("2026-11-20", StringComparison.Ordinal));
        // Reading recorded nobody.
        Assert.Equal(before, (await Clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana })).Residents.Count);

        moveIn.RequestId = Guid.NewGuid().ToString();
        moveIn.MoveDate = Requests.Date(2026, 11, 21);
        moveIn.NotificationDate = Requests.Date(2026, 11, 25);
        moveIn.Notifier.Name = "取込　一郎";
        moveIn.Notifier.Relation = "本人";
        var recorded = await Clerk.Registration.RecordMoveInAsync(moveIn);
        Assert.Equal(2, recorded.Residents.Count);
        Assert.All(recorded.Residents, r => Assert.Equal("3番4号", r.Address.Banchi));
    }

    [Spec("10.8#5")]
    [Fact]
    public async Task A_notification_of_a_move_within_the_city_names_who_moves_and_where()
    {
        var kana = Readings.UniqueKana();
        var family = await Clerk.MoveInAsync(Requests.Date(2026, 11, 20), Clerk.Address(1, "9番9号"),
            RegisterDriver.Person("転居", "届", kana, "トドケ", 1980, 1, 1, Sex.Male, "世帯主"));
        var number = family.Residents[0].ResidentNumber;
        var read = await ReadAsync(IntakeKind.IdouNotification,
            "異動の種類,異動日,届出日,届出人氏名,届出人続柄,新住所,宛名番号",
            $"転居,令和8年11月22日,令和8年11月24日,転居　届,本人,秋津町3丁目5-6,{number}");
        var change = read.AddressChange;
        Assert.Equal($"tenants/{City}/residents/{number}", Assert.Single(change.Residents).Name);
        Assert.Equal((2026, 11, 22), (change.MoveDate.Year, change.MoveDate.Month, change.MoveDate.Day));
        Assert.Equal(("秋津町", 3, "5番6号"), (change.Address.Town, change.Address.Chome, change.Address.Banchi));
        Assert.Equal("転居　届", change.Notifier.Name);

        change.RequestId = Guid.NewGuid().ToString();
        change.Residents[0].Etag = (await Clerk.GetAsync(change.Residents[0].Name)).Etag;
        var recorded = await Clerk.Registration.RecordAddressChangeAsync(change);
        Assert.Equal("秋津町", recorded.Residents[0].Address.Town);

        var moveIn = await ReadAsync(IntakeKind.IdouNotification,
            "異動の種類,異動日,届出日,届出人氏名,届出人続柄,新住所,旧住所,氏,名,氏カナ,名カナ,生年月日,性別,続柄",
            $"転入,2026-11-20,2026-11-25,届出　人,本人,本町1丁目2番3号,大阪府大阪市北区梅田1-1-1,届出,人,{Readings.UniqueKana()},ヒト,1990-03-03,女,世帯主");
        Assert.Equal(("大阪府", "大阪市北区", "梅田1-1-1"), (moveIn.MoveIn.PreviousAddress.Prefecture, moveIn.MoveIn.PreviousAddress.City, moveIn.MoveIn.PreviousAddress.FreeText));
        Assert.Equal("本町", moveIn.MoveIn.Address.Town);
    }

    [Spec("10.8#6")]
    [Fact]
    public async Task An_application_becomes_a_certificate_request_with_its_requester_and_items()
    {
        var read = await ReadAsync(IntakeKind.CertificateApplication,
            "証明書の種類,宛名番号,請求者の区分,請求者氏名,本人確認書類,通数,記載事項",
            "住民票の写し,000000000019,本人,申請　太郎,運転免許証,2,世帯主・続柄・本籍");
        var request = read.Certificate;
        Assert.Equal(CertificateKind.ResidentCopy, request.Kind);
        Assert.Equal($"tenants/{City}/residents/000000000019", Assert.Single(request.Residents));
        Assert.Equal((RequesterCategory.SelfOrHousehold, "申請　太郎", "運転免許証"), (request.Requester.Category, request.Requester.Name, request.Requester.IdentityCheck));
        Assert.Equal(2, request.Copies);
        Assert.Equal([CertificateItem.HeadAndRelationship, CertificateItem.Domicile], request.Items);

        // Without 通数 the request is for one copy.
        var single = await ReadAsync(IntakeKind.CertificateApplication, "証明書の種類,宛名番号,請求者の区分,請求者氏名", "住民票の除票の写し,000000000019,第三者,申請　花子");
        Assert.Equal((CertificateKind.RemovedResidentCopy, 1, RequesterCategory.ThirdParty), (single.Certificate.Kind, single.Certificate.Copies, single.Certificate.Requester.Category));
    }

    [Spec("10.8#7")]
    [Fact]
    public async Task The_card_face_becomes_the_holders_move_in_with_the_individual_number_and_old_surname()
    {
        var read = await ReadAsync(IntakeKind.CardFace,
            "氏名,住所,生年月日,性別,個人番号,旧氏,通称",
            "券面　花子,大阪府大阪市北区梅田2-2-2,平成2年3月4日,女,123456789018,旧姓,");
        var person = Assert.Single(read.MoveIn.Members);
        Assert.Equal(("券面", "花子", "123456789018", "旧姓"), (person.PersonName.Family, person.PersonName.Given, person.IndividualNumber, person.OldSurname.Surname));
        Assert.Equal((1990, 3, 4, Sex.Female, "世帯主"), (person.BirthDate.Year, person.BirthDate.Month, person.BirthDate.Day, person.Sex, person.Relationship));
        Assert.Equal(("大阪府", "大阪市北区"), (read.MoveIn.PreviousAddress.Prefecture, read.MoveIn.PreviousAddress.City));
        Assert.Equal("券面　花子", read.MoveIn.Notifier.Name);
    }

    [Spec("10.8#1")]
    [Fact]
    public async Task Every_problem_names_its_csv_column_and_line_and_the_reading_is_in_the_access_log()
    {
        var kana = Readings.UniqueKana();
        await ReadAsync(IntakeKind.CardFace, "氏名,氏名カナ,住所,生年月日,性別", $"記録　確認,{kana}　カクニン,東京都港区芝公園1-1,1999-09-09,男");
        var refused = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(IntakeKind.MoveOutCertificate,
            "氏名,生年月日,性別,住所,転出先,好きな色",
            "取込　誤り,昭和65年1月1日,不明,埼玉県所沢市東町1-1,本町1丁目1番1号,青"));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var violations = Problems(refused);
        Assert.Contains(violations, v => v.Field == "csv.好きな色" && v.Description.StartsWith("1 行目", StringComparison.Ordinal));

        refused = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(IntakeKind.MoveOutCertificate,
            "氏名,生年月日,性別,住所,転出先",
            "取込　誤り,昭和65年1月1日,不明,埼玉県所沢市東町1-1,どこか町1番",
            "取込　二人目,1990-01-01,男,東京都港区,本町1丁目1番1号"));
        violations = Problems(refused);
        Assert.Contains(violations, v => v.Field == "csv.生年月日" && v.Description.StartsWith("2 行目", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Field == "csv.性別" && v.Description.Contains("不明", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Field == "csv.転出先" && v.Description.Contains("住所辞書", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Field == "csv.住所" && v.Description.StartsWith("3 行目", StringComparison.Ordinal) && v.Description.Contains("違います", StringComparison.Ordinal));

        var auditor = new AuditService.AuditServiceClient(server.Invoker(server.Token(City, "auditor-intake", "A1", Roles.Auditor)));
        var entries = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.registration.v1.IntakeService/ReadIntakeCsv" })).Entries;
        Assert.Contains(entries, e => e.Outcome == "OK" && e.Detail == "csv intake CardFace: 1 rows" && e.Staff == "staff-1");
        Assert.Contains(entries, e => e.Outcome == "INVALID_FIELD");
    }

    private static List<Google.Rpc.BadRequest.Types.FieldViolation> Problems(RpcException e)
    {
        var status = Google.Rpc.Status.Parser.ParseFrom(e.Trailers.GetValueBytes("grpc-status-details-bin"));
        return [.. status.Details.Where(d => d.Is(Google.Rpc.BadRequest.Descriptor)).SelectMany(d => d.Unpack<Google.Rpc.BadRequest>().FieldViolations)];
    }
}
