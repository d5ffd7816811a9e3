using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Errors;
using SharedResidentSystem.Server.Tests.Infrastructure;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Hardening;

/// <summary>
/// What a client sends beyond the limits is refused the same way on every database: named by
/// its field, nothing written, the refusal in the city's log (even for text PostgreSQL could not
/// store), an answer that stays small whatever the request held, and a connection that goes on.
/// </summary>
public abstract class InputLimitTests(ServerFixture server)
{
    private const string City = "132110";
    private readonly RegisterDriver _clerk = new(server, City);

    private async Task<long> LogEntriesAsync() =>
        (await new AuditService.AuditServiceClient(server.As(City, Roles.Auditor)).VerifyChainAsync(new VerifyChainRequest())).Entries;

    private async Task<int> FoundAsync(string kana) =>
        (await _clerk.Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, IncludeRemoved = true })).Residents.Count;

    [Theory]
    [InlineData("山田\0太郎", "制御文字")]
    [InlineData("\u202E郎太", "文字の向き")]
    [InlineData("\u0085", "制御文字")]
    public async Task A_name_with_a_control_character_is_refused_naming_the_field_and_the_refusal_is_logged(string given, string said)
    {
        var kana = UniqueKana();
        var request = MoveIn(City, kana, members: 1);
        request.Members[0].PersonName.Given = given;
        var before = await LogEntriesAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => _clerk.Registration.RecordMoveInAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("REQUEST_LIMIT", refused.ErrorInfo()!.Reason);
        var violation = Assert.Single(refused.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("members[0].person_name.given", violation.Field);
        Assert.Contains(said, violation.Description, StringComparison.Ordinal);
        Assert.Equal(0, await FoundAsync(kana));
        var audit = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var chain = await audit.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(chain.Intact);
        Assert.True(chain.Entries > before, "the refusal is an entry of the city's log");
    }

    [Fact]
    public async Task Text_beyond_its_length_and_a_list_beyond_its_count_are_refused_before_any_work()
    {
        var kana = UniqueKana();
        var longName = MoveIn(City, kana, members: 1);
        longName.Members[0].PersonName.Family = new string('山', 1_000_000 / 3);
        longName.Address.Katagaki = new string('方', 5_000);
        var refused = await Assert.ThrowsAsync<RpcException>(() => _clerk.Registration.RecordMoveInAsync(longName).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["address.katagaki", "members[0].person_name.family"], refused.ViolatedFields().Order(StringComparer.Ordinal));

        var crowd = MoveIn(City, kana, members: 1);
        for (var i = 0; i < 1_000; i++)
        {
            crowd.Members.Add(crowd.Members[0].Clone());
        }
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => _clerk.Registration.RecordMoveInAsync(crowd).ResponseAsync);
        Assert.Equal(["members"], tooMany.ViolatedFields());
        Assert.Equal(0, await FoundAsync(kana));
    }

    [Fact]
    public async Task An_answer_lists_at_most_twenty_problems_says_how_many_there_were_and_the_channel_goes_on()
    {
        var kana = UniqueKana();
        var request = MoveIn(City, kana, members: 1);
        for (var i = 0; i < 99; i++)
        {
            var member = request.Members[0].Clone();
            member.PersonName.Given = "太郎\u0007" + new string('x', 150);
            request.Members.Add(member);
        }
        var refused = await Assert.ThrowsAsync<RpcException>(() => _clerk.Registration.RecordMoveInAsync(request).ResponseAsync);

        var status = refused.GetRpcStatus()!;
        Assert.Equal(ErrorInterceptor.MaxViolations, status.GetDetail<BadRequest>()!.FieldViolations.Count);
        Assert.Equal("99", refused.ErrorInfo()!.Metadata["violations"]);
        Assert.True(status.CalculateSize() < 16 * 1024, $"the status is {status.CalculateSize()} bytes");
        Assert.True(refused.Trailers.Sum(t => t.Key.Length + (t.IsBinary ? t.ValueBytes.Length : t.Value.Length)) < 32 * 1024);

        // The same channel takes the next call.
        var recorded = await _clerk.Registration.RecordMoveInAsync(MoveIn(City, kana, members: 1));
        Assert.Single(recorded.Residents);
        Assert.Equal(1, await FoundAsync(kana));
    }

    [Fact]
    public async Task Impossible_timestamps_and_enum_values_are_refused_not_mapped()
    {
        var audit = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var badTime = await Assert.ThrowsAsync<RpcException>(() => audit.SearchAccessLogAsync(new SearchAccessLogRequest { From = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 1, Nanos = -1 } }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "from"), (badTime.StatusCode, Assert.Single(badTime.ViolatedFields())));

        var badToken = await Assert.ThrowsAsync<RpcException>(() => audit.SearchAccessLogAsync(new SearchAccessLogRequest { PageToken = "not base64!" }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "INVALID_PAGE_TOKEN"), (badToken.StatusCode, badToken.ErrorInfo()!.Reason));

        var request = MoveIn(City, UniqueKana(), members: 1);
        request.Members[0].Sex = (Sex)7;
        var badEnum = await Assert.ThrowsAsync<RpcException>(() => _clerk.Registration.RecordMoveInAsync(request).ResponseAsync);
        Assert.Equal(["members[0].sex"], badEnum.ViolatedFields());
    }

    [Fact]
    public async Task A_token_claiming_control_characters_and_long_names_is_logged_storably_and_the_chain_still_verifies()
    {
        var before = await LogEntriesAsync();
        var key = SigningKeys.FromBase64(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var claims = new Caller(City, "a\0b\uD800" + new string('x', 5_000), "T\u0000\u202E", new HashSet<string> { Roles.Clerk });
        var forged = SigningKeys.Mint(key, claims, TimeProvider.System, TimeSpan.FromHours(1));
        var refused = await Assert.ThrowsAsync<RpcException>(() => new ResidentService.ResidentServiceClient(server.Invoker(forged))
            .SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "ア" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        var chain = await new AuditService.AuditServiceClient(server.As(City, Roles.Auditor)).VerifyChainAsync(new VerifyChainRequest());
        Assert.True(chain.Intact, string.Join("; ", chain.Problems.Select(p => $"{p.Sequence} {p.Kind}")));
        Assert.True(chain.Entries > before);
    }

    [Fact]
    public async Task A_request_that_does_not_parse_is_malformed_not_unknown_and_is_logged()
    {
        var before = await LogEntriesAsync();
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, RegistrationService.Descriptor.FullName, "RecordMoveIn", bytes, bytes);
        // Field 1 (request_id) as a string of 3 bytes that are not UTF-8.
        var refused = await Assert.ThrowsAsync<RpcException>(() => server.As(City).AsyncUnaryCall(method, null, default, [0x0A, 0x03, 0xC3, 0x28, 0xFF]).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "MALFORMED_REQUEST"), (refused.StatusCode, refused.ErrorInfo()!.Reason));
        var truncated = await Assert.ThrowsAsync<RpcException>(() => server.As(City).AsyncUnaryCall(method, null, default, MoveIn(City, UniqueKana()).ToByteArray()[..20]).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, truncated.StatusCode);
        Assert.True(await LogEntriesAsync() >= before + 2, "both refusals are in the city's log");
    }
}

public sealed class InputLimitTestsOnSqlite(SqliteServer server) : InputLimitTests(server), IClassFixture<SqliteServer>;

public sealed class InputLimitTestsOnPostgres(PostgresServer server) : InputLimitTests(server), IClassFixture<PostgresServer>;
