using Google.Protobuf;
using Google.Protobuf.Reflection;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Tests.Pipeline;

/// <summary>
/// The start-up check of the call policies: every method of the contract declares one, and a
/// method that does not (or a write without a request_id, an unknown role or function, an
/// answer path naming no field) stops the server before it listens.
/// </summary>
public class CallPolicyTests
{
    [Fact]
    public void Every_method_of_the_contract_declares_a_valid_policy()
    {
        var services = CallPolicies.ContractServices();
        Assert.Equal([], CallPolicies.Check(services));
        var policies = new CallPolicies(services);
        Assert.Equal(services.Sum(s => s.Methods.Count), policies.All.Count);
        Assert.All(policies.All.Where(c => c.Policy.Kind == CallKind.Write), c => Assert.NotNull(c.Method.InputType.FindFieldByName("request_id")));
        Assert.Equal(["/srs.certificates.v1.CertificateService/VerifyCertificate"], policies.All.Where(c => c.Policy.Kind == CallKind.Public).Select(c => c.Path));
    }

    [Fact]
    public void An_undeclared_method_or_a_write_without_request_id_stops_the_start()
    {
        var service = Build(
            ("Undeclared", "Ask", null),
            ("WriteWithoutId", "Ask", new CallPolicy { Kind = CallKind.Write, Roles = { "clerk" } }),
            ("UnknownRole", "Change", new CallPolicy { Kind = CallKind.Write, Roles = { "mayor" } }),
            ("UnknownFunction", "Ask", new CallPolicy { Kind = CallKind.Read, Roles = { "clerk" }, Function = "everything" }),
            ("NoRoles", "Ask", new CallPolicy { Kind = CallKind.Read }),
            ("BadAnswerPath", "Ask", new CallPolicy { Kind = CallKind.Read, Roles = { "clerk" }, AnswerResidents = { "residents.name" } }),
            ("StagedRead", "Ask", new CallPolicy { Kind = CallKind.Read, Roles = { "clerk" }, Staged = true }),
            ("Fine", "Change", new CallPolicy { Kind = CallKind.Write, Roles = { "clerk" }, Function = "idou", AnswerResidents = { "name" } }));

        var problems = CallPolicies.Check([service]);
        Assert.Equal(
            [
                "/test.v1.TestService/Undeclared: no policy (option (srs.common.v1.policy) with a kind)",
                "/test.v1.TestService/WriteWithoutId: a write needs a string request_id in Ask",
                "/test.v1.TestService/UnknownRole: unknown role 'mayor'",
                "/test.v1.TestService/UnknownFunction: unknown function 'everything'",
                "/test.v1.TestService/NoRoles: no roles",
                "/test.v1.TestService/BadAnswerPath: answer_residents 'residents.name' is not a string field of Answer",
                "/test.v1.TestService/StagedRead: only a write is staged",
            ],
            problems);
        var refused = Assert.Throws<InvalidOperationException>(() => new CallPolicies([service]));
        Assert.Contains("/test.v1.TestService/Undeclared", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A service of its own, built at run time: one method per entry, with the policy given (or none).</summary>
    private static Google.Protobuf.Reflection.ServiceDescriptor Build(params (string Method, string Input, CallPolicy? Policy)[] methods)
    {
        var file = new FileDescriptorProto
        {
            Name = "test/v1/test.proto",
            Package = "test.v1",
            Syntax = "proto3",
            Dependency = { "srs/common/v1/policy.proto" },
            MessageType =
            {
                new DescriptorProto { Name = "Ask", Field = { new FieldDescriptorProto { Name = "name", Number = 1, Type = FieldDescriptorProto.Types.Type.String, Label = FieldDescriptorProto.Types.Label.Optional } } },
                new DescriptorProto
                {
                    Name = "Change",
                    Field =
                    {
                        new FieldDescriptorProto { Name = "request_id", Number = 1, Type = FieldDescriptorProto.Types.Type.String, Label = FieldDescriptorProto.Types.Label.Optional },
                    },
                },
                new DescriptorProto { Name = "Answer", Field = { new FieldDescriptorProto { Name = "name", Number = 1, Type = FieldDescriptorProto.Types.Type.String, Label = FieldDescriptorProto.Types.Label.Optional } } },
            },
        };
        var service = new ServiceDescriptorProto { Name = "TestService" };
        foreach (var (method, input, policy) in methods)
        {
            var proto = new MethodDescriptorProto { Name = method, InputType = $".test.v1.{input}", OutputType = ".test.v1.Answer" };
            if (policy is not null)
            {
                proto.Options = new MethodOptions();
                proto.Options.SetExtension(PolicyExtensions.Policy, policy);
            }
            service.Method.Add(proto);
        }
        file.Service.Add(service);
        var registry = new ExtensionRegistry { PolicyExtensions.Policy };
        var built = FileDescriptor.BuildFromByteStrings(
            [
                Google.Protobuf.Reflection.DescriptorReflection.Descriptor.SerializedData,
                PolicyReflection.Descriptor.SerializedData,
                file.ToByteString(),
            ],
            registry);
        return built[^1].Services.Single();
    }
}
