using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Registration;

public abstract class RegistrationServiceTests(ServerFixture server)
{
    private const string City = "132225";

    private RegistrationService.RegistrationServiceClient Registration => new(server.As(City));

    private ResidentService.ResidentServiceClient Residents => new(server.As(City));

    [Spec("4.1.1.1#1")]
    [Spec("4.1.1.1#2")]
    [Spec("1.1.13#1")]
    [Fact]
    public async Task A_move_in_records_the_household_with_checked_numbers_and_one_idou()
    {
        var kana = Requests.UniqueKana();
        var response = await Registration.RecordMoveInAsync(Requests.MoveIn(City, kana));

        Assert.Equal(2, response.Residents.Count);
        Assert.StartsWith($"tenants/{City}/idou/", response.Idou, StringComparison.Ordinal);
        Assert.All(response.Residents, r =>
        {
            Assert.True(CheckDigits.IsValidSerialWithCheck(r.ResidentNumber), r.ResidentNumber);
            Assert.Equal(response.Household, r.Household);
            Assert.Equal(1, r.HistoryNumber);
            Assert.Equal("東京都", r.Address.Prefecture);
            Assert.Equal("東久留米市", r.Address.City);
            Assert.Equal("2030053", r.Address.PostalCode);
            Assert.Equal("コーポ101", r.Address.Katagaki);
            Assert.Equal(ResidentStatus.Active, r.Status);
        });
        Assert.True(CheckDigits.IsValidSerialWithCheck(response.Household.Split('/')[^1]));
        Assert.Equal(["世帯主", "妻"], response.Residents.Select(r => r.Relationship));

        var idouId = long.Parse(response.Idou.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var idou = await InCity(City, db => db.Idous.SingleAsync(i => i.Id == idouId));
        Assert.Equal("国内転入", idou.Reason);
        Assert.Equal(new DateOnly(2026, 11, 20), idou.OccurredOn);
        Assert.Equal("staff-1", idou.StaffId);
        var persons = await InCity(City, db => db.PersonVersions.CountAsync(p => p.IdouId == idouId));
        Assert.Equal(2, persons);
    }

    [Spec("1.1.1#2")]
    [Fact]
    public async Task Names_with_variation_selectors_and_non_bmp_characters_round_trip_exactly()
    {
        var family = "葛\U000E0102西𠮷邉\U000E0110";
        var request = Requests.MoveIn(City, Requests.UniqueKana(), familyName: family, members: 1);
        var created = await Registration.RecordMoveInAsync(request);
        var read = await Residents.GetResidentAsync(new GetResidentRequest { Name = created.Residents[0].Name });
        Assert.Equal(family, read.PersonName.Family);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(family), System.Text.Encoding.UTF8.GetBytes(read.PersonName.Family));
    }

