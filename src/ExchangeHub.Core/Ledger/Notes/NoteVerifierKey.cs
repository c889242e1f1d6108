// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// The public half of an Ed25519 note key (signature type 0x01, c2sp.org/signed-note), as the text
/// <c>&lt;name&gt;+&lt;hex8 key hash&gt;+&lt;base64(0x01 || 32-byte public key)&gt;</c> that
/// golang.org/x/mod/sumdb/note calls a verifier key. Auditors and partners are configured with this string, so
/// they can check a checkpoint without trusting the hub that serves it.
/// </summary>
public sealed class NoteVerifierKey
{
    private readonly byte[] _publicKey;

    /// <summary>
    /// Builds the verifier key for <paramref name="name"/> and an Ed25519 public key, computing the key hash as
    /// SHA-256(name || 0x0A || 0x01 || public key)[:4] (c2sp.org/signed-note, "Ed25519 signatures").
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the key is not 32 bytes.</exception>
    public NoteVerifierKey(string name, ReadOnlySpan<byte> publicKey)
    {
        NoteEncoding.ValidateKeyName(name, nameof(name));
        if (publicKey.Length != NoteEncoding.Ed25519KeySize)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(publicKey));
        }

        Name = name;
        _publicKey = publicKey.ToArray();
        KeyHash = NoteEncoding.ComputeKeyHash(name, NoteEncoding.AlgorithmEd25519, _publicKey);
    }

    private NoteVerifierKey(string name, uint keyHash, byte[] publicKey)
    {
        Name = name;
        KeyHash = keyHash;
        _publicKey = publicKey;
    }

    /// <summary>The key name; a signature line must carry it for this key to be tried (c2sp.org/signed-note).</summary>
    public string Name { get; }

    /// <summary>The 32-bit key ID that, with <see cref="Name"/>, picks this key's signature lines out of a note.</summary>
    public uint KeyHash { get; }

    /// <summary>The 32-byte Ed25519 public key (a copy: the key cannot be changed through it).</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "The agreed API exposes the raw key; a fresh copy is returned.")]
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>
    /// Parses a verifier key. Strict, as golang.org/x/mod/sumdb/note is: a valid name, exactly eight hex digits,
    /// canonical base64 of 0x01 followed by 32 bytes, and a key hash that matches the name and key, so a key string
    /// with a typo is refused rather than silently never matching a signature.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid Ed25519 verifier key.</exception>
    public static NoteVerifierKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var key))
        {
            throw new FormatException("Not an Ed25519 note verifier key (<name>+<hex8 hash>+<base64(0x01 || key)>) with a matching key hash.");
        }

        return key;
    }

    /// <summary>Parses a verifier key as <see cref="Parse"/> does, answering false instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out NoteVerifierKey? key)
    {
        key = null;
        if (!NoteEncoding.TryParseVerifierKey(text, NoteEncoding.AlgorithmEd25519, out var name, out var hash, out var publicKey))
        {
            return false;
        }

        key = new NoteVerifierKey(name, hash, publicKey);
        return true;
    }

    /// <summary>The verifier key text, <c>&lt;name&gt;+&lt;hex8 hash&gt;+&lt;base64(0x01 || key)&gt;</c>.</summary>
    public string Format() => NoteEncoding.FormatVerifierKey(Name, KeyHash, NoteEncoding.AlgorithmEd25519, _publicKey);

    /// <inheritdoc cref="Format"/>
    public override string ToString() => Format();

    /// <summary>
    /// Whether <paramref name="signature"/> is this key's Ed25519 signature (RFC 8032) of <paramref name="message"/>.
    /// For a note, the message is the note text including its final newline and the signature is the signature
    /// line's bytes after the 4-byte key hash. Answers false, never throws, for malformed input.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        NoteEncoding.VerifyEd25519(_publicKey, message, signature);

    internal ReadOnlySpan<byte> PublicKeySpan => _publicKey;
}
