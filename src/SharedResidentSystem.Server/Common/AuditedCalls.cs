using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Common;

/// <summary>Outcomes of the access log besides refusal reasons.</summary>
public static class AccessLogOutcome
{
    public const string Ok = AccessLogWriter.Ok;

    /// <summary>The call failed inside the server (INTERNAL to the caller); the detail names the fault's type.</summary>
    public const string Failed = "FAILED";
}

/// <summary>What a call touched, for its access-log entry.</summary>
public sealed record Touched(IReadOnlyCollection<string> Targets, bool IndividualNumber = false, string Detail = "", string Outcome = AccessLogOutcome.Ok)
{
    public static readonly Touched Nothing = new([]);

    /// <summary>The residents a 異動 wrote; 個人番号 counts as touched when a new record carries one.</summary>
    public static Touched Of(Core.Registration.IdouResult result) =>
        new(result.Persons.Select(p => p.ResidentNumber).ToList(), result.Persons.Any(p => p.IndividualNumber.Length > 0 && p.HistoryNumber == 1));
}

/// <summary>
/// Runs reads and writes with their access-log entries: a write, its idempotency record and
/// its entry commit in one transaction; a read's entry is committed before the answer
/// leaves. A refusal is logged too, in a transaction of its own (the refused change is not).
/// </summary>
public sealed class AuditedCalls(RegisterTransaction transaction, CallerContext callers, AccessLogWriter log, BatchedAccessLog queue, IStorageProvider storage, TimeProvider time)
{
    public const int MaxRequestIdLength = 64;

    public async Task<T> ReadAsync<T>(string function, Func<CancellationToken, Task<(T Result, Touched Touched)>> read, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        (T Result, Touched Touched) outcome;
        try
        {
            outcome = await read(cancellationToken);
        }
        catch (DomainException refusal)
        {
            await LogRefusalAsync(caller, function, refusal, cancellationToken);
            throw;
        }
        catch (Exception failure) when (IsFault(failure))
        {
            await LogFailureAsync(caller, function, failure);
            throw;
        }
        await queue.AppendAsync(caller, new AccessRecord(function, Concerned(outcome.Touched.Targets), outcome.Touched.IndividualNumber, outcome.Touched.Outcome, outcome.Touched.Detail), cancellationToken);
        return outcome.Result;
    }

    /// <summary>A request id a write can be kept under: 1 to 64 characters, not blank.</summary>
    public static bool IsUsableRequestId(string requestId) => !string.IsNullOrWhiteSpace(requestId) && requestId.Length <= MaxRequestIdLength;

    /// <summary>
    /// Runs <paramref name="work"/> once per request id: a repeat of the same request returns
    /// the stored first response; the same id with a different request is refused.
    /// <paramref name="stored"/> says how the answer is kept for a repeat, when not whole.
    /// </summary>
    public async Task<IMessage> WriteAsync(string function, IMessage request, string requestId, MessageParser parser,
        Func<CancellationToken, Task<(IMessage Response, Touched Touched)>> work, Pipeline.IStoredAnswer? stored, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        if (!IsUsableRequestId(requestId))
        {
            var refusal = DomainException.Invalid(ErrorReasons.RequestIdRequired, "request_id",
                $"request_id (1〜{MaxRequestIdLength}文字、再送しても同じ値) を指定してください。");
            await LogRefusalAsync(caller, function, refusal, cancellationToken);
            throw refusal;
        }
        var requestHash = Convert.ToHexString(SHA256.HashData(request.ToByteArray()));
        try
        {
            return await transaction.RunAsync(async ct =>
            {
                var db = transaction.Db;
                // Another instance may be running the same request: the first decides, this one waits for it.
                await storage.LockRequestAsync(db, caller.TenantCode, requestId, ct);
                var earlier = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.RequestId == requestId, ct);
                if (earlier is not null)
                {
                    if (earlier.Method != function || earlier.RequestHash != requestHash)
                    {
                        throw new DomainException(ErrorKind.AlreadyExists, ErrorReasons.RequestIdReused,
                            "この request_id は別の依頼に使われています。新しい request_id で送ってください。",
                            [new FieldViolation("request_id", "別の依頼で使用済みです。")]);
                    }
                    await log.AppendAsync(caller, new AccessRecord(function, Concerned([]), false, AccessLogWriter.Ok, $"replay of {requestId}"), ct);
                    var first = parser.ParseFrom(earlier.Response);
                    return stored is null ? first : await stored.RestoreAsync(first, ct);
                }
                var (response, touched) = await work(ct);
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    TenantCode = caller.TenantCode,
                    RequestId = requestId,
                    Method = function,
                    RequestHash = requestHash,
                    Response = (stored is null ? response : stored.Keep(parser.ParseFrom(response.ToByteString()))).ToByteArray(),
                    RecordedAt = time.GetUtcNow().UtcDateTime,
                });
                await log.AppendAsync(caller, new AccessRecord(function, Concerned(touched.Targets), touched.IndividualNumber, AccessLogWriter.Ok,
                    touched.Detail.Length == 0 ? requestId : $"{requestId}: {touched.Detail}"), ct);
                return response;
            }, cancellationToken);
        }
        catch (DomainException refusal)
        {
            await LogRefusalAsync(caller, function, refusal, cancellationToken);
            throw;
        }
        catch (Exception failure) when (IsFault(failure))
        {
            await LogFailureAsync(caller, function, failure);
            throw;
        }
    }

    /// <summary>A fault of the server, not a refusal and not the caller going away.</summary>
    public static bool IsFault(Exception e) => e is not (DomainException or OperationCanceledException or Grpc.Core.RpcException);

    /// <summary>
    /// Logs a call that failed inside the server, in a transaction of its own. When the database
    /// itself is unreachable nothing can be written: the server's log has the failure.
    /// </summary>
    public Task LogFailureAsync(string function, Exception failure) => LogFailureAsync(callers.Required, function, failure);

    private async Task LogFailureAsync(Caller caller, string function, Exception failure)
    {
        if (storage.IsTransient(failure))
        {
            return;
        }
        try
        {
            await queue.AppendAsync(caller, new AccessRecord(function, Concerned([]), false, AccessLogOutcome.Failed, failure.GetType().Name), CancellationToken.None);
        }
        catch (Exception)
        {
            // The log itself failing is in the server's log (BatchedAccessLog); the caller gets the first failure.
        }
    }

    /// <summary>Whether a mutating request with this id has been answered already (its repeat needs no new work).</summary>
    public Task<bool> IsAnsweredAsync(string requestId, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(requestId)
            ? Task.FromResult(false)
            : transaction.Db.IdempotencyRecords.AsNoTracking().AnyAsync(r => r.RequestId == requestId, cancellationToken);

    /// <summary>Logs a refusal decided outside <see cref="ReadAsync"/> and <see cref="WriteAsync"/>.</summary>
    public Task LogRefusalAsync(string function, DomainException refusal, CancellationToken cancellationToken) =>
        LogRefusalAsync(callers.Required, function, refusal, cancellationToken);

    private Task LogRefusalAsync(Caller caller, string function, DomainException refusal, CancellationToken cancellationToken) =>
        queue.AppendAsync(caller, new AccessRecord(function, Concerned(refusal.Residents), false, refusal.Reason, refusal.Message), cancellationToken);

    /// <summary>Every resident an entry concerns: those the request named, and those the call answered with or refused.</summary>
    private List<string> Concerned(IEnumerable<string> touched) =>
        callers.Requested.Concat(touched).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
}
