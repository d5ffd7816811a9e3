using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests;

public sealed class SpecPlacementTests
{
    [Fact]
    public void Every_requirement_tag_is_on_a_test_that_runs() => Assert.Empty(SpecPlacement.Misplaced(typeof(SpecPlacementTests).Assembly));
}
