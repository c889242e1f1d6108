// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// The public half of an Ed25519 note key (signature type 0x01, c2sp.org/signed-note), as the text
/// <c>&lt;name&gt;+&lt;hex8 key hash&gt;+&lt;base64(0x01 || 32-byte public key)&gt;</c> that
/// golang.org/x/mod/sumdb/note calls a verifier key. Auditors and partners are configured with this string, so
/// they can check a checkpoint without trusting the hub that serves it.
/// </summary>
public sealed class NoteVerifierKey : Ed25519VerifierKey
{
    /// <summary>
    /// Builds the verifier key for <paramref name="name"/> and an Ed25519 public key, computing the key hash as
    /// SHA-256(name || 0x0A || 0x01 || public key)[:4] (c2sp.org/signed-note, "Ed25519 signatures").
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the key is not 32 bytes.</exception>
    public NoteVerifierKey(string name, ReadOnlySpan<byte> publicKey)
        : base(name, publicKey, NoteEncoding.AlgorithmEd25519)
    {
    }

    private NoteVerifierKey(string name, uint keyHash, byte[] publicKey)
        : base(name, keyHash, publicKey, NoteEncoding.AlgorithmEd25519)
    {
    }

    /// <summary>Parses a verifier key (strictly, see <see cref="Ed25519VerifierKey"/>).</summary>
    /// <exception cref="FormatException">The text is not a valid Ed25519 verifier key.</exception>
    public static NoteVerifierKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var key)
            ? key
            : throw new FormatException("Not an Ed25519 note verifier key (<name>+<hex8 hash>+<base64(0x01 || key)>) with a matching key hash.");
    }

    /// <summary>Parses a verifier key as <see cref="Parse"/> does, answering false instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out NoteVerifierKey? key) =>
        TryParse(text, NoteEncoding.AlgorithmEd25519, (name, hash, publicKey) => new NoteVerifierKey(name, hash, publicKey), out key);

    /// <summary>
    /// Whether <paramref name="signature"/> is this key's Ed25519 signature (RFC 8032) of <paramref name="message"/>.
    /// For a note, the message is the note text including its final newline and the signature is the signature
    /// line's bytes after the 4-byte key hash. Answers false, never throws, for malformed input.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        NoteEncoding.VerifyEd25519(PublicKeySpan, message, signature);
}
