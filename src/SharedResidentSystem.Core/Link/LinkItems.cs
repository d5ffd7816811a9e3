using System.Reflection;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Link;

/// <summary>
/// The items a linked system may receive (7.2.3): the 住民 items of the migration layout (R01),
/// named and formatted as the migration files name and write them, so that a city's other
/// systems, its migration files and its EUC speak of one item by one name; and two items the
/// register derives: 支援措置 (支援対象者管理データ, 3.4) and 抑止 (3.2).
/// </summary>
public static class LinkItems
{
    /// <summary>"1" while the person is protected by a 支援措置 (仮支援措置 included).</summary>
    public const string SupportMeasure = "支援措置";

    /// <summary>"1" while a 抑止 applies to the person (theirs or their household's).</summary>
    public const string Suppression = "抑止";

    private const string PersonFile = "R01";

    private sealed record Source(string Name, string Type, Func<PersonVersion, object?> Read);

    private static readonly Lazy<List<Source>> Sources = new(Load);

    private static readonly Lazy<IReadOnlySet<string>> KnownNames = new(() =>
        Sources.Value.Select(s => s.Name).Append(SupportMeasure).Append(Suppression).ToHashSet(StringComparer.Ordinal));

    /// <summary>Every item name a city's configuration may give a linked system.</summary>
    public static IReadOnlySet<string> Known => KnownNames.Value;

    /// <summary>
    /// The person's values of the allowed items, in the layout's order (the derived items last);
    /// an item the system may not receive is not there at all.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> Values(PersonVersion person, IReadOnlySet<string> allowed, bool supportMeasure, bool suppressed)
    {
        var values = new List<(string, string)>();
        foreach (var source in Sources.Value.Where(s => allowed.Contains(s.Name)))
        {
            values.Add((source.Name, MigrationExporter.Format(source.Read(person), source.Type)));
        }
        if (allowed.Contains(SupportMeasure))
        {
            values.Add((SupportMeasure, supportMeasure ? "1" : "0"));
        }
        if (allowed.Contains(Suppression))
        {
            values.Add((Suppression, suppressed ? "1" : "0"));
        }
        return values;
    }

    /// <summary>The layout's person items, each with a reader of its stored property ("Address.Town" through the owned address).</summary>
    private static List<Source> Load()
    {
        var file = MigrationLayout.Default().Files.Single(f => f.Id == PersonFile);
        return file.Items.Select(item =>
        {
            var properties = new List<PropertyInfo>();
            var type = typeof(PersonVersion);
            foreach (var part in item.Source.Split('.'))
            {
                var property = type.GetProperty(part) ?? throw new InvalidOperationException($"{item.Name}: {item.Source} is not a property of {type.Name}.");
                properties.Add(property);
                type = property.PropertyType;
            }
            return new Source(item.Name, item.Type, person =>
            {
                object? value = person;
                foreach (var property in properties)
                {
                    value = value is null ? null : property.GetValue(value);
                }
                return value;
            });
        }).ToList();
    }
}
