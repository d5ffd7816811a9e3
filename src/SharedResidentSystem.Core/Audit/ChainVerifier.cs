using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Audit;

/// <summary>Where the chain is broken, and how.</summary>
public sealed record ChainProblem(long Sequence, string Kind, string Description);

/// <summary>A head of the chain kept outside the system.</summary>
public sealed record ChainCheckpoint(long Sequence, string Hash);

/// <summary>
/// Walks one city's access log in sequence order and reports every place where it does not
/// hold together: an entry whose content no longer matches its hash (EDITED), a sequence
/// that skips (MISSING), an entry that does not link to the one before it (INSERTED), an
/// entry that hashes correctly only at another position (REORDERED), and a checkpoint the
/// chain no longer contains (CHECKPOINT_MISMATCH, TRUNCATED). Checkpoints come from the
/// auditor and from the server's own signed checkpoints kept outside the database.
/// </summary>
/// <remarks>
/// <paramref name="start"/>: where the chain starts after its oldest entries were deleted at the
/// end of their retention (the last entry deleted, signed: <see cref="CheckpointStore.SignStart"/>);
/// entries up to it that are still there (a deletion cut short) are passed over, not checked.
/// </remarks>
public sealed class ChainVerifier(IReadOnlyCollection<ChainCheckpoint>? checkpoints = null, ChainCheckpoint? start = null)
{
    private readonly ILookup<long, ChainCheckpoint> _checkpoints = (checkpoints ?? []).Where(c => c.Sequence > (start?.Sequence ?? 0)).ToLookup(c => c.Sequence);
    private readonly HashSet<long> _checkpointsSeen = [];

    private const int ReorderWindow = 16;
    private readonly List<ChainProblem> _problems = [];
    private long _expected = (start?.Sequence ?? 0) + 1;
    private string _previousHash = start?.Hash ?? AccessLogWriter.GenesisHash;
    private readonly Dictionary<string, long> _seenHashes = new(StringComparer.Ordinal);
    private bool _previousReported;

    public long Count { get; private set; }

    public IReadOnlyList<ChainProblem> Problems => _problems;

    public void Add(AccessLogEntry entry)
    {
        if (start is { } retired && entry.Sequence <= retired.Sequence)
        {
            return;
        }
        Count++;
        if (entry.Sequence > _expected)
        {
            _problems.Add(new ChainProblem(_expected, "MISSING",
                entry.Sequence - _expected == 1 ? $"entry {_expected} is missing" : $"entries {_expected}-{entry.Sequence - 1} are missing"));
        }
        else if (entry.Sequence < _expected)
        {
            _problems.Add(new ChainProblem(entry.Sequence, "INSERTED", $"a second entry {entry.Sequence} stands in the chain"));
        }

        var actual = AccessLogWriter.ComputeHash(entry);
        var reported = false;
        if (actual != entry.Hash)
        {
            var movedFrom = FindOriginalPosition(entry);
            _problems.Add(movedFrom is { } from
                ? new ChainProblem(entry.Sequence, "REORDERED", $"entry {entry.Sequence} was written as entry {from}")
                : new ChainProblem(entry.Sequence, "EDITED", $"entry {entry.Sequence} does not match its hash: its content was changed"));
            reported = true;
        }
        else if (entry.PreviousHash != _previousHash && entry.Sequence >= _expected)
        {
            var linked = _seenHashes.TryGetValue(entry.PreviousHash, out var earlier);
            // A broken link right after an entry already reported is that entry's consequence.
            if (!(entry.Sequence > _expected && !linked) && !(_previousReported && linked))
            {
                reported = true;
                _problems.Add(linked
                    ? new ChainProblem(entry.Sequence, "REORDERED", $"entry {entry.Sequence} follows entry {earlier}, not the one before it")
                    : new ChainProblem(entry.Sequence, "INSERTED", $"entry {entry.Sequence} does not follow the entry before it: it was inserted"));
            }
        }

        if (_checkpoints.Contains(entry.Sequence) && _checkpointsSeen.Add(entry.Sequence)
            && _checkpoints[entry.Sequence].Any(c => c.Hash != entry.Hash))
        {
            _problems.Add(new ChainProblem(entry.Sequence, "CHECKPOINT_MISMATCH", $"entry {entry.Sequence} is not the one the checkpoint recorded: the chain was rewritten"));
        }
        _previousReported = reported;
        _seenHashes[entry.Hash] = entry.Sequence;
        _previousHash = entry.Hash;
        _expected = Math.Max(_expected, entry.Sequence + 1);
    }

    /// <summary>Call once after the last entry.</summary>
    public IReadOnlyList<ChainProblem> Finish()
    {
        // A checkpoint beyond the last entry: the tail was cut (one inside the chain that is not there is MISSING already).
        var missing = _checkpoints.Select(g => g.Key).Where(s => s >= _expected).ToList();
        if (missing.Count > 0)
        {
            var last = missing.Max();
            _problems.Add(new ChainProblem(last, "TRUNCATED", $"the chain ends before entry {last} that a checkpoint recorded"));
        }
        return _problems;
    }

    private static long? FindOriginalPosition(AccessLogEntry entry)
    {
        var original = entry.Sequence;
        try
        {
            for (var offset = 1; offset <= ReorderWindow; offset++)
            {
                foreach (var candidate in new[] { original - offset, original + offset })
                {
                    if (candidate < 1)
                    {
                        continue;
                    }
                    entry.Sequence = candidate;
                    if (AccessLogWriter.ComputeHash(entry) == entry.Hash)
                    {
                        return candidate;
                    }
                }
            }
            return null;
        }
        finally
        {
            entry.Sequence = original;
        }
    }
}
