using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace SharedResidentSystem.Client;

/// <summary>Raised while a call is being retried: which attempt failed, why, and how long until the next.</summary>
public sealed record RetryNotice(string Method, string RequestId, int Attempt, StatusCode Status, TimeSpan Delay);

/// <summary>
/// The retry and circuit-breaker pipeline every call of <see cref="RegisterClient"/> runs in.
/// Retries repeat the same request message, so a write is resent with the same request_id and
/// the server records it once. While the circuit is open, a new call fails at once with a
/// clear message; a call already retrying keeps trying until its budget is spent.
/// </summary>
internal sealed class Resilience
{
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly TimeSpan _breakDuration;
    private long _openedAtTicks = -1;

    public Resilience(RegisterClientOptions options, Action<RetryNotice> onRetry)
    {
        _time = options.Time;
        _breakDuration = options.BreakDuration;
        var transient = new PredicateBuilder().Handle<RpcException>(IsTransient);
        var builder = new ResiliencePipelineBuilder { TimeProvider = options.Time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(IsTransient).Handle<BrokenCircuitException>(),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = args =>
                {
                    var status = args.Outcome.Exception is RpcException rpc ? rpc.StatusCode : StatusCode.Unavailable;
                    var call = args.Context.Properties.GetValue(CallKey, CallInfo.None);
                    call.Attempts = args.AttemptNumber + 2;
                    onRetry(new RetryNotice(call.Method, call.RequestId, args.AttemptNumber + 1, status, args.RetryDelay));
                    return default;
                },
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = 1.0,
            MinimumThroughput = Math.Max(2, options.BreakAfterFailures),
            SamplingDuration = options.BreakSampling,
            BreakDuration = options.BreakDuration,
            OnOpened = _ =>
            {
                Interlocked.Exchange(ref _openedAtTicks, _time.GetUtcNow().UtcTicks);
                return default;
            },
            OnClosed = _ =>
            {
                Interlocked.Exchange(ref _openedAtTicks, -1);
                return default;
            },
        });
        _pipeline = builder.Build();
    }

    internal static readonly ResiliencePropertyKey<CallInfo> CallKey = new("srs.call");

    /// <summary>Whether the circuit opened less than the break duration ago (a new call should not wait).</summary>
    public bool IsOpen
    {
        get
        {
            var opened = Interlocked.Read(ref _openedAtTicks);
            return opened >= 0 && _time.GetUtcNow().UtcTicks - opened < _breakDuration.Ticks;
        }
    }

    public async Task<T> ExecuteAsync<T>(CallInfo call, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, call);
        try
        {
            return await _pipeline.ExecuteAsync(async c => await attempt(c.CancellationToken), context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Failures worth repeating: the server was not reached, or did not answer in time. A call
    /// that could not start because the connection failed (an HTTP/2 handshake a restarting
    /// server never finished) comes back as Internal with the HTTP error inside: the server saw
    /// nothing, so it is repeated too.
    /// </summary>
    public static bool IsTransient(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        || e.StatusCode == StatusCode.Internal && e.Status.DebugException is System.Net.Http.HttpRequestException;

    /// <summary>What the pipeline knows about the call it runs.</summary>
    internal sealed class CallInfo(string method, string requestId)
    {
        public static readonly CallInfo None = new("", "");

        public string Method { get; } = method;

        public string RequestId { get; } = requestId;

        public int Attempts { get; set; } = 1;
    }
}
