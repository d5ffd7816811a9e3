using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Core.Errors;

namespace SharedResidentSystem.Server.Pipeline;

/// <summary>
/// The limits every request meets before any work, the same on every database (FieldLimit in
/// policy.proto): text is valid, holds no NUL or other control character (tab and line breaks
/// only in multiline fields), no bidirectional override or isolate, and is no longer than its
/// limit (200 by default); a repeated or map field holds at most its count (100 by default); an
/// enum holds one of its values; a Timestamp or Duration is one the type allows; a Date's parts
/// are in range. Every problem is named by its field path (members[3].person_name.family_name).
/// </summary>
public static class RequestLimits
{
    public const int DefaultMaxLength = 200;
    public const int DefaultMaxCount = 100;

    private const long MinTimestampSeconds = -62135596800;
    private const long MaxTimestampSeconds = 253402300799;
    private const long MaxDurationSeconds = 315576000000;

    private static readonly ConcurrentDictionary<FieldDescriptor, FieldLimit> Limits = new();

    /// <summary>Throws INVALID_ARGUMENT (REQUEST_LIMIT) naming every field beyond its limit.</summary>
    public static void Check(IMessage request)
    {
        var found = new List<FieldViolation>();
        Walk(request, "", found);
        if (found.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.RequestLimit,
                $"入力が受け付けられる範囲を超えています ({found.Count}項目)。", found);
        }
    }

    private static FieldLimit LimitOf(FieldDescriptor field) =>
        Limits.GetOrAdd(field, f => f.GetOptions()?.GetExtension(PolicyExtensions.Limit) ?? new FieldLimit());

    private static void Walk(IMessage message, string prefix, List<FieldViolation> found)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            var limit = LimitOf(field);
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var map = (IDictionary)value;
                if (CountProblem(map.Count, limit) is { } tooMany)
                {
                    found.Add(new FieldViolation(path, tooMany));
                    continue;
                }
                var entry = field.MessageType;
                foreach (DictionaryEntry pair in map)
                {
                    var shown = $"{path}[{Shown(pair.Key)}]";
                    Element(entry.FindFieldByNumber(1), new FieldLimit(), pair.Key, shown, found);
                    Element(entry.FindFieldByNumber(2), limit, pair.Value, shown, found);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)value;
                if (CountProblem(list.Count, limit) is { } tooMany)
                {
                    found.Add(new FieldViolation(path, tooMany));
                    continue;
                }
                for (var i = 0; i < list.Count; i++)
                {
                    Element(field, limit, list[i], $"{path}[{i}]", found);
                }
            }
            else if (value is not null)
            {
                Element(field, limit, value, path, found);
            }
        }
    }

    private static void Element(FieldDescriptor field, FieldLimit limit, object? value, string path, List<FieldViolation> found)
    {
        string? problem = (field.FieldType, value) switch
        {
            (FieldType.String, string text) => TextProblem(text, limit),
            // A google.protobuf.StringValue field is a string in C#: the same rules.
            (FieldType.Message, string wrapped) => TextProblem(wrapped, limit),
            (FieldType.Bytes, ByteString bytes) when limit.MaxLength > 0 && bytes.Length > limit.MaxLength => $"{limit.MaxLength}バイト以内にしてください。",
            (FieldType.Enum, var number) => field.EnumType.FindValueByNumber(Convert.ToInt32(number, CultureInfo.InvariantCulture)) is null ? "選べる値ではありません。" : null,
            (FieldType.Message, Timestamp t) => t.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds || t.Nanos is < 0 or > 999_999_999 ? "日時が正しくありません。" : null,
            (FieldType.Message, Duration d) => d.Seconds is < -MaxDurationSeconds or > MaxDurationSeconds || d.Nanos is < -999_999_999 or > 999_999_999 ? "時間の長さが正しくありません。" : null,
            (FieldType.Message, Google.Type.Date d) => d.Year is < 0 or > 9999 || d.Month is < 0 or > 12 || d.Day is < 0 or > 31 ? "日付が正しくありません。" : null,
            _ => null,
        };
        if (problem is not null)
        {
            found.Add(new FieldViolation(path, problem));
            return;
        }
        if (field.FieldType == FieldType.Message && value is IMessage nested and not Timestamp and not Duration and not Google.Type.Date)
        {
            Walk(nested, path + ".", found);
        }
    }

    private static string? CountProblem(int count, FieldLimit limit)
    {
        var max = limit.MaxCount > 0 ? limit.MaxCount : DefaultMaxCount;
        return count > max ? $"{max}件以内にしてください ({count}件)。" : null;
    }

    /// <summary>Why a text may not be stored, or null.</summary>
    internal static string? TextProblem(string text, FieldLimit limit)
    {
        var max = limit.MaxLength > 0 ? limit.MaxLength : DefaultMaxLength;
        if (text.Length > max)
        {
            return $"{max}文字以内で入力してください ({text.Length}文字)。";
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || c is '\uFFFD' or '\uFFFE' or '\uFFFF')
            {
                return "文字コードが正しくない文字を含みます。";
            }
            if (c < ' ' && !(limit.Multiline && c is '\t' or '\n' or '\r') || c is >= '\u007F' and <= '\u009F')
            {
                return $"制御文字 (U+{(int)c:X4}) は使えません。";
            }
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u061C' or '\u200E' or '\u200F')
            {
                return $"文字の向きを変える制御文字 (U+{(int)c:X4}) は使えません。";
            }
        }
        return null;
    }

    /// <summary>A map key as a path segment, without echoing a long or strange key.</summary>
    private static string Shown(object key)
    {
        var text = Convert.ToString(key, CultureInfo.InvariantCulture) ?? "";
        return text.Length <= 40 && TextProblem(text, new FieldLimit()) is null ? text : "…";
    }
}
