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

/// <summary>市町村通知 to 入管 (4.5.7), written in each foreign resident's 異動.</summary>
public abstract class ImmigrationNoticeTests(ServerFixture server)
{
    private const string City = "132225";

    [Spec("4.5.7#1")]
    [Spec("4.5.7#6")]
    [Spec("4.5.7#7")]
    [Spec("4.5.7#8")]
    [Fact]
    public async Task Foreign_residents_changes_queue_notices_that_are_sent_reported_and_resent()
    {
        var clerk = new RegisterDriver(server, City);
        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Reason = MoveInReason.FromAbroad;
        request.PreviousAddress = null;
        request.Members[0].Kind = ResidentKind.Foreign;
        request.Members[0].Domicile = null;
        request.Members[0].Foreign = new ForeignResidentItems { Nationality = "ネパール", Category = ForeignResidentCategory.MidLongTerm, ResidenceStatus = "技能", StayExpiresOn = Date(2028, 1, 1), ResidenceCardNumber = Requests.CardNumber() };
        var person = (await clerk.Registration.RecordMoveInAsync(request)).Residents[0];
        await clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1));
        await clerk.Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Residents = { Ref(person) },
            PlannedDate = Date(2026, 12, 10),
            NotificationDate = Date(2026, 11, 26),
            Notifier = Notifier(),
            Destination = new Address { Prefecture = "大阪府", City = "大阪市", FreeText = "北区1-1" },
        });

        var notices = new ImmigrationNoticeService.ImmigrationNoticeServiceClient(server.As(City, Roles.Operator));
        var pending = (await notices.ListImmigrationNoticesAsync(new ListImmigrationNoticesRequest())).Notices.Where(n => n.Resident == person.Name).ToList();
        Assert.Equal([("国外転入等", "住基法・入管法"), ("国内転出", "住基法")], pending.Select(n => (n.Reason, n.Category)));
        var due = (await notices.ListImmigrationNoticesAsync(new ListImmigrationNoticesRequest { DueOnly = true })).Notices.Where(n => n.Resident == person.Name).ToList();
        Assert.Equal(["国外転入等"], due.Select(n => n.Reason));

        var reported = await notices.RecordImmigrationNoticeResultsAsync(new RecordImmigrationNoticeResultsRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Results = { new ImmigrationNoticeResult { Name = due[0].Name, Accepted = false, Error = "E012 在留カード番号不一致" } },
        });
        Assert.Equal(ImmigrationNoticeState.Failed, reported.Notices[0].State);
        var failed = (await notices.ListImmigrationNoticesAsync(new ListImmigrationNoticesRequest { State = ImmigrationNoticeState.Failed })).Notices;
        Assert.Contains(failed, n => n.Name == due[0].Name && n.Result.StartsWith("E012", StringComparison.Ordinal));
        var again = await notices.ResendImmigrationNoticeAsync(new ResendImmigrationNoticeRequest { RequestId = Guid.NewGuid().ToString(), Name = due[0].Name });
        Assert.Equal(ImmigrationNoticeState.Pending, again.State);
        var accepted = await notices.RecordImmigrationNoticeResultsAsync(new RecordImmigrationNoticeResultsRequest { RequestId = Guid.NewGuid().ToString(), Results = { new ImmigrationNoticeResult { Name = due[0].Name, Accepted = true } } });
        Assert.Equal(("OK", ImmigrationNoticeState.Sent), (accepted.Notices[0].Result, accepted.Notices[0].State));

        // The planned 転出 becomes due on its day.
        server.Time.SetUtcNow(new DateTimeOffset(2026, 12, 10, 1, 0, 0, TimeSpan.Zero));
        due = (await notices.ListImmigrationNoticesAsync(new ListImmigrationNoticesRequest { DueOnly = true })).Notices.Where(n => n.Resident == person.Name).ToList();
        Assert.Equal(["国内転出"], due.Select(n => n.Reason));

        var noError = await Assert.ThrowsAsync<RpcException>(() => notices.RecordImmigrationNoticeResultsAsync(new RecordImmigrationNoticeResultsRequest { RequestId = Guid.NewGuid().ToString(), Results = { new ImmigrationNoticeResult { Name = due[0].Name } } }).ResponseAsync);
        Assert.Equal(["results[0].error"], noError.ViolatedFields());
        var clerkList = await Assert.ThrowsAsync<RpcException>(() => new ImmigrationNoticeService.ImmigrationNoticeServiceClient(server.As(City)).ListImmigrationNoticesAsync(new ListImmigrationNoticesRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, clerkList.StatusCode);
    }
}

public sealed class ImmigrationNoticeTestsOnSqlite(SqliteServer server) : ImmigrationNoticeTests(server), IClassFixture<SqliteServer>;

public sealed class ImmigrationNoticeTestsOnPostgres(PostgresServer server) : ImmigrationNoticeTests(server), IClassFixture<PostgresServer>;
