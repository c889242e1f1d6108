// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// What note verifier keys and cosignature verifier keys share: a name, an Ed25519 public key, and a key hash
/// SHA-256(name || 0x0A || type || public key)[:4] where the type byte tells the signature kinds apart
/// (c2sp.org/signed-note; c2sp.org/tlog-cosignature). As text: <c>&lt;name&gt;+&lt;hex8 hash&gt;+&lt;base64(type || key)&gt;</c>.
/// </summary>
public abstract class Ed25519VerifierKey
{
    private readonly byte[] _publicKey;
    private readonly byte _type;

    /// <summary>Builds a key from its name and public key, computing its key hash for <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the key is not 32 bytes.</exception>
    private protected Ed25519VerifierKey(string name, ReadOnlySpan<byte> publicKey, byte type)
    {
        NoteEncoding.ValidateKeyName(name, nameof(name));
        if (publicKey.Length != NoteEncoding.Ed25519KeySize)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(publicKey));
        }

        Name = name;
        _publicKey = publicKey.ToArray();
        _type = type;
        KeyHash = NoteEncoding.ComputeKeyHash(name, type, _publicKey);
    }

    /// <summary>Builds a key from parsed, already checked parts.</summary>
    private protected Ed25519VerifierKey(string name, uint keyHash, byte[] publicKey, byte type)
    {
        Name = name;
        KeyHash = keyHash;
        _publicKey = publicKey;
        _type = type;
    }

    /// <summary>The key name; a signature line must carry it for this key to be tried.</summary>
    public string Name { get; }

    /// <summary>The 32-bit key ID that, with <see cref="Name"/>, picks this key's signature lines out of a note.</summary>
    public uint KeyHash { get; }

    /// <summary>The 32-byte Ed25519 public key (a copy: the key cannot be changed through it).</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "The agreed API exposes the raw key; a fresh copy is returned.")]
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    internal ReadOnlySpan<byte> PublicKeySpan => _publicKey;

    /// <summary>The key text, <c>&lt;name&gt;+&lt;hex8 hash&gt;+&lt;base64(type || key)&gt;</c>.</summary>
    public string Format() => NoteEncoding.FormatVerifierKey(Name, KeyHash, _type, _publicKey);

    /// <inheritdoc cref="Format"/>
    public override string ToString() => Format();

    /// <summary>
    /// Parses key text of signature type <paramref name="type"/>. Strict, as golang.org/x/mod/sumdb/note is: a valid
    /// name, exactly eight hex digits, canonical base64 of the type byte and 32 bytes, and a key hash that matches
    /// the name and key, so a key string with a typo is refused rather than silently never matching a signature.
    /// </summary>
    private protected static bool TryParse<TKey>(string? text, byte type, Func<string, uint, byte[], TKey> create, [NotNullWhen(true)] out TKey? key)
        where TKey : Ed25519VerifierKey
    {
        key = null;
        if (!NoteEncoding.TryParseVerifierKey(text, type, out var name, out var hash, out var publicKey))
        {
            return false;
        }

        key = create(name, hash, publicKey);
        return true;
    }
}
