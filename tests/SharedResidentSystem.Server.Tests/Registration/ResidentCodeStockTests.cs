using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Server.Tests.Infrastructure.RegisterDriver;
using static SharedResidentSystem.Server.Tests.Infrastructure.Requests;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>住民票コードの蓄積と無作為の付番 (4.3.1).</summary>
public abstract class ResidentCodeStockTests(ServerFixture server)
{
    private const string City = "132136";

    private static string Code(long body) => CheckDigits.WithCheckDigit(body, 10);

    [Spec("4.3.1#1")]
    [Spec("4.3.1#2")]
    [Spec("4.3.1#3")]
    [Fact]
    public async Task Stored_codes_are_given_at_random_to_new_residents_and_on_request()
    {
        var operatorClient = new ResidentCodeService.ResidentCodeServiceClient(server.As(City, Roles.Operator));
        var bad = await Assert.ThrowsAsync<RpcException>(() => operatorClient.ImportResidentCodesAsync(new ImportResidentCodesRequest { RequestId = Guid.NewGuid().ToString(), Codes = { Code(5000000001), "12345678901" } }).ResponseAsync);
        Assert.Equal(["codes[1]"], bad.ViolatedFields());
        Assert.Equal(0, (await operatorClient.GetResidentCodeStockAsync(new GetResidentCodeStockRequest())).Free);
        var clerkImport = await Assert.ThrowsAsync<RpcException>(() => new ResidentCodeService.ResidentCodeServiceClient(server.As(City)).ImportResidentCodesAsync(new ImportResidentCodesRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, clerkImport.StatusCode);

        var codes = Enumerable.Range(1, 4).Select(i => Code(5000000000 + i)).ToList();
        var stock = await operatorClient.ImportResidentCodesAsync(new ImportResidentCodesRequest { RequestId = Guid.NewGuid().ToString(), Codes = { codes } });
        Assert.Equal((4L, 0L), (stock.Free, stock.Assigned));

        var clerk = new RegisterDriver(server, City);
        var family = await clerk.Registration.RecordMoveInAsync(MoveIn(City, UniqueKana()));
        Assert.All(family.Residents, r => Assert.Contains(r.ResidentCode, codes));
        Assert.NotEqual(family.Residents[0].ResidentCode, family.Residents[1].ResidentCode);

        var change = family.Residents[0].Clone();
        change.ResidentCode = "";
        var changed = (await clerk.Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = AmendmentReason.ResidentCodeChangeRequest,
            Resident = change,
            UpdateMask = FieldMask.FromString("resident_code"),
            AmendmentDate = Date(2026, 11, 26),
            NotificationDate = Date(2026, 11, 26),
            Note = "本人の変更請求",
        })).Residents[0];
        Assert.Contains(changed.ResidentCode, codes);
        Assert.NotEqual(family.Residents[0].ResidentCode, changed.ResidentCode);
        Assert.Equal((1L, 3L), ((await operatorClient.GetResidentCodeStockAsync(new GetResidentCodeStockRequest())).Free, (await operatorClient.GetResidentCodeStockAsync(new GetResidentCodeStockRequest())).Assigned));

        // The last code goes to a birth; then the stock is empty and a 変更請求 without a code is refused.
        var born = await clerk.Registration.RecordBirthAsync(new RecordBirthRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Household = family.Household,
            Child = Person("高橋", "実", "タカハシ", "ミノル", 2026, 11, 20, Sex.Male, "子"),
            NotificationDate = Date(2026, 11, 25),
            Notifier = Notifier(),
        });
        Assert.Contains(born.Residents[0].ResidentCode, codes);
        var again = changed.Clone();
        again.ResidentCode = "";
        var empty = await Assert.ThrowsAsync<RpcException>(() => clerk.Registration.RecordAmendmentAsync(new RecordAmendmentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Reason = AmendmentReason.ResidentCodeChangeRequest,
            Resident = again,
            UpdateMask = FieldMask.FromString("resident_code"),
            AmendmentDate = Date(2026, 11, 26),
            Note = "本人の変更請求",
        }).ResponseAsync);
        Assert.Equal("RESIDENT_CODE_STOCK_EMPTY", empty.ErrorInfo()?.Reason);
    }
}

public sealed class ResidentCodeStockTestsOnSqlite(SqliteServer server) : ResidentCodeStockTests(server), IClassFixture<SqliteServer>;

public sealed class ResidentCodeStockTestsOnPostgres(PostgresServer server) : ResidentCodeStockTests(server), IClassFixture<PostgresServer>;
