using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Benchmarks;

/// <summary>
/// A synthetic population written straight into the register (one 国内転入 per household,
/// versions built by the domain's own mapping), split between the cities by their size.
/// </summary>
internal static class Population
{
    internal static readonly (string Name, string Kana)[] Surnames =
    [
        ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"),
        ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
        ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"),
        ("斎藤", "サイトウ"), ("清水", "シミズ"), ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"),
        ("阿部", "アベ"), ("石川", "イシカワ"), ("山下", "ヤマシタ"), ("中島", "ナカジマ"), ("石井", "イシイ"), ("小川", "オガワ"),
        ("前田", "マエダ"), ("岡田", "オカダ"), ("長谷川", "ハセガワ"), ("藤田", "フジタ"), ("後藤", "ゴトウ"), ("近藤", "コンドウ"),
        ("村上", "ムラカミ"), ("遠藤", "エンドウ"), ("青木", "アオキ"), ("坂本", "サカモト"), ("斉藤", "サイトウ"), ("福田", "フクダ"),
        ("太田", "オオタ"), ("西村", "ニシムラ"), ("藤井", "フジイ"), ("金子", "カネコ"), ("岡本", "オカモト"), ("藤原", "フジワラ"),
    ];

    private static readonly (string Name, string Kana, int Sex)[] GivenNames =
    [
        ("一郎", "イチロウ", 1), ("健太", "ケンタ", 1), ("翔", "ショウ", 1), ("大輔", "ダイスケ", 1), ("誠", "マコト", 1), ("拓也", "タクヤ", 1),
        ("蓮", "レン", 1), ("悠真", "ユウマ", 1), ("浩", "ヒロシ", 1), ("茂", "シゲル", 1), ("隆", "タカシ", 1), ("陽翔", "ハルト", 1),
        ("花子", "ハナコ", 2), ("美咲", "ミサキ", 2), ("陽菜", "ヒナ", 2), ("恵子", "ケイコ", 2), ("幸子", "サチコ", 2), ("由美", "ユミ", 2),
        ("さくら", "サクラ", 2), ("結衣", "ユイ", 2), ("和子", "カズコ", 2), ("直美", "ナオミ", 2), ("愛", "アイ", 2), ("芽依", "メイ", 2),
    ];

    /// <summary>
    /// Writes about <paramref name="total"/> residents; returns every resident number per city.
    /// With <paramref name="moves"/> each household also moves that many times within the city
    /// (a 転居 and a new version of each member), and about one household in twelve then
    /// leaves (a 転出: the members' last versions are 除票).
    /// </summary>
    public static async Task<Dictionary<string, List<string>>> LoadAsync(IServiceProvider services, TenantDirectory tenants, int total, int seed, int moves = 0)
    {
        var weights = new Dictionary<string, int> { ["132225"] = 115, ["132110"] = 195, ["132136"] = 150 };
        var sum = tenants.All.Sum(t => weights.GetValueOrDefault(t.Code, 150));
        var result = new Dictionary<string, List<string>>();
        var random = new Random(seed);
        foreach (var tenant in tenants.All.OrderBy(t => t.Code, StringComparer.Ordinal))
        {
            var target = total * weights.GetValueOrDefault(tenant.Code, 150) / sum;
            result[tenant.Code] = await LoadCityAsync(services, tenant, target, random, moves);
        }
        return result;
    }

