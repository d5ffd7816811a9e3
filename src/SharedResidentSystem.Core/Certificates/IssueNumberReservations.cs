using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Certificates;

/// <summary>
/// Takes the ledger number and the copies' serials (5.5) of issuances. The register writes
/// one transaction at a time, so every transaction saved is time each other write waits
/// less: requests that arrive while a reservation is being written are numbered together
/// by the next one, one short transaction per city for all of them. Numbers are handed out
/// in the order the requests came; a number taken by a request that then fails is not
/// reused (as before: the serial is printed before the ledger entry is written).
/// </summary>
public sealed class IssueNumberReservations(IServiceScopeFactory scopes)
{
    /// <summary>What one issuance gets: its ledger number and one serial per copy.</summary>
    public sealed record Taken(long IssuanceId, IReadOnlyList<int> Serials);

    private sealed record Wanted(Caller Caller, string SerialKind, int Copies, TaskCompletionSource<Taken> Done);

    private readonly Lock _gate = new();
    private List<Wanted> _waiting = [];
    private bool _writing;

    public async Task<Taken> TakeAsync(Caller caller, string serialKind, int copies, CancellationToken cancellationToken)
    {
        var wanted = new Wanted(caller, serialKind, copies, new TaskCompletionSource<Taken>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_gate)
        {
            _waiting.Add(wanted);
            start = !_writing;
            _writing = true;
        }
        if (start)
        {
            _ = Task.Run(WriteAsync, CancellationToken.None);
        }
        return await wanted.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes reservations until nobody waits; each round takes everyone who came meanwhile.</summary>
    private async Task WriteAsync()
    {
        while (true)
        {
            List<Wanted> round;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    return;
                }
                round = _waiting;
                _waiting = [];
            }
            foreach (var city in round.GroupBy(w => w.Caller.TenantCode))
            {
                var wanted = city.ToList();
                try
                {
                    var taken = await ReserveAsync(wanted);
                    for (var i = 0; i < wanted.Count; i++)
                    {
                        wanted[i].Done.TrySetResult(taken[i]);
                    }
                }
                catch (Exception e)
                {
                    foreach (var w in wanted)
                    {
                        w.Done.TrySetException(e);
                    }
                }
            }
        }
    }

    /// <summary>One transaction for one city's waiting requests, in their order.</summary>
    private async Task<IReadOnlyList<Taken>> ReserveAsync(IReadOnlyList<Wanted> wanted)
    {
        await using var scope = scopes.CreateAsyncScope();
        var tenant = wanted[0].Caller.TenantCode;
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(wanted[0].Caller);
        var transaction = scope.ServiceProvider.GetRequiredService<RegisterTransaction>();
        var numbers = scope.ServiceProvider.GetRequiredService<NumberIssuer>();
        return await transaction.RunAsync(async ct =>
        {
            var kinds = wanted.Select(w => w.SerialKind).Append(NumberKinds.Issuance).Distinct().ToList();
            // Every sequence in one read; the issuer then finds them among the tracked entities.
            await transaction.Db.NumberSequences.Where(s => kinds.Contains(s.Kind)).LoadAsync(ct);
            var taken = new List<Taken>();
            foreach (var w in wanted)
            {
                var id = await numbers.NextAsync(tenant, NumberKinds.Issuance, ct);
                var serials = new List<int>();
                for (var copy = 0; copy < w.Copies; copy++)
                {
                    serials.Add((int)await numbers.NextAsync(tenant, w.SerialKind, ct));
                }
                taken.Add(new Taken(id, serials));
            }
            return taken;
        }, CancellationToken.None);
    }
}
