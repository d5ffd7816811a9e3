using Grpc.Core;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Residents;

/// <summary>メモ (1.1.15).</summary>
public abstract class MemoTests(ServerFixture server)
{
    private const string City = "132110";

    [Spec("1.1.15#1")]
    [Spec("1.1.15#2")]
    [Spec("1.1.15#3")]
    [Fact]
    public async Task Notes_keep_every_version_with_author_and_time_and_deletion_is_a_version()
    {
        var clerk = new RegisterDriver(server, City);
        var person = (await clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana(), members: 1))).Residents[0];
        var writer = new MemoService.MemoServiceClient(server.Invoker(server.Token(City, "memo-a", "M1", Roles.Clerk)));
        var editor = new MemoService.MemoServiceClient(server.Invoker(server.Token(City, "memo-b", "M2", Roles.Clerk)));

        var added = await writer.AddMemoAsync(new AddMemoRequest { RequestId = Guid.NewGuid().ToString(), Resident = person.Name, Text = "郵便物は勤務先へ" });
        Assert.Equal(("memo-a", 1), (added.Current.Staff, added.Current.Version));
        var updated = await editor.UpdateMemoAsync(new UpdateMemoRequest { RequestId = Guid.NewGuid().ToString(), Name = added.Name, Etag = added.Etag, Text = "郵便物は自宅へ" });
        Assert.Equal(("memo-b", 2, "郵便物は自宅へ"), (updated.Current.Staff, updated.Current.Version, updated.Current.Text));
        var stale = await Assert.ThrowsAsync<RpcException>(() => writer.UpdateMemoAsync(new UpdateMemoRequest { RequestId = Guid.NewGuid().ToString(), Name = added.Name, Etag = added.Etag, Text = "x" }).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        var empty = await Assert.ThrowsAsync<RpcException>(() => writer.AddMemoAsync(new AddMemoRequest { RequestId = Guid.NewGuid().ToString(), Resident = person.Name, Text = " " }).ResponseAsync);
        Assert.Equal(["text"], empty.ViolatedFields());

        Assert.Single((await writer.ListMemosAsync(new ListMemosRequest { Resident = person.Name })).Memos);
        await writer.DeleteMemoAsync(new DeleteMemoRequest { RequestId = Guid.NewGuid().ToString(), Name = added.Name, Etag = updated.Etag });
        Assert.Empty((await writer.ListMemosAsync(new ListMemosRequest { Resident = person.Name })).Memos);
        var history = (await writer.ListMemosAsync(new ListMemosRequest { Resident = person.Name, IncludeHistory = true })).Memos.Single().History;
        Assert.Equal([("郵便物は勤務先へ", false, "memo-a"), ("郵便物は自宅へ", false, "memo-b"), ("郵便物は自宅へ", true, "memo-a")], history.Select(h => (h.Text, h.Deleted, h.Staff)));
    }
}

public sealed class MemoTestsOnSqlite(SqliteServer server) : MemoTests(server), IClassFixture<SqliteServer>;

public sealed class MemoTestsOnPostgres(PostgresServer server) : MemoTests(server), IClassFixture<PostgresServer>;
