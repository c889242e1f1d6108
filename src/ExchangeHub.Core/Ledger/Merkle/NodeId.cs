// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Ledger.Merkle;

/// <summary>
/// Names one perfect subtree of the log's Merkle tree: the subtree over the leaves
/// [<see cref="Index"/>·2^<see cref="Level"/>, (<see cref="Index"/> + 1)·2^<see cref="Level"/>).
/// Level 0 is a leaf hash, HASH(0x00 || entry); level L &gt; 0 is HASH(0x01 || left child || right child).
/// </summary>
/// <remarks>
/// <para>
/// Why perfect subtrees only: RFC 9162 §2.1.1 splits a list of n leaves at k, the largest power of two
/// smaller than n, so the hash of a perfect (power-of-two, aligned) subtree depends only on its own leaves
/// and never changes once its last leaf is appended. That makes it the unit a store writes once and serves
/// forever. The right edge of a tree whose size is not a power of two is never stored: it is recombined
/// from the perfect subtrees of the size's binary decomposition (<see cref="MerkleProofs.RootNodes"/>).
/// </para>
/// <para>
/// Construction checks the coordinates so that a node read back from storage cannot name a subtree
/// outside the range a <see cref="long"/> tree size can reach: <see cref="Level"/> is 0 to
/// <see cref="MaxLevel"/>, <see cref="Index"/> is non-negative and <see cref="End"/> does not overflow.
/// </para>
/// </remarks>
public readonly record struct NodeId(int Level, long Index)
{
    /// <summary>The highest level a tree of at most <see cref="long.MaxValue"/> leaves has: 62.</summary>
    public const int MaxLevel = 62;

    /// <summary>The height above the leaves: 0 for a leaf hash, L for a subtree of 2^L leaves.</summary>
    public int Level { get; } = Level is >= 0 and <= MaxLevel
        ? Level
        : throw new ArgumentOutOfRangeException(nameof(Level), Level, $"A node level is 0 to {MaxLevel}.");

    /// <summary>The position among the subtrees of this level, counted from 0 at the left.</summary>
    public long Index { get; } = Index >= 0 && Level is >= 0 and <= MaxLevel && Index < long.MaxValue >> Level
        ? Index
        : throw new ArgumentOutOfRangeException(
            nameof(Index),
            Index,
            "A node index is non-negative and small enough that the subtree's leaves fit a tree size.");

    /// <summary>The index of the first leaf this subtree covers: <see cref="Index"/>·2^<see cref="Level"/>.</summary>
    public long Start => Index << Level;

    /// <summary>The index one past the last leaf this subtree covers: the smallest tree size that contains it.</summary>
    public long End => (Index + 1) << Level;
}
