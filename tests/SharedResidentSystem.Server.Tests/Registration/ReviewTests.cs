using Grpc.Core;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>審査・決裁 (4.0.8): 仮登録 changes nothing that anyone can read until 本登録.</summary>
public abstract class ReviewTests(ServerFixture server)
{
    private const string City = "132225";
    private readonly RegisterDriver _clerk = new(server, City);

    private ReviewService.ReviewServiceClient Supervisor => new(server.Invoker(server.Token(City, "supervisor-1", "T900", Roles.Supervisor)));

    [Spec("4.0.8#1")]
    [Spec("4.0.8#8")]
    [Spec("4.0.8#10")]
    [Spec("4.0.9#1")]
    [Fact]
    public async Task A_provisional_move_in_is_invisible_until_a_supervisor_approves_it()
    {
        var kana = UniqueKana();
        var request = MoveIn(City, kana);
        request.Provisional = true;
        var clerk = new RegistrationService.RegistrationServiceClient(server.Invoker(server.Token(City, "clerk-7", "T007", Roles.Clerk)));
        var entered = await clerk.RecordMoveInAsync(request);

        Assert.Equal("", entered.Idou);
        Assert.StartsWith($"tenants/{City}/pendingIdou/", entered.PendingIdou, StringComparison.Ordinal);
        Assert.Equal(2, entered.Residents.Count);
        Assert.All(entered.Residents, r => Assert.Equal("", r.ResidentNumber));
        Assert.Equal("コーポ101", entered.Residents[0].Address.Katagaki);
        Assert.Empty((await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, IncludeRemoved = true })).Residents);

        var listed = (await new ReviewService.ReviewServiceClient(server.As(City)).ListPendingIdouAsync(new ListPendingIdouRequest { EnteredBy = "clerk-7" })).PendingIdou;
        var pending = Assert.Single(listed, p => p.Name == entered.PendingIdou);
        Assert.Equal("国内転入", pending.Reason);
        Assert.Equal(PendingIdouState.Pending, pending.State);
        Assert.Equal(entered, pending.Preview);

        // A clerk may not approve.
        var denied = await Assert.ThrowsAsync<RpcException>(() => new ReviewService.ReviewServiceClient(server.As(City)).ApprovePendingIdouAsync(new ApprovePendingIdouRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            PendingIdou = { new PendingIdouRef { Name = pending.Name, Etag = pending.Etag } },
        }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        var approval = new ApprovePendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = { new PendingIdouRef { Name = pending.Name, Etag = pending.Etag } } };
        var approved = await Supervisor.ApprovePendingIdouAsync(approval);
        var recorded = Assert.Single(approved.Recorded);
        Assert.StartsWith($"tenants/{City}/idou/", recorded.Idou, StringComparison.Ordinal);
        Assert.Equal(2, (await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana })).Residents.Count);
        var history = (await _clerk.Residents.ListResidentIdouAsync(new ListResidentIdouRequest { Name = recorded.Residents[0].Name })).Idou.Single();
        Assert.Equal("clerk-7", history.Staff);
        Assert.Equal("T007", history.Terminal);
        Assert.DoesNotContain((await Supervisor.ListPendingIdouAsync(new ListPendingIdouRequest())).PendingIdou, p => p.Name == pending.Name);

        // The same approval again returns the first answer; a new approval of it is refused.
        Assert.Equal(approved, await Supervisor.ApprovePendingIdouAsync(approval));
        var twice = await Assert.ThrowsAsync<RpcException>(() => Supervisor.ApprovePendingIdouAsync(new ApprovePendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = { new PendingIdouRef { Name = pending.Name } } }).ResponseAsync);
        Assert.Equal("PENDING_IDOU_DECIDED", twice.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task The_pending_list_pages_and_a_token_with_changed_criteria_is_refused()
    {
        var staff = $"pager-{Guid.NewGuid():N}"[..16];
        var clerk = new RegistrationService.RegistrationServiceClient(server.Invoker(server.Token(City, staff, "T007", Roles.Clerk)));
        for (var i = 0; i < 3; i++)
        {
            var request = MoveIn(City, UniqueKana(), members: 1);
            request.Provisional = true;
            await clerk.RecordMoveInAsync(request);
        }
        var review = new ReviewService.ReviewServiceClient(server.As(City));
        var first = await review.ListPendingIdouAsync(new ListPendingIdouRequest { EnteredBy = staff, PageSize = 2 });
        Assert.Equal(2, first.PendingIdou.Count);
        Assert.NotEmpty(first.NextPageToken);
        var second = await review.ListPendingIdouAsync(new ListPendingIdouRequest { EnteredBy = staff, PageSize = 5, PageToken = first.NextPageToken });
        var last = Assert.Single(second.PendingIdou);
        Assert.Equal("", second.NextPageToken);
        Assert.DoesNotContain(first.PendingIdou, p => p.Name == last.Name);

        var changed = await Assert.ThrowsAsync<RpcException>(() => review.ListPendingIdouAsync(new ListPendingIdouRequest { EnteredBy = "someone-else", PageToken = first.NextPageToken }).ResponseAsync);
        Assert.Equal("INVALID_PAGE_TOKEN", changed.ErrorInfo()?.Reason);
        var negative = await Assert.ThrowsAsync<RpcException>(() => review.ListPendingIdouAsync(new ListPendingIdouRequest { PageSize = -1 }).ResponseAsync);
        Assert.Equal(["page_size"], negative.ViolatedFields());
    }

    [Spec("4.0.8#17")]
    [Fact]
    public void A_decision_keeps_no_approver_name_or_date_as_register_data()
    {
        // Who approved, and when, is in the access log (10.2) like every call; neither the pending
        // 異動 nor the 異動 it becomes holds a 決裁者 or a 決裁日 (the 異動 names the clerk who entered it).
        static IEnumerable<string> Names(Google.Protobuf.Reflection.MessageDescriptor m) => m.Fields.InDeclarationOrder().Select(f => f.Name);
        var fields = Names(PendingIdou.Descriptor).Concat(Names(IdouRecord.Descriptor)).Concat(Names(ApprovePendingIdouRequest.Descriptor)).ToList();
        Assert.DoesNotContain(fields, f => f.Contains("approv", StringComparison.Ordinal) || f.Contains("decid", StringComparison.Ordinal) || f.Contains("decision", StringComparison.Ordinal));
        Assert.Equal(["request_id", "pending_idou"], Names(ApprovePendingIdouRequest.Descriptor));
    }

    [Spec("4.0.8#18")]
    [Fact]
    public async Task A_pending_idou_holds_back_no_certificate_they_show_the_register_as_before_it()
    {
        var family = await _clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        var members = (await _clerk.HouseholdAsync(family.Residents[0].Household)).Members;
        var move = new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(), MoveDate = Date(2026, 11, 25), NotificationDate = Date(2026, 11, 25), Notifier = RegisterDriver.Notifier(),
            Address = _clerk.Address(3, "7番7号"), Provisional = true,
        };
        move.Residents.AddRange(members.Select(RegisterDriver.Ref));
        Assert.NotEmpty((await _clerk.Registration.RecordAddressChangeAsync(move)).PendingIdou);

        var issued = await new Contracts.Certificates.V1.CertificateService.CertificateServiceClient(server.As(City)).IssueCertificateAsync(new Contracts.Certificates.V1.IssueCertificateRequest
        {
            RequestId = Guid.NewGuid().ToString(), Kind = Contracts.Certificates.V1.CertificateKind.ResidentCopy, Household = family.Residents[0].Household,
            Requester = new Contracts.Certificates.V1.Requester { Category = Contracts.Certificates.V1.RequesterCategory.SelfOrHousehold, Name = "本人", Resident = family.Residents[0].Name, IdentityCheck = "運転免許証" },
        });
        var address = issued.Certificate.HouseholdFields.Single(f => f.Key == "address").Value;
        Assert.Contains("2番3号", address, StringComparison.Ordinal);
        Assert.DoesNotContain("7番7号", address, StringComparison.Ordinal);
    }

    [Spec("4.0.8#3")]
    [Fact]
    public async Task A_pending_change_blocks_other_changes_of_the_same_household_until_it_is_discarded()
    {
        var family = await _clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        var move = new RecordAddressChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Residents = { family.Residents.Select(Ref) },
            MoveDate = Date(2026, 11, 25),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
            Address = _clerk.Address(4, "8番", ""),
            Provisional = true,
        };
        var entered = await _clerk.Registration.RecordAddressChangeAsync(move);
        Assert.Equal("8番", entered.Residents[0].Address.Banchi);
        Assert.Equal("2番3号", (await _clerk.GetAsync(family.Residents[0].Name)).Address.Banchi);

        var birth = new RecordBirthRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Household = family.Household,
            Child = Person("高橋", "桃", "タカハシ", "モモ", 2026, 11, 20, Sex.Female, "子"),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
        };
        var blocked = await Assert.ThrowsAsync<RpcException>(() => _clerk.Registration.RecordBirthAsync(birth).ResponseAsync);
        Assert.Equal("PENDING_IDOU", blocked.ErrorInfo()?.Reason);
        Assert.Equal(["household"], blocked.ViolatedFields());

        var pending = (await Supervisor.ListPendingIdouAsync(new ListPendingIdouRequest())).PendingIdou.Single(p => p.Name == entered.PendingIdou);
        Assert.Equal(family.Residents.Select(r => r.Name).Order(), pending.Residents.Order());
        var stale = await Assert.ThrowsAsync<RpcException>(() => _clerk.Review().DiscardPendingIdouAsync(new DiscardPendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = new PendingIdouRef { Name = pending.Name, Etag = "0" } }).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        var discarded = await _clerk.Review().DiscardPendingIdouAsync(new DiscardPendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = new PendingIdouRef { Name = pending.Name, Etag = pending.Etag } });
        Assert.Equal(PendingIdouState.Discarded, discarded.State);

        birth.RequestId = Guid.NewGuid().ToString();
        var born = await _clerk.Registration.RecordBirthAsync(birth);
        Assert.Equal("2番3号", born.Residents[0].Address.Banchi);
    }

    [Spec("4.0.8#2")]
    [Fact]
    public async Task A_supervisor_cannot_approve_what_they_entered()
    {
        var token = server.Token(City, "supervisor-2", "T901", Roles.Supervisor);
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Provisional = true;
        var entered = await new RegistrationService.RegistrationServiceClient(server.Invoker(token)).RecordMoveInAsync(request);
        var own = new ReviewService.ReviewServiceClient(server.Invoker(token));
        var e = await Assert.ThrowsAsync<RpcException>(() => own.ApprovePendingIdouAsync(new ApprovePendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = { new PendingIdouRef { Name = entered.PendingIdou } } }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("SAME_PERSON", e.ErrorInfo()?.Reason);
        var approved = await Supervisor.ApprovePendingIdouAsync(new ApprovePendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = { new PendingIdouRef { Name = entered.PendingIdou } } });
        Assert.Single(approved.Recorded);
    }

    [Spec("4.0.8#5")]
    [Fact]
    public async Task A_batch_approval_records_all_or_nothing()
    {
        var kana = UniqueKana();
        var first = MoveIn(City, kana, members: 1);
        first.Provisional = true;
        var second = MoveIn(City, UniqueKana(), members: 1);
        second.Provisional = true;
        var a = await _clerk.Registration.RecordMoveInAsync(first);
        var b = await _clerk.Registration.RecordMoveInAsync(second);
        // The second one is discarded in between: the batch fails whole and the first stays pending.
        await _clerk.Review().DiscardPendingIdouAsync(new DiscardPendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = new PendingIdouRef { Name = b.PendingIdou } });
        var failed = await Assert.ThrowsAsync<RpcException>(() => Supervisor.ApprovePendingIdouAsync(new ApprovePendingIdouRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            PendingIdou = { new PendingIdouRef { Name = a.PendingIdou }, new PendingIdouRef { Name = b.PendingIdou } },
        }).ResponseAsync);
        Assert.Equal("PENDING_IDOU_DECIDED", failed.ErrorInfo()?.Reason);
        Assert.Empty((await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana })).Residents);
        Assert.Contains((await Supervisor.ListPendingIdouAsync(new ListPendingIdouRequest())).PendingIdou, p => p.Name == a.PendingIdou);
    }
}

