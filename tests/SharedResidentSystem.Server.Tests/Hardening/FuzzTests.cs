using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Pipeline;
using SharedResidentSystem.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SharedResidentSystem.Server.Tests.Hardening;

/// <summary>
/// Every method of the contract, called with requests made from its descriptor (malformed
/// wire bytes, boundary values and plausible values, <see cref="RequestFuzzer"/>) by callers who hold every role
/// and by the joint system's operator: nothing a client sends yields INTERNAL or UNKNOWN, the
/// server logs no unexpected failure and still answers, and the city's access log still verifies.
/// SRS_FUZZ_ROUNDS (default 12 per method) and SRS_FUZZ_SEED scale and repeat a run.
/// </summary>
public abstract class FuzzTests(ServerFixture server, ITestOutputHelper output)
{
    private const string City = "132225";

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("SRS_FUZZ_ROUNDS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 12;

    [Fact]
    public async Task No_request_a_client_can_send_yields_internal_or_unknown_and_the_log_still_verifies()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SRS_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        output.WriteLine($"seed {seed}, {Rounds} rounds per method");
        var fuzzer = new RequestFuzzer(seed);
        var city = server.As(City, Roles.Clerk, Roles.Supervisor, Roles.Operator, Roles.Auditor);
        var joint = server.As(SrsClaims.JointSystem, Roles.Operator);
        var codes = new Dictionary<StatusCode, int>();
        var failures = new List<string>();
        var sent = 0;
        foreach (var method in CallPolicies.ContractServices().SelectMany(service => service.Methods))
        {
            for (var round = 0; round < Rounds; round++)
            {
                var kind = (round % 3) switch { 0 => "malformed", 1 => "boundary", _ => "plausible" };
                var body = kind switch
                {
                    "malformed" => fuzzer.Malformed(method.InputType),
                    "boundary" => fuzzer.Boundary(method.InputType).ToByteArray(),
                    _ => fuzzer.Plausible(method.InputType).ToByteArray(),
                };
                var code = await CallAsync(round % 5 == 4 ? joint : city, method, body);
                sent++;
                codes[code] = codes.GetValueOrDefault(code) + 1;
                if (code is StatusCode.Internal or StatusCode.Unknown)
                {
                    failures.Add($"{method.FullName} ({kind}, {body.Length} bytes): {code}");
                }
            }
        }
        output.WriteLine($"{sent} requests: " + string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));

        Assert.Empty(failures.Take(20));
        Assert.DoesNotContain(server.LoggedErrors, e => e.Contains("Unexpected failure", StringComparison.Ordinal));
        var audit = new AuditService.AuditServiceClient(server.As(City, Roles.Auditor));
        var chain = await audit.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(chain.Intact, string.Join("; ", chain.Problems.Take(5).Select(p => $"{p.Sequence} {p.Kind}")));
        Assert.True(chain.Entries > sent / 2, $"the refusals are in the log ({chain.Entries} entries for {sent} requests)");
    }

    private static async Task<StatusCode> CallAsync(CallInvoker invoker, MethodDescriptor method, byte[] body)
    {
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30));
        try
        {
            if (method.IsServerStreaming)
            {
                using var stream = invoker.AsyncServerStreamingCall(new Method<byte[], byte[]>(MethodType.ServerStreaming, method.Service.FullName, method.Name, Bytes, Bytes), null, options, body);
                while (await stream.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
                return StatusCode.OK;
            }
            await invoker.AsyncUnaryCall(new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, Bytes, Bytes), null, options, body);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}

public sealed class FuzzTestsOnSqlite(SqliteServer server, ITestOutputHelper output) : FuzzTests(server, output), IClassFixture<SqliteServer>;

public sealed class FuzzTestsOnPostgres(PostgresServer server, ITestOutputHelper output) : FuzzTests(server, output), IClassFixture<PostgresServer>;
