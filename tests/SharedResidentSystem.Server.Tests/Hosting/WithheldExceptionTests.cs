using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Tests.Hosting;

/// <summary>An exception logged above Debug keeps its type and stack, never its message (which may quote a person's data).</summary>
public sealed class WithheldExceptionTests
{
    [Fact]
    public void The_message_and_the_inner_messages_are_withheld_the_types_and_stack_kept()
    {
        Exception caught;
        try
        {
            try
            {
                _ = int.Parse("山田　花子", System.Globalization.CultureInfo.InvariantCulture);
                throw new InvalidOperationException("unreachable");
            }
            catch (FormatException inner)
            {
                throw new InvalidOperationException("宛名番号 000123 を読めません", inner);
            }
        }
        catch (InvalidOperationException e)
        {
            caught = e;
        }
        Assert.Contains("山田", caught.ToString(), StringComparison.Ordinal);

        var logged = WithheldException.Of(caught).ToString();
        Assert.DoesNotContain("山田", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("000123", logged, StringComparison.Ordinal);
        Assert.Contains(typeof(InvalidOperationException).FullName!, logged, StringComparison.Ordinal);
        Assert.Contains(typeof(FormatException).FullName!, logged, StringComparison.Ordinal);
        Assert.Contains(nameof(The_message_and_the_inner_messages_are_withheld_the_types_and_stack_kept), logged, StringComparison.Ordinal);
        Assert.Same(WithheldException.Of(caught) is var once ? once : null, WithheldException.Of(once));
    }
}
