using System.Diagnostics.Metrics;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Telemetry;
using SharedResidentSystem.Core.Tests.Registration;
using static SharedResidentSystem.Core.Tests.Registration.RegisterHarness;

namespace SharedResidentSystem.Core.Tests.Telemetry;

/// <summary>srs.idou.recorded counts a 異動 once it is durable: a write rolled back (refused, retried) counts nothing.</summary>
public sealed class CommittedMetricsTests(RegisterHarness register) : IClassFixture<RegisterHarness>
{
    /// <summary>Marks this test's own flow, so that the register's other tests running beside it are not counted here.</summary>
    private static readonly AsyncLocal<bool> Mine = new();

    [Fact]
    public async Task A_committed_idou_is_counted_once_with_its_city_and_reason_and_a_rolled_back_one_not_at_all()
    {
        var seen = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SrsTelemetry.Name && instrument.Name == "srs.idou.recorded")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (Mine.Value)
            {
                lock (seen)
                {
                    seen.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
                }
            }
        });
        listener.Start();
        Mine.Value = true;

        await register.RunAsync(r => r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
            new MoveInCommand(Header("move_date", MovedIn, Notified), Address("41番1号"), Osaka, [Person("太郎", 1980, "世帯主")], false, null), CancellationToken.None));
        var counted = Assert.Single(seen);
        Assert.Equal(1, counted.Value);
        Assert.Equal(City, counted.Tags["srs.city"]);
        Assert.Equal(IdouReasons.DomesticMoveIn, counted.Tags["srs.idou.reason"]);
        Assert.Equal("記載", counted.Tags["srs.idou.category"]);
        // No tag names the person.
        Assert.Equal(["srs.city", "srs.idou.category", "srs.idou.reason"], counted.Tags.Keys.Order(StringComparer.Ordinal));

        // Saved inside the transaction, then the work fails: rolled back, not counted.
        await Assert.ThrowsAsync<InvalidOperationException>(() => register.RunAsync<IdouResult>(async (r, db) =>
        {
            await r.MoveInAsync(register.Clerk, Guid.NewGuid().ToString(),
                new MoveInCommand(Header("move_date", MovedIn, Notified), Address("41番2号"), Osaka, [Person("次郎", 1981, "世帯主")], false, null), CancellationToken.None);
            Assert.True(await db.SaveChangesAsync() > 0);
            // Saved, not yet durable: not counted.
            Assert.Single(seen);
            throw new InvalidOperationException("fails after the 異動 was saved");
        }));
        Assert.Single(seen);
    }
}