    [Spec("11.1#2")]
    [Spec("11.1#1")]
    [Spec("11.1#5")]
    [Fact]
    public async Task A_bad_move_in_names_every_offending_field_and_changes_nothing()
    {
        var kana = Requests.UniqueKana();
        var request = Requests.MoveIn(City, kana);
        request.MoveDate = Requests.Date(2026, 12, 1);
        request.Address.Town = "存在しない町";
        request.Members[0].PersonName.Family = "";
        request.Members[1].Relationship = "祖母";
        request.Members[1].Sex = Sex.Unspecified;

        var e = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("INVALID_FIELD", e.ErrorInfo()?.Reason);
        var fields = e.ViolatedFields();
        Assert.Contains("move_date", fields);
        Assert.Contains("address.town", fields);
        Assert.Contains("members[0].person_name.family", fields);
        Assert.Contains("members[1].relationship", fields);
        Assert.Contains("members[1].sex", fields);
        Assert.Contains("未来", e.Status.Detail, StringComparison.Ordinal);
        var found = await Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana, IncludeRemoved = true });
        Assert.Empty(found.Residents);
    }

    [Fact]
    public async Task A_household_needs_exactly_one_head()
    {
        var request = Requests.MoveIn(City, Requests.UniqueKana());
        request.Members[1].Relationship = "世帯主";
        var e = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInAsync(request).ResponseAsync);
        Assert.Equal(["members"], e.ViolatedFields());
    }

    [Fact]
    public async Task A_repeated_request_returns_the_first_answer_and_records_once()
    {
        var kana = Requests.UniqueKana();
        var request = Requests.MoveIn(City, kana);
        var first = await Registration.RecordMoveInAsync(request);
        server.Time.Advance(TimeSpan.FromMinutes(5));
        var again = await Registration.RecordMoveInAsync(request);

        Assert.Equal(first, again);
        var found = await Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = kana });
        Assert.Equal(2, found.Residents.Count);
        Assert.Equal(1, await InCity(City, db => db.Idous.CountAsync(i => i.RequestId == request.RequestId)));
    }

    [Fact]
    public async Task A_request_id_reused_for_another_request_is_refused()
    {
        var first = Requests.MoveIn(City, Requests.UniqueKana());
        await Registration.RecordMoveInAsync(first);
        var other = Requests.MoveIn(City, Requests.UniqueKana());
        other.RequestId = first.RequestId;
        var e = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInAsync(other).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", e.ErrorInfo()?.Reason);
    }

    [Fact]
    public async Task A_change_without_request_id_is_refused()
    {
        var request = Requests.MoveIn(City, Requests.UniqueKana());
        request.RequestId = "";
        var e = await Assert.ThrowsAsync<RpcException>(() => Registration.RecordMoveInAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["request_id"], e.ViolatedFields());
    }

    [Spec("1.2.1#16")]
    [Spec("1.2.1#18")]
    [Spec("4.2.3.2#1")]
    [Fact]
    public async Task A_correction_keeps_the_old_version_and_a_stale_etag_is_aborted()
    {
        var created = await Registration.RecordMoveInAsync(Requests.MoveIn(City, Requests.UniqueKana(), members: 1));
        var original = created.Residents[0];
        var recordedOn = JapanDate(original.RecordedAt.ToDateTimeOffset());
        server.Time.Advance(TimeSpan.FromDays(1));
        var correctedOn = JapanDate(server.Time.GetUtcNow());
        var correction = new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = new Resident { Name = original.Name, Etag = original.Etag, Address = new Address { Katagaki = "コーポ202" } },
            UpdateMask = FieldMask.FromString("address.katagaki"),
            CorrectionDate = correctedOn,
            Reason = "方書の誤り",
        };
        var corrected = await Registration.CorrectResidentAsync(correction);
        Assert.Equal(2, corrected.Residents[0].HistoryNumber);
        Assert.Equal("コーポ202", corrected.Residents[0].Address.Katagaki);
        Assert.NotEqual(original.Etag, corrected.Residents[0].Etag);

        var stale = correction.Clone();
        stale.RequestId = Guid.NewGuid().ToString();
        var e = await Assert.ThrowsAsync<RpcException>(() => Registration.CorrectResidentAsync(stale).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        Assert.Equal("STALE_ETAG", e.ErrorInfo()?.Reason);

        var before = await Residents.GetResidentAsync(new GetResidentRequest { Name = original.Name, AsOf = recordedOn });
        Assert.Equal("コーポ101", before.Address.Katagaki);
        Assert.Equal(1, before.HistoryNumber);
        var recordedBefore = await Residents.GetResidentAsync(new GetResidentRequest { Name = original.Name, AsRecordedOn = recordedOn });
        Assert.Equal("コーポ101", recordedBefore.Address.Katagaki);
        var now = await Residents.GetResidentAsync(new GetResidentRequest { Name = original.Name });
        Assert.Equal("コーポ202", now.Address.Katagaki);
    }

    [Fact]
    public async Task A_correction_of_an_item_it_cannot_change_names_the_mask()
    {
        var created = await Registration.RecordMoveInAsync(Requests.MoveIn(City, Requests.UniqueKana(), members: 1));
        var e = await Assert.ThrowsAsync<RpcException>(() => Registration.CorrectResidentAsync(new CorrectResidentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Resident = new Resident { Name = created.Residents[0].Name, Etag = created.Residents[0].Etag },
            UpdateMask = FieldMask.FromString("household"),
            CorrectionDate = Requests.Date(2026, 11, 26),
            Reason = "x",
        }).ResponseAsync);
        Assert.Equal("UNSUPPORTED_UPDATE_MASK", e.ErrorInfo()?.Reason);
        Assert.Equal(["update_mask"], e.ViolatedFields());
    }

    [Spec("2.1.2#3")]
    [Fact]
    public async Task Search_finds_readings_loosely_and_pages_with_opaque_tokens()
    {
        var kana = Requests.UniqueKana();
        await Registration.RecordMoveInAsync(Requests.MoveIn(City, kana, members: 4));
        var hiragana = string.Concat(kana.Select(c => (char)(c - ('ァ' - 'ぁ'))));
        var first = await Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = hiragana, PageSize = 3 });
        Assert.Equal(3, first.Residents.Count);
        Assert.NotEmpty(first.NextPageToken);
        var second = await Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = hiragana, PageSize = 3, PageToken = first.NextPageToken });
        Assert.Single(second.Residents);
        Assert.Empty(second.NextPageToken);
        Assert.Empty(first.Residents.Select(r => r.Name).Intersect(second.Residents.Select(r => r.Name)));

        var e = await Assert.ThrowsAsync<RpcException>(() => Residents.SearchResidentsAsync(new SearchResidentsRequest { NameQuery = "タ", PageToken = first.NextPageToken }).ResponseAsync);
        Assert.Equal("INVALID_PAGE_TOKEN", e.ErrorInfo()?.Reason);
    }

    [Spec("10.2#3")]
    [Spec("10.2#20")]
    [Fact]
    public async Task Reads_and_writes_leave_a_hash_chained_access_log_entry()
    {
        var staff = "staff-" + Guid.NewGuid().ToString("N")[..8];
        var token = server.Token(City, staff, "T-LOG", Roles.Clerk);
        var created = await new RegistrationService.RegistrationServiceClient(server.Invoker(token)).RecordMoveInAsync(Requests.MoveIn(City, Requests.UniqueKana(), members: 1));
        var number = created.Residents[0].ResidentNumber;
        await new ResidentService.ResidentServiceClient(server.Invoker(token)).GetResidentAsync(new GetResidentRequest { Name = created.Residents[0].Name });

        var entries = await InCity(City, db => db.AccessLog.Where(e => e.StaffId == staff).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.Equal("/srs.registration.v1.RegistrationService/RecordMoveIn", entries[0].Function);
        Assert.Equal("/srs.residents.v1.ResidentService/GetResident", entries[1].Function);
        Assert.All(entries, e =>
        {
            Assert.Equal(number, e.Targets);
            Assert.Equal("T-LOG", e.TerminalId);
            Assert.Equal(AccessLogWriter.Ok, e.Outcome);
        });

        var chain = await InCity(City, db => db.AccessLog.OrderBy(e => e.Sequence).ToListAsync());
        for (var i = 0; i < chain.Count; i++)
        {
            Assert.Equal(i + 1, chain[i].Sequence);
            Assert.Equal(i == 0 ? AccessLogWriter.GenesisHash : chain[i - 1].Hash, chain[i].PreviousHash);
            Assert.Equal(AccessLogWriter.ComputeHash(chain[i]), chain[i].Hash);
        }
    }

    [Fact]
    public async Task Concurrent_move_ins_each_get_their_own_numbers()
    {
        var requests = Enumerable.Range(0, 8).Select(_ => Requests.MoveIn(City, Requests.UniqueKana(), members: 2)).ToList();
        var responses = await Task.WhenAll(requests.Select(r => Registration.RecordMoveInAsync(r).ResponseAsync));
        var numbers = responses.SelectMany(r => r.Residents.Select(p => p.ResidentNumber)).ToList();
        Assert.Equal(16, numbers.Distinct().Count());
        Assert.Equal(8, responses.Select(r => r.Household).Distinct().Count());
        Assert.Equal(8, responses.Select(r => r.Idou).Distinct().Count());
    }

    private static Google.Type.Date JapanDate(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Japanese.JapanTime.Zone);
        return Requests.Date(local.Year, local.Month, local.Day);
    }

    private async Task<T> InCity<T>(string tenant, Func<SrsDbContext, Task<T>> query)
    {
        using var scope = server.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant, "test", "test", new HashSet<string>()));
        return await query(scope.ServiceProvider.GetRequiredService<SrsDbContext>());
    }
}

public sealed class RegistrationServiceTestsOnSqlite(SqliteServer server) : RegistrationServiceTests(server), IClassFixture<SqliteServer>;

public sealed class RegistrationServiceTestsOnPostgres(PostgresServer server) : RegistrationServiceTests(server), IClassFixture<PostgresServer>;
