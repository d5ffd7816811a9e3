using Grpc.Core;

namespace SharedResidentSystem.Client;

/// <summary>What kind of problem stopped a call.</summary>
public enum ProblemKind
{
    /// <summary>The server refused the request (errors, 11.1): nothing was recorded; correct the fields named.</summary>
    Refused,

    /// <summary>Only alerts (11.1) stopped it: show them, and send again with them acknowledged.</summary>
    AlertsToAcknowledge,

    /// <summary>The token is missing, expired or not accepted: sign in again.</summary>
    SignInRequired,

    /// <summary>The role or the city's access table does not allow this function.</summary>
    NotPermitted,

    /// <summary>The server could not be reached after every retry, or the circuit is open.</summary>
    Unavailable,
}

/// <summary>A field the server found at fault: its proto path, a Japanese label for the clerk, and why.</summary>
public sealed record FieldError(string Field, string Label, string Description);

/// <summary>An alert (11.1): a stable code and what to look at.</summary>
public sealed record RaisedAlert(string Code, string Message);

/// <summary>Why a call did not do what it was asked, with everything the clerk needs to act on it.</summary>
public sealed record CallProblem(
    ProblemKind Kind,
    StatusCode Status,
    string Reason,
    string Message,
    IReadOnlyList<FieldError> Fields,
    IReadOnlyList<RaisedAlert> Alerts)
{
    /// <summary>The request_id the request carried (the same on every retry), when it had one.</summary>
    public string RequestId { get; init; } = "";

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; init; } = 1;
}

/// <summary>The answer of a call, or the problem that stopped it. Never both.</summary>
public sealed class CallResult<T>
    where T : class
{
    internal CallResult(T? value, CallProblem? problem, string requestId, int attempts)
    {
        Value = value;
        Problem = problem;
        RequestId = requestId;
        Attempts = attempts;
    }

    public T? Value { get; }

    public CallProblem? Problem { get; }

    public bool Succeeded => Problem is null;

    /// <summary>The request_id sent (the same on every attempt); empty for reads.</summary>
    public string RequestId { get; }

    /// <summary>How many attempts the call took (1 when the first was answered).</summary>
    public int Attempts { get; }

    /// <summary>The value; throws <see cref="CallProblemException"/> when the call did not succeed.</summary>
    public T Required => Value ?? throw new CallProblemException(Problem!);
}

/// <summary>Raised by <see cref="CallResult{T}.Required"/> for callers that prefer exceptions.</summary>
public sealed class CallProblemException(CallProblem problem) : Exception(problem.Message)
{
    public CallProblem Problem { get; } = problem;
}

/// <summary>Makes <see cref="CallResult{T}"/> values.</summary>
public static class CallResult
{
    public static CallResult<T> Ok<T>(T value, string requestId, int attempts)
        where T : class => new(value, null, requestId, attempts);

    public static CallResult<T> Failed<T>(CallProblem problem)
        where T : class => new(null, problem, problem.RequestId, problem.Attempts);
}
