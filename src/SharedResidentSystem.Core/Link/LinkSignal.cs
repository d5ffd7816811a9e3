using System.Collections.Concurrent;

namespace SharedResidentSystem.Core.Link;

/// <summary>
/// Wakes a city's subscriptions (7.2.3 リアルタイム) when a transaction of that city commits, so a
/// change reaches its systems at once instead of at the next look. A subscription takes its turn
/// before it reads (so a commit between its read and its wait is not missed) and looks again
/// after a short while in any case (a change committed by another server process).
/// </summary>
public sealed class LinkSignal
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _turns = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the city's next commit.</summary>
    public Task Next(string tenant) =>
        _turns.GetOrAdd(tenant, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>A transaction of the city has committed.</summary>
    public void Committed(string tenant)
    {
        if (_turns.TryRemove(tenant, out var turn))
        {
            turn.TrySetResult();
        }
    }
}
