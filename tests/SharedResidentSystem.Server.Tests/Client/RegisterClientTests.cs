using System.Collections.Concurrent;
using Grpc.Core;
using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Client;

/// <summary>
/// The terminals' client library against the real server in-process, with an HTTP handler
/// between them that can lose answers or the whole server.
/// </summary>
public abstract class RegisterClientTests(ServerFixture server)
{
    private const string City = "132136";

    private RegisterClient Client(Faults faults, Action<RegisterClientOptions>? configure = null)
    {
        faults.InnerHandler = server.CreateHandler();
        var options = new RegisterClientOptions
        {
            Address = new Uri("http://localhost"),
            Token = () => server.Token(City, "client-test"),
            HttpHandler = faults,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        };
        configure?.Invoke(options);
        return new RegisterClient(options);
    }

    [Fact]
    public async Task A_move_in_whose_answer_was_lost_is_retried_with_the_same_request_id_and_recorded_once()
    {
        var faults = new Faults { LoseAnswerOf = "/RecordMoveIn", Times = 1 };
        using var client = Client(faults);
        var notices = new List<RetryNotice>();
        client.Retrying += notices.Add;
        var kana = Requests.UniqueKana();
        var request = Requests.MoveIn(City, kana, members: 3);
        request.RequestId = "";

        var result = await client.RecordMoveInAsync(request);

        Assert.True(result.Succeeded, result.Problem?.Message);
        Assert.Equal(2, result.Attempts);
        Assert.Single(notices);
        Assert.Equal(StatusCode.Unavailable, notices[0].Status);
        // Both attempts carried the one request_id the library gave the request.
        Assert.Equal(2, faults.Sent.Count(s => s.Path.EndsWith("/RecordMoveIn", StringComparison.Ordinal)));
        Assert.Equal(result.RequestId, request.RequestId);
        Assert.True(Guid.TryParse(result.RequestId, out _));
        var found = (await client.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana })).Required;
        Assert.Equal(3, found.Residents.Count);
        var history = (await client.ListResidentIdouAsync(new ListResidentIdouRequest { Name = found.Residents[0].Name })).Required;
        Assert.Single(history.Idou);
    }

    [Fact]
    public async Task A_write_whose_answer_comes_after_its_deadline_is_retried_and_recorded_once()
    {
        var faults = new Faults { SlowAnswerOf = "/RecordMoveIn", Times = 1, Delay = TimeSpan.FromSeconds(2) };
        using var client = Client(faults, o => o.WriteDeadline = TimeSpan.FromMilliseconds(700));
        var kana = Requests.UniqueKana();

        var result = await client.RecordMoveInAsync(Requests.MoveIn(City, kana, members: 2));

        Assert.True(result.Succeeded, result.Problem?.Message);
        Assert.True(result.Attempts >= 2);
        var found = (await client.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana })).Required;
        Assert.Equal(2, found.Residents.Count);
    }

    [Fact]
    public async Task Every_call_carries_a_deadline_and_the_token()
    {
        var faults = new Faults();
        using var client = Client(faults);
        Assert.True((await client.GetTenantAsync()).Succeeded);
        Assert.True((await client.RecordMoveInAsync(Requests.MoveIn(City, Requests.UniqueKana()))).Succeeded);
        Assert.Equal(2, faults.Sent.Count);
        Assert.All(faults.Sent, s =>
        {
            Assert.False(string.IsNullOrEmpty(s.Timeout), $"{s.Path} had no grpc-timeout");
            Assert.StartsWith("Bearer ", s.Authorization, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_dead_server_becomes_a_clear_message_and_new_calls_fail_at_once_until_the_break_is_over()
    {
        var faults = new Faults { Dead = true };
        using var client = Client(faults, o =>
        {
            o.MaxRetries = 2;
            o.BreakAfterFailures = 3;
            o.BreakDuration = TimeSpan.FromSeconds(2);
        });

        var first = await client.GetTenantAsync();
        Assert.False(first.Succeeded);
        Assert.Equal(ProblemKind.Unavailable, first.Problem!.Kind);
        Assert.Equal(3, first.Problem.Attempts);
        Assert.Contains("サーバーに接続できません", first.Problem.Message, StringComparison.Ordinal);
        Assert.True(client.ServerDown);

        Assert.Equal(3, faults.Tries);
        var second = await client.RecordMoveInAsync(Requests.MoveIn(City, Requests.UniqueKana()));
        Assert.Equal(ProblemKind.Unavailable, second.Problem!.Kind);
        Assert.Equal(3, faults.Tries); // nothing was tried while the circuit is open
        Assert.Equal(0, second.Problem.Attempts);
        Assert.False(string.IsNullOrEmpty(second.RequestId)); // kept, so the clerk's resend is the same request

        faults.Dead = false;
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.False(client.ServerDown);
        var third = await client.GetTenantAsync();
        Assert.True(third.Succeeded, third.Problem?.Message);
    }

    [Fact]
    [Spec("11.1#4")]
    [Spec("11.1#5")]
    public async Task Refusals_come_back_typed_with_the_fields_named_for_the_clerk_and_alerts_to_acknowledge()
    {
        using var client = Client(new Faults());

        var wrong = Requests.MoveIn(City, Requests.UniqueKana());
        wrong.Members[1].IndividualNumber = "123456789012";
        var refused = await client.RecordMoveInAsync(wrong);
        Assert.Equal(ProblemKind.Refused, refused.Problem!.Kind);
        var field = Assert.Single(refused.Problem.Fields, f => f.Field == "members[1].individual_number");
        Assert.Equal("世帯員2 個人番号", field.Label);
        Assert.False(string.IsNullOrWhiteSpace(field.Description));
        Assert.Equal(1, refused.Attempts); // a refusal is not retried

        var old = Requests.MoveIn(City, Requests.UniqueKana(), members: 1);
        old.Members[0].BirthDate = new PartialDate { Year = 1910, Month = 1, Day = 1 };
        var alerted = await client.RecordMoveInAsync(old);
        Assert.Equal(ProblemKind.AlertsToAcknowledge, alerted.Problem!.Kind);
        var alert = Assert.Single(alerted.Problem.Alerts);
        Assert.Equal("AGE_OVER_110", alert.Code);

        var acknowledged = RequestIds.Acknowledging(old, alerted.Problem.Alerts.Select(a => a.Code));
        Assert.NotEqual(old.RequestId, acknowledged.RequestId);
        var recorded = await client.RecordMoveInAsync(acknowledged);
        Assert.True(recorded.Succeeded, recorded.Problem?.Message);
    }

    [Fact]
    public async Task No_token_means_sign_in_again()
    {
        var faults = new Faults { InnerHandler = server.CreateHandler() };
        using var client = new RegisterClient(new RegisterClientOptions { Address = new Uri("http://localhost"), HttpHandler = faults });
        var result = await client.GetTenantAsync();
        Assert.Equal(ProblemKind.SignInRequired, result.Problem!.Kind);
        Assert.Contains("サインイン", result.Problem.Message, StringComparison.Ordinal);
    }

    /// <summary>Between the client and the server: records what is sent; can lose answers or play a dead server.</summary>
    private sealed class Faults : DelegatingHandler
    {
        public string? LoseAnswerOf { get; init; }

        public string? SlowAnswerOf { get; init; }

        public TimeSpan Delay { get; init; }

        public int Times { get; set; }

        public volatile bool Dead;

        private int _tries;

        /// <summary>Every request the client tried to send, answered or not.</summary>
        public int Tries => Volatile.Read(ref _tries);

        public ConcurrentQueue<(string Path, string Timeout, string Authorization)> Sent { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            Interlocked.Increment(ref _tries);
            if (Dead)
            {
                throw new HttpRequestException("connection refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
            }
            Sent.Enqueue((path,
                request.Headers.TryGetValues("grpc-timeout", out var t) ? t.First() : "",
                request.Headers.TryGetValues("authorization", out var a) ? a.First() : ""));
            if (SlowAnswerOf is not null && path.EndsWith(SlowAnswerOf, StringComparison.Ordinal) && Times > 0)
            {
                Times--;
                // The server gets the call and answers; the answer is held up past the client's deadline.
                var slow = await base.SendAsync(request, CancellationToken.None);
                await slow.Content.LoadIntoBufferAsync(CancellationToken.None);
                try
                {
                    await Task.Delay(Delay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    slow.Dispose();
                    throw;
                }
                return slow;
            }
            var response = await base.SendAsync(request, cancellationToken);
            if (LoseAnswerOf is not null && path.EndsWith(LoseAnswerOf, StringComparison.Ordinal) && Times > 0)
            {
                Times--;
                // The server finished the call (and committed); its answer never reaches the client.
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                response.Dispose();
                throw new HttpRequestException("connection lost", new IOException("connection reset before the answer arrived"));
            }
            return response;
        }
    }
}

public sealed class RegisterClientTestsOnSqlite(SqliteServer server) : RegisterClientTests(server), IClassFixture<SqliteServer>;

public sealed class RegisterClientTestsOnPostgres(PostgresServer server) : RegisterClientTests(server), IClassFixture<PostgresServer>;
