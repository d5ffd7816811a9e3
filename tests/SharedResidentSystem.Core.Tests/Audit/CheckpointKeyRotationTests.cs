using System.Security.Cryptography;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Audit;

/// <summary>Rotating the checkpoint key: the new key signs, what the old one signed still verifies while it is kept, and is forged once it is not.</summary>
public sealed class CheckpointKeyRotationTests : IDisposable
{
    private readonly string _directory = RepositoryPaths.NewTempDirectory("srs-checkpoints");

    [Fact]
    public async Task Checkpoints_and_a_start_signed_with_the_previous_key_verify_while_it_is_kept()
    {
        var old = RandomNumberGenerator.GetBytes(32);
        var current = RandomNumberGenerator.GetBytes(32);
        var before = new CheckpointStore(_directory, old);
        var at = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        await before.AppendAsync(before.Sign("132136", 10, "aa", at), CancellationToken.None);
        await before.WriteStartAsync(before.SignStart("132136", 3, "bb", at), CancellationToken.None);

        var rotated = new CheckpointStore(_directory, current, [old]);
        await rotated.AppendAsync(rotated.Sign("132136", 20, "cc", at.AddDays(1)), CancellationToken.None);
        var (authentic, forged) = await rotated.ReadAsync("132136", CancellationToken.None);
        Assert.Equal([10L, 20L], authentic.Select(c => c.Sequence));
        Assert.Empty(forged);
        Assert.NotNull((await rotated.ReadStartAsync("132136", CancellationToken.None)).Start);

        // The new key signs: the old store alone does not take the new checkpoint.
        Assert.Single((await before.ReadAsync("132136", CancellationToken.None)).Forged);

        // The old key dropped: what it signed no longer verifies (reported, never trusted).
        var dropped = new CheckpointStore(_directory, current);
        var (kept, refused) = await dropped.ReadAsync("132136", CancellationToken.None);
        Assert.Equal([20L], kept.Select(c => c.Sequence));
        Assert.Single(refused);
        Assert.NotNull((await dropped.ReadStartAsync("132136", CancellationToken.None)).Forged);
    }

    public void Dispose() => RepositoryPaths.Remove(_directory);
}
