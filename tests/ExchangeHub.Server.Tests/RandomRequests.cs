// This file is part of ExchangeHub.

using System.Collections;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// Seeded random requests for any message of the contract, found through its descriptors: well-formed messages
/// with random values in every kind of field (unset, empty, extreme, undefined enum numbers, invalid timestamps,
/// odd text), and malformed protobuf bytes (random noise, truncated and corrupted encodings, and hand-made
/// encodings that break the wire format in one known way each). The same seed gives the same requests.
/// </summary>
internal sealed class RandomRequests(int seed)
{
    private const int MaxDepth = 5;

    // Text that has broken parsers, validators and SQL before.
    private static readonly string[] OddTexts =
    [
        string.Empty, " ", "\0", "'; DROP TABLE messages; --", "../../etc/passwd", "%s%n%x", "{0}", "\u202Egnp.exe",
        "\uFFFF", "GM0599", "GM", "gm0599", "000000018000000010000", "00000001800000001000 ", "111222334", "-1",
        "NaN", "null", "<script>alert(1)</script>", "\r\n", new string('9', 9), new string('x', 5000),
    ];

    private readonly Random _random = new(seed);

    /// <summary>A well-formed message of <paramref name="descriptor"/> with random values.</summary>
    public IMessage WellFormed(MessageDescriptor descriptor) => Fill(descriptor, 0);

    /// <summary>
    /// Bytes that claim to be a <paramref name="descriptor"/> message and mostly are not: noise, a well-formed
    /// message cut short or with bytes overwritten, or an encoding broken in one known way.
    /// </summary>
    public byte[] Malformed(MessageDescriptor descriptor)
    {
        switch (_random.Next(4))
        {
            case 0:
                return Bytes(_random.Next(1, _random.Next(2) == 0 ? 64 : 4096));
            case 1:
                var whole = NonEmptyEncoding(descriptor);
                return whole[..Math.Max(1, _random.Next(whole.Length))];
            case 2:
                var corrupted = NonEmptyEncoding(descriptor);
                for (var i = _random.Next(1, 4); i > 0; i--)
                {
                    corrupted[_random.Next(corrupted.Length)] = (byte)_random.Next(256);
                }

                return corrupted;
            default:
                return BrokenEncoding(descriptor);
        }
    }

    /// <summary>One of the wire-format breaks, chosen at random.</summary>
    private byte[] BrokenEncoding(MessageDescriptor descriptor)
    {
        var nested = descriptor.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.Message && !f.IsMap);
        var text = descriptor.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.String);
        return _random.Next(9) switch
        {
            0 => [0x0F, 0x01], // field 1 with wire type 7, which does not exist
            1 => [0x00, 0x01], // field number 0
            2 => [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], // a varint of eleven bytes
            3 => [0x0A, 0x7F, 0x01], // a length of 127 with one byte behind it
            4 => [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01], // a negative length
            5 => [0x0C], // an end-group without a start
            6 => [0x0B, 0x08, 0x01], // a start-group that never ends
            7 when text is not null => [.. Tag(text.FieldNumber, 2), 0x02, 0xC3, 0x28], // a string that is not UTF-8
            _ when nested is not null => Nest(nested.FieldNumber, 200), // deeper than any parser allows
            _ => [0x0A, 0x80],
        };
    }

    // Field `number` holding itself, `depth` levels deep, through a message field: each level opens a group
    // (wire type 3) of the same field, so no length has to be known in advance.
    private static byte[] Nest(int number, int depth)
    {
        var open = Tag(number, 3);
        var close = Tag(number, 4);
        return [.. Enumerable.Repeat(open, depth).SelectMany(b => b), .. Enumerable.Repeat(close, depth).SelectMany(b => b)];
    }

    private static byte[] Tag(int number, int wireType)
    {
        var value = (uint)((number << 3) | wireType);
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    private byte[] NonEmptyEncoding(MessageDescriptor descriptor)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var bytes = WellFormed(descriptor).ToByteArray();
            if (bytes.Length > 1)
            {
                return bytes;
            }
        }

        return Bytes(16);
    }

    private IMessage Fill(MessageDescriptor descriptor, int depth)
    {
        var message = descriptor.Parser.ParseFrom(ByteString.Empty);
        if (depth >= MaxDepth)
        {
            return message;
        }

        var oneofsSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (_random.Next(5) == 0 || (field.RealContainingOneof is { } oneof && !oneofsSet.Add(oneof.FullName)))
            {
                continue;
            }

            if (field.IsMap)
            {
                var map = (IDictionary)field.Accessor.GetValue(message);
                for (var i = _random.Next(3); i > 0; i--)
                {
                    map[Value(field.MessageType.FindFieldByNumber(1), depth)] = Value(field.MessageType.FindFieldByNumber(2), depth);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                for (var i = _random.Next(4); i > 0; i--)
                {
                    list.Add(Value(field, depth));
                }
            }
            else
            {
                field.Accessor.SetValue(message, Value(field, depth));
            }
        }

        return message;
    }

    private object Value(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => Text(),
        FieldType.Bytes => ByteString.CopyFrom(Bytes(_random.Next(0, _random.Next(2) == 0 ? 8 : 100))),
        FieldType.Bool => _random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)Integer(),
        FieldType.UInt32 or FieldType.Fixed32 => unchecked((uint)Integer()),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Integer(),
        FieldType.UInt64 or FieldType.Fixed64 => unchecked((ulong)Integer()),
        FieldType.Double => Real(),
        FieldType.Float => (float)Real(),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, EnumNumber(field.EnumType)),
        FieldType.Message or FieldType.Group => Fill(field.MessageType, depth + 1),
        _ => throw new NotSupportedException($"field type {field.FieldType}"),
    };

    private int EnumNumber(EnumDescriptor type) => _random.Next(4) switch
    {
        0 => _random.Next(-5, 100),
        1 => _random.Next(2) == 0 ? int.MaxValue : int.MinValue,
        _ => type.Values[_random.Next(type.Values.Count)].Number,
    };

    private long Integer() => _random.Next(6) switch
    {
        0 => 0,
        1 => -1,
        2 => long.MaxValue,
        3 => long.MinValue,
        4 => _random.NextInt64(-1_000_000, 1_000_000),
        _ => _random.NextInt64(),
    };

    private double Real() => _random.Next(5) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => -0.0,
        _ => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-10, 300)),
    };

    private string Text()
    {
        switch (_random.Next(5))
        {
            case 0:
                return OddTexts[_random.Next(OddTexts.Length)];
            case 1:
                return new string([.. Enumerable.Range(0, _random.Next(0, 25)).Select(_ => (char)('0' + _random.Next(10)))]);
            case 2:
                var builder = new StringBuilder();
                for (var i = _random.Next(0, 40); i > 0; i--)
                {
                    builder.Append((char)_random.Next(0x20, 0x7F));
                }

                return builder.ToString();
            case 3:
                return new string([.. Enumerable.Range(0, _random.Next(0, 20)).Select(_ => (char)_random.Next(0, 0xD7FF))]);
            default:
                return Encoding.UTF8.GetString(Bytes(_random.Next(0, 30)));
        }
    }

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }
}
