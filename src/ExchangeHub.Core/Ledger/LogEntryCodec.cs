// This file is part of ExchangeHub.

using System.Buffers.Binary;
using ExchangeHub.Contracts.V1;
using Google.Protobuf;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// The canonical bytes of a log entry, defined once: version 1 is the byte 0x01, the length of the entry's
/// protobuf binary serialization as a 4-byte big-endian unsigned integer, then that serialization (fields in
/// field-number order, no unknown fields). These bytes are the Merkle leaf data: the leaf hash is
/// SHA-256(0x00 || bytes) (RFC 9162 §2.1.1). Decoding is strict, so that two different byte strings can
/// never stand for the same entry.
/// </summary>
public static class LogEntryCodec
{
    /// <summary>The encoding version this hub writes.</summary>
    public const byte Version1 = 0x01;

    private const int HeaderSize = 5;

    /// <summary>Encodes <paramref name="entry"/>.</summary>
    public static byte[] Encode(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.EntryCase == LogEntry.EntryOneofCase.None)
        {
            throw new ArgumentException("A log entry records a disclosure or a redaction.", nameof(entry));
        }

        var size = entry.CalculateSize();
        var bytes = new byte[HeaderSize + size];
        bytes[0] = Version1;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1, 4), (uint)size);
        entry.WriteTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>Decodes leaf data, or throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static LogEntry Decode(ReadOnlySpan<byte> leaf)
    {
        if (leaf.Length < HeaderSize)
        {
            throw new FormatException($"a log entry has at least {HeaderSize} bytes, this one {leaf.Length}");
        }

        if (leaf[0] != Version1)
        {
            throw new FormatException($"log entry encoding version {leaf[0]} is unknown to this hub (it knows {Version1})");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(leaf.Slice(1, 4));
        if (length != leaf.Length - HeaderSize)
        {
            throw new FormatException($"the log entry says it has {length} bytes of content, but it has {leaf.Length - HeaderSize}");
        }

        LogEntry entry;
        try
        {
            entry = LogEntry.Parser.ParseFrom(leaf[HeaderSize..]);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException($"the log entry's content is not a LogEntry: {ex.Message}", ex);
        }

        // Canonical: re-encoding gives the same bytes (no unknown fields, no reordering, no padding).
        if (entry.EntryCase == LogEntry.EntryOneofCase.None || !entry.ToByteArray().AsSpan().SequenceEqual(leaf[HeaderSize..]))
        {
            throw new FormatException("the log entry is not in canonical form");
        }

        return entry;
    }

    /// <summary>The sequence number the entry claims for itself.</summary>
    public static ulong SequenceOf(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.EntryCase switch
        {
            LogEntry.EntryOneofCase.Disclosure => entry.Disclosure.Sequence,
            LogEntry.EntryOneofCase.Redaction => entry.Redaction.Sequence,
            _ => throw new ArgumentException("empty log entry", nameof(entry)),
        };
    }

    /// <summary>Sets the sequence number in the entry (the writer does this when it assigns one).</summary>
    public static void SetSequence(LogEntry entry, ulong sequence)
    {
        ArgumentNullException.ThrowIfNull(entry);
        switch (entry.EntryCase)
        {
            case LogEntry.EntryOneofCase.Disclosure:
                entry.Disclosure.Sequence = sequence;
                break;
            case LogEntry.EntryOneofCase.Redaction:
                entry.Redaction.Sequence = sequence;
                break;
            default:
                throw new ArgumentException("empty log entry", nameof(entry));
        }
    }
}
