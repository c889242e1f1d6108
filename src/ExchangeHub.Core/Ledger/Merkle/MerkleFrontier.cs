// This file is part of ExchangeHub.

using System.Numerics;

namespace ExchangeHub.Core.Ledger.Merkle;

/// <summary>
/// The right edge of a growing Merkle tree: the hashes of <see cref="MerkleProofs.RootNodes"/>(size), one per
/// set bit of the size. It is all the single log writer needs to append a leaf, learn which perfect subtrees
/// the append completed, and compute the new root (RFC 9162 §2.1.1) without reading the store.
/// </summary>
/// <remarks>
/// <para>
/// Appending leaf number <c>size</c> works like incrementing a binary counter: the new leaf is a level-0
/// subtree; while the rightmost subtree on the edge has the same level, the two merge into their parent.
/// Every subtree created this way is perfect and final, so the store can persist it and never touch it again.
/// </para>
/// <para>
/// Not thread-safe: one writer owns a frontier. <see cref="Append"/> checks its input before it changes
/// anything, so a rejected append leaves the frontier as it was. The writer should persist the nodes an
/// append returns (and the leaf) in the same transaction that advances the size, and treat any failure as
/// fail-stop: rebuild the frontier from the store rather than continue with one it is unsure of.
/// </para>
/// </remarks>
public sealed class MerkleFrontier
{
    // The perfect subtrees on the right edge, left to right, levels strictly decreasing.
    private readonly List<(NodeId Id, byte[] Hash)> _edge;

    /// <summary>
    /// Restores the frontier of a tree of <paramref name="size"/> leaves from the hashes of
    /// <see cref="MerkleProofs.RootNodes"/>(<paramref name="size"/>), in that order (largest subtree first),
    /// as the store holds them. The hashes are copied.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    /// <exception cref="ArgumentException">The number of hashes is not the number of root nodes of the size,
    /// or a hash is not 32 bytes.</exception>
    public MerkleFrontier(long size, IReadOnlyList<byte[]> rootNodeHashes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(rootNodeHashes);
        var ids = MerkleProofs.RootNodes(size);
        if (rootNodeHashes.Count != ids.Count)
        {
            throw new ArgumentException(
                $"A tree of {size} leaves has {ids.Count} root nodes (one per set bit of the size), but {rootNodeHashes.Count} hashes were given.",
                nameof(rootNodeHashes));
        }

        _edge = new List<(NodeId Id, byte[] Hash)>(64);
        for (var i = 0; i < ids.Count; i++)
        {
            var hash = rootNodeHashes[i];
            if (hash is null || hash.Length != MerkleHash.Size)
            {
                throw new ArgumentException(
                    $"Root node hash {i} ({ids[i]}) is {(hash is null ? "missing" : $"{hash.Length} bytes")}, not {MerkleHash.Size} bytes.",
                    nameof(rootNodeHashes));
            }

            _edge.Add((ids[i], (byte[])hash.Clone()));
        }

        Size = size;
    }

    /// <summary>A new frontier of the empty tree. A fresh instance on each call: a frontier is mutable.</summary>
    public static MerkleFrontier Empty => new(0, []);

    /// <summary>The number of leaves appended so far.</summary>
    public long Size { get; private set; }

    /// <summary>
    /// Copies of the hashes of <see cref="MerkleProofs.RootNodes"/>(<see cref="Size"/>), largest subtree first:
    /// what to store (or read back) to restore this frontier with the constructor.
    /// </summary>
    public IReadOnlyList<byte[]> RootNodeHashes => _edge.Select(node => (byte[])node.Hash.Clone()).ToArray();

    /// <summary>
    /// Appends the leaf hash HASH(0x00 || entry) (see <see cref="MerkleHash.HashLeaf(ReadOnlySpan{byte})"/>) as
    /// leaf number <see cref="Size"/>, and returns every perfect subtree this append completed, for the store:
    /// the leaf itself at level 0 first, then each parent that became complete, lowest level first.
    /// </summary>
    /// <returns>One node for an even size before the append, up to 63 otherwise; the hashes are new arrays.</returns>
    /// <exception cref="ArgumentException"><paramref name="leafHash"/> is not 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The tree already has <see cref="long.MaxValue"/> leaves.</exception>
    public IReadOnlyList<(NodeId Id, byte[] Hash)> Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes, not {leafHash.Length}.", nameof(leafHash));
        }

        if (Size == long.MaxValue)
        {
            throw new InvalidOperationException($"The tree is full: it has {long.MaxValue} leaves, the most a tree size can count.");
        }

        // Appending leaf number Size completes one subtree per trailing one bit of Size, plus the leaf itself.
        var completed = new List<(NodeId Id, byte[] Hash)>(1 + BitOperations.TrailingZeroCount(~Size));
        var id = new NodeId(0, Size);
        var hash = leafHash.ToArray();
        completed.Add((id, (byte[])hash.Clone()));
        while (_edge.Count > 0 && _edge[^1].Id.Level == id.Level)
        {
            var left = _edge[^1];
            _edge.RemoveAt(_edge.Count - 1);
            MerkleHash.HashChildren(left.Hash, hash, hash);
            id = new NodeId(id.Level + 1, left.Id.Index >> 1);
            completed.Add((id, (byte[])hash.Clone()));
        }

        _edge.Add((id, hash));
        Size++;
        return completed;
    }

    /// <summary>
    /// The Merkle Tree Hash of the <see cref="Size"/> leaves so far (RFC 9162 §2.1.1): the root nodes folded
    /// from right to left, or <see cref="MerkleHash.EmptyRoot"/> for the empty tree. Equal to
    /// <see cref="MerkleProofs.ComputeRoot"/> over the stored nodes.
    /// </summary>
    public byte[] Root()
    {
        if (_edge.Count == 0)
        {
            return MerkleHash.EmptyRoot;
        }

        var root = (byte[])_edge[^1].Hash.Clone();
        for (var i = _edge.Count - 2; i >= 0; i--)
        {
            MerkleHash.HashChildren(_edge[i].Hash, root, root);
        }

        return root;
    }
}
