using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SharedResidentSystem.Server.Common;

/// <summary>
/// The residents a request names, found in the message itself so that no call can forget them:
/// every resident resource name ("tenants/{code}/residents/{宛名番号}") in any string field, map
/// key or value, and the 宛名番号 of fields that hold one bare (resident_number,
/// returning_resident). The access-log entry of the call names them, answered or refused.
/// </summary>
public static partial class RequestedResidents
{
    private static readonly HashSet<string> BareNumberFields = new(StringComparer.Ordinal) { "resident_number", "returning_resident" };

    [GeneratedRegex(@"^tenants/[^/]+/residents/([^/]+)$")]
    private static partial Regex ResidentName();

    /// <summary>The 宛名番号 a string names: a resident's resource name, or a bare 宛名番号; empty otherwise.</summary>
    public static string NumberIn(string text)
    {
        var match = ResidentName().Match(text);
        return match.Success ? match.Groups[1].Value : text.Length > 0 && text.All(char.IsAsciiDigit) ? text : "";
    }

    public static IReadOnlyCollection<string> Of(object? request)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        if (request is IMessage message)
        {
            Walk(message, found, 0);
        }
        return found;
    }

    private static void Walk(IMessage message, SortedSet<string> found, int depth)
    {
        if (depth > 16)
        {
            return;
        }
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                foreach (System.Collections.DictionaryEntry entry in (System.Collections.IDictionary)value)
                {
                    Take(entry.Key, field, found, depth);
                    Take(entry.Value, field, found, depth);
                }
            }
            else if (field.IsRepeated)
            {
                foreach (var item in (System.Collections.IEnumerable)value)
                {
                    Take(item, field, found, depth);
                }
            }
            else
            {
                Take(value, field, found, depth);
            }
        }
    }

    private static void Take(object? value, FieldDescriptor field, SortedSet<string> found, int depth)
    {
        switch (value)
        {
            case string text when text.Length > 0:
                var match = ResidentName().Match(text);
                if (match.Success)
                {
                    found.Add(match.Groups[1].Value);
                }
                else if (BareNumberFields.Contains(field.Name) && text.All(char.IsAsciiDigit))
                {
                    found.Add(text);
                }
                break;
            case IMessage nested:
                Walk(nested, found, depth + 1);
                break;
        }
    }
}
