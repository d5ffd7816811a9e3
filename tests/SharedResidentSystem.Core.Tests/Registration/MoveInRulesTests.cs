using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Core.Tests.Registration.RegisterHarness;

namespace SharedResidentSystem.Core.Tests.Registration;

/// <summary>The rules of a 転入 (4.1.1, 4.0.3, 11.1) checked in the domain, without a server.</summary>
public sealed class MoveInRulesTests(RegisterHarness register) : IClassFixture<RegisterHarness>
{
    private static readonly DateOnly Moved = new(2026, 11, 20);
    private static readonly DateOnly Notified = new(2026, 11, 25);

    private static MoveInCommand Family(DateOnly? moved, DateOnly? notified, params PersonEntryValue[] members) =>
        new(Header("move_date", moved, notified), Address(), new AddressValue("大阪府", "大阪市北区", "", 0, "", "", "", "", "梅田1-1-1", ""), members, false, null);

    private async Task<DomainException> RefusedAsync(MoveInCommand command) =>
        await Assert.ThrowsAnyAsync<DomainException>(() => register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(), command, CancellationToken.None)));

    [Fact]
    public async Task A_family_moving_in_is_recorded_as_one_idou_with_checked_numbers_and_one_household()
    {
        var result = await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            Family(Moved, Notified, Person("太郎", 1980, "世帯主"), Person("花子", 1982, "妻", SexValue.Female)), CancellationToken.None));
        Assert.Equal(IdouReasons.DomesticMoveIn, result.Reason);
        Assert.Equal(2, result.Persons.Count);
        Assert.All(result.Persons, p => Assert.True(Core.Numbers.CheckDigits.IsValidSerialWithCheck(p.ResidentNumber), p.ResidentNumber));
        Assert.Single(result.Persons.Select(p => p.HouseholdNumber).Distinct());
        Assert.All(result.Persons, p => Assert.Equal((Moved, Moved), (p.BecameResidentOn, p.AddressSetOn)));
    }

    [Spec("4.0.3#3")]
    [Fact]
    public async Task A_move_in_dated_after_today_is_refused_naming_the_date()
    {
        var refused = await RefusedAsync(Family(new DateOnly(2026, 11, 27), new DateOnly(2026, 11, 26), Person("太郎", 1980, "世帯主")));
        Assert.Equal(ErrorReasons.InvalidField, refused.Reason);
        Assert.Contains(refused.Violations, v => v.Field == "move_date");
    }

    [Fact]
    public async Task A_notification_before_the_move_is_refused_naming_the_notification_date()
    {
        var refused = await RefusedAsync(Family(Moved, new DateOnly(2026, 11, 19), Person("太郎", 1980, "世帯主")));
        Assert.Contains(refused.Violations, v => v.Field == "notification_date");
    }

    [Fact]
    public async Task A_member_born_after_the_move_is_refused_naming_the_member()
    {
        var refused = await RefusedAsync(Family(Moved, Notified, Person("太郎", 1980, "世帯主"), Person("次郎", 2026, "子") with { BirthDate = new PartialDateValue(2026, 11, 22) }));
        Assert.Contains(refused.Violations, v => v.Field == "members[1].birth_date");
    }

    [Fact]
    public async Task Two_heads_in_one_household_are_refused_and_nothing_is_recorded()
    {
        var before = await register.ReadAsync(db => db.PersonVersions.CountAsync());
        var idou = await register.ReadAsync(db => db.Idous.CountAsync());
        var refused = await RefusedAsync(Family(Moved, Notified, Person("太郎", 1980, "世帯主"), Person("花子", 1982, "世帯主", SexValue.Female)));
        Assert.Contains(refused.Violations, v => v.Field == "members" && v.Description.Contains("世帯主", StringComparison.Ordinal));
        Assert.Equal(before, await register.ReadAsync(db => db.PersonVersions.CountAsync()));
        Assert.Equal(idou, await register.ReadAsync(db => db.Idous.CountAsync()));
    }

    [Fact]
    public async Task A_person_of_110_years_or_more_is_an_alert_the_clerk_acknowledges()
    {
        var old = Person("仙人", 1900, "世帯主");
        var alerted = await Assert.ThrowsAsync<AlertException>(() => register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(), Family(Moved, Notified, old), CancellationToken.None)));
        Assert.Contains(alerted.Alerts, a => a.Code == AlertCodes.AgeOver110);
        var command = Family(Moved, Notified, old) with { Header = Header("move_date", Moved, Notified, AlertCodes.AgeOver110) };
        var recorded = await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(), command, CancellationToken.None));
        Assert.Single(recorded.Persons);
    }
}
