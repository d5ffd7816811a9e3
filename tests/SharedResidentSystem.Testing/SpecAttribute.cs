using Xunit.Abstractions;
using Xunit.Sdk;

namespace SharedResidentSystem.Testing;

/// <summary>
/// Marks a test as evidence for a section of 住民記録システム標準仕様書 (e.g. "1.1.11"); it becomes
/// the trait Spec=section, which the conformance matrix reads from the test results.
/// </summary>
[TraitDiscoverer("SharedResidentSystem.Testing.SpecDiscoverer", "SharedResidentSystem.Testing")]
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class SpecAttribute(string section) : Attribute, ITraitAttribute
{
    public string Section { get; } = section;
}

/// <summary>Turns [Spec("x")] into the trait Spec=x.</summary>
public sealed class SpecDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        var section = traitAttribute.GetConstructorArguments().FirstOrDefault() as string ?? "";
        yield return new KeyValuePair<string, string>("Spec", section);
    }
}
