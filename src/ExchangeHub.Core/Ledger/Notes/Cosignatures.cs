// This file is part of ExchangeHub.

using System.Buffers.Binary;
using System.Globalization;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// Timestamped Ed25519 witness cosignatures, cosignature/v1 (c2sp.org/tlog-cosignature). A witness that has checked
/// a checkpoint's consistency with what it saw before signs
/// <c>"cosignature/v1\ntime &lt;unix seconds&gt;\n" || checkpoint body</c>; its signature line carries
/// base64(key hash (type 0x04) || 8-byte big-endian timestamp || 64-byte signature). Clients that require a quorum
/// of such cosignatures cannot be shown a split view of the disclosure log.
/// </summary>
public static class Cosignatures
{
    private const int TimestampSize = 8;
    private const int CosignatureSize = TimestampSize + NoteEncoding.Ed25519SignatureSize;

    /// <summary>
    /// The witness's cosignature of <paramref name="checkpoint"/> at <paramref name="time"/> (truncated to whole
    /// seconds), as a signature line to append to the checkpoint note (<see cref="SignedNote.WithSignatures"/>).
    /// The line's key hash is the witness's type 0x04 hash (<see cref="NoteSigner.CosignatureVerifierKey"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is before the Unix epoch.</exception>
    public static NoteSignature Cosign(Checkpoint checkpoint, NoteSigner witness, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return CosignBody(checkpoint.Format(), witness, time);
    }

    /// <summary>
    /// The witness's cosignature of a checkpoint note body (the text of the signed note, final newline included,
    /// no signature lines). The body must parse as a checkpoint: a cosignature is a statement about a checkpoint.
    /// </summary>
    /// <exception cref="FormatException">The body is not a checkpoint.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The time is before the Unix epoch.</exception>
    public static NoteSignature Cosign(string noteBody, NoteSigner witness, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(noteBody);
        _ = Checkpoint.Parse(noteBody);
        return CosignBody(noteBody, witness, time);
    }

    /// <summary>
    /// Whether <paramref name="line"/> is a valid cosignature/v1 of <paramref name="noteBody"/> by
    /// <paramref name="witnessKey"/>: the line's name and key hash must be the key's, its bytes must be an 8-byte
    /// timestamp of at most 2^63 - 1 and a 64-byte Ed25519 signature, and the signature must verify over the
    /// cosigned message. On success <paramref name="time"/> is the signed timestamp; rejecting timestamps in the
    /// future, which the spec allows, is left to the caller. Never throws for malformed input.
    /// </summary>
    public static bool Verify(string noteBody, NoteSignature line, CosignatureVerifierKey witnessKey, out DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(noteBody);
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(witnessKey);
        time = default;
        if (line.KeyHash != witnessKey.KeyHash || !string.Equals(line.Name, witnessKey.Name, StringComparison.Ordinal))
        {
            return false;
        }

        var raw = line.SignatureSpan;
        if (raw.Length != CosignatureSize || !NoteEncoding.IsValidNoteText(noteBody))
        {
            return false;
        }

        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(raw);
        if (timestamp > (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        if (!NoteEncoding.VerifyEd25519(witnessKey.PublicKeySpan, SignedMessage(noteBody, timestamp), raw[TimestampSize..]))
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds((long)timestamp);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="note"/> carries a valid cosignature by <paramref name="witnessKey"/>: at least one line
    /// with the key's name and hash, and all such lines valid (<see cref="Verify"/>). <paramref name="time"/> is the
    /// latest timestamp among them.
    /// </summary>
    public static bool IsCosignedBy(SignedNote note, CosignatureVerifierKey witnessKey, out DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(witnessKey);
        time = default;
        var latest = DateTimeOffset.MinValue;
        var found = false;
        foreach (var line in note.Signatures)
        {
            if (line.KeyHash != witnessKey.KeyHash || !string.Equals(line.Name, witnessKey.Name, StringComparison.Ordinal))
            {
                continue;
            }

            if (!Verify(note.Text, line, witnessKey, out var lineTime))
            {
                return false;
            }

            found = true;
            latest = lineTime > latest ? lineTime : latest;
        }

        if (found)
        {
            time = latest;
        }

        return found;
    }

    /// <summary>
    /// The cosigned message: "cosignature/v1\n", "time " and the timestamp in ASCII decimal without leading zeroes
    /// and "\n", then the whole note body (c2sp.org/tlog-cosignature, "Ed25519 signed message").
    /// </summary>
    internal static byte[] SignedMessage(string noteBody, ulong timestamp) =>
        NoteEncoding.Utf8(string.Concat("cosignature/v1\ntime ", timestamp.ToString(CultureInfo.InvariantCulture), "\n", noteBody));

    private static NoteSignature CosignBody(string noteBody, NoteSigner witness, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(witness);
        var seconds = time.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(time));
        var timestamp = (ulong)seconds;

        var raw = new byte[CosignatureSize];
        BinaryPrimitives.WriteUInt64BigEndian(raw, timestamp);
        witness.Sign(SignedMessage(noteBody, timestamp)).CopyTo(raw, TimestampSize);
        return new NoteSignature(witness.Name, witness.CosignatureVerifierKey.KeyHash, raw);
    }
}
