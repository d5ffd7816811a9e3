using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Core.Tests.Registration.RegisterHarness;

namespace SharedResidentSystem.Core.Tests.Registration;

/// <summary>
/// 異動の取消し (4.6.0.1) in the domain: the three kinds of cancellation, some of the persons
/// only, and where a resident whose 転居 is cancelled goes back to.
/// </summary>
public sealed class CancellationRulesTests(RegisterHarness register) : IClassFixture<RegisterHarness>
{
    private async Task<IdouResult> HouseholdAsync(string banchi, params PersonEntryValue[] members) =>
        await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address(banchi), Osaka,
                members.Length > 0 ? members : [Person("太郎", 1980, "世帯主"), Person("花子", 1982, "妻", SexValue.Female)], false, null), CancellationToken.None));

    private static ResidentRefValue Ref(PersonVersion person) => new(person.ResidentNumber, "");

    private Task<IdouResult> CancelAsync(IdouResult cancelled, params PersonVersion[] only) =>
        register.RunAsync(r => r.CancelAsync(register.Clerk, Guid.NewGuid().ToString(),
            new CancellationCommand(Header("", null, new DateOnly(2026, 11, 26)), cancelled.IdouId, only.Select(Ref).ToList(), "誤入力"), CancellationToken.None));

    private Task<IdouResult> AddressChangeAsync(IReadOnlyList<PersonVersion> movers, string banchi, PlacementValue? placement) =>
        register.RunAsync(r => r.AddressChangeAsync(register.Clerk, Guid.NewGuid().ToString(),
            new AddressChangeCommand(Header("move_date", Notified, Notified), movers.Select(Ref).ToList(), Address(banchi), placement), CancellationToken.None));

    private static PlacementValue NewHousehold(PersonVersion head) => new(null, new Dictionary<string, string> { [head.ResidentNumber] = "世帯主" });

    [Spec("4.6.0.1#7")]
    [Spec("1.2.2#12")]
    [Spec("1.2.2#21")]
    [Spec("1.2.2#40")]
    [Fact]
    public async Task A_removal_is_cancelled_by_an_increase_an_entry_by_a_decrease_and_a_change_by_an_amendment()
    {
        var family = await HouseholdAsync("20番1号");
        var wife = family.Persons[1];

        var died = await register.RunAsync(r => r.DeathAsync(register.Clerk, Guid.NewGuid().ToString(),
            new DeathCommand(Header("death_date", new DateOnly(2026, 11, 24), Notified), Ref(wife)), CancellationToken.None));
        var increase = await CancelAsync(died);
        Assert.Equal(IdouReasons.CancellationIncrease, increase.Reason);
        Assert.Equal(ResidentState.Active, Assert.Single(increase.Persons).State);

        var moved = await AddressChangeAsync(family.Persons, "20番2号", null);
        var amendment = await CancelAsync(moved);
        Assert.Equal(IdouReasons.CancellationAmendment, amendment.Reason);
        Assert.All(amendment.Persons, p => Assert.Equal("20番1号", p.Address.Banchi));

        var other = await HouseholdAsync("20番3号");
        var decrease = await CancelAsync(other);
        Assert.Equal(IdouReasons.CancellationDecrease, decrease.Reason);
        Assert.All(decrease.Persons, p => Assert.Equal((ResidentState.Removed, IdouReasons.CancellationDecrease), (p.State, p.RemovalReason)));
    }

    [Spec("4.6.0.1#3")]
    [Fact]
    public async Task Some_of_the_persons_of_a_idou_may_be_cancelled_and_the_others_keep_it()
    {
        var family = await HouseholdAsync("21番1号", Person("太郎", 1980, "世帯主"), Person("花子", 1982, "妻", SexValue.Female), Person("一郎", 2010, "子"));
        var son = family.Persons[2];

        var cancelled = await CancelAsync(family, son);
        Assert.Equal(son.ResidentNumber, Assert.Single(cancelled.Persons).ResidentNumber);
        Assert.Equal(ResidentState.Removed, cancelled.Persons[0].State);

        var kept = await register.ReadAsync(db => Task.FromResult(db.PersonVersions.Where(p => p.HouseholdNumber == family.HouseholdNumber)
            .GroupBy(p => p.ResidentNumber).Select(g => g.OrderByDescending(p => p.HistoryNumber).First().State).ToList()));
        Assert.Equal(2, kept.Count(s => s == ResidentState.Active));
    }

    [Spec("4.6.0.1#8")]
    [Fact]
    public async Task A_cancelled_move_returns_to_the_former_household_or_to_the_former_address_as_a_new_household()
    {
        // The former household still lives there: back into it.
        var family = await HouseholdAsync("22番1号");
        var wife = family.Persons[1];
        var left = await AddressChangeAsync([wife], "22番2号", NewHousehold(wife));
        Assert.NotEqual(family.HouseholdNumber, left.HouseholdNumber);
        var back = Assert.Single((await CancelAsync(left)).Persons);
        Assert.Equal((family.HouseholdNumber, "22番1号"), (back.HouseholdNumber, back.Address.Banchi));

        // The former household has moved on since: at the former address, in a household of their own.
        var other = await HouseholdAsync("23番1号");
        var wife2 = other.Persons[1];
        var hers = await AddressChangeAsync([wife2], "23番2号", NewHousehold(wife2));
        var rest = await register.RunAsync(r => r.AddressChangeAsync(register.Clerk, Guid.NewGuid().ToString(),
            new AddressChangeCommand(Header("move_date", new DateOnly(2026, 11, 26), new DateOnly(2026, 11, 26)), [Ref(other.Persons[0])], Address("23番3号"), null), CancellationToken.None));
        Assert.Equal("23番3号", Assert.Single(rest.Persons).Address.Banchi);
        var returned = Assert.Single((await CancelAsync(hers)).Persons);
        Assert.Equal("23番1号", returned.Address.Banchi);
        Assert.NotEqual(other.HouseholdNumber, returned.HouseholdNumber);
        Assert.NotEqual(hers.HouseholdNumber, returned.HouseholdNumber);
    }

    [Fact]
    public async Task A_idou_with_a_later_one_for_the_same_person_or_a_cancellation_itself_is_not_cancelled()
    {
        var family = await HouseholdAsync("24番1号");
        await AddressChangeAsync(family.Persons, "24番2号", null);
        var later = await Assert.ThrowsAsync<DomainException>(() => CancelAsync(family));
        Assert.Equal(ErrorReasons.IdouNotCancellable, later.Reason);

        var other = await HouseholdAsync("25番1号");
        var cancellation = await CancelAsync(other);
        var twice = await Assert.ThrowsAsync<DomainException>(() => CancelAsync(cancellation));
        Assert.Equal(ErrorReasons.IdouNotCancellable, twice.Reason);
    }
}
