using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Audit.V1;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Hosting;

/// <summary>
/// End to end: three server processes on one PostgreSQL database under concurrent load are one
/// system — a terminal's certificate serials run unbroken whichever instance issued them, a
/// city has one access-log chain that verifies, a request sent to two instances is recorded
/// once, and a configuration change made through one is in effect on the others within the
/// refresh interval.
/// </summary>
public sealed class SeveralInstancesTests
{
    private const string City = "132136";
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Three_instances_on_one_postgresql_database_act_as_one_system()
    {
        // One data directory for the three: the same development key, checkpoint key and checkpoints, as instances share them.
        var data = RepositoryPaths.NewTempDirectory("srs-instances");
        string[] settings = [.. await ServerProcess.StorageAsync("postgresql"), "--Server:ConfigRefreshSeconds=1"];
        var instances = new List<ServerProcess>();
        var channels = new List<GrpcChannel>();
        try
        {
            // The first migrates and seeds; the other two find it done.
            instances.Add(ServerProcess.Start(data, settings));
            await instances[0].WaitUntilServingAsync(Start);
            instances.Add(ServerProcess.Start(data, settings));
            instances.Add(ServerProcess.Start(data, settings));
            await Task.WhenAll(instances.Skip(1).Select(i => i.WaitUntilServingAsync(Start)));
            channels.AddRange(instances.Select(i => GrpcChannel.ForAddress(i.Address)));
            var t1 = Requests.Bearer(await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T001"));
            var t2 = Requests.Bearer(await ServerProcess.MintAsync(data, City, "clerk", "--terminal", "T002"));
            var auditor = Requests.Bearer(await ServerProcess.MintAsync(data, City, "auditor"));
            var joint = Requests.Bearer(await ServerProcess.MintAsync(data, SrsClaims.JointSystem, "operator"));
            RegistrationService.RegistrationServiceClient Registration(int i) => new(channels[i % 3]);

            // Concurrent 転入 over the three, each request sent to two instances at once: recorded once, one answer.
            var moveIns = Enumerable.Range(0, 18).Select(_ => Requests.MoveIn(City, Requests.UniqueKana(), members: 2)).ToList();
            var answers = await Task.WhenAll(moveIns.Select((request, i) => Task.WhenAll(
                Registration(i).RecordMoveInAsync(request, t1).ResponseAsync,
                Registration(i + 1).RecordMoveInAsync(request, t1).ResponseAsync)));
            var residents = new ResidentService.ResidentServiceClient(channels[2]);
            for (var i = 0; i < moveIns.Count; i++)
            {
                Assert.Equal(answers[i][0], answers[i][1]);
                var found = await residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = moveIns[i].Members[0].PersonName.FamilyKana }, t1);
                Assert.Equal(2, found.Residents.Count);
                Assert.All(found.Residents, r => Assert.Equal(answers[i][0].Residents[0].Household, r.Household));
            }

            // Certificates at once from two terminals over the three instances: each terminal's serials unbroken.
            var family = answers[0][0];
            var calls = Enumerable.Range(0, 24).Select(i =>
            {
                var terminal = i % 2 == 0 ? "T001" : "T002";
                var request = new IssueCertificateRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Kind = CertificateKind.ResidentCopy, Household = family.Residents[0].Household, Copies = 2,
                    Printer = terminal == "T001" ? "P-001" : "P-003",
                    Requester = new Requester { Category = RequesterCategory.SelfOrHousehold, Name = "高橋 一郎", Resident = family.Residents[0].Name, IdentityCheck = "運転免許証" },
                };
                return (Terminal: terminal, Call: new CertificateService.CertificateServiceClient(channels[i % 3]).IssueCertificateAsync(request, terminal == "T001" ? t1 : t2).ResponseAsync);
            }).ToList();
            await Task.WhenAll(calls.Select(c => c.Call));
            Assert.Equal(24, calls.Select(c => c.Call.Result.Issuance).Distinct().Count());
            foreach (var terminal in new[] { "T001", "T002" })
            {
                var serials = calls.Where(c => c.Terminal == terminal)
                    .SelectMany(c => c.Call.Result.Copies.Select(copy => int.Parse(copy.IssueNumber.Split(' ')[^2], System.Globalization.CultureInfo.InvariantCulture)))
                    .Order().ToList();
                Assert.Equal(Enumerable.Range(serials[0], 24), serials);
            }

            // One chain for the city, written by three processes, intact as each of them reads it.
            foreach (var channel in channels)
            {
                var chain = await new AuditService.AuditServiceClient(channel).VerifyChainAsync(new VerifyChainRequest(), auditor);
                Assert.True(chain.Intact, string.Join("; ", chain.Problems.Select(p => $"{p.Sequence} {p.Kind}")));
            }

            // A city added through the first instance works on the other two within the refresh interval (1 s; allowed: 5 s).
            const string code = "132217";
            await new TenantAdminService.TenantAdminServiceClient(channels[0]).CreateTenantAsync(
                new CreateTenantRequest { Document = TenantDocuments.Minimal(code, "清瀬市", mayor: "清瀬　太郎"), Reason = "共同利用への参加", RequestId = Guid.NewGuid().ToString() }, joint);
            var clerk = Requests.Bearer(await ServerProcess.MintAsync(data, code, "clerk"));
            var created = DateTime.UtcNow;
            foreach (var channel in channels.Skip(1))
            {
                var tenants = new TenantService.TenantServiceClient(channel);
                while (true)
                {
                    try
                    {
                        Assert.Equal("清瀬市", (await tenants.GetTenantAsync(new GetTenantRequest(), clerk)).DisplayName);
                        break;
                    }
                    catch (RpcException) when (DateTime.UtcNow - created < TimeSpan.FromSeconds(5))
                    {
                        await Task.Delay(100);
                    }
                }
            }
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
            RepositoryPaths.Remove(data);
        }
    }
}
