using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Errors;

/// <summary>
/// Maps every failure to a google.rpc.Status: domain refusals with ErrorInfo (stable reason)
/// and BadRequest field violations (proto paths, Japanese messages); a database that cannot be
/// reached or does not answer in time becomes UNAVAILABLE with RetryInfo, so a terminal
/// retries; anything else unexpected becomes INTERNAL with only a correlation id, after it is
/// logged under that id. Every answer is bounded whatever the request held: the message and
/// each violation are cut short, at most <see cref="MaxViolations"/> violations are listed
/// (ErrorInfo says how many there were), so the trailers stay far within HTTP/2's limits.
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger, IStorageProvider storage) : Interceptor
{
    public const int MaxViolations = 20;
    public const int MaxMessageLength = 200;
    public const int MaxFieldLength = 120;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var scope = RequestScope(request);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var scope = RequestScope(request);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <summary>
    /// Every line logged while a call runs names its request_id (a write's, or a read's that
    /// carries one), beside the trace id the logging adds; nothing else of the request.
    /// </summary>
    private IDisposable? RequestScope<TRequest>(TRequest request) =>
        request is Google.Protobuf.IMessage message && message.Descriptor.FindFieldByName("request_id") is { FieldType: Google.Protobuf.Reflection.FieldType.String } field
            && field.Accessor.GetValue(message) is string { Length: > 0 } id
            ? logger.BeginScope(new KeyValuePair<string, object>[] { new("request_id", id.Length > 64 ? id[..64] : id) })
            : null;

    private RpcException Map(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case DomainException domain:
                return ToRpcException(domain);
            case DbUpdateConcurrencyException:
                return ToRpcException(new DomainException(ErrorKind.Aborted, ErrorReasons.ConcurrentChange,
                    "ほかの処理と同時に更新されました。読み直してからやり直してください。"));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "取り消されました。"));
            case var _ when storage.IsTransient(exception) || IsTimeout(exception):
                var unavailable = WithheldException.Of(exception);
                var call = context.GetHttpContext().TraceIdentifier;
                LogUnavailable(logger, unavailable, context.Method);
                LogInFull(logger, exception, call);
                return new Google.Rpc.Status
                {
                    Code = (int)Code.Unavailable,
                    Message = "データベースに接続できません。しばらくしてからやり直してください。",
                    Details =
                    {
                        Any.Pack(new ErrorInfo { Reason = ErrorReasons.StorageUnavailable, Domain = ErrorReasons.Domain }),
                        Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) }),
                    },
                }.ToRpcException();
            default:
                var correlation = context.GetHttpContext().TraceIdentifier;
                var withheld = WithheldException.Of(exception);
                LogUnexpected(logger, withheld, context.Method, correlation);
                LogInFull(logger, exception, correlation);
                return new Google.Rpc.Status
                {
                    Code = (int)Code.Internal,
                    Message = $"システムエラーが発生しました。管理者に連絡してください (照会番号 {correlation})。",
                    Details = { Any.Pack(new ErrorInfo { Reason = ErrorReasons.Internal, Domain = ErrorReasons.Domain, Metadata = { ["correlation_id"] = correlation } }) },
                }.ToRpcException();
        }
    }

    /// <summary>A wait for the database that ran out (a timeout anywhere in the chain).</summary>
    private static bool IsTimeout(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }
        return false;
    }

    private static string Bounded(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    public static RpcException ToRpcException(DomainException domain)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)(domain.Kind switch
            {
                ErrorKind.InvalidArgument => Code.InvalidArgument,
                ErrorKind.FailedPrecondition => Code.FailedPrecondition,
                ErrorKind.NotFound => Code.NotFound,
                ErrorKind.Aborted => Code.Aborted,
                ErrorKind.AlreadyExists => Code.AlreadyExists,
                ErrorKind.PermissionDenied => Code.PermissionDenied,
                ErrorKind.Unauthenticated => Code.Unauthenticated,
                ErrorKind.ResourceExhausted => Code.ResourceExhausted,
                _ => Code.Unknown,
            }),
            Message = Bounded(domain.Message, MaxMessageLength),
            Details =
            {
                Any.Pack(new ErrorInfo { Reason = domain.Reason, Domain = ErrorReasons.Domain }),
                Any.Pack(new LocalizedMessage { Locale = "ja-JP", Message = Bounded(domain.Message, MaxMessageLength) }),
            },
        };
        if (domain is AlertException alert)
        {
            // 11.1: an alert is a precondition the clerk acknowledges by resending its code.
            var failure = new PreconditionFailure();
            failure.Violations.AddRange(alert.Alerts.Take(MaxViolations).Select(a => new PreconditionFailure.Types.Violation
            {
                Type = "ALERT", Subject = a.Code, Description = Bounded(a.Message, MaxMessageLength),
            }));
            status.Details.Add(Any.Pack(failure));
            var info = status.Details[0].Unpack<ErrorInfo>();
            info.Metadata["alerts"] = string.Join(',', alert.Alerts.Select(a => a.Code).Distinct());
            status.Details[0] = Any.Pack(info);
        }
        if (domain.Violations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(domain.Violations.Take(MaxViolations).Select(v => new BadRequest.Types.FieldViolation
            {
                Field = Bounded(v.Field, MaxFieldLength), Description = Bounded(v.Description, MaxMessageLength),
            }));
            status.Details.Add(Any.Pack(badRequest));
            if (domain.Violations.Count > MaxViolations)
            {
                // The first ones are listed; how many there were in all is said once.
                var info = status.Details[0].Unpack<ErrorInfo>();
                info.Metadata["violations"] = domain.Violations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                status.Details[0] = Any.Pack(info);
            }
        }
        return status.ToRpcException();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected failure in {Method} (correlation id {CorrelationId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string correlationId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Database unavailable in {Method}")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "The failure in full (correlation id {CorrelationId})")]
    private static partial void LogInFull(ILogger logger, Exception exception, string correlationId);
}
