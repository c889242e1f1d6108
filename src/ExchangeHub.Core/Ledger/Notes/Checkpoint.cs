// This file is part of ExchangeHub.

using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// A transparency log checkpoint (c2sp.org/tlog-checkpoint): the note body that commits the disclosure log to its
/// Merkle tree head. Line 1 is the origin (the log's identity), line 2 the tree size in decimal, line 3 the base64
/// RFC 6962 root hash (SHA-256, 32 bytes), then optional extension lines; every line ends in a newline. Signing it
/// as a note (<see cref="SignCheckpoint"/>) and having witnesses cosign it (<see cref="Cosignatures"/>) is what
/// makes the log tamper-evident to parties that do not trust the hub.
/// </summary>
/// <param name="Origin">The log's origin line: non-empty, one line, no control characters.</param>
/// <param name="Size">The number of leaves, zero or more.</param>
/// <param name="RootHash">The 32-byte RFC 6962 root hash at <paramref name="Size"/>.</param>
/// <param name="Extensions">Extension lines, each non-empty; usually none (the spec does not recommend them).</param>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash, IReadOnlyList<string> Extensions)
{
    /// <summary>The size of a SHA-256 RFC 6962 root hash.</summary>
    public const int RootHashSize = 32;

    private readonly string _origin = ValidOrigin(Origin);
    private readonly long _size = ValidSize(Size);
    private readonly byte[] _rootHash = ValidRootHash(RootHash);
    private readonly ReadOnlyCollection<string> _extensions = ValidExtensions(Extensions);

    /// <summary>A checkpoint without extension lines, the recommended form.</summary>
    public Checkpoint(string origin, long size, byte[] rootHash)
        : this(origin, size, rootHash, [])
    {
    }

    /// <summary>The log's origin line: non-empty, one line, no control characters.</summary>
    public string Origin
    {
        get => _origin;
        init => _origin = ValidOrigin(value);
    }

    /// <summary>The number of leaves in the tree, zero or more.</summary>
    public long Size
    {
        get => _size;
        init => _size = ValidSize(value);
    }

    /// <summary>The 32-byte RFC 6962 root hash (a copy).</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "The agreed API exposes the raw hash; a fresh copy is returned.")]
    public byte[] RootHash
    {
        get => (byte[])_rootHash.Clone();
        init => _rootHash = ValidRootHash(value);
    }

    /// <summary>Extension lines (without newlines), each non-empty.</summary>
    public IReadOnlyList<string> Extensions
    {
        get => _extensions;
        init => _extensions = ValidExtensions(value);
    }

    /// <summary>The checkpoint note body: origin, size, base64 root hash and extension lines, each ending in a newline.</summary>
    public string Format()
    {
        var builder = new StringBuilder();
        builder.Append(Origin).Append('\n');
        builder.Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        builder.Append(Convert.ToBase64String(_rootHash)).Append('\n');
        foreach (var extension in _extensions)
        {
            builder.Append(extension).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>
    /// Parses a checkpoint note body strictly (c2sp.org/tlog-checkpoint, "Note text"): at least three lines, every
    /// line non-empty and newline-terminated; the size in ASCII decimal with no sign and no leading zero (only "0"
    /// itself), within a signed 64-bit range; the root hash canonical base64 of exactly 32 bytes. Parse the body
    /// only after its signature has been verified (<see cref="OpenCheckpoint"/> does both).
    /// </summary>
    /// <exception cref="FormatException">The text is not a checkpoint body.</exception>
    public static Checkpoint Parse(string noteText)
    {
        ArgumentNullException.ThrowIfNull(noteText);
        if (!NoteEncoding.IsValidNoteText(noteText))
        {
            throw new FormatException("A checkpoint body ends in a newline and has no control characters other than newline.");
        }

        var lines = noteText[..^1].Split('\n');
        if (lines.Length < 3)
        {
            throw new FormatException("A checkpoint body has at least three lines: origin, size and root hash.");
        }

        if (lines.Any(line => line.Length == 0))
        {
            throw new FormatException("A checkpoint body has no empty lines.");
        }

        if (!TryParseSize(lines[1], out var size))
        {
            throw new FormatException("A checkpoint's tree size is ASCII decimal with no sign and no leading zeroes.");
        }

        if (!NoteEncoding.TryDecodeBase64(lines[2], out var rootHash))
        {
            throw new FormatException("A checkpoint's root hash is not canonical base64.");
        }

        if (rootHash.Length != RootHashSize)
        {
            throw new FormatException($"A checkpoint's root hash is {RootHashSize} bytes (SHA-256), not {rootHash.Length}.");
        }

        return new Checkpoint(lines[0], size, rootHash, lines[3..]);
    }

    /// <summary>
    /// Formats <paramref name="checkpoint"/> and signs it as a note with the log's key, returning the signed note
    /// text to publish. The spec recommends that the key name match the origin line; that is left to configuration.
    /// </summary>
    public static string SignCheckpoint(Checkpoint checkpoint, NoteSigner logSigner)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(logSigner);
        return SignedNote.Sign(checkpoint.Format(), logSigner).Format();
    }

    /// <summary>
    /// Opens a signed checkpoint the way a client must: parse the note, verify the log's signature before reading
    /// the body (c2sp.org/signed-note: the text must be ignored unless signed by a trusted key), then parse the body
    /// and check that its origin is the expected log. Signature lines of other keys, witnesses included, are
    /// ignored; check those with <see cref="Cosignatures"/>.
    /// </summary>
    /// <exception cref="CheckpointException">The checkpoint must not be trusted; <see cref="CheckpointException.Reason"/> says why.</exception>
    public static Checkpoint OpenCheckpoint(string signedNoteText, NoteVerifierKey logKey, string expectedOrigin)
    {
        ArgumentNullException.ThrowIfNull(signedNoteText);
        ArgumentNullException.ThrowIfNull(logKey);
        ArgumentNullException.ThrowIfNull(expectedOrigin);

        SignedNote note;
        try
        {
            note = SignedNote.Parse(signedNoteText);
        }
        catch (FormatException e)
        {
            throw new CheckpointException(CheckpointFailure.Malformed, "The signed checkpoint is not a well-formed signed note: " + e.Message, e);
        }

        switch (note.Check(logKey))
        {
            case SignedNote.SignatureCheck.Absent:
                throw new CheckpointException(
                    CheckpointFailure.NotSignedByLog,
                    $"The checkpoint carries no signature of the log key {logKey.Name}+{NoteEncoding.FormatKeyHash(logKey.KeyHash)}.");
            case SignedNote.SignatureCheck.Invalid:
                throw new CheckpointException(
                    CheckpointFailure.InvalidSignature,
                    $"The checkpoint's signature by the log key {logKey.Name}+{NoteEncoding.FormatKeyHash(logKey.KeyHash)} does not verify.");
            case SignedNote.SignatureCheck.Verified:
            default:
                break;
        }

        Checkpoint checkpoint;
        try
        {
            checkpoint = Parse(note.Text);
        }
        catch (FormatException e)
        {
            throw new CheckpointException(CheckpointFailure.Malformed, "The signed note is not a checkpoint: " + e.Message, e);
        }

        if (!string.Equals(checkpoint.Origin, expectedOrigin, StringComparison.Ordinal))
        {
            throw new CheckpointException(
                CheckpointFailure.WrongOrigin,
                $"The checkpoint is for the log '{checkpoint.Origin}', not '{expectedOrigin}'.");
        }

        return checkpoint;
    }

    /// <summary>Value equality: origin, size, root hash bytes and extension lines.</summary>
    public bool Equals(Checkpoint? other) =>
        other is not null
        && string.Equals(_origin, other._origin, StringComparison.Ordinal)
        && _size == other._size
        && _rootHash.AsSpan().SequenceEqual(other._rootHash)
        && _extensions.SequenceEqual(other._extensions, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_origin, StringComparer.Ordinal);
        hash.Add(_size);
        hash.AddBytes(_rootHash);
        foreach (var extension in _extensions)
        {
            hash.Add(extension, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>A one-line summary for logs.</summary>
    public override string ToString() =>
        $"Checkpoint {{ Origin = {_origin}, Size = {_size.ToString(CultureInfo.InvariantCulture)}, RootHash = {Convert.ToBase64String(_rootHash)}, Extensions = {_extensions.Count.ToString(CultureInfo.InvariantCulture)} }}";

    private static bool TryParseSize(string text, out long size)
    {
        size = 0;
        if (text.Length == 0 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }

    private static string ValidOrigin(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin, nameof(origin));
        if (origin.Length == 0 || !NoteEncoding.IsValidNoteCharacters(origin, allowNewline: false))
        {
            throw new ArgumentException("A checkpoint origin is one non-empty line without control characters.", nameof(origin));
        }

        return origin;
    }

    private static long ValidSize(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(size));
        return size;
    }

    private static byte[] ValidRootHash(byte[] rootHash)
    {
        ArgumentNullException.ThrowIfNull(rootHash, nameof(rootHash));
        if (rootHash.Length != RootHashSize)
        {
            throw new ArgumentException($"A checkpoint root hash is {RootHashSize} bytes.", nameof(rootHash));
        }

        return (byte[])rootHash.Clone();
    }

    private static ReadOnlyCollection<string> ValidExtensions(IReadOnlyList<string> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions, nameof(extensions));
        var copy = extensions.ToArray();
        foreach (var extension in copy)
        {
            if (string.IsNullOrEmpty(extension) || !NoteEncoding.IsValidNoteCharacters(extension, allowNewline: false))
            {
                throw new ArgumentException("A checkpoint extension line is non-empty, one line, without control characters.", nameof(extensions));
            }
        }

        return Array.AsReadOnly(copy);
    }
}
