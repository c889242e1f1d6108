// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// The public key of a witness that cosigns checkpoints with timestamped Ed25519 cosignatures (cosignature/v1,
/// c2sp.org/tlog-cosignature), as the vkey <c>&lt;name&gt;+&lt;hex8 key hash&gt;+&lt;base64(0x04 || public key)&gt;</c>.
/// The key hash uses signature type 0x04, not 0x01, so a witness's cosignature line never matches the same key's
/// plain note verifier key and the two signature kinds cannot be confused.
/// </summary>
public sealed class CosignatureVerifierKey : Ed25519VerifierKey
{
    /// <summary>
    /// Builds the cosignature verifier key for a witness name and Ed25519 public key, with key hash
    /// SHA-256(name || 0x0A || 0x04 || public key)[:4] (c2sp.org/tlog-cosignature, "Format").
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the key is not 32 bytes.</exception>
    public CosignatureVerifierKey(string name, ReadOnlySpan<byte> publicKey)
        : base(name, publicKey, NoteEncoding.AlgorithmCosignatureV1)
    {
    }

    private CosignatureVerifierKey(string name, uint keyHash, byte[] publicKey)
        : base(name, keyHash, publicKey, NoteEncoding.AlgorithmCosignatureV1)
    {
    }

    /// <summary>Parses a cosignature vkey (strictly, see <see cref="Ed25519VerifierKey"/>).</summary>
    /// <exception cref="FormatException">The text is not a valid cosignature/v1 verifier key.</exception>
    public static CosignatureVerifierKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var key)
            ? key
            : throw new FormatException("Not a cosignature/v1 verifier key (<name>+<hex8 hash>+<base64(0x04 || key)>) with a matching key hash.");
    }

    /// <summary>Parses a cosignature vkey as <see cref="Parse"/> does, answering false instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CosignatureVerifierKey? key) =>
        TryParse(text, NoteEncoding.AlgorithmCosignatureV1, (name, hash, publicKey) => new CosignatureVerifierKey(name, hash, publicKey), out key);
}
