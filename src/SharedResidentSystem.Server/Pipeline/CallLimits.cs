using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Pipeline;

/// <summary>
/// How many calls one staff member, one terminal and one city may have under way at once
/// (Server:ConcurrentCallsPer…): a call takes a place of each, waits in line when they are
/// taken, and is refused (RESOURCE_EXHAUSTED, TOO_MANY_CALLS) when the line is full. So one
/// caller cannot take the server from the others, and the memory of the calls under way stays
/// bounded by the city's places times the largest answer.
/// </summary>
public sealed class CallLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _staff;
    private readonly PartitionedRateLimiter<string> _terminals;
    private readonly PartitionedRateLimiter<string> _cities;

    public CallLimits(IOptions<ServerOptions> options)
    {
        var o = options.Value;
        _staff = Limiter(o.ConcurrentCallsPerStaff, o.ConcurrentCallsPerStaff);
        _terminals = Limiter(o.ConcurrentCallsPerTerminal, o.ConcurrentCallsPerTerminal);
        _cities = Limiter(o.ConcurrentCallsPerCity, 4 * o.ConcurrentCallsPerCity);
    }

    private static PartitionedRateLimiter<string> Limiter(int permits, int queue) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));

    /// <summary>Places for one call of the caller; dispose when the call is over.</summary>
    public async Task<IDisposable> EnterAsync(Caller caller, CancellationToken cancellationToken)
    {
        var leases = new List<RateLimitLease>(3);
        try
        {
            foreach (var (limiter, key) in new[]
            {
                (_staff, $"{caller.TenantCode}/{caller.StaffId}"),
                (_terminals, $"{caller.TenantCode}/{caller.TerminalId}"),
                (_cities, caller.TenantCode),
            })
            {
                var lease = await limiter.AcquireAsync(key, 1, cancellationToken);
                leases.Add(lease);
                if (!lease.IsAcquired)
                {
                    throw new DomainException(ErrorKind.ResourceExhausted, ErrorReasons.TooManyCalls,
                        "処理中の依頼が多すぎます。しばらくしてからやり直してください。");
                }
            }
            return new Leases(leases);
        }
        catch
        {
            leases.ForEach(l => l.Dispose());
            throw;
        }
    }

    public void Dispose()
    {
        _staff.Dispose();
        _terminals.Dispose();
        _cities.Dispose();
    }

    private sealed class Leases(List<RateLimitLease> leases) : IDisposable
    {
        public void Dispose() => leases.ForEach(l => l.Dispose());
    }
}
