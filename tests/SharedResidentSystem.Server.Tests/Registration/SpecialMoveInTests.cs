using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>特例転入 between member cities (4.1.1.3): the city moved to reads the 転出証明書情報.</summary>
public abstract class SpecialMoveInTests(ServerFixture server)
{
    [Spec("4.1.1.3#1")]
    [Fact]
    public async Task The_new_city_reads_the_move_out_data_and_both_cities_log_it()
    {
        var kodaira = new RegisterDriver(server, "132110");
        var request = MoveIn("132110", UniqueKana());
        request.Members[0].Domicile = new Domicile { Address = "東京都小平市小川町一丁目1番", HeadName = "高橋 一郎" };
        request.Members[0].Entitlements = new Entitlements { CardHeld = true };
        var family = await kodaira.Registration.RecordMoveInAsync(request);
        await kodaira.Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Residents = { family.Residents.Select(Ref) },
            PlannedDate = Date(2026, 12, 1),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
            Destination = new Address { Prefecture = "東京都", City = "東村山市", FreeText = "本町1-1" },
            Special = true,
        });

        var token = server.Token("132136", "hm-clerk", "HM-1", Roles.Clerk);
        var certificates = new MoveOutCertificateService.MoveOutCertificateServiceClient(server.Invoker(token));
        var certificate = await certificates.GetMoveOutCertificateAsync(new GetMoveOutCertificateRequest { Resident = family.Residents[1].Name });
        Assert.Equal(("132110", "小平市", Date(2026, 12, 1)), (certificate.SourceCityCode, certificate.SourceCityName, certificate.PlannedDate));
        Assert.Equal(["世帯主", "妻"], certificate.Persons.Select(p => p.Relationship));
        Assert.Equal("東京都小平市小川町一丁目1番", certificate.Persons[0].Domicile.Address);
        Assert.Equal("小川町", certificate.PreviousAddress.Town);

        var moveIn = new RecordMoveInRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            MoveDate = Date(2026, 11, 26),
            NotificationDate = Date(2026, 11, 26),
            Notifier = Notifier(),
            Address = new Address { Town = TownOf("132136"), Chome = 1, Banchi = "1番" },
            PreviousAddress = certificate.PreviousAddress,
            Members = { certificate.Persons },
        };
        var moved = await new RegistrationService.RegistrationServiceClient(server.Invoker(token)).RecordMoveInAsync(moveIn);
        Assert.Equal(family.Residents.Select(r => r.PersonName.Given), moved.Residents.Select(r => r.PersonName.Given));
        Assert.Equal("小平市", moved.Residents[0].PreviousAddress.City);

        // A city that is not the destination learns nothing, not even that the record exists.
        var other = new MoveOutCertificateService.MoveOutCertificateServiceClient(server.As("132225"));
        var refused = await Assert.ThrowsAsync<RpcException>(() => other.GetMoveOutCertificateAsync(new GetMoveOutCertificateRequest { Resident = family.Residents[1].Name }).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => other.GetMoveOutCertificateAsync(new GetMoveOutCertificateRequest { Resident = "tenants/132110/residents/9999999999" }).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, missing.Status.Detail), (refused.StatusCode, refused.Status.Detail));
        var active = (await kodaira.Registration.RecordMoveInAsync(MoveIn("132110", UniqueKana(), members: 1))).Residents[0];
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => certificates.GetMoveOutCertificateAsync(new GetMoveOutCertificateRequest { Resident = active.Name }).ResponseAsync)).StatusCode);
        // A 転出 with a paper 転出証明書 (not 特例, 4.1.3.0.4) to the same city sends no 転出証明書情報: the paper is what the new city reads.
        var paper = (await kodaira.Registration.RecordMoveInAsync(MoveIn("132110", UniqueKana(), members: 1))).Residents[0];
        await kodaira.Registration.RecordMoveOutAsync(new RecordMoveOutRequest
        {
            RequestId = Guid.NewGuid().ToString(), Residents = { Ref(paper) }, PlannedDate = Date(2026, 12, 1), NotificationDate = Date(2026, 11, 25), Notifier = Notifier(),
            Destination = new Address { Prefecture = "東京都", City = "東村山市", FreeText = "本町2-2" },
        });
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => certificates.GetMoveOutCertificateAsync(new GetMoveOutCertificateRequest { Resident = paper.Name }).ResponseAsync)).StatusCode);

        // Both access logs record the read.
        var source = await LogOf("132110");
        Assert.Contains(source, e => e.StaffId == "132136:hm-clerk" && e.Function.EndsWith("/GetMoveOutCertificate", StringComparison.Ordinal) && e.Targets.Contains(family.Residents[0].ResidentNumber, StringComparison.Ordinal));
        var reader = await LogOf("132136");
        Assert.Contains(reader, e => e.StaffId == "hm-clerk" && e.Function.EndsWith("/GetMoveOutCertificate", StringComparison.Ordinal));
    }

    private async Task<List<AccessLogEntry>> LogOf(string tenant)
    {
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant, "t", "t", new HashSet<string>()));
        return await scope.ServiceProvider.GetRequiredService<SrsDbContext>().AccessLog.AsNoTracking().ToListAsync();
    }
}

public sealed class SpecialMoveInTestsOnSqlite(SqliteServer server) : SpecialMoveInTests(server), IClassFixture<SqliteServer>;

public sealed class SpecialMoveInTestsOnPostgres(PostgresServer server) : SpecialMoveInTests(server), IClassFixture<PostgresServer>;
