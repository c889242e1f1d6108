// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Ledger.Merkle;

/// <summary>
/// A Merkle tree held in memory as a dictionary of perfect-subtree hashes, filled through a
/// <see cref="MerkleFrontier"/> exactly as the persistent store is. For tests and tools (hubctl audits of an
/// exported log); not for the hub, whose tree must survive a restart. Not thread-safe.
/// </summary>
public sealed class InMemoryNodeStore
{
    private readonly Dictionary<NodeId, byte[]> _nodes = [];
    private readonly MerkleFrontier _frontier = MerkleFrontier.Empty;

    /// <summary>The number of leaves appended so far.</summary>
    public long Size => _frontier.Size;

    /// <summary>The number of perfect subtrees stored: 2·<see cref="Size"/> − popcount(<see cref="Size"/>).</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>
    /// Appends a leaf hash (HASH(0x00 || entry), RFC 9162 §2.1.1) and stores every perfect subtree it completes.
    /// </summary>
    /// <returns>The index of the new leaf.</returns>
    /// <exception cref="ArgumentException"><paramref name="leafHash"/> is not 32 bytes.</exception>
    public long Append(ReadOnlySpan<byte> leafHash)
    {
        var index = _frontier.Size;
        foreach (var (id, hash) in _frontier.Append(leafHash))
        {
            _nodes.Add(id, hash);
        }

        return index;
    }

    /// <summary>
    /// The hash of a stored perfect subtree, as a copy. Pass <c>store.Node</c> as the node reader of
    /// <see cref="MerkleProofs"/>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The subtree is not complete in the tree so far.</exception>
    public byte[] Node(NodeId id)
    {
        return _nodes.TryGetValue(id, out var hash)
            ? (byte[])hash.Clone()
            : throw new KeyNotFoundException(
                $"Node {id} is not stored: it covers leaves up to {id.End}, and the tree has {Size}.");
    }

    /// <summary>The root of the tree so far (RFC 9162 §2.1.1); <see cref="MerkleHash.EmptyRoot"/> when empty.</summary>
    public byte[] Root()
    {
        return _frontier.Root();
    }
}
