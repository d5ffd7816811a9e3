using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Residents;

public class RelationshipsTests
{
    [Spec("1.1.11#2")]
    [Spec("1.1.11#3")]
    [Spec("1.1.11#4")]
    [Spec("1.1.11#5")]
    [Spec("1.1.11#6")]
    [Theory]
    [InlineData("世帯主")]
    [InlineData("妻")]
    [InlineData("夫（未届）")]
    [InlineData("妻(未届)")]
    [InlineData("子")]
    [InlineData("子の妻")]
    [InlineData("妻の父")]
    [InlineData("子の子の子の子")]
    [InlineData("縁故者")]
    [InlineData("同居人")]
    [InlineData("弟の子")]
    public void Relationships_of_the_standard_are_accepted(string relationship) => Assert.Null(Relationships.Check(relationship));

    [Spec("1.1.11#11")]
    [Theory]
    [InlineData("祖父")]
    [InlineData("祖母")]
    [InlineData("孫")]
    [InlineData("おじ")]
    [InlineData("甥")]
    [InlineData("準世帯主")]
    [InlineData("家事使用人")]
    [InlineData("子の子の子の子の子")]
    [InlineData("")]
    [InlineData("子の")]
    public void Relationships_the_standard_excludes_are_refused(string relationship) => Assert.NotNull(Relationships.Check(relationship));

    [Spec("1.1.11#8")]
    [Fact]
    public void Five_generations_are_told_to_use_kin() =>
        Assert.Contains("縁故者", Relationships.Check("子の子の子の子の子"), StringComparison.Ordinal);
}
