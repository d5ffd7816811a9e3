using Google.Protobuf;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Pipeline;

/// <summary>
/// How an answer is kept for a repeat of its request, for the one write that needs it
/// (registered as a keyed service under the method's path): what the stored copy leaves out
/// (documents the ledger keeps anyway) and how a repeat gets it back.
/// </summary>
public interface IStoredAnswer
{
    IMessage Keep(IMessage answer);

    Task<IMessage> RestoreAsync(IMessage kept, CancellationToken cancellationToken);
}

/// <summary>A staged write waiting for its service's commit step.</summary>
internal sealed record StagedWrite(DeclaredCall Call, IMessage Request, string RequestId, IStoredAnswer? Stored);

/// <summary>
/// What the service of a call tells the pipeline (one per call): what it touched beyond
/// the residents its request and answer name (<see cref="Answer{T}"/>); and, for a staged
/// write, its commit step (<see cref="CommitAsync{T}"/>), which runs the work with the
/// request_id's record and the access-log entry in one transaction, in the caller's city or
/// (for an operator acting on a city) in that city.
/// </summary>
public sealed class CallRecord(IServiceProvider services, IServiceScopeFactory scopes, CallerContext callers)
{
    public Touched Touched { get; private set; } = Touched.Nothing;

    /// <summary>The service has given its answer (a bulk stream's outcome is logged before it leaves).</summary>
    internal bool Answered { get; private set; }

    internal StagedWrite? Staged { get; set; }

    /// <summary>The commit step has begun: a refusal from now on is logged by it.</summary>
    internal bool CommitStarted { get; private set; }

    internal bool Committed { get; private set; }

    /// <summary>The answer, with what the call touched for its access-log entry.</summary>
    public T Answer<T>(T response, Touched touched)
    {
        Touched = touched;
        Answered = true;
        return response;
    }

    /// <summary>
    /// The commit step of a staged write: <paramref name="work"/> runs in a transaction with the
    /// request_id's record and the access-log entry (the call's policy says which call this is).
    /// <paramref name="tenant"/>: the city the work belongs to when it is not the caller's own
    /// (an operator of the joint system changing a city); the work gets that city's services.
    /// </summary>
    public async Task<T> CommitAsync<T>(Func<IServiceProvider, CancellationToken, Task<T>> work, CancellationToken cancellationToken, string? tenant = null)
        where T : IMessage
    {
        var staged = Staged ?? throw new InvalidOperationException("CommitAsync belongs to a staged write (policy staged: true).");
        CommitStarted = true;
        var caller = callers.Required;
        using var scope = tenant is null || tenant == caller.TenantCode ? null : scopes.CreateScope();
        var provider = services;
        if (scope is not null)
        {
            var inCity = scope.ServiceProvider.GetRequiredService<CallerContext>();
            inCity.Set(caller with { TenantCode = tenant! });
            inCity.Requested = callers.Requested;
            provider = scope.ServiceProvider;
        }
        var audited = provider.GetRequiredService<AuditedCalls>();
        var answer = await audited.WriteAsync(staged.Call.Path, staged.Request, staged.RequestId, staged.Call.Method.OutputType.Parser, async ct =>
        {
            IMessage response = await work(provider, ct);
            return (response, CallPipeline.Complete(Touched, response, staged.Call));
        }, staged.Stored, cancellationToken);
        Committed = true;
        return (T)answer;
    }
}
