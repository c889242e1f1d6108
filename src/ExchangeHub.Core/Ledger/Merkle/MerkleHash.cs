// This file is part of ExchangeHub.

using System.Security.Cryptography;

namespace ExchangeHub.Core.Ledger.Merkle;

/// <summary>
/// The hashing of RFC 9162 §2.1.1 with SHA-256: a leaf is HASH(0x00 || entry), an interior node is
/// HASH(0x01 || left || right), and the empty tree is HASH() — the SHA-256 of no bytes.
/// </summary>
/// <remarks>
/// The distinct 0x00 / 0x01 prefixes are the second-preimage defence of RFC 9162 §2.1.1: without them a
/// 64-byte entry could be passed off as an interior node (or the reverse), and a proof for one tree could be
/// replayed as a proof for another. Every method here is allocation-free except the ones that return a new
/// array, so the log writer and the verifier can hash on a hot path.
/// </remarks>
public static class MerkleHash
{
    /// <summary>The length in bytes of every hash in the tree: 32, the SHA-256 output size.</summary>
    public const int Size = SHA256.HashSizeInBytes;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    // Entries up to this length are prefixed on the stack; longer ones are streamed through IncrementalHash
    // rather than copied, so a large entry costs no large buffer.
    private const int StackEntryLimit = 512;

    private static readonly byte[] _emptyRoot = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>
    /// The root of the tree with no leaves: SHA-256 of the empty string,
    /// e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 (RFC 9162 §2.1.1, MTH({}) = HASH()).
    /// Returns a new array on each call, so a caller cannot alter the constant for everyone else.
    /// </summary>
    public static byte[] EmptyRoot => (byte[])_emptyRoot.Clone();

    /// <summary>Returns the leaf hash HASH(0x00 || <paramref name="data"/>) of one log entry (RFC 9162 §2.1.1).</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        HashLeaf(data, hash);
        return hash;
    }

    /// <summary>
    /// Writes the leaf hash HASH(0x00 || <paramref name="data"/>) (RFC 9162 §2.1.1) into the first
    /// <see cref="Size"/> bytes of <paramref name="destination"/>, without allocating for entries up to 512 bytes.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    public static void HashLeaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        RequireDestination(destination);
        if (data.Length <= StackEntryLimit)
        {
            Span<byte> buffer = stackalloc byte[StackEntryLimit + 1];
            buffer[0] = LeafPrefix;
            data.CopyTo(buffer[1..]);
            SHA256.HashData(buffer[..(data.Length + 1)], destination);
            return;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([LeafPrefix]);
        hash.AppendData(data);
        hash.GetHashAndReset(destination);
    }

    /// <summary>
    /// Returns the interior node hash HASH(0x01 || <paramref name="left"/> || <paramref name="right"/>)
    /// (RFC 9162 §2.1.1).
    /// </summary>
    /// <exception cref="ArgumentException">A child is not exactly <see cref="Size"/> bytes.</exception>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        HashChildren(left, right, hash);
        return hash;
    }

    /// <summary>
    /// Writes the interior node hash HASH(0x01 || <paramref name="left"/> || <paramref name="right"/>)
    /// (RFC 9162 §2.1.1) into the first <see cref="Size"/> bytes of <paramref name="destination"/>, without
    /// allocating. The children are copied before hashing, so <paramref name="destination"/> may be the same
    /// memory as either child (the verifier folds a running hash in place).
    /// </summary>
    /// <remarks>
    /// Both children must be exactly <see cref="Size"/> bytes: a shorter or longer "hash" would shift the
    /// boundary between left and right and could make two different pairs hash alike.
    /// </remarks>
    /// <exception cref="ArgumentException">A child is not exactly <see cref="Size"/> bytes, or
    /// <paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != Size)
        {
            throw new ArgumentException($"The left child is {left.Length} bytes, not {Size}.", nameof(left));
        }

        if (right.Length != Size)
        {
            throw new ArgumentException($"The right child is {right.Length} bytes, not {Size}.", nameof(right));
        }

        RequireDestination(destination);
        Span<byte> buffer = stackalloc byte[1 + (2 * Size)];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        SHA256.HashData(buffer, destination);
    }

    private static void RequireDestination(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"The destination is {destination.Length} bytes; a hash needs {Size}.", nameof(destination));
        }
    }
}
