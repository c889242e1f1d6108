// This file is part of ExchangeHub.

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// One signature line of a signed note, <c>— &lt;name&gt; base64(key hash || signature)</c>
/// (c2sp.org/signed-note, "Signatures"). It is data, not proof: a line is only evidence once checked against a
/// configured key (<see cref="SignedNote.IsSignedBy"/>, <see cref="Cosignatures.Verify"/>).
/// </summary>
/// <param name="Name">The key name; valid per the spec (non-empty, no spaces, no '+').</param>
/// <param name="KeyHash">The 32-bit key ID (the first four bytes of the decoded line, big-endian).</param>
/// <param name="Signature">The bytes after the key ID (at least one): 64 for Ed25519, 72 for a cosignature/v1.</param>
public sealed record NoteSignature(string Name, uint KeyHash, byte[] Signature)
{
    private readonly string _name = ValidName(Name);
    private readonly byte[] _signature = ValidSignature(Signature);

    /// <summary>The key name; valid per the spec (non-empty, no spaces, no '+').</summary>
    public string Name
    {
        get => _name;
        init => _name = ValidName(value);
    }

    /// <summary>The bytes after the key ID (a copy).</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "The agreed API exposes the raw bytes; a fresh copy is returned.")]
    public byte[] Signature
    {
        get => (byte[])_signature.Clone();
        init => _signature = ValidSignature(value);
    }

    internal ReadOnlySpan<byte> SignatureSpan => _signature;

    /// <summary>
    /// The line as it appears in a note, newline included: <c>— &lt;name&gt; base64(key hash || signature)\n</c>.
    /// A witness's response to add-checkpoint is such lines, appended by the log to its checkpoint.
    /// </summary>
    public string FormatLine()
    {
        var raw = new byte[4 + _signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(raw, KeyHash);
        _signature.CopyTo(raw, 4);
        return string.Concat(NoteEncoding.SignatureLinePrefix, Name, " ", Convert.ToBase64String(raw), "\n");
    }

    /// <summary>
    /// Parses one newline-terminated signature line, as strictly as <see cref="SignedNote.Parse"/> parses each of
    /// its lines: the em dash and space, a valid name, one space, canonical base64 of at least five bytes.
    /// </summary>
    /// <exception cref="FormatException">The text is not exactly one valid signature line.</exception>
    public static NoteSignature ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length == 0 || line[^1] != '\n' || line.IndexOf('\n', StringComparison.Ordinal) != line.Length - 1)
        {
            throw new FormatException("A signature line is one line ending in a newline.");
        }

        if (!NoteEncoding.IsValidNoteCharacters(line, allowNewline: true))
        {
            throw new FormatException("A signature line may not contain control characters.");
        }

        return ParseLineBody(line[..^1]);
    }

    /// <summary>Parses a signature line without its newline; the characters have already been checked.</summary>
    internal static NoteSignature ParseLineBody(string line)
    {
        if (!line.StartsWith(NoteEncoding.SignatureLinePrefix, StringComparison.Ordinal))
        {
            throw new FormatException("A signature line starts with an em dash (U+2014) and a space.");
        }

        var rest = line[NoteEncoding.SignatureLinePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            throw new FormatException("A signature line is '— <key name> <base64 signature>'.");
        }

        var name = rest[..space];
        if (!NoteEncoding.IsValidKeyName(name))
        {
            throw new FormatException("A signature line's key name must be non-empty, with no spaces and no '+'.");
        }

        if (!NoteEncoding.TryDecodeBase64(rest[(space + 1)..], out var raw))
        {
            throw new FormatException("A signature line's signature is not canonical base64.");
        }

        if (raw.Length < 5)
        {
            throw new FormatException("A signature is a 4-byte key hash followed by at least one signature byte.");
        }

        return new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(raw), raw.AsSpan(4).ToArray());
    }

    /// <summary>Value equality, bytes compared, so a parsed line equals the line it was formatted from.</summary>
    public bool Equals(NoteSignature? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && KeyHash == other.KeyHash
        && _signature.AsSpan().SequenceEqual(other._signature);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(KeyHash);
        hash.AddBytes(_signature);
        return hash.ToHashCode();
    }

    /// <summary>The formatted line without its newline, for logs and messages.</summary>
    public override string ToString() => FormatLine()[..^1];

    private static string ValidName(string name)
    {
        NoteEncoding.ValidateKeyName(name, nameof(name));
        return name;
    }

    private static byte[] ValidSignature(byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature, nameof(signature));
        if (signature.Length == 0)
        {
            throw new ArgumentException("A note signature has at least one byte after the key hash.", nameof(signature));
        }

        return (byte[])signature.Clone();
    }
}
