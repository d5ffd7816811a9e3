using Grpc.Core;
using Grpc.Core.Interceptors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Security;

/// <summary>
/// Puts the verified caller (from the bearer token only) into the request scope, so every
/// query is filtered to that caller's city. A token for a city this system does not serve
/// is refused.
/// </summary>
public sealed class CallerInterceptor(CallerContext callerContext, TenantDirectory tenants) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Attach(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Attach(context);
        return continuation(request, responseStream, context);
    }

    private void Attach(ServerCallContext context)
    {
        var caller = HostingExtensions.ToCaller(context.GetHttpContext().User);
        if (caller is null)
        {
            return;
        }
        if (tenants.Find(caller.TenantCode) is null)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "この団体はこのシステムの利用団体ではありません。"));
        }
        callerContext.Set(caller);
    }
}
