using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Core.Tests.Registration.RegisterHarness;

namespace SharedResidentSystem.Core.Tests.Registration;

/// <summary>
/// The rules of 出生 and 死亡 (4.2.1, 4.2.2) and of 世帯変更等 (4.1.4) in the domain, against a
/// household of two who moved in on 2026-11-20. Every refusal leaves the register as it was.
/// </summary>
public sealed class FamilyRulesTests(RegisterHarness register) : IClassFixture<RegisterHarness>
{
    /// <summary>A head and his wife, moved in on 2026-11-20; the head first.</summary>
    private async Task<IdouResult> HouseholdAsync(string banchi)
    {
        return await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address(banchi), Osaka,
                [Person("太郎", 1980, "世帯主"), Person("花子", 1982, "妻", SexValue.Female)], false, null), CancellationToken.None));
    }

    private static ResidentRefValue Ref(PersonVersion person) => new(person.ResidentNumber, "");

    private Task<int> IdouCountAsync() => register.ReadAsync(db => db.Idous.CountAsync());

    private Task<IdouResult> BirthAsync(string household, PersonEntryValue child, DateOnly notified) =>
        register.RunAsync(r => r.BirthAsync(register.Clerk, Guid.NewGuid().ToString(),
            new BirthCommand(Header("birth_date", null, notified), child, household), CancellationToken.None));

    private Task<IdouResult> DeathAsync(PersonVersion person, DateOnly died, params string[] acknowledged) =>
        register.RunAsync(r => r.DeathAsync(register.Clerk, Guid.NewGuid().ToString(),
            new DeathCommand(Header("death_date", died, Notified, acknowledged), Ref(person)), CancellationToken.None));

    private Task<IdouResult> HouseholdChangeAsync(HouseholdChangeKind kind, IReadOnlyList<PersonVersion> movers, string? into, IReadOnlyDictionary<string, string> relationships) =>
        register.RunAsync(r => r.HouseholdChangeAsync(register.Clerk, Guid.NewGuid().ToString(),
            new HouseholdChangeCommand(Header("change_date", Notified, Notified), kind, movers.Select(Ref).ToList(), new PlacementValue(into, relationships)), CancellationToken.None));

    [Spec("4.2.1.2#1")]
    [Spec("4.2.1.1#3")]
    [Fact]
    public async Task A_birth_enters_the_child_into_the_household_at_its_address_on_the_birth_date_with_no_previous_address()
    {
        var family = await HouseholdAsync("10番1号");
        var born = await BirthAsync(family.HouseholdNumber, Person("一郎", 2026, "子") with { BirthDate = new PartialDateValue(2026, 11, 22) }, new DateOnly(2026, 11, 26));

        Assert.Equal(IdouReasons.Birth, born.Reason);
        var child = Assert.Single(born.Persons);
        Assert.Equal((family.HouseholdNumber, "10番1号", new DateOnly(2026, 11, 22)), (child.HouseholdNumber, child.Address.Banchi, child.BecameResidentOn));
        // 出生: there is no 前住所 to record, so the item stays blank.
        var previous = child.PreviousAddress;
        Assert.Equal("", string.Concat(previous.Prefecture, previous.City, previous.Town, previous.Banchi, previous.Katagaki, previous.FreeText, previous.Country));
        var parents = family.Persons.Select(p => p.PreviousAddress.City).ToList();
        Assert.All(parents, city => Assert.Equal("大阪市北区", city));
    }

    [Fact]
    public async Task A_birth_without_a_full_date_as_head_or_notified_before_it_is_refused_and_nothing_is_written()
    {
        var family = await HouseholdAsync("10番2号");
        var before = await IdouCountAsync();

        var partial = await Assert.ThrowsAsync<DomainException>(() => BirthAsync(family.HouseholdNumber, Person("二郎", 2026, "子") with { BirthDate = new PartialDateValue(2026, 11, 0) }, Notified));
        Assert.Contains(partial.Violations, v => v.Field == "child.birth_date");

        var head = await Assert.ThrowsAsync<DomainException>(() => BirthAsync(family.HouseholdNumber, Person("三郎", 2026, "世帯主") with { BirthDate = new PartialDateValue(2026, 11, 22) }, Notified));
        Assert.Contains(head.Violations, v => v.Field == "child.relationship");

        var early = await Assert.ThrowsAsync<DomainException>(() => BirthAsync(family.HouseholdNumber, Person("四郎", 2026, "子") with { BirthDate = new PartialDateValue(2026, 11, 24) }, new DateOnly(2026, 11, 23)));
        Assert.Contains(early.Violations, v => v.Field == "notification_date");

        var nowhere = await Assert.ThrowsAsync<DomainException>(() => BirthAsync("H-NONE", Person("五郎", 2026, "子") with { BirthDate = new PartialDateValue(2026, 11, 22) }, Notified));
        Assert.Equal(ErrorKind.NotFound, nowhere.Kind);

        Assert.Equal(before, await IdouCountAsync());
    }

    [Spec("4.2.2.1#1")]
    [Spec("4.0.4#3")]
    [Spec("4.0.4#4")]
    [Fact]
    public async Task A_death_makes_a_removed_record_and_the_head_leaving_two_behind_asks_and_the_others_can_still_move()
    {
        var family = await HouseholdAsync("10番3号");
        var head = family.Persons[0];
        await BirthAsync(family.HouseholdNumber, Person("六郎", 2026, "子") with { BirthDate = new PartialDateValue(2026, 11, 21) }, Notified);
        var before = await IdouCountAsync();

        var unacknowledged = await Assert.ThrowsAsync<AlertException>(() => DeathAsync(head, new DateOnly(2026, 11, 24)));
        Assert.Contains(unacknowledged.Alerts, a => a.Code == AlertCodes.HeadAbsent);
        Assert.Equal(before, await IdouCountAsync());

        var died = await DeathAsync(head, new DateOnly(2026, 11, 24), AlertCodes.HeadAbsent);
        var removed = Assert.Single(died.Persons);
        Assert.Equal((ResidentState.Removed, IdouReasons.Death, new DateOnly(2026, 11, 24)), (removed.State, removed.RemovalReason, removed.RemovalOn));

        // The household without its head still takes the members' 届出: the wife moves out.
        var movedOut = await register.RunAsync(r => r.MoveOutAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveOutCommand(Header("planned_date", new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 26)), [Ref(family.Persons[1])], Osaka, false), CancellationToken.None));
        Assert.Equal(IdouReasons.DomesticMoveOut, movedOut.Reason);
    }

    [Spec("4.0.4#1")]
    [Fact]
    public async Task The_head_dying_with_one_member_left_makes_that_member_the_head_without_asking()
    {
        var family = await HouseholdAsync("10番7号");
        var died = await DeathAsync(family.Persons[0], new DateOnly(2026, 11, 24));
        var wife = died.Persons.Single(p => p.ResidentNumber == family.Persons[1].ResidentNumber);
        Assert.Equal(("世帯主", ResidentState.Active), (wife.Relationship, wife.State));
    }

    [Fact]
    public async Task A_death_before_the_move_in_or_of_someone_already_removed_is_refused()
    {
        var family = await HouseholdAsync("10番4号");
        var wife = family.Persons[1];

        var early = await Assert.ThrowsAsync<DomainException>(() => DeathAsync(wife, new DateOnly(2026, 11, 19)));
        Assert.Equal(ErrorReasons.DateBeforeRecord, early.Reason);

        await DeathAsync(wife, new DateOnly(2026, 11, 24));
        var again = await Assert.ThrowsAsync<DomainException>(() => DeathAsync(wife, new DateOnly(2026, 11, 25)));
        Assert.Contains(again.Violations, v => v.Field == "resident");
    }

    [Spec("4.1.4.1#1")]
    [Fact]
    public async Task A_split_makes_a_new_household_and_a_merge_must_take_the_whole_household()
    {
        var family = await HouseholdAsync("10番5号");
        var wife = family.Persons[1];
        var split = await HouseholdChangeAsync(HouseholdChangeKind.Split, [wife], null, new Dictionary<string, string> { [wife.ResidentNumber] = "世帯主" });
        Assert.Equal(IdouReasons.HouseholdSplit, split.Reason);
        var moved = split.Persons.Single(p => p.ResidentNumber == wife.ResidentNumber);
        Assert.NotEqual(family.HouseholdNumber, moved.HouseholdNumber);

        var other = await HouseholdAsync("10番5号");
        var before = await IdouCountAsync();
        var part = await Assert.ThrowsAsync<DomainException>(() => HouseholdChangeAsync(HouseholdChangeKind.Merge, [other.Persons[1]], moved.HouseholdNumber,
            new Dictionary<string, string> { [other.Persons[1].ResidentNumber] = "妻" }));
        Assert.Equal(ErrorReasons.HouseholdRule, part.Reason);
        Assert.Equal(before, await IdouCountAsync());
    }

    private Task<IdouResult> HeadChangeAsync(IdouResult family, PersonVersion newHead, IReadOnlyDictionary<string, string> relationships) =>
        register.RunAsync(r => r.HeadChangeAsync(register.Clerk, Guid.NewGuid().ToString(),
            new HeadChangeCommand(Header("change_date", Notified, Notified), family.HouseholdNumber, Ref(newHead), relationships), CancellationToken.None));

    [Spec("4.1.4.2#1")]
    [Fact]
    public async Task A_new_head_comes_with_every_other_members_relationship_to_them_and_no_second_head()
    {
        var family = await HouseholdAsync("10番8号");
        var (husband, wife) = (family.Persons[0], family.Persons[1]);
        var before = await IdouCountAsync();

        var silent = await Assert.ThrowsAsync<DomainException>(() => HeadChangeAsync(family, wife, new Dictionary<string, string>()));
        Assert.Contains(silent.Violations, v => v.Field == "relationships");
        var twoHeads = await Assert.ThrowsAsync<DomainException>(() => HeadChangeAsync(family, wife, new Dictionary<string, string> { [husband.ResidentNumber] = "世帯主" }));
        Assert.Contains(twoHeads.Violations, v => v.Field == "relationships");
        var already = await Assert.ThrowsAsync<DomainException>(() => HeadChangeAsync(family, husband, new Dictionary<string, string> { [wife.ResidentNumber] = "妻" }));
        Assert.Equal(ErrorReasons.HouseholdRule, already.Reason);
        Assert.Equal(before, await IdouCountAsync());

        var changed = await HeadChangeAsync(family, wife, new Dictionary<string, string> { [husband.ResidentNumber] = "夫" });
        Assert.Equal(IdouReasons.HeadChange, changed.Reason);
        Assert.Equal(["世帯主", "夫"], new[] { wife, husband }.Select(p => changed.Persons.Single(c => c.ResidentNumber == p.ResidentNumber).Relationship));
    }

    [Fact]
    public async Task A_split_of_the_whole_household_or_naming_a_household_to_join_is_refused()
    {
        var family = await HouseholdAsync("10番6号");
        var whole = await Assert.ThrowsAsync<DomainException>(() => HouseholdChangeAsync(HouseholdChangeKind.Split, family.Persons, null,
            family.Persons.ToDictionary(p => p.ResidentNumber, p => p.Relationship)));
        Assert.Equal(ErrorReasons.HouseholdRule, whole.Reason);

        var joining = await Assert.ThrowsAsync<DomainException>(() => HouseholdChangeAsync(HouseholdChangeKind.Split, [family.Persons[1]], family.HouseholdNumber,
            new Dictionary<string, string> { [family.Persons[1].ResidentNumber] = "世帯主" }));
        Assert.Contains(joining.Violations, v => v.Field == "placement.household");
    }
}
