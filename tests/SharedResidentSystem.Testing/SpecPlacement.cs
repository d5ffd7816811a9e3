using System.Reflection;
using Xunit;

namespace SharedResidentSystem.Testing;

/// <summary>
/// A [Spec] counts only on a test that runs: one left on a helper (or on a method whose [Fact]
/// was lost) would silently prove nothing. Each test assembly checks itself with this.
/// </summary>
public static class SpecPlacement
{
    /// <summary>"Type.Method" of every method carrying [Spec] without [Fact] or [Theory].</summary>
    public static IReadOnlyList<string> Misplaced(Assembly assembly) =>
        [.. assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(SpecAttribute)) && !m.IsDefined(typeof(FactAttribute), inherit: true))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .Order(StringComparer.Ordinal)];
}
