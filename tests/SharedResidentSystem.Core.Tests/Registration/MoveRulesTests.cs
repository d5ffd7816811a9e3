using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Testing;
using static SharedResidentSystem.Core.Tests.Registration.RegisterHarness;

namespace SharedResidentSystem.Core.Tests.Registration;

/// <summary>The rules of 転出 (4.1.3) and 転居 (4.1.2) against a resident already recorded, in the domain.</summary>
public sealed class MoveRulesTests(RegisterHarness register) : IClassFixture<RegisterHarness>
{
    /// <summary>One resident who moved in on 2026-11-20.</summary>
    private async Task<ResidentRefValue> ResidentAsync()
    {
        var result = await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, new DateOnly(2026, 11, 25)), Address(), Osaka, [Person("太郎", 1980, "世帯主")], false, null), CancellationToken.None));
        return new ResidentRefValue(result.Persons[0].ResidentNumber, "");
    }

    private Task<IdouResult> MoveOutAsync(ResidentRefValue resident, DateOnly planned, DateOnly notified, AddressValue? destination = null, params string[] acknowledged) =>
        register.RunAsync(r => r.MoveOutAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveOutCommand(Header("planned_date", planned, notified, acknowledged), [resident], destination ?? Osaka, false), CancellationToken.None));

    private Task<IdouResult> AddressChangeAsync(ResidentRefValue resident, DateOnly moved, DateOnly notified, AddressValue address) =>
        register.RunAsync(r => r.AddressChangeAsync(register.Clerk, Guid.NewGuid().ToString(),
            new AddressChangeCommand(Header("move_date", moved, notified), [resident], address, null), CancellationToken.None));

    [Spec("4.1.3.0.1#1")]
    [Fact]
    public async Task A_move_out_may_be_planned_after_the_notification_and_is_a_removal_on_that_date()
    {
        var resident = await ResidentAsync();
        var result = await MoveOutAsync(resident, new DateOnly(2026, 12, 10), new DateOnly(2026, 11, 26));
        Assert.Equal(IdouReasons.DomesticMoveOut, result.Reason);
        var removed = Assert.Single(result.Persons);
        Assert.Equal((Storage.ResidentState.Removed, new DateOnly(2026, 12, 10)), (removed.State, removed.RemovalOn));
    }

    [Fact]
    public async Task A_move_out_dated_before_the_move_in_is_refused_naming_the_date()
    {
        var resident = await ResidentAsync();
        var refused = await Assert.ThrowsAsync<DomainException>(() => MoveOutAsync(resident, new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 26)));
        Assert.Equal(ErrorReasons.DateBeforeRecord, refused.Reason);
        Assert.Equal(["planned_date"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public async Task A_move_out_without_a_destination_is_refused()
    {
        var resident = await ResidentAsync();
        var refused = await Assert.ThrowsAsync<DomainException>(() => MoveOutAsync(resident, new DateOnly(2026, 11, 26), new DateOnly(2026, 11, 26), AddressValue.Empty));
        Assert.Contains(refused.Violations, v => v.Field.StartsWith("destination", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_move_within_the_city_to_the_same_place_is_refused_and_to_another_is_recorded()
    {
        var resident = await ResidentAsync();
        var same = await Assert.ThrowsAsync<DomainException>(() => AddressChangeAsync(resident, new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 25), Address()));
        Assert.Equal(ErrorReasons.AddressMismatch, same.Reason);
        var moved = await AddressChangeAsync(resident, new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 25), Address("5番1号"));
        Assert.Equal(IdouReasons.AddressChange, moved.Reason);
        Assert.Equal("5番1号", Assert.Single(moved.Persons).Address.Banchi);
    }

    [Fact]
    public async Task A_move_within_the_city_notified_before_it_happened_is_refused()
    {
        var resident = await ResidentAsync();
        var refused = await Assert.ThrowsAsync<DomainException>(() => AddressChangeAsync(resident, new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 24), Address("6番1号")));
        Assert.Contains(refused.Violations, v => v.Field == "notification_date");
    }
}
