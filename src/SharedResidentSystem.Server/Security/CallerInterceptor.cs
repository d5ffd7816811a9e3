using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Security;

/// <summary>
/// Puts the verified caller (from the bearer token only) into the request scope, so every
/// query is filtered to that caller's city; refuses a token for a city this system does not
/// serve; applies the city's access table (10.3-10.4) and hides the items it hides. An
/// operator of the joint system (tenant "*") reaches the tenant administration only.
/// </summary>
public sealed class CallerInterceptor(CallerContext callerContext, TenantDirectory tenants, AccessControl access, AccessLogQueue queue) : Interceptor
{
    private const string AdminService = "/srs.tenancy.v1.TenantAdminService/";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        callerContext.Requested = RequestedResidents.Of(request);
        await AttachAsync(context);
        if (request is IMessage asked)
        {
            try
            {
                access.CheckRequest(asked);
            }
            catch (DomainException refusal)
            {
                await queue.AppendAsync(callerContext.Required, new AccessRecord(context.Method, callerContext.Requested, false, refusal.Reason, refusal.Message), context.CancellationToken);
                throw;
            }
        }
        var response = await continuation(request, context);
        if (response is IMessage message)
        {
            access.Redact(message);
        }
        return response;
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        callerContext.Requested = RequestedResidents.Of(request);
        await AttachAsync(context);
        await continuation(request, responseStream, context);
    }

    private async Task AttachAsync(ServerCallContext context)
    {
        var caller = HostingExtensions.ToCaller(context.GetHttpContext().User);
        if (caller is null)
        {
            return;
        }
        if (caller.IsJointOperator)
        {
            if (!caller.IsInRole(Roles.Operator) || !context.Method.StartsWith(AdminService, StringComparison.Ordinal))
            {
                throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.FunctionNotPermitted,
                    "共同利用システムの運用者は団体の設定管理だけを行えます。住民記録の操作は団体の職員の資格で行ってください。");
            }
            callerContext.Set(caller);
            return;
        }
        var tenant = tenants.Find(caller.TenantCode)
            ?? throw new RpcException(new Status(StatusCode.PermissionDenied, "この団体はこのシステムの利用団体ではありません。"));
        callerContext.Set(caller);
        try
        {
            access.Check(caller, tenant, context.Method);
        }
        catch (DomainException refusal)
        {
            await queue.AppendAsync(caller, new AccessRecord(context.Method, callerContext.Requested, false, refusal.Reason, refusal.Message), context.CancellationToken);
            throw;
        }
    }
}
