using Google.Protobuf.Reflection;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Server.Registration;

namespace SharedResidentSystem.Server.Tests.Registration;

/// <summary>Every 異動 call of the contract has its kind (request → domain command) and can be entered as 仮登録.</summary>
public class IdouKindTests
{
    [Fact]
    public void Every_idou_call_of_the_contract_has_its_kind_and_a_provisional_switch()
    {
        var requests = RegistrationService.Descriptor.Methods.Select(m => m.InputType).ToList();
        Assert.Equal(requests.Select(r => r.FullName).Order(StringComparer.Ordinal), RegistrationDispatch.RequestTypes.Order(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.Equal(FieldType.Bool, r.FindFieldByName("provisional")?.FieldType));
    }
}
