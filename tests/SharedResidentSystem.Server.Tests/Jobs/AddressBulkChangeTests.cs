using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Jobs.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Jobs;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Jobs;

/// <summary>
/// 9.7 住所一括変更 in a city of this class's own (西東京市, with a 住居表示 town 緑町), so that
/// what the 仮処理 finds is exactly what each test made: each test uses its own 番地.
/// </summary>
public abstract class AddressBulkChangeTests(ServerFixture server)
{
    private const string City = "132292";
    private static readonly Google.Type.Date Effective = Date(2026, 11, 26);

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly HashSet<ServerFixture> Made = [];

    private async Task CityAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (!Made.Add(server))
            {
                return;
            }
            var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
            if (!(await admin.ListTenantsAsync(new ListTenantsRequest())).Tenants.Any(t => t.TenantCode == City))
            {
                var document = TenantDocuments.Minimal(City, "西東京市").Replace(
                    "\"towns\": [ { \"name\": \"本町\", \"code\": \"001\", \"postalCode\": \"1890014\", \"chome\": { \"from\": 1, \"to\": 4 } } ]",
                    """
                    "towns": [
                      { "name": "本町", "code": "001", "postalCode": "1880011", "chome": { "from": 1, "to": 4 } },
                      { "name": "緑町", "code": "002", "postalCode": "1880002", "chome": { "from": 1, "to": 2 }, "numbering": "residence",
                        "blocks": [ { "chome": 1, "number": 1, "from": 1, "to": 30 }, { "chome": 1, "number": 2, "from": 1, "to": 30 } ] }
                    ]
                    """, StringComparison.Ordinal);
                await admin.CreateTenantAsync(new CreateTenantRequest { Document = document, Reason = "test", RequestId = Guid.NewGuid().ToString() });
            }
        }
        finally
        {
            Once.Release();
        }
    }

    private JobService.JobServiceClient Jobs(string role = Roles.Supervisor) => new(server.As(City, role));

    /// <summary>A household of <paramref name="members"/> moved in at 本町 <paramref name="chome"/>丁目 <paramref name="banchi"/>.</summary>
    private async Task<List<Resident>> HouseholdAsync(int chome, string banchi, int members = 2)
    {
        var request = MoveIn(City, UniqueKana(), members: members);
        request.Address.Chome = chome;
        request.Address.Banchi = banchi;
        return [.. (await new RegistrationService.RegistrationServiceClient(server.As(City)).RecordMoveInAsync(request)).Residents];
    }

    private static string Number(Resident r) => r.Household.Split('/')[^1];

    private static StartJobRequest Start(AddressBulkChangeParameters parameters, string reason = "住居表示の実施 (緑町一丁目)") => new()
    {
        RequestId = Guid.NewGuid().ToString(), Kind = JobKind.AddressBulkChange, Reason = reason, AddressBulkChange = parameters,
    };

    private static AddressBulkChangeParameters Preview(string csv, AddressBulkChangeTarget target = AddressBulkChangeTarget.Address, bool notices = false) => new()
    {
        Mode = AddressBulkChangeMode.Preview, Target = target, EffectiveDate = "2026-11-26", Notices = notices,
        DefinitionCsv = ByteString.CopyFrom(Encoding.UTF8.GetBytes(csv)),
    };

    private Task<Operation> FinishedAsync(Operation started) => Operations.FinishedAsync(Jobs(), started);

    private async Task<Operation> RunAsync(AddressBulkChangeParameters parameters)
    {
        var done = await FinishedAsync(await Jobs().StartJobAsync(Start(parameters)));
        Assert.True(done.Metadata.State == JobState.Succeeded, done.Error?.Message);
        return done;
    }

    private string Folder => JobRunner.CityFolder(server.Services.GetRequiredService<IOptions<ServerOptions>>().Value, City);

    /// <summary>The list's lines after its header, split (no cell of these tests holds a comma).</summary>
    private string[][] List(Operation done) =>
        [.. File.ReadAllLines(Path.Combine(Folder, done.Response.Files[0])).Skip(1).Select(l => l.Split(','))];

    private async Task<Resident> GetAsync(Resident r) =>
        await new ResidentService.ResidentServiceClient(server.As(City)).GetResidentAsync(new GetResidentRequest { Name = r.Name });

    private async Task<List<CsMessageEntry>> CsMessagesAsync(Resident r) =>
        [.. (await new CsLinkService.CsLinkServiceClient(server.As(City, Roles.Supervisor)).ListCsMessagesAsync(new ListCsMessagesRequest { Resident = r.Name, PageSize = 500 })).Messages];

    [Fact]
    [Spec("9.7#1")]
    [Spec("9.7#3")]
    [Spec("9.7#4")]
    [Spec("9.7#6")]
    [Spec("9.7#7")]
    [Spec("9.7#8")]
    [Spec("9.7#9")]
    [Spec("9.7#10")]
    [Spec("9.7#11")]
    [Spec("9.7#2")]
    public async Task A_preview_lists_what_would_change_and_records_nothing_its_apply_corrects_each_household_once_and_leaves_out_whoever_changed_since()
    {
        await CityAsync();
        var a = await HouseholdAsync(1, "5番地");
        var b = await HouseholdAsync(1, "5番地");
        var c = await HouseholdAsync(1, "5番地");
        var d = await HouseholdAsync(1, "6番地");
        var elsewhere = await HouseholdAsync(2, "5番地");
        var registration = new RegistrationService.RegistrationServiceClient(server.As(City));
        // A 転出予定者 in household c: her 転出 is recorded, its date after the 実施日.
        await registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { new ResidentRef { Name = c[1].Name } }, PlannedDate = Date(2026, 12, 1),
            NotificationDate = Date(2026, 11, 26), Notifier = new Notifier { Name = "本人", Relation = "本人" },
            Destination = new Address { Prefecture = "大阪府", City = "大阪市北区", FreeText = "梅田1-1-1" },
        });
        var csv = $"""
            世帯番号,変更前町字,変更前丁目,変更前番地,変更後町字,変更後丁目,変更後番地
            ,本町,1,5番地,緑町,1,1番5号
            {Number(d[0])},本町,1,6番地,緑町,1,2番1号
            """;
        var preview = await RunAsync(Preview(csv, notices: true));
        Assert.Equal(new Dictionary<string, long> { ["対象"] = 4, ["除外"] = 1 }, preview.Response.Counts.ToDictionary(x => x.Key, x => x.Value));
        var listed = List(preview);
        Assert.Equal([Number(a[0]), Number(b[0]), Number(c[0]), Number(c[0]), Number(d[0])], listed.Select(l => l[2]).Order(StringComparer.Ordinal));
        var leaving = Assert.Single(listed, l => l[8].StartsWith("除外", StringComparison.Ordinal));
        Assert.Equal((c[1].ResidentNumber, "除外: 転出予定者です (転出予定日 2026-12-01)。"), (leaving[5], leaving[8]));
        var ofA = Assert.Single(listed, l => l[2] == Number(a[0]));
        Assert.Equal(("2", "本町1丁目5番地", "緑町1丁目1番5号", "対象"), (ofA[4], ofA[6], ofA[7], ofA[8]));
        Assert.Equal("緑町1丁目2番1号", Assert.Single(listed, l => l[2] == Number(d[0]))[7]);
        // 9.7#2: the 事前 通知, a page to each household taken.
        var notices = await File.ReadAllBytesAsync(Path.Combine(Folder, preview.Response.Files[1]));
        Assert.Equal(4, PdfTools.Pages(notices));
        Assert.Contains("住所の表示の変更について（事前のお知らせ）", PdfTools.Text(notices, 1), StringComparison.Ordinal);
        // The 仮処理 records nothing.
        Assert.Equal("5番地", (await GetAsync(a[0])).Address.Banchi);

        // Between the 仮処理 and the 本処理, household b has a 異動 (its 方書 corrected).
        var bNow = await GetAsync(b[0]);
        bNow.Address.Katagaki = "コーポ202";
        await registration.CorrectResidentAsync(new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(), Resident = bNow, UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "address.katagaki" } },
            CorrectionDate = Date(2026, 11, 26), NotificationDate = Date(2026, 11, 26), Reason = "部屋番号の誤り",
        });

        var apply = await RunAsync(new AddressBulkChangeParameters { Mode = AddressBulkChangeMode.Apply, FromOperation = preview.Name, Notices = true });
        Assert.Equal(new Dictionary<string, long> { ["更新"] = 3, ["除外"] = 2 }, apply.Response.Counts.ToDictionary(x => x.Key, x => x.Value));
        Assert.Equal((AddressBulkChangeMode.Apply, "2026-11-26", preview.Name), (apply.Metadata.AddressBulkChange.Mode, apply.Metadata.AddressBulkChange.EffectiveDate,
            apply.Metadata.AddressBulkChange.FromOperation));
        var results = List(apply);
        Assert.StartsWith("除外: 仮処理の後に異動があります", Assert.Single(results, l => l[2] == Number(b[0]))[8], StringComparison.Ordinal);
        Assert.Equal(3, results.Count(l => l[8] == "更新" && l[9].Length > 0));

        // Each taken household: one 軽微な修正 dated the 実施日, the 方書 and 住所を定めた日 kept.
        var aNow = await GetAsync(a[0]);
        Assert.Equal(("緑町", 1, "1番5号", "コーポ101", "1880002"), (aNow.Address.Town, aNow.Address.Chome, aNow.Address.Banchi, aNow.Address.Katagaki, aNow.Address.PostalCode));
        var history = (await new ResidentService.ResidentServiceClient(server.As(City)).ListResidentIdouAsync(new ListResidentIdouRequest { Name = a[0].Name })).Idou;
        var corrected = history[^1];
        Assert.Equal(("軽微な修正", Effective, "staff-1"), (corrected.Reason, corrected.OccurredOn, corrected.Staff));
        var householdIdou = Assert.Single(results, l => l[2] == Number(a[0]))[9];
        Assert.EndsWith("/" + householdIdou, corrected.Name, StringComparison.Ordinal);
        Assert.Equal("緑町", (await GetAsync(a[1])).Address.Town);
        Assert.Equal("緑町", (await GetAsync(c[0])).Address.Town);
        Assert.Equal("2番1号", (await GetAsync(d[0])).Address.Banchi);
        // Left out: b (changed since), the 転出予定者, and the household not in the definition.
        Assert.Equal(("本町", "コーポ202"), ((await GetAsync(b[0])).Address.Town, (await GetAsync(b[0])).Address.Katagaki));
        Assert.Equal("本町", (await GetAsync(elsewhere[0])).Address.Town);

        // 9.7#9-11: the CS gets 本人確認情報, 戸籍附票記載事項通知 and 送付先情報, as 軽微な修正, whether or not
        // anyone holds an electronic certificate (no one here does).
        var sent = (await CsMessagesAsync(a[0])).Where(m => m.Idou == corrected.Name).ToList();
        Assert.Equal(["戸籍附票記載事項通知", "本人確認情報", "送付先情報"], sent.Select(m => m.Kind).Order(StringComparer.Ordinal));
        Assert.All(sent, m => Assert.Equal("軽微な修正", m.Reason));
        // 9.7#2: the 事後 通知, to the three households corrected.
        Assert.Equal(3, PdfTools.Pages(await File.ReadAllBytesAsync(Path.Combine(Folder, apply.Response.Files[1]))));

        // Each household's 異動 is in the access log, in the name of who started the job, naming its residents.
        var auditor = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var entries = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { Function = "/srs.jobs.v1.JobService/run addressBulkChange" })).Entries;
        var ofHousehold = Assert.Single(entries, e => e.Detail.Contains($"世帯 {Number(a[0])} 異動 {householdIdou}", StringComparison.Ordinal));
        Assert.Equal("staff-1", ofHousehold.Staff);
        Assert.Equal(new[] { a[0].ResidentNumber, a[1].ResidentNumber }.Order(StringComparer.Ordinal), ofHousehold.Residents.Order(StringComparer.Ordinal));

        // A 仮処理 is applied once.
        var twice = await Assert.ThrowsAsync<RpcException>(() => Jobs().StartJobAsync(Start(new AddressBulkChangeParameters
        {
            Mode = AddressBulkChangeMode.Apply, FromOperation = preview.Name,
        })).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "address_bulk_change.from_operation"), (twice.StatusCode, twice.ViolatedFields().Single()));

        // The 本処理 undone as a whole: each 異動 cancelled, the households back where they were.
        var undo = await RunAsync(new AddressBulkChangeParameters { Mode = AddressBulkChangeMode.Undo, FromOperation = apply.Name });
        Assert.Equal(new Dictionary<string, long> { ["取消し"] = 3, ["除外"] = 2 }, undo.Response.Counts.ToDictionary(x => x.Key, x => x.Value));
        var aBack = await GetAsync(a[0]);
        Assert.Equal(("本町", 1, "5番地", "コーポ101"), (aBack.Address.Town, aBack.Address.Chome, aBack.Address.Banchi, aBack.Address.Katagaki));
        Assert.Equal("6番地", (await GetAsync(d[0])).Address.Banchi);
        var cancelled = (await new ResidentService.ResidentServiceClient(server.As(City)).ListResidentIdouAsync(new ListResidentIdouRequest { Name = a[0].Name })).Idou[^1];
        Assert.Equal("異動の取消し（修正）", cancelled.Reason);
        // The 附票 and the 送付先 follow the 住所 back.
        Assert.Contains(await CsMessagesAsync(a[0]), m => m.Idou == cancelled.Name && m.Kind == "戸籍附票記載事項通知");
    }

    [Fact]
    [Spec("9.7#4")]
    public async Task A_definition_that_contradicts_itself_or_the_dictionary_is_refused_naming_each_line_and_nothing_is_queued()
    {
        await CityAsync();
        var before = (await Jobs().ListOperationsAsync(new ListOperationsRequest { PageSize = 500 })).Operations.Count;
        var csv = """
            世帯番号,変更前町字,変更前丁目,変更前番地,変更後町字,変更後丁目,変更後番地
            ,本町,2,9番地,東町,1,1番1号
            ,本町,2,10番地,緑町,1,9番1号
            ,本町,2,*,緑町,1,1番2号
            ,本町,2,11番地,緑町,1,1番3号
            ,本町,2,11番地,緑町,1,1番4号
            ,本町,2,12番地,本町,2,12番地
            """;
        var refused = await Assert.ThrowsAsync<RpcException>(() => Jobs().StartJobAsync(Start(Preview(csv))).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(
            [
                "address_bulk_change.definition_csv line 2.変更後町字", "address_bulk_change.definition_csv line 3.変更後番地",
                "address_bulk_change.definition_csv line 4.変更後番地", "address_bulk_change.definition_csv line 6.世帯番号",
                "address_bulk_change.definition_csv line 7.変更後番地",
            ],
            refused.ViolatedFields());
        Assert.Contains("住所辞書にありません", refused.Status.Detail + string.Join("", refused.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations.Select(v => v.Description)),
            StringComparison.Ordinal);

        var header = await Assert.ThrowsAsync<RpcException>(() => Jobs().StartJobAsync(Start(Preview("宛名番号,変更前本籍,変更後本籍\n1,a,b\n"))).ResponseAsync);
        Assert.Equal("address_bulk_change.definition_csv", header.ViolatedFields().Single());
        // A 本処理 needs a finished 仮処理; a 取消し a finished 本処理.
        var noPreview = await Assert.ThrowsAsync<RpcException>(() => Jobs().StartJobAsync(Start(new AddressBulkChangeParameters
        {
            Mode = AddressBulkChangeMode.Apply, FromOperation = $"tenants/{City}/operations/999999",
        })).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, noPreview.StatusCode);
        Assert.Equal(before, (await Jobs().ListOperationsAsync(new ListOperationsRequest { PageSize = 500 })).Operations.Count);
        // Clerks do not run jobs.
        var clerk = await Assert.ThrowsAsync<RpcException>(() => Jobs(Roles.Clerk).StartJobAsync(Start(Preview(csv))).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
    }

    [Fact]
    [Spec("9.7#5")]
    [Spec("9.7#6")]
    public async Task The_domicile_is_changed_by_resident_number_where_the_register_holds_the_old_one_and_a_future_date_waits_for_its_day()
    {
        await CityAsync();
        var household = await HouseholdAsync(3, "1番地");
        var other = await HouseholdAsync(3, "2番地", members: 1);
        var csv = $"""
            宛名番号,変更前本籍,変更後本籍
            {household[0].ResidentNumber},東京都千代田区千代田1番,東京都千代田区千代田一丁目1番
            {household[1].ResidentNumber},東京都千代田区千代田1番,東京都千代田区千代田一丁目1番
            {other[0].ResidentNumber},東京都港区芝公園4丁目2番,東京都港区芝公園四丁目2番
            """;
        var preview = await RunAsync(Preview(csv, AddressBulkChangeTarget.Domicile));
        Assert.Equal(new Dictionary<string, long> { ["対象"] = 2, ["除外"] = 1 }, preview.Response.Counts.ToDictionary(x => x.Key, x => x.Value));
        Assert.Contains("変更前の本籍が台帳と違います (台帳: 東京都千代田区千代田1番)", Assert.Single(List(preview), l => l[2] == other[0].ResidentNumber)[7], StringComparison.Ordinal);

        var apply = await RunAsync(new AddressBulkChangeParameters { Mode = AddressBulkChangeMode.Apply, FromOperation = preview.Name });
        Assert.Equal(2, apply.Response.Counts["更新"]);
        var now = await GetAsync(household[1]);
        Assert.Equal(("東京都千代田区千代田一丁目1番", "高橋 一郎"), (now.Domicile.Address, now.Domicile.HeadName));
        Assert.Equal("東京都千代田区千代田1番", (await GetAsync(other[0])).Domicile.Address);

        // A 仮処理 for a 実施日 still to come is made now; its 本処理 waits for the day.
        var ahead = Preview(csv, AddressBulkChangeTarget.Domicile);
        ahead.EffectiveDate = "2026-12-10";
        var future = await RunAsync(ahead);
        var early = await Assert.ThrowsAsync<RpcException>(() => Jobs().StartJobAsync(Start(new AddressBulkChangeParameters
        {
            Mode = AddressBulkChangeMode.Apply, FromOperation = future.Name,
        })).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "address_bulk_change.from_operation"), (early.StatusCode, early.ViolatedFields().Single()));
    }
}

public sealed class AddressBulkChangeTestsOnSqlite(SqliteServer server) : AddressBulkChangeTests(server), IClassFixture<SqliteServer>;

public sealed class AddressBulkChangeTestsOnPostgres(PostgresServer server) : AddressBulkChangeTests(server), IClassFixture<PostgresServer>;
