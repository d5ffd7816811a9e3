using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Hardening;

/// <summary>
/// The server process killed (SIGKILL) while clerks record 転入 concurrently, then started
/// again on the same data: every request retried with its request_id is recorded exactly once,
/// an acknowledged one answers again with its first answer, and the access log still verifies.
/// </summary>
public sealed class CrashTests
{
    private const string City = "132136";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Killed_under_concurrent_move_ins_every_retried_request_is_recorded_exactly_once(string provider)
    {
        var data = RepositoryPaths.NewTempDirectory("srs-crash");
        var storage = await ServerProcess.StorageAsync(provider);
        var first = ServerProcess.Start(data, storage);
        ServerProcess? second = null;
        try
        {
            await first.WaitUntilServingAsync(StartTimeout);
            var clerk = await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T001");
            var auditor = await ServerProcess.MintAsync(data, City, "auditor");
            var requests = Enumerable.Range(0, 48).Select(_ => Requests.MoveIn(City, Requests.UniqueKana(), members: 1)).ToList();
            var firstAnswers = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();

            // Eight clerks' terminals at once; the server is killed once ten are acknowledged.
            using (var channel = GrpcChannel.ForAddress(first.Address))
            {
                var registration = new RegistrationService.RegistrationServiceClient(channel);
                var killed = new TaskCompletionSource();
                var next = -1;
                async Task WorkAsync()
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < requests.Count && !killed.Task.IsCompleted)
                    {
                        try
                        {
                            var answer = await registration.RecordMoveInAsync(requests[i], Requests.Bearer(clerk), deadline: DateTime.UtcNow.AddSeconds(30));
                            firstAnswers[requests[i].RequestId] = answer.Residents[0].Name;
                            if (firstAnswers.Count == 10)
                            {
                                await first.KillAsync();
                                killed.TrySetResult();
                            }
                        }
                        catch (RpcException)
                        {
                            // Lost with the server: retried below.
                        }
                    }
                }
                await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(WorkAsync)));
                Assert.True(killed.Task.IsCompleted, "the server was killed while requests were under way");
            }

            second = ServerProcess.Start(data, storage);
            await second.WaitUntilServingAsync(StartTimeout);
            using var again = GrpcChannel.ForAddress(second.Address);
            var retried = new RegistrationService.RegistrationServiceClient(again);
            var residents = new ResidentService.ResidentServiceClient(again);
            foreach (var request in requests)
            {
                var answer = await retried.RecordMoveInAsync(request, Requests.Bearer(clerk));
                if (firstAnswers.TryGetValue(request.RequestId, out var name))
                {
                    Assert.Equal(name, answer.Residents[0].Name);
                }
                var family = request.Members[0].PersonName.FamilyKana;
                var found = await residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = family }, Requests.Bearer(clerk));
                Assert.Equal(answer.Residents[0].Name, Assert.Single(found.Residents).Name);
            }
            var chain = await new AuditService.AuditServiceClient(again).VerifyChainAsync(new VerifyChainRequest(), Requests.Bearer(auditor));
            Assert.True(chain.Intact, string.Join("; ", chain.Problems.Select(p => $"{p.Sequence} {p.Kind}")));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
        }
    }
}
