using Google.Protobuf;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;

namespace SharedResidentSystem.Server.Registration;

/// <summary>
/// Turns a 異動 request into its domain command and records it, through the request's
/// <see cref="IdouKind"/>. Used for a direct call, for the check of a 仮登録, and for its 本登録 later.
/// </summary>
public sealed class RegistrationDispatch(RegisterService register)
{
    /// <summary>Every 異動 kind of the contract, by the full proto name of its request.</summary>
    private static readonly IReadOnlyDictionary<string, IdouKind> Kinds = typeof(IdouKind).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(IdouKind)))
        .Select(t => (IdouKind)Activator.CreateInstance(t)!)
        .ToDictionary(k => k.Request.FullName, StringComparer.Ordinal);

    /// <summary>The full proto names of the requests that record a 異動.</summary>
    public static IReadOnlyCollection<string> RequestTypes => (IReadOnlyCollection<string>)Kinds.Keys;

    /// <summary>Reads a stored 異動 request (a 仮登録) of the type named.</summary>
    public static IMessage Parse(string requestType, byte[] request) => Kinds[requestType].Request.Parser.ParseFrom(request);

    public RegisterService Register => register;

    public Task<IdouResult> ExecuteAsync(Caller caller, IMessage request, CancellationToken ct) =>
        Kinds.TryGetValue(request.Descriptor.FullName, out var kind)
            ? kind.RecordAsync(register, caller, request, ct)
            : throw new ArgumentException($"not a 異動 request: {request.Descriptor.FullName}", nameof(request));
}
