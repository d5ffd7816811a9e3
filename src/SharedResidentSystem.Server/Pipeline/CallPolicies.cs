using Google.Protobuf.Reflection;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Security;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace SharedResidentSystem.Server.Pipeline;

/// <summary>A served method and the policy its proto declares.</summary>
public sealed record DeclaredCall(MethodDescriptor Method, CallPolicy Policy)
{
    /// <summary>The gRPC path, "/package.Service/Method".</summary>
    public string Path { get; } = PathOf(Method);

    /// <summary>A write's request_id field (checked at start), looked up once.</summary>
    public FieldDescriptor? RequestIdField { get; } = Method.InputType.FindFieldByName("request_id");

    public static string PathOf(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";
}

/// <summary>
/// The policy of every method of the contract, read once from the proto descriptors
/// (`option (srs.common.v1.policy)`), and the check the server runs before it listens: a
/// method without a policy, a write without a request_id, an unknown role or function, or an
/// answer path that names no field stops the start.
/// </summary>
public sealed class CallPolicies
{
    /// <summary>Packages of the libraries' own services (health, reflection): they declare nothing and pass through.</summary>
    private static readonly string[] LibraryPackages = ["grpc.health.v1.", "grpc.reflection.v1alpha.", "grpc.reflection.v1."];

    private readonly Dictionary<string, DeclaredCall> _calls;

    public CallPolicies(IEnumerable<ServiceDescriptor> services)
    {
        var problems = Check(services);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Calls without a valid policy:\n" + string.Join('\n', problems));
        }
        _calls = services.SelectMany(s => s.Methods)
            .ToDictionary(DeclaredCall.PathOf, m => new DeclaredCall(m, PolicyOf(m)!), StringComparer.Ordinal);
    }

    /// <summary>Every service of the contract (the protos compiled into SharedResidentSystem.Contracts).</summary>
    public static IReadOnlyList<ServiceDescriptor> ContractServices() =>
        typeof(CallPolicy).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal) && t.GetProperty("Descriptor")?.GetValue(null) is FileDescriptor)
            .SelectMany(t => ((FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!).Services)
            // The register's own services; jukinet.* is the other side of a link (the CS), implemented there.
            .Where(s => s.File.Package.StartsWith("srs.", StringComparison.Ordinal))
            .OrderBy(s => s.FullName, StringComparer.Ordinal)
            .ToList();

    public IReadOnlyCollection<DeclaredCall> All => _calls.Values;

    public DeclaredCall? Find(string path) => _calls.GetValueOrDefault(path);

    /// <summary>A library's own method (health, reflection), which carries no policy.</summary>
    public static bool IsLibraryMethod(string path) => LibraryPackages.Any(p => path.StartsWith("/" + p, StringComparison.Ordinal));

    public static CallPolicy? PolicyOf(MethodDescriptor method) =>
        method.GetOptions()?.GetExtension(PolicyExtensions.Policy);

    /// <summary>What is wrong with the declarations of these services; empty when every call is safe to serve.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<ServiceDescriptor> services)
    {
        var problems = new List<string>();
        foreach (var method in services.SelectMany(s => s.Methods))
        {
            var path = DeclaredCall.PathOf(method);
            var policy = PolicyOf(method);
            if (policy is null || policy.Kind == CallKind.Unspecified)
            {
                problems.Add($"{path}: no policy (option (srs.common.v1.policy) with a kind)");
                continue;
            }
            if (policy.Kind == CallKind.Public)
            {
                if (policy.Roles.Count > 0 || policy.Function.Length > 0 || policy.Staged || policy.JointOperator)
                {
                    problems.Add($"{path}: a public call takes no roles, function, staging or joint operators");
                }
            }
            else if (policy.Roles.Count == 0)
            {
                problems.Add($"{path}: no roles");
            }
            foreach (var role in policy.Roles.Where(r => !Roles.All.Contains(r)))
            {
                problems.Add($"{path}: unknown role '{role}'");
            }
            if (policy.Function.Length > 0 && !Functions.All.Contains(policy.Function))
            {
                problems.Add($"{path}: unknown function '{policy.Function}'");
            }
            if (policy.Kind == CallKind.Write)
            {
                if (method.InputType.FindFieldByName("request_id") is not { FieldType: FieldType.String, IsRepeated: false })
                {
                    problems.Add($"{path}: a write needs a string request_id in {method.InputType.Name}");
                }
                if (method.IsClientStreaming || method.IsServerStreaming)
                {
                    problems.Add($"{path}: a write cannot stream");
                }
            }
            else if (policy.Kind == CallKind.Bulk && !method.IsServerStreaming)
            {
                problems.Add($"{path}: bulk work answers with a stream of its progress");
            }
            else if (policy.Staged)
            {
                problems.Add($"{path}: only a write is staged");
            }
            foreach (var answer in policy.AnswerResidents.Where(a => !NamesStrings(method.OutputType, a)))
            {
                problems.Add($"{path}: answer_residents '{answer}' is not a string field of {method.OutputType.Name}");
            }
        }
        return problems;
    }

    private static bool NamesStrings(MessageDescriptor message, string path)
    {
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var field = message.FindFieldByName(parts[i]);
            if (field is null || field.IsMap)
            {
                return false;
            }
            if (i == parts.Length - 1)
            {
                return field.FieldType == FieldType.String;
            }
            if (field.FieldType != FieldType.Message)
            {
                return false;
            }
            message = field.MessageType;
        }
        return false;
    }
}
