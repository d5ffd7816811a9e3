using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Audit;

public class AuditDomainTests
{
    [Spec("10.2#23")]
    [Theory]
    [InlineData(2026, 1, 1, true)]
    [InlineData(2026, 1, 12, true)]
    [InlineData(2026, 3, 20, true)]
    [InlineData(2026, 5, 6, true)]
    [InlineData(2026, 9, 21, true)]
    [InlineData(2026, 9, 22, true)]
    [InlineData(2026, 9, 23, true)]
    [InlineData(2026, 11, 23, true)]
    [InlineData(2026, 11, 26, false)]
    [InlineData(2026, 5, 7, false)]
    public void National_holidays_follow_the_rules_of_the_holiday_law(int y, int m, int d, bool holiday) =>
        Assert.Equal(holiday, JapaneseHolidays.IsHoliday(new DateOnly(y, m, d)));

    [Spec("10.2#23")]
    [Theory]
    [InlineData("2026-11-26T01:00:00Z", false)]
    [InlineData("2026-11-26T13:30:00Z", true)]
    [InlineData("2026-11-25T22:30:00Z", true)]
    [InlineData("2026-11-28T01:00:00Z", true)]
    public void Night_is_before_8_or_from_20_in_japan_and_weekends_count(string utc, bool expected) =>
        Assert.Equal(expected, AuditQueries.IsNightOrHoliday(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)));

    private static List<AccessLogEntry> Chain(int count)
    {
        var entries = new List<AccessLogEntry>();
        var previous = AccessLogWriter.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var e = new AccessLogEntry { TenantCode = "132225", Sequence = i, At = new DateTime(2026, 11, 26, 1, 0, i, DateTimeKind.Utc), StaffId = "s", Function = "/f", Outcome = "OK", PreviousHash = previous };
            e.Hash = AccessLogWriter.ComputeHash(e);
            previous = e.Hash;
            entries.Add(e);
        }
        return entries;
    }

    private static IReadOnlyList<ChainProblem> Verify(IEnumerable<AccessLogEntry> entries, ChainCheckpoint? checkpoint = null)
    {
        var verifier = new ChainVerifier(checkpoint is null ? null : [checkpoint]);
        foreach (var e in entries.OrderBy(e => e.Sequence))
        {
            verifier.Add(e);
        }
        return verifier.Finish();
    }

    [Fact]
    public void An_untouched_chain_verifies() => Assert.Empty(Verify(Chain(20)));

    [Theory]
    [InlineData("山田\0太郎", 64, "山田\uFFFD太郎")]
    [InlineData("𠮷野家", 64, "𠮷野家")]
    [InlineData("\u0085\u001b[2J", 64, "\uFFFD\uFFFD[2J")]
    [InlineData("abcdef", 4, "abc…")]
    [InlineData("ab𠮷c", 4, "ab…")]
    [InlineData("", 4, "")]
    public void An_entry_keeps_text_storable_on_every_database_and_within_its_column(string text, int max, string stored)
    {
        Assert.Equal(stored, AccessLogWriter.Storable(text, max));
        Assert.True(AccessLogWriter.Storable(text, max).Length <= max);
    }

    [Fact]
    public void An_unpaired_surrogate_is_replaced_and_a_pair_is_never_split()
    {
        Assert.Equal("a\uFFFDb", AccessLogWriter.Storable("a" + (char)0xD800 + "b", 64));
        Assert.Equal("a\uFFFD", AccessLogWriter.Storable("a" + (char)0xDC00, 64));
        Assert.Equal("…", AccessLogWriter.Storable("𠮷𠮷", 2));
    }

    [Spec("10.2#20")]
    [Fact]
    public void Each_kind_of_tampering_is_found_where_it_happened()
    {
        var edited = Chain(10);
        edited[2].Detail = "changed";
        Assert.Equal([(3L, "EDITED")], Verify(edited).Select(p => (p.Sequence, p.Kind)));

        var deleted = Chain(10);
        deleted.RemoveAt(4);
        Assert.Equal([(5L, "MISSING")], Verify(deleted).Select(p => (p.Sequence, p.Kind)));

        var reordered = Chain(10);
        (reordered[6].Sequence, reordered[7].Sequence) = (8, 7);
        Assert.Equal([(7L, "REORDERED"), (8L, "REORDERED")], Verify(reordered).Select(p => (p.Sequence, p.Kind)).Order());

        var inserted = Chain(10);
        var forged = new AccessLogEntry { TenantCode = "132225", Sequence = 11, At = DateTime.UtcNow, StaffId = "x", Function = "/f", Outcome = "OK", PreviousHash = inserted[4].Hash };
        forged.Hash = AccessLogWriter.ComputeHash(forged);
        inserted.Add(forged);
        Assert.Equal([(11L, "REORDERED")], Verify(inserted).Select(p => (p.Sequence, p.Kind)));
        forged.PreviousHash = "0000";
        forged.Hash = AccessLogWriter.ComputeHash(forged);
        Assert.Equal([(11L, "INSERTED")], Verify(inserted).Select(p => (p.Sequence, p.Kind)));
    }

    [Spec("10.2#20")]
    [Fact]
    public void A_kept_checkpoint_finds_a_rewritten_or_truncated_chain()
    {
        var chain = Chain(10);
        var checkpoint = new ChainCheckpoint(8, chain[7].Hash);
        Assert.Empty(Verify(chain, checkpoint));
        Assert.Equal([(8L, "TRUNCATED")], Verify(chain.Take(6), checkpoint).Select(p => (p.Sequence, p.Kind)));
        var rewritten = Chain(10);
        rewritten.ForEach(e => e.StaffId = "rewritten");
        var previous = AccessLogWriter.GenesisHash;
        foreach (var e in rewritten)
        {
            e.PreviousHash = previous;
            e.Hash = AccessLogWriter.ComputeHash(e);
            previous = e.Hash;
        }
        Assert.Equal([(8L, "CHECKPOINT_MISMATCH")], Verify(rewritten, checkpoint).Select(p => (p.Sequence, p.Kind)));
    }
}
