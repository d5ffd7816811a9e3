using System.Threading.Channels;
using Grpc.Core;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Link.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Link;

/// <summary>
/// The city's other systems (7.2.3, 3.2, 7.2.4) through the subscription, in a city of this
/// class's own with three systems: 住民税 (宛名連携, as it happens), 国保 (宛名連携, every 5
/// minutes) and the 戸籍附票システム.
/// </summary>
public abstract class LinkTests(ServerFixture server)
{
    private const string City = "132098"; // 町田市
    private const string CityDomicile = "東京都町田市森野二丁目2番";

    private static readonly string[] TaxItems = ["宛名番号", "氏", "名", "住所_町字", "住所_番地", "支援措置", "抑止"];

    /// <summary>The 団体内統合宛名システム's items: the 住民票関係情報 the 中間サーバー keeps, by 個人番号 (7.1.2.3).</summary>
    private static readonly string[] IntegratedItems = ["宛名番号", "氏", "名", "生年月日_年", "生年月日_月", "生年月日_日", "性別", "住所_町字", "住所_番地", "個人番号", "住民票コード", "支援措置"];

    private static readonly SemaphoreSlim Once = new(1, 1);

    private async Task CityAsync()
    {
        await Once.WaitAsync();
        try
        {
            var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(SrsClaims.JointSystem, staff: "joint-op", roles: Roles.Operator)));
            if ((await admin.ListTenantsAsync(new ListTenantsRequest())).Tenants.Any(t => t.TenantCode == City))
            {
                return;
            }
            var systems = $$"""
                "linkedSystems": [
                  { "id": "tax", "name": "住民税システム", "kind": "atena", "items": [{{string.Join(", ", TaxItems.Select(i => $"\"{i}\""))}}] },
                  { "id": "kokuho", "name": "国保システム", "kind": "atena", "items": ["宛名番号", "氏"], "delivery": "interval", "intervalMinutes": 5 },
                  { "id": "fuhyo", "name": "戸籍附票システム", "kind": "familyRegisterAnnex", "items": ["宛名番号", "本籍", "住所_町字", "住所_番地"] },
                  { "id": "togo", "name": "団体内統合宛名システム", "kind": "integratedAtena", "items": [{{string.Join(", ", IntegratedItems.Select(i => $"\"{i}\""))}}] },
                  { "id": "kikan", "name": "基幹業務システム", "kind": "atena", "items": ["宛名番号"],
                    "reports": ["electoralRoll", "nationalHealthInsurance", "lateElderlyMedical", "longTermCare", "nationalPension", "childAllowance", "card"] }
                ],
                """;
            await admin.CreateTenantAsync(new CreateTenantRequest
            {
                Document = TenantDocuments.Minimal(City, "町田市", extra: systems),
                Reason = "test",
                RequestId = Guid.NewGuid().ToString(),
            });
        }
        finally
        {
            Once.Release();
        }
    }

    private LinkService.LinkServiceClient System(string id) => new(server.Invoker(server.Token(City, staff: id, roles: Roles.LinkedSystem)));

    private RegistrationService.RegistrationServiceClient Registration => new(server.As(City));

    /// <summary>A subscription read in the background, so that a test can also see that nothing came.</summary>
    private sealed class Subscription : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly AsyncServerStreamingCall<LinkEvent> _call;
        private readonly Channel<LinkEvent> _events = Channel.CreateUnbounded<LinkEvent>();
        private readonly Task _reading;

        public Subscription(LinkService.LinkServiceClient client, string token = "")
        {
            _call = client.Subscribe(new SubscribeRequest { ResumeToken = token }, cancellationToken: _stop.Token);
            _reading = Task.Run(async () =>
            {
                try
                {
                    await foreach (var e in _call.ResponseStream.ReadAllAsync(_stop.Token))
                    {
                        await _events.Writer.WriteAsync(e);
                    }
                    _events.Writer.Complete();
                }
                catch (Exception e)
                {
                    _events.Writer.Complete(e);
                }
            });
        }

        /// <summary>The next event, or null when none comes within <paramref name="seconds"/>.</summary>
        public async Task<LinkEvent?> NextAsync(double seconds = 20)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            try
            {
                return await _events.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested)
            {
                return null;
            }
            catch (ChannelClosedException closed) when (closed.InnerException is RpcException refused)
            {
                throw refused;
            }
        }

        /// <summary>Events up to and including the first that <paramref name="last"/> accepts.</summary>
        public async Task<List<LinkEvent>> UntilAsync(Func<LinkEvent, bool> last)
        {
            var list = new List<LinkEvent>();
            while (true)
            {
                var e = await NextAsync() ?? throw new TimeoutException("The subscription stopped sending: " + string.Join(", ", list.Select(x => $"{x.Kind} {x.ResidentNumber}")));
                list.Add(e);
                if (last(e))
                {
                    return list;
                }
            }
        }

        public Task<List<LinkEvent>> SnapshotAsync() => UntilAsync(e => e.Kind == LinkEventKind.SnapshotComplete);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _reading;
            }
            catch (OperationCanceledException)
            {
            }
            _call.Dispose();
            _stop.Dispose();
        }
    }

    private static string NumberOf(string resourceName) => resourceName[(resourceName.LastIndexOf('/') + 1)..];

    private static Dictionary<string, string> Items(LinkEvent e) => e.Items.ToDictionary(i => i.Name, i => i.Value);

    private async Task<RecordIdouResponse> MoveInAsync(string domicile = "東京都千代田区千代田1番", string family = "高橋", int members = 2)
    {
        var request = MoveIn(City, UniqueKana(), family, members);
        foreach (var member in request.Members)
        {
            member.Domicile.Address = domicile;
        }
        return await Registration.RecordMoveInAsync(request);
    }

    private async Task<RecordIdouResponse> MoveAsync(RecordIdouResponse household, string banchi)
    {
        var residents = new ResidentService.ResidentServiceClient(server.As(City));
        var move = new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            MoveDate = Date(2026, 11, 24),
            NotificationDate = Date(2026, 11, 25),
            Notifier = new Notifier { Name = "高橋 一郎", Relation = "本人" },
            Address = new Contracts.Common.V1.Address { Town = "本町", Chome = 2, Banchi = banchi },
        };
        foreach (var r in household.Residents)
        {
            var now = await residents.GetResidentAsync(new GetResidentRequest { Name = r.Name });
            move.Residents.Add(new ResidentRef { Name = now.Name, Etag = now.Etag });
        }
        return await Registration.RecordAddressChangeAsync(move);
    }

    [Fact]
    [Spec("7.2.3#1")]
    [Spec("7.2.3#3")]
    public async Task A_system_receives_the_whole_register_then_every_change_with_only_its_items()
    {
        await CityAsync();
        var family = await MoveInAsync();
        var numbers = family.Residents.Select(r => NumberOf(r.Name)).ToList();

        await using var tax = new Subscription(System("tax"));
        var snapshot = await tax.SnapshotAsync();
        var ours = snapshot.Where(e => numbers.Contains(e.ResidentNumber)).ToList();
        Assert.Equal(2, ours.Count);
        Assert.All(ours, e =>
        {
            Assert.Equal(LinkEventKind.Snapshot, e.Kind);
            // Exactly the system's items, in the layout's order: no 生年月日, 本籍 or 個人番号.
            Assert.Equal(TaxItems, e.Items.Select(i => i.Name));
            Assert.Equal(("高橋", "本町", "2番3号", "0", "0"), (Items(e)["氏"], Items(e)["住所_町字"], Items(e)["住所_番地"], Items(e)["支援措置"], Items(e)["抑止"]));
        });
        Assert.Equal(["一郎", "花子"], ours.Select(e => Items(e)["名"]));
        // The 全件 is every person of the city once, in 宛名番号 order.
        var all = snapshot.Where(e => e.Kind == LinkEventKind.Snapshot).Select(e => e.ResidentNumber).ToList();
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        Assert.Equal(all.Distinct().Count(), all.Count);

        await MoveAsync(family, "5番1号");
        var moved = await tax.UntilAsync(e => e.Kind == LinkEventKind.Idou && e.ResidentNumber == numbers[^1]);
        var changes = moved.Where(e => numbers.Contains(e.ResidentNumber)).ToList();
        Assert.Equal(numbers, changes.Select(e => e.ResidentNumber));
        Assert.All(changes, e =>
        {
            Assert.Equal(("転居", "2026-11-24", "5番1号"), (e.Reason, e.OccurredOn, Items(e)["住所_番地"]));
            Assert.True(e.IdouId > 0);
            Assert.Equal(TaxItems, e.Items.Select(i => i.Name));
        });
    }

    [Fact]
    [Spec("7.2.3#3")]
    [Spec("7.2.3#4")]
    public async Task A_system_that_comes_back_with_its_token_receives_what_it_missed_once_and_in_order()
    {
        await CityAsync();
        string kept;
        await using (var first = new Subscription(System("tax")))
        {
            kept = (await first.SnapshotAsync())[^1].ResumeToken;
        }

        // While it is away: a 転入 of two and their 転居.
        var family = await MoveInAsync();
        var numbers = family.Residents.Select(r => NumberOf(r.Name)).ToList();
        await MoveAsync(family, "7番2号");

        await using var back = new Subscription(System("tax"), kept);
        var missed = await back.UntilAsync(e => e.Reason == "転居" && e.ResidentNumber == numbers[^1]);
        Assert.Equal([("国内転入", numbers[0]), ("国内転入", numbers[1]), ("転居", numbers[0]), ("転居", numbers[1])], missed.Select(e => (e.Reason, e.ResidentNumber)));
        Assert.All(missed, e => Assert.Equal(LinkEventKind.Idou, e.Kind));

        // Resumed from the middle (it kept only the first event): no gap, nothing before it again.
        await using var again = new Subscription(System("tax"), missed[0].ResumeToken);
        var rest = await again.UntilAsync(e => e.Reason == "転居" && e.ResidentNumber == numbers[^1]);
        Assert.Equal(missed.Skip(1).Select(e => (e.Reason, e.ResidentNumber, e.IdouId)), rest.Select(e => (e.Reason, e.ResidentNumber, e.IdouId)));
        Assert.Null(await again.NextAsync(seconds: 1.5));
    }

    [Fact]
    [Spec("3.2#1")]
    [Spec("7.2.3#1")]
    public async Task A_suppression_set_and_lifted_reaches_the_atena_systems()
    {
        await CityAsync();
        var family = await MoveInAsync(members: 1);
        var number = NumberOf(family.Residents[0].Name);
        await using var tax = new Subscription(System("tax"));
        await tax.SnapshotAsync();

        var suppressions = new SuppressionService.SuppressionServiceClient(server.As(City, Roles.Supervisor));
        var created = await suppressions.CreateSuppressionAsync(new CreateSuppressionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Suppression = new Suppression
            {
                Resident = family.Residents[0].Name, Processes = { SuppressedProcess.Issuance }, Level = SuppressionLevel.Error,
                Category = SuppressionCategory.Other, Reason = "実態調査中", StartsOn = Date(2026, 11, 1),
            },
        });
        var set = (await tax.UntilAsync(e => e.ResidentNumber == number))[^1];
        Assert.Equal((LinkEventKind.Suppression, "設定", "1"), (set.Kind, set.Reason, Items(set)["抑止"]));

        await suppressions.LiftSuppressionAsync(new LiftSuppressionRequest { RequestId = Guid.NewGuid().ToString(), Name = created.Name, Etag = created.Etag, Reason = "調査終了" });
        var lifted = (await tax.UntilAsync(e => e.ResidentNumber == number))[^1];
        Assert.Equal((LinkEventKind.Suppression, "解除", "0"), (lifted.Kind, lifted.Reason, Items(lifted)["抑止"]));
    }

    [Fact]
    [Spec("7.2.4#1")]
    public async Task The_family_register_annex_system_receives_address_changes_of_the_citys_honseki_only()
    {
        await CityAsync();
        var ours = await MoveInAsync(CityDomicile, members: 1);
        var others = await MoveInAsync(members: 1);
        await using var fuhyo = new Subscription(System("fuhyo"));
        var snapshot = await fuhyo.SnapshotAsync();
        Assert.Contains(snapshot, e => e.ResidentNumber == NumberOf(ours.Residents[0].Name));
        Assert.DoesNotContain(snapshot, e => e.ResidentNumber == NumberOf(others.Residents[0].Name));
        Assert.All(snapshot.Where(e => e.Kind == LinkEventKind.Snapshot), e => Assert.StartsWith(CityDomicile[..6], Items(e)["本籍"], StringComparison.Ordinal));

        // Someone whose 本籍 is elsewhere moves first: only our 本籍人's 転居 comes.
        await MoveAsync(others, "8番1号");
        await MoveAsync(ours, "9番1号");
        var next = await fuhyo.NextAsync();
        Assert.NotNull(next);
        Assert.Equal((LinkEventKind.Idou, NumberOf(ours.Residents[0].Name), "転居", "9番1号", CityDomicile),
            (next.Kind, next.ResidentNumber, next.Reason, Items(next)["住所_番地"], Items(next)["本籍"]));
        Assert.Equal(["宛名番号", "本籍", "住所_町字", "住所_番地"], next.Items.Select(i => i.Name));
    }

    [Fact]
    [Spec("7.2.3#2")]
    public async Task Names_are_delivered_with_their_exact_characters_and_variation_selectors()
    {
        await CityAsync();
        const string Family = "葛\U000E0102飾";
        var family = await MoveInAsync(family: Family, members: 1);
        await using var tax = new Subscription(System("tax"));
        var mine = (await tax.SnapshotAsync()).Single(e => e.ResidentNumber == NumberOf(family.Residents[0].Name));
        Assert.Equal(Family, Items(mine)["氏"]);
    }

    [Fact]
    [Spec("7.2.3#4")]
    public async Task A_system_on_an_interval_receives_the_changes_gathered_at_its_next_delivery()
    {
        await CityAsync();
        await using var kokuho = new Subscription(System("kokuho"));
        await kokuho.SnapshotAsync();
        await Task.Delay(500);
        var family = await MoveInAsync(members: 1);
        // Not as it happens: the change waits for the next delivery, five minutes on.
        Assert.Null(await kokuho.NextAsync(seconds: 1.5));
        LinkEvent? delivered = null;
        for (var i = 0; i < 3 && delivered is null; i++)
        {
            server.Time.Advance(TimeSpan.FromMinutes(5));
            delivered = await kokuho.NextAsync(seconds: 5);
        }
        Assert.NotNull(delivered);
        Assert.Equal((NumberOf(family.Residents[0].Name), "国内転入"), (delivered.ResidentNumber, delivered.Reason));
        Assert.Equal(["宛名番号", "氏"], delivered.Items.Select(i => i.Name));
    }

    [Fact]
    [Spec("7.2.2#1")]
    [Spec("7.2.2#2")]
    [Spec("7.2.2#3")]
    [Spec("7.2.2#4")]
    [Spec("7.2.2#5")]
    [Spec("7.2.2#6")]
    [Spec("7.2.2#7")]
    [Spec("7.2.2#8")]
    public async Task The_other_systems_report_their_latest_state_and_the_register_keeps_it_with_history()
    {
        await CityAsync();
        var family = await MoveInAsync(members: 1);
        var name = family.Residents[0].Name;
        var kikan = System("kikan");
        Task<ReportServiceStatusResponse> ReportAsync(LinkService.LinkServiceClient client, LinkedService service, Entitlements status) =>
            client.ReportServiceStatusAsync(new ReportServiceStatusRequest { RequestId = Guid.NewGuid().ToString(), Resident = name, Service = service, Status = status, EffectiveOn = Date(2026, 11, 25) }).ResponseAsync;

        var coverage = new Coverage { Covered = true, From = Date(2026, 11, 20) };
        await ReportAsync(kikan, LinkedService.ElectoralRoll, new Entitlements { OnElectoralRoll = true });
        await ReportAsync(kikan, LinkedService.NationalHealthInsurance, new Entitlements { NationalHealthInsurance = coverage });
        await ReportAsync(kikan, LinkedService.LateElderlyMedical, new Entitlements { LateElderlyMedical = new Coverage { Covered = false } });
        await ReportAsync(kikan, LinkedService.LongTermCare, new Entitlements { LongTermCare = new Coverage { Covered = true, From = Date(2026, 11, 21) } });
        await ReportAsync(kikan, LinkedService.NationalPension, new Entitlements
        {
            NationalPension = new Pension { Covered = true, BasicPensionNumber = "1234-567890", Kind = "第1号", KindChangedOn = Date(2026, 11, 20), From = Date(2026, 11, 20) },
        });
        // A report carries only its own service: the 国保 in this one is not read.
        var last = await ReportAsync(kikan, LinkedService.ChildAllowance, new Entitlements { ChildAllowanceFrom = "2026-12", NationalHealthInsurance = new Coverage { Covered = false } });
        await ReportAsync(kikan, LinkedService.Card, new Entitlements { CardHeld = true });

        var residents = new ResidentService.ResidentServiceClient(server.As(City));
        var now = (await residents.GetResidentAsync(new GetResidentRequest { Name = name })).Entitlements;
        Assert.True(now.OnElectoralRoll);
        Assert.Equal(coverage, now.NationalHealthInsurance);
        Assert.False(now.LateElderlyMedical?.Covered ?? false);
        Assert.Equal(Date(2026, 11, 21), now.LongTermCare.From);
        Assert.Equal(("1234-567890", "第1号", Date(2026, 11, 20)), (now.NationalPension.BasicPensionNumber, now.NationalPension.Kind, now.NationalPension.KindChangedOn));
        Assert.Equal(("2026-12", ""), (now.ChildAllowanceFrom, now.ChildAllowanceUntil));
        Assert.True(now.CardHeld);
        // Each report is a 職権修正 in the history, by the system that sent it, changing its own service only.
        var history = (await residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = name })).Idou;
        var reported = history.Where(i => i.Reason == "職権修正").ToList();
        Assert.Equal(7, reported.Count);
        Assert.All(reported, i => Assert.Equal("kikan", i.Staff));
        Assert.Equal(["個人番号カード等の保有"], reported[^1].Changes.Select(c => c.Item));
        Assert.Equal(["児童手当"], reported.Single(i => i.Name == last.Idou).Changes.Select(c => c.Item));

        // Only the services a system's entry names, and only systems report.
        var notAllowed = await Assert.ThrowsAsync<RpcException>(() => ReportAsync(System("kokuho"), LinkedService.NationalPension, new Entitlements()));
        Assert.Equal((StatusCode.PermissionDenied, ErrorReasons.FunctionNotPermitted), (notAllowed.StatusCode, notAllowed.ErrorInfo()?.Reason));
        Assert.Equal(["service"], notAllowed.ViolatedFields());
        var clerk = await Assert.ThrowsAsync<RpcException>(() => ReportAsync(new LinkService.LinkServiceClient(server.As(City)), LinkedService.ElectoralRoll, new Entitlements()));
        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
        Assert.Equal(7, (await residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = name })).Idou.Count(i => i.Reason == "職権修正"));
    }

    [Fact]
    [Spec("7.1.2.3#1")]
    [Spec("7.1.2.3#2")]
    public async Task The_integrated_atena_system_receives_every_resident_by_individual_number_and_each_change_and_its_deliveries_are_logged_as_such()
    {
        await CityAsync();
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Members[0].IndividualNumber = IndividualNumber();
        var family = await Registration.RecordMoveInAsync(request);
        var number = NumberOf(family.Residents[0].Name);
        await using var togo = new Subscription(System("togo"));
        var mine = Assert.Single(await togo.SnapshotAsync(), e => e.ResidentNumber == number);
        // Its items in the layout's order (which the layout's item list sets, not the configuration's).
        Assert.Equal(IntegratedItems.Order(StringComparer.Ordinal), mine.Items.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.Equal((request.Members[0].IndividualNumber, "1980", "1", "0"), (Items(mine)["個人番号"], Items(mine)["生年月日_年"], Items(mine)["性別"], Items(mine)["支援措置"]));
        await MoveAsync(family, "9番9号");
        var change = (await togo.UntilAsync(e => e.ResidentNumber == number))[^1];
        Assert.Equal((LinkEventKind.Idou, "転居", request.Members[0].IndividualNumber, "9番9号"), (change.Kind, change.Reason, Items(change)["個人番号"], Items(change)["住所_番地"]));
        // Every delivery to it is logged as one that carried 個人番号.
        var auditor = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var entries = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { ResidentNumber = number, Staff = "togo" })).Entries;
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.True(e.IndividualNumber));

        // A 団体内統合宛名システム without 個人番号 among its items is refused with the path.
        var admin = new TenantAdminService.TenantAdminServiceClient(server.Invoker(server.Token(City, staff: "op", roles: Roles.Operator)));
        var current = await admin.GetTenantConfigAsync(new GetTenantConfigRequest { Name = $"tenants/{City}" });
        var broken = current.Document.Replace("\"個人番号\", \"住民票コード\"", "\"住民票コード\"", StringComparison.Ordinal);
        Assert.NotEqual(current.Document, broken);
        var check = await admin.ValidateTenantConfigAsync(new ValidateTenantConfigRequest { Name = $"tenants/{City}", Document = broken });
        Assert.False(check.Valid);
        Assert.Contains(check.Problems, p => p.Path == "$.linkedSystems[3].items" && p.Message.Contains("個人番号", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_delivery_is_in_the_access_log_with_the_residents_it_carried()
    {
        await CityAsync();
        var family = await MoveInAsync(members: 1);
        var number = NumberOf(family.Residents[0].Name);
        await using (var tax = new Subscription(System("tax")))
        {
            Assert.Contains(await tax.SnapshotAsync(), e => e.ResidentNumber == number);
        }
        var auditor = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var entries = (await auditor.SearchAccessLogAsync(new SearchAccessLogRequest { ResidentNumber = number, Staff = "tax" })).Entries;
        var delivery = Assert.Single(entries);
        Assert.Equal("/srs.link.v1.LinkService/Subscribe", delivery.Function);
        Assert.Contains("tax (住民税システム) へ", delivery.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_configured_system_with_its_own_token_subscribes_and_a_system_reads_nothing_else()
    {
        await CityAsync();
        async Task<RpcException> Refused(LinkService.LinkServiceClient client, string token = "")
        {
            await using var s = new Subscription(client, token);
            return await Assert.ThrowsAsync<RpcException>(() => s.NextAsync());
        }
        string taxToken;
        await using (var tax = new Subscription(System("tax")))
        {
            taxToken = (await tax.SnapshotAsync())[^1].ResumeToken;
        }

        var damaged = await Refused(System("tax"), "not a token!");
        Assert.Equal((StatusCode.InvalidArgument, ErrorReasons.InvalidResumeToken), (damaged.StatusCode, damaged.ErrorInfo()?.Reason));
        Assert.Equal(["resume_token"], damaged.ViolatedFields());
        var another = await Refused(System("kokuho"), taxToken);
        Assert.Equal(ErrorReasons.InvalidResumeToken, another.ErrorInfo()?.Reason);
        var unknown = await Refused(System("welfare"));
        Assert.Equal((StatusCode.PermissionDenied, ErrorReasons.LinkedSystemUnknown), (unknown.StatusCode, unknown.ErrorInfo()?.Reason));
        var clerk = await Refused(new LinkService.LinkServiceClient(server.As(City)));
        Assert.Equal(StatusCode.PermissionDenied, clerk.StatusCode);
        // The other city's system has no place in this city.
        var elsewhere = await Refused(new LinkService.LinkServiceClient(server.Invoker(server.Token("132225", staff: "tax", roles: Roles.LinkedSystem))));
        Assert.Equal(ErrorReasons.LinkedSystemUnknown, elsewhere.ErrorInfo()?.Reason);

        var family = await MoveInAsync(members: 1);
        var residents = new ResidentService.ResidentServiceClient(server.Invoker(server.Token(City, staff: "tax", roles: Roles.LinkedSystem)));
        var read = await Assert.ThrowsAsync<RpcException>(() => residents.GetResidentAsync(new GetResidentRequest { Name = family.Residents[0].Name }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, read.StatusCode);
    }
}

public sealed class LinkTestsOnSqlite(SqliteServer server) : LinkTests(server), IClassFixture<SqliteServer>;

public sealed class LinkTestsOnPostgres(PostgresServer server) : LinkTests(server), IClassFixture<PostgresServer>;
