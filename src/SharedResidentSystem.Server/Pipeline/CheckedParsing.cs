using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace SharedResidentSystem.Server.Pipeline;

/// <summary>
/// Binds every gRPC service of this server (ours, health, reflection) with one difference from
/// the library's own binding: a request message that does not parse (truncated, wrong wire
/// type, invalid UTF-8 …) does not fail inside the library as UNKNOWN. Its method receives an
/// empty message instead, and the call is marked; <see cref="CallPipeline"/> then refuses it as
/// INVALID_ARGUMENT (MALFORMED_REQUEST) like any other refusal, logged where there is a city.
/// </summary>
public sealed class CheckedParsingMethodProvider<TService>(IHttpContextAccessor http) : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bind = BindMethod(typeof(TService));
        if (bind is null)
        {
            return;
        }
        var binder = new CheckedBinder<TService>(context, bind.GetParameters()[1].ParameterType, http);
        bind.Invoke(null, [binder, null]);
    }

    /// <summary>The generated static BindService(ServiceBinderBase, TServiceBase) named by the service's attribute.</summary>
    private static MethodInfo? BindMethod(Type service)
    {
        for (var type = service; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>() is { } attribute)
            {
                return attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, null, [typeof(ServiceBinderBase), type], null);
            }
        }
        return null;
    }
}

/// <summary>Whether this call's request failed to parse.</summary>
public static class MalformedRequests
{
    private const string Key = "srs.malformed-request";

    public static void Mark(HttpContext? context, Exception failure)
    {
        if (context is not null)
        {
            context.Items[Key] = failure.GetType().Name;
        }
    }

    /// <summary>The kind of parse failure, or null when the request parsed.</summary>
    public static string? Of(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as string : null;
}

internal sealed class CheckedBinder<TService>(ServiceMethodProviderContext<TService> context, Type serviceBase, IHttpContextAccessor http) : ServiceBinderBase
    where TService : class
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Model<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(ServerCallContext)]);
        context.AddUnaryMethod(Checked(method), metadata, invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Model<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
        context.AddServerStreamingMethod(Checked(method), metadata, invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Model<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)]);
        context.AddClientStreamingMethod(Checked(method), metadata, invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Model<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
            [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
        context.AddDuplexStreamingMethod(Checked(method), metadata, invoker);
    }

    /// <summary>The same method, whose request deserializer marks the call instead of throwing.</summary>
    private Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var marshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, deserialization =>
        {
            try
            {
                return parse(deserialization);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                MalformedRequests.Mark(http.HttpContext, failure);
                return Activator.CreateInstance<TRequest>();
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    /// <summary>The service's override of the generated method as an open-instance delegate, and the endpoint's metadata.</summary>
    private (TDelegate Invoker, List<object> Metadata) Model<TDelegate>(string name, Type[] parameters) where TDelegate : Delegate
    {
        var implementation = Implementation(name, parameters) ?? throw new InvalidOperationException($"{typeof(TService)} has no override of {name}.");
        var metadata = new List<object>();
        metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
        metadata.AddRange(implementation.GetCustomAttributes(inherit: true));
        metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
        return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), implementation), metadata);
    }

    /// <summary>The public instance method that overrides the generated base's virtual one (a hiding method is skipped).</summary>
    private MethodInfo? Implementation(string name, Type[] parameters)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            var found = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, null, parameters, null);
            if (found is null)
            {
                return null;
            }
            if (found.IsVirtual && found.GetBaseDefinition().DeclaringType == serviceBase)
            {
                return found;
            }
        }
        return null;
    }
}
