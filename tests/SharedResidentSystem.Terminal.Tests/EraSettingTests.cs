using SharedResidentSystem.Client;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Terminal.Tests;

/// <summary>Eras added by setting change what every formatting in the process writes: these tests run alone.</summary>
[CollectionDefinition(nameof(TerminalEras), DisableParallelization = true)]
public sealed class TerminalEras;

[Collection(nameof(TerminalEras))]
public class EraSettingTests
{
    [Spec("1.3.6#2")]
    [Fact]
    public void The_terminal_takes_the_same_added_eras_as_the_server_and_refuses_an_unreadable_one()
    {
        try
        {
            EraSetting.Apply("新元:N:2031-05-01");
            Assert.Equal("新元元年5月1日", Shown.Date(new DateOnly(2031, 5, 1)));
            Assert.True(Wareki.TryParse("N1.5.2", out var y, out var m, out var d));
            Assert.Equal((2031, 5, 2), (y, m, d));
            Assert.Throws<FormatException>(() => EraSetting.Apply("新元:N:2031/05/01"));
            Assert.Throws<FormatException>(() => EraSetting.Apply("新元:N:2018-01-01"));
        }
        finally
        {
            EraSetting.Apply(null);
        }
        Assert.Equal("令和13年5月1日", Shown.Date(new DateOnly(2031, 5, 1)));
    }
}
