using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;

namespace SharedResidentSystem.Server.Errors;

/// <summary>
/// Maps every failure to a google.rpc.Status: domain refusals with ErrorInfo (stable reason)
/// and BadRequest field violations (proto paths, Japanese messages); anything unexpected
/// becomes INTERNAL with no detail, after it is logged.
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
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
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

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
            default:
                LogUnexpected(logger, exception, context.Method);
                return new Google.Rpc.Status
                {
                    Code = (int)Code.Internal,
                    Message = "システムエラーが発生しました。管理者に連絡してください。",
                    Details = { Any.Pack(new ErrorInfo { Reason = ErrorReasons.Internal, Domain = ErrorReasons.Domain }) },
                }.ToRpcException();
        }
    }

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
                _ => Code.Unknown,
            }),
            Message = domain.Message,
            Details =
            {
                Any.Pack(new ErrorInfo { Reason = domain.Reason, Domain = ErrorReasons.Domain }),
                Any.Pack(new LocalizedMessage { Locale = "ja-JP", Message = domain.Message }),
            },
        };
        if (domain is AlertException alert)
        {
            // 11.1: an alert is a precondition the clerk acknowledges by resending its code.
            var failure = new PreconditionFailure();
            failure.Violations.AddRange(alert.Alerts.Select(a => new PreconditionFailure.Types.Violation { Type = "ALERT", Subject = a.Code, Description = a.Message }));
            status.Details.Add(Any.Pack(failure));
            var info = status.Details[0].Unpack<ErrorInfo>();
            info.Metadata["alerts"] = string.Join(',', alert.Alerts.Select(a => a.Code));
            status.Details[0] = Any.Pack(info);
        }
        if (domain.Violations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(domain.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }
        return status.ToRpcException();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
