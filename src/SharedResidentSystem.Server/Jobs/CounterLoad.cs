namespace SharedResidentSystem.Server.Jobs;

/// <summary>
/// The counter's calls in flight and when the last one ended, so that jobs take their steps in
/// the counter's quiet moments (issue 19: a job never slows the counter), and EUC's extractions
/// (10.1#11) go on between its calls. Jobs' calls (JobService) and EUC's own (EucService) are not
/// counter work and are not counted.
/// </summary>
public sealed class CounterLoad
{
    /// <summary>How long after the last call the counter counts as quiet.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(50);

    private int _inFlight;
    private long _lastEnded;

    /// <summary>A call of the contract ("/srs.{package}.{Service}/{Method}") other than JobService's and EucService's.</summary>
    public static bool IsCounterCall(PathString path) =>
        path.Value is { } value && value.StartsWith("/srs.", StringComparison.Ordinal) && !value.StartsWith("/srs.jobs.v1.JobService/", StringComparison.Ordinal)
        && !value.StartsWith("/srs.analytics.v1.EucService/", StringComparison.Ordinal);

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Exit()
    {
        Volatile.Write(ref _lastEnded, Environment.TickCount64);
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>Waits (up to <paramref name="limit"/>) for a quiet moment of the counter.</summary>
    public async Task QuietAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        // Real time: the counter's rhythm, not the register's clock.
        for (var waited = TimeSpan.Zero; waited < limit && Busy; waited += TimeSpan.FromMilliseconds(10))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, cancellationToken);
        }
    }

    /// <summary>The same, for work on a thread of its own (LowPriority): the thread sleeps meanwhile.</summary>
    public void WaitQuiet(TimeSpan limit, CancellationToken cancellationToken)
    {
        for (var waited = TimeSpan.Zero; waited < limit && Busy && !cancellationToken.IsCancellationRequested; waited += TimeSpan.FromMilliseconds(10))
        {
            Thread.Sleep(10);
        }
    }

    /// <summary>Calls are in flight, or one ended just now.</summary>
    public bool Busy => Volatile.Read(ref _inFlight) > 0 || Environment.TickCount64 - Volatile.Read(ref _lastEnded) < (long)Quiet.TotalMilliseconds;
}
