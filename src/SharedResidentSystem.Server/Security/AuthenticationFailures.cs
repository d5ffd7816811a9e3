using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Security;

/// <summary>
/// Calls that do not authenticate (10.2: 認証に失敗したアクセス): no token, a token that does not
/// verify, a verified token without city or staff, a token for a city this system does not
/// serve. Each goes into the access log of the city the token names (the joint system's own
/// log, tenant "*", when it names none of ours), under no staff member's name: what the token
/// claimed is kept in the detail, marked unverified, with the source address. A flood does not
/// bloat the chain: per city and source the first failure of a minute is an entry of its own and
/// the rest are counted into one entry when the minute is over. A source that fails more than
/// Server:AuthenticationFailuresPerMinute times a minute is refused outright (RESOURCE_EXHAUSTED)
/// until the minute is over (a fixed-window rate limiter per source).
/// </summary>
public sealed partial class AuthenticationFailures(BatchedAccessLog queue, TenantDirectory tenants, TimeProvider time, IOptions<ServerOptions> options, ILogger<AuthenticationFailures> logger)
    : BackgroundService
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private const string RecordedKey = "srs.authentication-failure-recorded";

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(source =>
        RateLimitPartition.GetFixedWindowLimiter(source, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.AuthenticationFailuresPerMinute, Window = Window, QueueLimit = 0,
        }));

    private readonly ConcurrentDictionary<(string Tenant, string Source), Tally> _tallies = new();

    /// <summary>Sources that failed since their last minute was written down.</summary>
    private readonly ConcurrentDictionary<string, bool> _failedSources = new(StringComparer.Ordinal);

    private sealed class Tally(DateTime since, string function)
    {
        public DateTime Since { get; } = since;
        public string Function { get; } = function;
        public int Unlogged { get; set; }

        public bool Closed { get; set; }
    }

    /// <summary>The caller's address, as the log names the source.</summary>
    public static string Source(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>
    /// Whether this source has failed too often this minute to be heard at all. Runs on every
    /// call: a source that never failed is one dictionary look-up, and gets no limiter.
    /// </summary>
    public bool IsBlocked(string source) =>
        _failedSources.ContainsKey(source) && _limiter.GetStatistics(source) is { CurrentAvailablePermits: <= 0 };

    /// <summary>JwtBearer's event: a token was sent and did not verify.</summary>
    public static Task OnTokenRejectedAsync(AuthenticationFailedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        JsonWebToken? token = null;
        if (header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                token = new JsonWebToken(header[prefix.Length..].Trim());
            }
            catch (ArgumentException)
            {
                // Not even a token's shape: recorded with no claims.
            }
        }
        string Claim(string name) => token is not null && token.TryGetPayloadValue<string>(name, out var value) ? value : "";
        return context.HttpContext.RequestServices.GetRequiredService<AuthenticationFailures>()
            .RecordAsync(context.HttpContext, Claim(SrsClaims.Tenant), Claim(SrsClaims.Staff), Claim(SrsClaims.Terminal), context.Exception.GetType().Name);
    }

    /// <summary>
    /// Records one failure (once per call). <paramref name="tenant"/>, <paramref name="staff"/> and
    /// <paramref name="terminal"/> are what the token claimed, not verified.
    /// </summary>
    public async Task RecordAsync(HttpContext context, string tenant, string staff, string terminal, string reason)
    {
        if (!context.Items.TryAdd(RecordedKey, true))
        {
            return;
        }
        var source = Source(context);
        _failedSources[source] = true;
        using var _ = _limiter.AttemptAcquire(source);
        var city = tenant != SrsClaims.JointSystem && tenants.Find(tenant) is not null ? tenant : SrsClaims.JointSystem;
        var now = time.GetUtcNow().UtcDateTime;
        var function = context.Request.Path.ToString();
        while (true)
        {
            var fresh = new Tally(now, function);
            var tally = _tallies.GetOrAdd((city, source), fresh);
            if (ReferenceEquals(tally, fresh))
            {
                break;
            }
            lock (tally)
            {
                // A minute being written down takes no more counts: this failure opens the next.
                if (!tally.Closed)
                {
                    tally.Unlogged++;
                    return;
                }
            }
        }
        await queue.AppendAsync(Unverified(city), new AccessRecord(function, [], false, AuditQueries.AuthenticationFailed,
            AuditQueries.FailureDetail(source, 1, $"claimed staff {Shown(staff)}, terminal {Shown(terminal)} (unverified); {reason}")), context.RequestAborted);
    }

    /// <summary>
    /// Counts a failed sign-in of <paramref name="context"/>'s source against its limit (the
    /// sign-in writes its own access-log entry, naming the account).
    /// </summary>
    public void Count(HttpContext context)
    {
        var source = Source(context);
        _failedSources[source] = true;
        using var _ = _limiter.AttemptAcquire(source);
    }

    /// <summary>Writes the counted failures of every minute that is over (all of them when <paramref name="all"/>).</summary>
    public async Task FlushAsync(bool all, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (key, tally) in _tallies.ToArray())
        {
            if (!all && now - tally.Since < Window || !_tallies.TryRemove(key, out _))
            {
                continue;
            }
            if (!IsBlocked(key.Source))
            {
                _failedSources.TryRemove(key.Source, out _);
            }
            int count;
            lock (tally)
            {
                tally.Closed = true;
                count = tally.Unlogged;
            }
            if (count > 0)
            {
                await queue.AppendAsync(Unverified(key.Tenant), new AccessRecord(tally.Function, [], false, AuditQueries.AuthenticationFailed,
                    AuditQueries.FailureDetail(key.Source, count, $"further failures since {tally.Since:yyyy-MM-ddTHH:mm:ssZ}")), cancellationToken);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
                await FlushQuietlyAsync(all: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await FlushQuietlyAsync(all: true, CancellationToken.None);
    }

    private async Task FlushQuietlyAsync(bool all, CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(all, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, e);
        }
    }

    public override void Dispose()
    {
        _limiter.Dispose();
        base.Dispose();
    }

    /// <summary>An entry under no staff member's name.</summary>
    private static Caller Unverified(string tenant) => new(tenant, "", "", new HashSet<string>());

    private static string Shown(string claim) => claim.Length == 0 ? "-" : AccessLogWriter.Storable(claim, 64);

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Counted authentication failures could not be written to the access log")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