public sealed class ReviewTestsOnSqlite(SqliteServer server) : ReviewTests(server), IClassFixture<SqliteServer>;

public sealed class ReviewTestsOnPostgres(PostgresServer server) : ReviewTests(server), IClassFixture<PostgresServer>;

/// <summary>4.0.8: the city's configuration decides which 異動 need 決裁.</summary>
public sealed class ConfiguredApprovalTests(ApprovalConfiguredServer server) : IClassFixture<ApprovalConfiguredServer>
{
    [Spec("4.0.8#14")]
    [Fact]
    public async Task A_reason_the_city_marks_for_approval_is_recorded_only_through_a_supervisors_decision()
    {
        var clerk = new RegisterDriver(server, "132225");
        var person = (await clerk.Registration.RecordMoveInAsync(MoveIn("132225", UniqueKana(), members: 1))).Residents[0];
        var removal = new RecordOfficialRemovalRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = OfficialRemovalReason.Official,
            Residents = { Ref(person) },
            RemovalDate = Date(2026, 11, 20),
            NotificationDate = Date(2026, 11, 21),
            Note = "居住実態なし",
        };
        var direct = await Assert.ThrowsAsync<RpcException>(() => clerk.Registration.RecordOfficialRemovalAsync(removal).ResponseAsync);
        Assert.Equal("APPROVAL_REQUIRED", direct.ErrorInfo()?.Reason);
        Assert.Equal(ResidentStatus.Active, (await clerk.GetAsync(person.Name)).Status);

        removal.RequestId = Guid.NewGuid().ToString();
        removal.Provisional = true;
        var pending = await clerk.Registration.RecordOfficialRemovalAsync(removal);
        var supervisor = new ReviewService.ReviewServiceClient(server.Invoker(server.Token("132225", "chief-9", "T9", Roles.Supervisor)));
        await supervisor.ApprovePendingIdouAsync(new ApprovePendingIdouRequest { RequestId = Guid.NewGuid().ToString(), PendingIdou = { new PendingIdouRef { Name = pending.PendingIdou } } });
        Assert.Equal(ResidentStatus.Removed, (await clerk.GetAsync(person.Name)).Status);

        // Other reasons, and other cities, record at once.
        var other = new RegisterDriver(server, "132110");
        var elsewhere = (await other.Registration.RecordMoveInAsync(MoveIn("132110", UniqueKana(), members: 1))).Residents[0];
        removal.RequestId = Guid.NewGuid().ToString();
        removal.Provisional = false;
        removal.Residents[0] = Ref(elsewhere);
        var recorded = await other.Registration.RecordOfficialRemovalAsync(removal);
        Assert.StartsWith("tenants/132110/idou/", recorded.Idou, StringComparison.Ordinal);
    }
}
