// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// The public key of a witness that cosigns checkpoints with timestamped Ed25519 cosignatures (cosignature/v1,
/// c2sp.org/tlog-cosignature), as the vkey <c>&lt;name&gt;+&lt;hex8 key hash&gt;+&lt;base64(0x04 || public key)&gt;</c>.
/// The key hash uses signature type 0x04, not 0x01, so a witness's cosignature line never matches the same key's
/// plain note verifier key and the two signature kinds cannot be confused.
/// </summary>
public sealed class CosignatureVerifierKey
{
    private readonly byte[] _publicKey;

    /// <summary>
    /// Builds the cosignature verifier key for a witness name and Ed25519 public key, with key hash
    /// SHA-256(name || 0x0A || 0x04 || public key)[:4] (c2sp.org/tlog-cosignature, "Format").
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the key is not 32 bytes.</exception>
    public CosignatureVerifierKey(string name, ReadOnlySpan<byte> publicKey)
    {
        NoteEncoding.ValidateKeyName(name, nameof(name));
        if (publicKey.Length != NoteEncoding.Ed25519KeySize)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(publicKey));
        }

        Name = name;
        _publicKey = publicKey.ToArray();
        KeyHash = NoteEncoding.ComputeKeyHash(name, NoteEncoding.AlgorithmCosignatureV1, _publicKey);
    }

    private CosignatureVerifierKey(string name, uint keyHash, byte[] publicKey)
    {
        Name = name;
        KeyHash = keyHash;
        _publicKey = publicKey;
    }

    /// <summary>The witness (cosigner) name that its signature lines carry.</summary>
    public string Name { get; }

    /// <summary>The 32-bit key ID computed with signature type 0x04.</summary>
    public uint KeyHash { get; }

    /// <summary>The 32-byte Ed25519 public key (a copy).</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "The agreed API exposes the raw key; a fresh copy is returned.")]
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>
    /// Parses a cosignature vkey (signature type 0x04, c2sp.org/tlog-cosignature "Format"), refusing a wrong type
    /// byte, a key that is not 32 bytes, non-canonical base64 or a key hash that does not match.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid cosignature/v1 verifier key.</exception>
    public static CosignatureVerifierKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var key))
        {
            throw new FormatException("Not a cosignature/v1 verifier key (<name>+<hex8 hash>+<base64(0x04 || key)>) with a matching key hash.");
        }

        return key;
    }

    /// <summary>Parses a cosignature vkey as <see cref="Parse"/> does, answering false instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CosignatureVerifierKey? key)
    {
        key = null;
        if (!NoteEncoding.TryParseVerifierKey(text, NoteEncoding.AlgorithmCosignatureV1, out var name, out var hash, out var publicKey))
        {
            return false;
        }

        key = new CosignatureVerifierKey(name, hash, publicKey);
        return true;
    }

    /// <summary>The vkey text, <c>&lt;name&gt;+&lt;hex8 hash&gt;+&lt;base64(0x04 || key)&gt;</c>.</summary>
    public string Format() => NoteEncoding.FormatVerifierKey(Name, KeyHash, NoteEncoding.AlgorithmCosignatureV1, _publicKey);

    /// <inheritdoc cref="Format"/>
    public override string ToString() => Format();

    internal ReadOnlySpan<byte> PublicKeySpan => _publicKey;
}
