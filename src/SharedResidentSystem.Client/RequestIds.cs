using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SharedResidentSystem.Client;

/// <summary>
/// The two fields every mutating request of the contract has: <c>request_id</c> (the
/// idempotency key: one per clerk's submission, the same on every retry of it) and
/// <c>acknowledged_alerts</c> (11.1).
/// </summary>
public static class RequestIds
{
    /// <summary>Whether the request is a write (it carries a request_id).</summary>
    public static bool IsMutating(IMessage request) => Field(request, "request_id") is not null;

    /// <summary>Gives the request a new request_id when it has none; returns the one it carries.</summary>
    public static string Ensure(IMessage request)
    {
        var field = Field(request, "request_id");
        if (field is null)
        {
            return "";
        }
        var current = (string)field.Accessor.GetValue(request);
        if (current.Length > 0)
        {
            return current;
        }
        var id = Guid.NewGuid().ToString();
        field.Accessor.SetValue(request, id);
        return id;
    }

    /// <summary>
    /// The request sent again after the clerk acknowledged alerts: a copy with the codes added
    /// and a new request_id (it is a new submission, not a retry of the refused one).
    /// </summary>
    public static TRequest Acknowledging<TRequest>(TRequest request, IEnumerable<string> codes)
        where TRequest : IMessage<TRequest> =>
        (TRequest)Acknowledging((IMessage)request, codes);

    /// <summary>As <see cref="Acknowledging{TRequest}"/>, for a request whose type is known only at run time.</summary>
    public static IMessage Acknowledging(IMessage request, IEnumerable<string> codes)
    {
        var copy = Copy(request);
        var alerts = Field(copy, "acknowledged_alerts")
            ?? throw new ArgumentException($"{copy.Descriptor.Name} has no acknowledged_alerts", nameof(request));
        var list = (IList)alerts.Accessor.GetValue(copy);
        foreach (var code in codes)
        {
            if (!list.Contains(code))
            {
                list.Add(code);
            }
        }
        Field(copy, "request_id")?.Accessor.SetValue(copy, Guid.NewGuid().ToString());
        return copy;
    }

    /// <summary>A copy of the request as a new submission (a new request_id), e.g. after the clerk corrected it.</summary>
    public static TRequest Renewed<TRequest>(TRequest request)
        where TRequest : IMessage<TRequest> =>
        (TRequest)Renewed((IMessage)request);

    /// <summary>As <see cref="Renewed{TRequest}"/>, for a request whose type is known only at run time.</summary>
    public static IMessage Renewed(IMessage request)
    {
        var copy = Copy(request);
        Field(copy, "request_id")?.Accessor.SetValue(copy, Guid.NewGuid().ToString());
        return copy;
    }

    private static IMessage Copy(IMessage message) => message.Descriptor.Parser.ParseFrom(message.ToByteString());

    private static FieldDescriptor? Field(IMessage message, string name) => message.Descriptor.FindFieldByName(name);
}