    private static async Task<List<string>> LoadCityAsync(IServiceProvider services, TenantDefinition tenant, int target, Random random, int moves)
    {
        var numbers = new List<string>(target);
        long residentSerial = 0, householdSerial = 0, idouSerial = 0;
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        while (numbers.Count < target)
        {
            using var scope = services.CreateScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant.Code, "bench-loader", "bench", new HashSet<string>()));
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var batch = 0; batch < 5000 && numbers.Count < target;)
            {
                var household = CheckDigits.WithCheckDigit(++householdSerial, NumberIssuer.SerialWidth);
                var moveDate = new DateOnly(2000 + random.Next(26), 1 + random.Next(12), 1 + random.Next(28));
                var idou = new Idou
                {
                    TenantCode = tenant.Code,
                    Id = ++idouSerial,
                    Category = IdouReasons.Entry,
                    Reason = IdouReasons.DomesticMoveIn,
                    OccurredOn = moveDate,
                    NotifiedOn = moveDate,
                    RecordedAt = now,
                    NotifierName = "bench",
                    StaffId = "bench-loader",
                    TerminalId = "bench",
                    RequestId = $"bench-{idouSerial}",
                    State = IdouState.Final,
                    Summary = "[]",
                };
                db.Idous.Add(idou);
                var surname = Surnames[random.Next(Surnames.Length)];
                var town = tenant.Towns[random.Next(tenant.Towns.Count)];
                var address = new AddressValue(tenant.Prefecture, tenant.Name, town.Name, 1 + random.Next(5), $"{1 + random.Next(40)}番{1 + random.Next(20)}号", random.Next(3) == 0 ? $"ハイツ{100 + random.Next(300)}" : "", "", "", "", "");
                var size = 1 + random.Next(4);
                var members = new List<PersonVersion>();
                for (var m = 0; m < size && numbers.Count < target; m++, batch++)
                {
                    var given = GivenNames[random.Next(GivenNames.Length)];
                    var year = m < 2 ? 1940 + random.Next(60) : 2000 + random.Next(25);
                    var entry = new PersonEntryValue(
                        new PersonNameValue(surname.Name, given.Name, surname.Kana, given.Kana, true),
                        new PartialDateValue(year, 1 + random.Next(12), 1 + random.Next(28)),
                        (SexValue)given.Sex, m == 0 ? "世帯主" : m == 1 ? "妻" : "子", ResidentKind.Japanese, "", "", "", "",
                        DomicileValue.Empty, "", "", EntitlementsValue.None, ForeignValue.None);
                    var person = PersonMapping.FromEntry(entry, tenant.Code, CheckDigits.WithCheckDigit(++residentSerial, NumberIssuer.SerialWidth));
                    person.IdouId = idou.Id;
                    person.ValidFrom = moveDate;
                    person.RecordedAt = now;
                    person.HouseholdNumber = household;
                    person.Address = AddressRules.ToStored(address, tenant);
                    person.PreviousAddress = new StoredAddress { Prefecture = "埼玉県", City = "所沢市", FreeText = "東町1-1" };
                    person.BecameResidentOn = moveDate;
                    person.AddressSetOn = moveDate;
                    person.NotifiedOn = moveDate;
                    db.PersonVersions.Add(person);
                    db.PersonSearchKeys.AddRange(PersonMapping.SearchKeys(person).Select(key => new PersonSearchKey { TenantCode = tenant.Code, Key = key, ResidentNumber = person.ResidentNumber, HistoryNumber = 1 }));
                    numbers.Add(person.ResidentNumber);
                    members.Add(person);
                }
                var leaves = moves > 0 && random.Next(12) == 0;
                var since = moveDate;
                for (var move = 1; move <= moves + (leaves ? 1 : 0); move++)
                {
                    since = since.AddDays(1 + random.Next(400));
                    var removal = move > moves;
                    var later = new Idou
                    {
                        TenantCode = tenant.Code, Id = ++idouSerial, Category = removal ? IdouReasons.Removal : IdouReasons.Entry,
                        Reason = removal ? IdouReasons.DomesticMoveOut : IdouReasons.AddressChange, OccurredOn = since, NotifiedOn = since, RecordedAt = now,
                        NotifierName = "bench", StaffId = "bench-loader", TerminalId = "bench", RequestId = $"bench-{idouSerial}", State = IdouState.Final, Summary = "[]",
                    };
                    db.Idous.Add(later);
                    var to = tenant.Towns[random.Next(tenant.Towns.Count)];
                    var newAddress = new AddressValue(tenant.Prefecture, tenant.Name, to.Name, 1 + random.Next(5), $"{1 + random.Next(40)}番{1 + random.Next(20)}号", "", "", "", "", "");
                    for (var i = 0; i < members.Count; i++)
                    {
                        var before = members[i];
                        var next = Copy(before);
                        next.HistoryNumber = before.HistoryNumber + 1;
                        next.IdouId = later.Id;
                        next.ValidFrom = since;
                        if (removal)
                        {
                            next.State = ResidentState.Removed;
                            next.RemovalReason = IdouReasons.DomesticMoveOut;
                            next.RemovalOn = since;
                        }
                        else
                        {
                            next.Address = AddressRules.ToStored(newAddress, tenant);
                            next.AddressSetOn = since;
                        }
                        db.PersonVersions.Add(next);
                        db.PersonSearchKeys.AddRange(PersonMapping.SearchKeys(next).Select(key => new PersonSearchKey { TenantCode = tenant.Code, Key = key, ResidentNumber = next.ResidentNumber, HistoryNumber = next.HistoryNumber }));
                        members[i] = next;
                        batch++;
                    }
                }
            }
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        using (var scope = services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(tenant.Code, "bench-loader", "bench", new HashSet<string>()));
            var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
            foreach (var (kind, next) in new[] { (NumberKinds.Resident, residentSerial + 1), (NumberKinds.Household, householdSerial + 1), (NumberKinds.Idou, idouSerial + 1) })
            {
                db.NumberSequences.Add(new NumberSequence { TenantCode = tenant.Code, Kind = kind, Next = next, ConcurrencyStamp = Guid.NewGuid() });
            }
            await db.SaveChangesAsync();
        }
        return numbers;
    }

    private static readonly System.Reflection.MethodInfo Clone = typeof(object).GetMethod("MemberwiseClone", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;

    /// <summary>The next version of a person: a copy with copies of its owned values (an owned value belongs to one version).</summary>
    private static PersonVersion Copy(PersonVersion person)
    {
        var next = (PersonVersion)Clone.Invoke(person, null)!;
        foreach (var property in typeof(PersonVersion).GetProperties().Where(p => p.PropertyType == typeof(StoredAddress)))
        {
            if (property.GetValue(person) is { } value)
            {
                property.SetValue(next, Clone.Invoke(value, null));
            }
        }
        return next;
    }
}
