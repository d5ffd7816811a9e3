using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Security;

namespace SharedResidentSystem.Server.Pipeline;

/// <summary>
/// The one path of every call, applying the policy its proto declares (<see cref="CallPolicies"/>):
/// the caller from the bearer token only (no token: UNAUTHENTICATED); a city this system serves;
/// the declared roles, an operator of the joint system only where declared, the city's access
/// table (10.3) and its hidden items (10.4) — each refusal with its ErrorInfo reason and an
/// access-log entry. Then a read runs and its entry is durable before the answer leaves; a
/// write runs once per request_id in one transaction with its request_id record and its entry
/// (a repeat gets the first answer); a refusal is logged in a transaction of its own. The entry
/// names every resident the request names, the answer's declared fields name, and the service
/// adds. Hidden items are cleared from every answer. Every admitted call holds a place among
/// the calls under way of its staff member, terminal and city (<see cref="CallLimits"/>).
/// </summary>
public sealed class CallPipeline(CallPolicies policies, CallerContext callerContext, CallRecord record, TenantDirectory tenants, AccessControl access,
    BatchedAccessLog queue, AuditedCalls audited, AuthenticationFailures failures, CallLimits limits, IServiceProvider services) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var call = Declared(context.Method);
        if (call is null || call.Policy.Kind == CallKind.Public)
        {
            CheckUnlogged(context, request);
            return await continuation(request, context);
        }
        var message = (IMessage)request;
        var ct = context.CancellationToken;
        using var place = await AdmitAsync(call, message, context);
        IMessage answer;
        if (call.Policy.Kind == CallKind.Read)
        {
            answer = await audited.ReadAsync(call.Path, async _ =>
            {
                IMessage response = (IMessage)(await continuation(request, context))!;
                return (response, Complete(record.Touched, response, call));
            }, ct);
        }
        else if (call.Policy.Staged)
        {
            answer = await StagedAsync(call, message, async () => (await continuation(request, context))!, ct);
        }
        else
        {
            answer = await audited.WriteAsync(call.Path, message, RequestId(call, message), call.Method.OutputType.Parser, async _ =>
            {
                IMessage response = (IMessage)(await continuation(request, context))!;
                return (response, Complete(record.Touched, response, call));
            }, Stored(call), ct);
        }
        access.Redact(answer);
        return (TResponse)answer;
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var call = Declared(context.Method);
        if (call is null || call.Policy.Kind == CallKind.Public)
        {
            CheckUnlogged(context, request);
            await continuation(request, responseStream, context);
            return;
        }
        // A stream is a read or bulk work (writes cannot stream, CallPolicies.Check). Bulk work's
        // entry is durable before it starts, and a second one saying what it did before the
        // message that carries its answer (or, with none, before the call ends). A read's one
        // entry is durable before its first message leaves, naming what the service said it
        // touched by then (an extraction names its persons before any row leaves).
        using var place = await AdmitAsync(call, (IMessage)request, context);
        var bulk = call.Policy.Kind == CallKind.Bulk;
        if (bulk)
        {
            await audited.ReadAsync(call.Path, _ => Task.FromResult((true, new Touched([], Detail: "started"))), context.CancellationToken);
        }
        var outcomeLogged = false;
        async Task LogOutcomeAsync()
        {
            if (!outcomeLogged)
            {
                outcomeLogged = true;
                var touched = record.Answered || bulk ? record.Touched : new Touched([], Detail: "stream");
                await audited.ReadAsync(call.Path, _ => Task.FromResult((true, touched)), CancellationToken.None);
            }
        }
        try
        {
            await continuation(request, new AnswerFirst<TResponse>(responseStream, () => record.Answered || !bulk ? LogOutcomeAsync() : Task.CompletedTask), context);
            await LogOutcomeAsync();
        }
        catch (DomainException refusal)
        {
            await audited.LogRefusalAsync(call.Path, refusal, context.CancellationToken);
            throw;
        }
        catch (Exception failure) when (AuditedCalls.IsFault(failure))
        {
            await audited.LogFailureAsync(call.Path, failure);
            throw;
        }
    }

    /// <summary>A stream that runs <paramref name="before"/> ahead of each message it writes.</summary>
    private sealed class AnswerFirst<T>(IServerStreamWriter<T> inner, Func<Task> before) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public async Task WriteAsync(T message)
        {
            await before();
            await inner.WriteAsync(message);
        }

        public async Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            await before();
            await inner.WriteAsync(message, cancellationToken);
        }
    }

    /// <summary>The entry's residents: what the service said, and the residents the answer's declared fields name.</summary>
    internal static Touched Complete(Touched touched, IMessage answer, DeclaredCall call)
    {
        if (call.Policy.AnswerResidents.Count == 0)
        {
            return touched;
        }
        var named = new List<string>(touched.Targets);
        foreach (var path in call.Policy.AnswerResidents)
        {
            Collect(answer, path.Split('.'), 0, named);
        }
        return touched with { Targets = named };
    }

    private static void Collect(IMessage message, string[] path, int depth, List<string> found)
    {
        var field = message.Descriptor.FindFieldByName(path[depth]);
        var value = field.Accessor.GetValue(message);
        IEnumerable<object> values = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<object>() : value is null ? [] : [value];
        foreach (var item in values)
        {
            if (depth == path.Length - 1)
            {
                if (item is string text && RequestedResidents.NumberIn(text) is { Length: > 0 } number)
                {
                    found.Add(number);
                }
            }
            else if (item is IMessage nested)
            {
                Collect(nested, path, depth + 1, found);
            }
        }
    }

    private DeclaredCall? Declared(string path) =>
        policies.Find(path) ?? (CallPolicies.IsLibraryMethod(path)
            ? null
            : throw new RpcException(new Status(StatusCode.Unimplemented, "この操作はありません。")));

    /// <summary>A call that is not logged (open to anyone, or the library's health and reflection) still meets the request's limits.</summary>
    private static void CheckUnlogged(ServerCallContext context, object? request)
    {
        if (MalformedRequests.Of(context.GetHttpContext()) is not null)
        {
            throw Malformed();
        }
        if (request is IMessage message)
        {
            RequestLimits.Check(message);
        }
    }

    private static DomainException Malformed() =>
        new(ErrorKind.InvalidArgument, ErrorReasons.MalformedRequest, "リクエストを読み取れません (壊れたメッセージか、別の型のメッセージです)。");

    /// <summary>
    /// Who calls, whether they may, and what the request may ask; every refusal is logged where
    /// there is a city to log it in. A request that did not parse or is beyond its limits is
    /// refused before anything else is asked of it.
    /// </summary>
    private async Task<IDisposable> AdmitAsync(DeclaredCall call, IMessage request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var malformed = MalformedRequests.Of(http) is not null;
        callerContext.Requested = malformed ? [] : RequestedResidents.Of(request);
        var caller = HostingExtensions.ToCaller(http.User);
        if (caller is null)
        {
            // No token, or a verified one without city or staff (a token that did not verify was recorded when it was rejected).
            var claimed = http.User.Identity?.IsAuthenticated == true ? "a token without city or staff" : "no token";
            await failures.RecordAsync(http, http.User.FindFirst(SrsClaims.Tenant)?.Value ?? "", http.User.FindFirst(SrsClaims.Staff)?.Value ?? "", "", claimed);
            throw new DomainException(ErrorKind.Unauthenticated, ErrorReasons.Unauthenticated, "サインインしてください (トークンがないか、有効ではありません)。");
        }
        TenantDefinition? tenant = null;
        if (!caller.IsJointOperator)
        {
            tenant = tenants.Find(caller.TenantCode);
            if (tenant is null)
            {
                // A city this system does not serve has no log of its own: the joint system's log keeps it.
                await failures.RecordAsync(http, caller.TenantCode, caller.StaffId, caller.TerminalId, ErrorReasons.TenantNotMember);
                throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.TenantNotMember, "この団体はこのシステムの利用団体ではありません。");
            }
        }
        callerContext.Set(caller);
        try
        {
            if (malformed)
            {
                throw Malformed();
            }
            RequestLimits.Check(request);
            if (caller.IsJointOperator && !call.Policy.JointOperator)
            {
                throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.FunctionNotPermitted,
                    "共同利用システムの運用者は団体の設定管理だけを行えます。住民記録の操作は団体の職員の資格で行ってください。");
            }
            if (!call.Policy.Roles.Any(caller.IsInRole))
            {
                throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.RoleNotPermitted,
                    $"この操作はあなたの役割では行えません ({string.Join("・", call.Policy.Roles.Select(RoleName))}の操作です)。");
            }
            if (tenant is not null)
            {
                access.Check(caller, tenant, call.Policy.Function);
            }
            access.CheckRequest(request);
            // A place among the calls under way of this staff member, terminal and city.
            return await limits.EnterAsync(caller, context.CancellationToken);
        }
        catch (DomainException refusal)
        {
            await queue.AppendAsync(caller, new AccessRecord(call.Path, callerContext.Requested, false, refusal.Reason, refusal.Message), context.CancellationToken);
            throw;
        }
    }

    private static string RoleName(string role) => role switch
    {
        Roles.Clerk => "窓口職員",
        Roles.Supervisor => "審査・決裁者",
        Roles.Operator => "運用者",
        Roles.Auditor => "監査担当",
        _ => role,
    };

    /// <summary>
    /// A staged write: a repeat is answered from its record before the service does anything;
    /// otherwise the service prepares outside any transaction and commits through <see cref="CallRecord.CommitAsync{T}"/>.
    /// </summary>
    private async Task<IMessage> StagedAsync(DeclaredCall call, IMessage request, Func<Task<object>> service, CancellationToken ct)
    {
        var requestId = RequestId(call, request);
        var stored = Stored(call);
        if (!AuditedCalls.IsUsableRequestId(requestId) || await audited.IsAnsweredAsync(requestId, ct))
        {
            // Refused for its id, or answered before: the first answer, nothing redone.
            return await audited.WriteAsync(call.Path, request, requestId, call.Method.OutputType.Parser,
                _ => throw new InvalidOperationException("An answered request is replayed, never redone."), stored, ct);
        }
        record.Staged = new StagedWrite(call, request, requestId, stored);
        try
        {
            var answer = (IMessage)await service();
            return record.Committed ? answer : throw new InvalidOperationException($"{call.Path} is staged but its service did not commit.");
        }
        catch (DomainException refusal) when (!record.CommitStarted)
        {
            await audited.LogRefusalAsync(call.Path, refusal, ct);
            throw;
        }
        catch (Exception failure) when (!record.CommitStarted && AuditedCalls.IsFault(failure))
        {
            await audited.LogFailureAsync(call.Path, failure);
            throw;
        }
    }

    private static string RequestId(DeclaredCall call, IMessage request) =>
        (string)call.RequestIdField!.Accessor.GetValue(request);

    private IStoredAnswer? Stored(DeclaredCall call) => services.GetKeyedService<IStoredAnswer>(call.Path);
}
