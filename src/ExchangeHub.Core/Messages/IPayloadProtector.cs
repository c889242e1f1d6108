// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;
using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// Encrypts message payloads for storage (envelope encryption). Each payload gets its own random data key; the
/// payload is sealed with it (<see cref="EnvelopeCipher"/>) and the data key is stored only in wrapped form, so
/// that destroying one message's payload (crypto-shredding when its retention ends) is deleting its
/// <see cref="ProtectedPayload.WrappedKey"/>. The disclosure records hold no payload and stay verifiable.
/// Implementations are thread-safe.
/// </summary>
public interface IPayloadProtector
{
    /// <summary>
    /// Encrypts <paramref name="plaintext"/> for the message <paramref name="messageId"/> of <paramref name="type"/>.
    /// The same type and id must be given to <see cref="Unprotect"/>: they are bound to the ciphertext.
    /// </summary>
    ProtectedPayload Protect(MessageType type, string messageId, ReadOnlySpan<byte> plaintext);

    /// <summary>
    /// Decrypts a payload. Throws <see cref="PayloadDestroyedException"/> when its wrapped key has been deleted
    /// (retention ended), and <see cref="System.Security.Cryptography.CryptographicException"/> when it was
    /// altered, belongs to another message or type, or its key ring key is not available.
    /// </summary>
    byte[] Unprotect(MessageType type, string messageId, ProtectedPayload payload);
}

/// <summary>A payload as stored: the wrapped data key and the sealed payload (<see cref="EnvelopeCipher"/> layout).</summary>
/// <param name="WrappedKey">
/// The payload's data key, wrapped by the key ring. Deleting it (storing null or empty) destroys the payload.
/// </param>
/// <param name="Ciphertext">The payload sealed with the data key; useless without it.</param>
[SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Opaque byte blobs handed to and from storage as they are.")]
public sealed record ProtectedPayload(byte[] WrappedKey, byte[] Ciphertext);
