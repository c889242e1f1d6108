// This file is part of ExchangeHub.

using System.Security.Cryptography;
using Ed25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// An Ed25519 note signing key with its key name (c2sp.org/signed-note). The log signs its checkpoints with one;
/// a witness cosigns with one (see <see cref="Cosignatures"/>). The 32-byte seed is held in one array that
/// <see cref="Dispose"/> zeroes; signing goes through BouncyCastle's RFC 8032 implementation, since .NET has no
/// Ed25519.
/// </summary>
public sealed class NoteSigner : IDisposable
{
    private const string PrivateKeyPrefix = "PRIVATE+KEY+";

    private readonly byte[] _seed;
    private readonly byte[] _publicKey;
    private bool _disposed;

    /// <summary>
    /// Builds a signer from a 32-byte Ed25519 private key seed (RFC 8032) and a key name. The name is validated as
    /// the spec requires (non-empty, no Unicode spaces, no '+'), because a signature line with a bad name would make
    /// every note this key signs unparseable.
    /// </summary>
    /// <exception cref="ArgumentException">The name is invalid or the seed is not 32 bytes.</exception>
    public NoteSigner(string name, ReadOnlySpan<byte> privateKeySeed)
    {
        NoteEncoding.ValidateKeyName(name, nameof(name));
        if (privateKeySeed.Length != NoteEncoding.Ed25519KeySize)
        {
            throw new ArgumentException("An Ed25519 private key seed is 32 bytes.", nameof(privateKeySeed));
        }

        Name = name;
        _seed = privateKeySeed.ToArray();
        _publicKey = new byte[NoteEncoding.Ed25519KeySize];
        Ed25519.GeneratePublicKey(_seed, _publicKey);
        VerifierKey = new NoteVerifierKey(name, _publicKey);
        CosignatureVerifierKey = new CosignatureVerifierKey(name, _publicKey);
    }

    /// <summary>The key name written in this signer's signature lines.</summary>
    public string Name { get; }

    /// <summary>The key hash of this signer's note signatures (signature type 0x01).</summary>
    public uint KeyHash => VerifierKey.KeyHash;

    /// <summary>The verifier key (type 0x01) to give to whoever must check this signer's notes.</summary>
    public NoteVerifierKey VerifierKey { get; }

    /// <summary>
    /// The cosignature verifier key (type 0x04, c2sp.org/tlog-cosignature) for the same name and public key: what a
    /// witness publishes so that clients can check its cosignatures. A witness should use a key of its own, not the
    /// log's; the Ed25519 cosignature message does not commit to the witness name.
    /// </summary>
    public CosignatureVerifierKey CosignatureVerifierKey { get; }

    /// <summary>
    /// Generates a new random key (32 bytes from the operating system's CSPRNG, the RFC 8032 private key) for
    /// <paramref name="name"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public static NoteSigner Generate(string name)
    {
        var seed = RandomNumberGenerator.GetBytes(NoteEncoding.Ed25519KeySize);
        try
        {
            return new NoteSigner(name, seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// Parses the golang.org/x/mod/sumdb/note private key text
    /// <c>PRIVATE+KEY+&lt;name&gt;+&lt;hex8 hash&gt;+&lt;base64(0x01 || 32-byte seed)&gt;</c>, the form Go tools
    /// (note.GenerateKey) write, so a key can move between them and hubctl. The hash must match the public key
    /// derived from the seed, which catches a truncated or mistyped key before it signs anything.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid Ed25519 note private key.</exception>
    public static NoteSigner ParsePrivateKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(PrivateKeyPrefix, StringComparison.Ordinal))
        {
            throw new FormatException("A note private key starts with PRIVATE+KEY+.");
        }

        var rest = text[PrivateKeyPrefix.Length..];
        var first = rest.IndexOf('+', StringComparison.Ordinal);
        var second = first < 0 ? -1 : rest.IndexOf('+', first + 1);
        if (second < 0)
        {
            throw new FormatException("A note private key is PRIVATE+KEY+<name>+<hex8 hash>+<base64 key>.");
        }

        var name = rest[..first];
        if (!NoteEncoding.IsValidKeyName(name))
        {
            throw new FormatException("The note private key's name is not a valid key name.");
        }

        if (!NoteEncoding.TryParseKeyHash(rest[(first + 1)..second], out var hash))
        {
            throw new FormatException("The note private key's hash is not eight hex digits.");
        }

        if (!NoteEncoding.TryDecodeBase64(rest[(second + 1)..], out var keyData))
        {
            throw new FormatException("The note private key's key data is not canonical base64.");
        }

        try
        {
            if (keyData.Length != 1 + NoteEncoding.Ed25519KeySize || keyData[0] != NoteEncoding.AlgorithmEd25519)
            {
                throw new FormatException("The note private key is not 0x01 followed by a 32-byte Ed25519 seed.");
            }

            var signer = new NoteSigner(name, keyData.AsSpan(1));
            if (signer.KeyHash != hash)
            {
                signer.Dispose();
                throw new FormatException("The note private key's hash does not match its key.");
            }

            return signer;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyData);
        }
    }

    /// <summary>
    /// The private key as golang.org/x/mod/sumdb/note text, <c>PRIVATE+KEY+&lt;name&gt;+&lt;hex8 hash&gt;+&lt;base64(0x01 || seed)&gt;</c>.
    /// It is a secret: anyone holding it can sign checkpoints as the log.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The signer was disposed.</exception>
    public string FormatPrivateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var keyData = new byte[1 + NoteEncoding.Ed25519KeySize];
        try
        {
            keyData[0] = NoteEncoding.AlgorithmEd25519;
            _seed.CopyTo(keyData, 1);
            return string.Concat(PrivateKeyPrefix, Name, "+", NoteEncoding.FormatKeyHash(KeyHash), "+", Convert.ToBase64String(keyData));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyData);
        }
    }

    /// <summary>
    /// The 64-byte Ed25519 signature (RFC 8032, deterministic) of <paramref name="message"/>. For a note the message
    /// is the note text; <see cref="SignedNote.Sign"/> and <see cref="Cosignatures.Cosign(Checkpoint, NoteSigner, DateTimeOffset)"/>
    /// build the right message, so most callers need not call this directly.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The signer was disposed.</exception>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var signature = new byte[NoteEncoding.Ed25519SignatureSize];
        // Spans on purpose: with byte[] arguments C# picks the overload whose second parameter is an Ed25519ctx
        // context (byte[] ctx), which silently produces a different, non-interoperable signature.
        Ed25519.Sign((ReadOnlySpan<byte>)_seed, (ReadOnlySpan<byte>)_publicKey, message, (Span<byte>)signature);
        return signature;
    }

    /// <summary>Zeroes the private key seed; the signer cannot sign afterwards. Its verifier keys stay usable.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_seed);
            _disposed = true;
        }
    }
}
