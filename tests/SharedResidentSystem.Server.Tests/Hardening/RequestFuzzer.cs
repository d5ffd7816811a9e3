using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace SharedResidentSystem.Server.Tests.Hardening;

/// <summary>
/// Requests for any method, made from its descriptor alone: malformed wire bytes (random,
/// truncated, flipped); messages whose fields hold boundary values (NUL, controls, bidi
/// overrides, very long text, out-of-range enums and numbers, impossible timestamps and dates,
/// too many entries); and plausible messages (short clean text, real enum values, a few entries,
/// dates of this era) that pass the request limits and reach the services' own rules. Seeded,
/// so a failing run can be repeated.
/// </summary>
public sealed class RequestFuzzer(int seed)
{
    private static readonly string[] PlausibleTexts =
    [
        "", "山田", "太郎", "ヤマダ", "1", "2", "132225", "tenants/132225", "tenants/132225/residents/1", "tenants/132225/households/1",
        "tenants/132225/issuances/1", "tenants/132225/idou/1", "世帯主", "妻", "東京都", "東久留米市", "本町", "1番1号", "clerk", "T001",
        "国内転入", "RESIDENT_COPY", "person_name", "address", "00000000000", "123456789018", "*", "-", "2026-11-26",
    ];

    private bool _plausible;

    private static readonly string[] Texts =
    [
        "", "\0", "山田\0太郎", "\u202E太郎", "\u2066x\u2069", "\u0001\u0007\u001b[2J", "\u0085", "\uD800", "\uFFFF",
        "tenants/132225/residents/\0", "tenants/132225/residents/1", "tenants/132110/residents/1", "tenants/*/x",
        "' OR 1=1 --", "2026-13-45", "９９９９", "葛\U000E0102飾", "𠮷野家", "ｱｲｳ", " ", "\t\n", "99999999999999999999",
    ];

    private readonly Random _random = new(seed);

    /// <summary>Wire bytes that are not a valid message of the type (or are, by chance, a trivial one).</summary>
    public byte[] Malformed(MessageDescriptor type)
    {
        var valid = Boundary(type).ToByteArray();
        switch (_random.Next(4))
        {
            case 0:
                var garbage = new byte[_random.Next(1, 64)];
                _random.NextBytes(garbage);
                return garbage;
            case 1 when valid.Length > 1:
                return valid[..(_random.Next(1, valid.Length))];
            case 2 when valid.Length > 0:
                var flipped = (byte[])valid.Clone();
                flipped[_random.Next(flipped.Length)] ^= (byte)(1 << _random.Next(8));
                return flipped;
            default:
                // Field 1 as a length-delimited value far longer than the message, or with an invalid UTF-8 body.
                return _random.Next(2) == 0 ? [0x0A, 0xFF, 0xFF, 0x03, 0x41] : [0x0A, 0x03, 0xC3, 0x28, 0xFF];
        }
    }

    /// <summary>A message of the type whose fields hold boundary values.</summary>
    public IMessage Boundary(MessageDescriptor type)
    {
        _plausible = false;
        return Build(type, 0);
    }

    /// <summary>A message of the type that passes the request limits, with values a client might send.</summary>
    public IMessage Plausible(MessageDescriptor type)
    {
        _plausible = true;
        return Build(type, 0);
    }

    private IMessage Build(MessageDescriptor type, int depth)
    {
        var message = type.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (_random.Next(3) == 0 && !field.IsRequired)
            {
                continue;
            }
            try
            {
                Fill(message, field, depth);
            }
            catch (ArgumentException)
            {
                // A value the type cannot hold at all (the library refuses it before the wire).
            }
        }
        return message;
    }

    private void Fill(IMessage message, FieldDescriptor field, int depth)
    {
        if (field.IsMap)
        {
            var map = (IDictionary)field.Accessor.GetValue(message);
            var entry = field.MessageType;
            for (var i = 0; i < Count(); i++)
            {
                var key = Value(entry.FindFieldByNumber(1), depth + 1);
                if (key is not null && !map.Contains(key))
                {
                    map[key] = Value(entry.FindFieldByNumber(2), depth + 1) ?? "";
                }
            }
        }
        else if (field.IsRepeated)
        {
            var list = (IList)field.Accessor.GetValue(message);
            for (var i = 0; i < Count(); i++)
            {
                if (Value(field, depth + 1) is { } item)
                {
                    list.Add(item);
                }
            }
        }
        else if (Value(field, depth) is { } value)
        {
            field.Accessor.SetValue(message, value);
        }
    }

    private int Count() => _plausible ? _random.Next(0, 3) : _random.Next(10) switch
    {
        0 => 150,
        < 4 => 0,
        _ => _random.Next(1, 4),
    };

    private object? Value(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => _plausible ? PlausibleTexts[_random.Next(PlausibleTexts.Length)] : Text(),
        FieldType.Bytes => ByteString.CopyFrom(new byte[_random.Next(0, 2) == 0 ? 3 : 5000]),
        FieldType.Bool => _random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => _plausible ? Pick(0, 1, 2, 3, 10, 12, 30, 50, 1980, 2026) : Pick(0, -1, 1, int.MaxValue, int.MinValue, 19, 2026),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long)Pick(0, -1, 1, int.MaxValue, int.MinValue),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)Pick(0, 1, int.MaxValue),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)Pick(0, 1, int.MaxValue),
        FieldType.Double => Pick(0, 1, -1) * 1.5,
        FieldType.Float => (float)Pick(0, 1, -1),
        FieldType.Enum => !_plausible && _random.Next(3) == 0 ? Pick(999, -5) : field.EnumType.Values[_random.Next(field.EnumType.Values.Count)].Number,
        FieldType.Message => Nested(field.MessageType, depth),
        _ => null,
    };

    private object? Nested(MessageDescriptor type, int depth)
    {
        if (type.FullName == Google.Type.Date.Descriptor.FullName && _plausible)
        {
            return new Google.Type.Date { Year = Pick(0, 1980, 2026), Month = Pick(0, 1, 2, 11, 12), Day = Pick(0, 1, 20, 26, 29, 31) };
        }
        if (type.FullName == Timestamp.Descriptor.FullName)
        {
            return _plausible ? Timestamp.FromDateTime(new DateTime(2026, 11, _random.Next(1, 27), 0, 0, 0, DateTimeKind.Utc)) : _random.Next(3) switch
            {
                0 => new Timestamp { Seconds = 1, Nanos = -1 },
                1 => new Timestamp { Seconds = long.MaxValue / 2 },
                _ => Timestamp.FromDateTime(new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc)),
            };
        }
        if (type.FullName == Duration.Descriptor.FullName)
        {
            return new Duration { Seconds = Pick(-1, 0, int.MaxValue), Nanos = Pick(0, -1, 1_000_000_000) };
        }
        return depth > 3 ? null : Build(type, depth + 1);
    }

    private string Text() => _random.Next(8) switch
    {
        0 => new string('あ', _random.Next(2) == 0 ? 300 : 20_000),
        1 => string.Concat(Enumerable.Repeat("x\0", 50)),
        _ => Texts[_random.Next(Texts.Length)],
    };

    private int Pick(params int[] values) => values[_random.Next(values.Length)];
}
