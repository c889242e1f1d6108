// This file is part of ExchangeHub.

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// Seals one payload with its own 256-bit data key under AES-256-GCM. The message type and id are bound as
/// associated data, so a ciphertext copied onto another message (or relabelled as another type) does not
/// decrypt. Pure .NET, so the partner node and hubctl can use the same format.
/// </summary>
/// <remarks>
/// Layout of a sealed payload (version 1), <see cref="Overhead"/> = 29 bytes plus the plaintext length:
/// <code>
/// offset  size  field
///      0     1  version (0x01)
///      1    12  nonce, random per payload
///     13    16  GCM authentication tag
///     29     n  ciphertext (n = plaintext length)
/// </code>
/// Associated data (not stored): ASCII <c>ExchangeHub.Payload</c>, the version byte, the message type number
/// as a big-endian uint32, then the message id in UTF-8. Everything before the id has a fixed length, so no
/// two (type, id) pairs give the same bytes. The version byte is covered too, so it cannot be swapped.
/// A random 96-bit nonce is safe here because each data key seals exactly one payload.
/// </remarks>
public static class EnvelopeCipher
{
    /// <summary>The only layout version written and read.</summary>
    public const byte Version = 1;

    /// <summary>The data key size in bytes (AES-256).</summary>
    public const int KeySize = 32;

    /// <summary>The nonce size in bytes (96 bits, the GCM standard size).</summary>
    public const int NonceSize = 12;

    /// <summary>The authentication tag size in bytes (128 bits).</summary>
    public const int TagSize = 16;

    /// <summary>The bytes a sealed payload has on top of its plaintext: version, nonce and tag.</summary>
    public const int Overhead = 1 + NonceSize + TagSize;

    private const int NonceOffset = 1;
    private const int TagOffset = NonceOffset + NonceSize;

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("ExchangeHub.Payload");

    /// <summary>A fresh random data key. The caller clears it (<see cref="CryptographicOperations.ZeroMemory"/>) after use.</summary>
    public static byte[] CreateKey() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>Seals <paramref name="plaintext"/> for message <paramref name="messageId"/> of <paramref name="type"/>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, MessageType type, string messageId, ReadOnlySpan<byte> plaintext)
    {
        CheckKey(key);
        var associatedData = AssociatedData(type, messageId);
        var sealedPayload = new byte[Overhead + plaintext.Length];
        sealedPayload[0] = Version;
        var nonce = sealedPayload.AsSpan(NonceOffset, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedPayload.AsSpan(Overhead), sealedPayload.AsSpan(TagOffset, TagSize), associatedData);
        return sealedPayload;
    }

    /// <summary>
    /// Opens a payload sealed by <see cref="Seal"/> for the same message. Throws
    /// <see cref="CryptographicException"/> when it is malformed, altered, or sealed for another message or type.
    /// </summary>
    public static byte[] Open(ReadOnlySpan<byte> key, MessageType type, string messageId, ReadOnlySpan<byte> sealedPayload)
    {
        CheckKey(key);
        var associatedData = AssociatedData(type, messageId);
        if (sealedPayload.Length < Overhead)
        {
            throw new CryptographicException($"EH5211: The stored payload of message '{messageId}' is {sealedPayload.Length} bytes, shorter than the {Overhead}-byte envelope; it is truncated or not a payload.");
        }

        if (sealedPayload[0] != Version)
        {
            throw new CryptographicException($"EH5211: The stored payload of message '{messageId}' has envelope version {sealedPayload[0]}; this hub reads version {Version} only.");
        }

        var plaintext = new byte[sealedPayload.Length - Overhead];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                sealedPayload.Slice(NonceOffset, NonceSize),
                sealedPayload[Overhead..],
                sealedPayload.Slice(TagOffset, TagSize),
                plaintext,
                associatedData);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            // No detail on purpose: a tag mismatch cannot tell tampering from a payload of another message.
            throw new CryptographicException($"EH5212: The stored payload of {type} message '{messageId}' does not authenticate: it was altered, or it belongs to another message or type.", ex);
        }

        return plaintext;
    }

    /// <summary>The associated data that binds a payload to its message (see the remarks for the layout).</summary>
    internal static byte[] AssociatedData(MessageType type, string messageId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        if (type == MessageType.Unspecified || !Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "A stored payload needs a defined message type.");
        }

        var id = Encoding.UTF8.GetBytes(messageId);
        var data = new byte[Label.Length + 1 + sizeof(uint) + id.Length];
        Label.CopyTo(data, 0);
        data[Label.Length] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(Label.Length + 1), (uint)type);
        id.CopyTo(data, Label.Length + 1 + sizeof(uint));
        return data;
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A data key is {KeySize} bytes; this one is {key.Length}.", nameof(key));
        }
    }
}
