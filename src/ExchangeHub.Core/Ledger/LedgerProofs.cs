// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Inclusion and consistency proofs from the stored tree: each reads the O(log n) stored node hashes it needs in
/// one query and never recomputes the tree. Proofs carry hashes only; a verifier takes size and root from a
/// signed checkpoint.
/// </summary>
public sealed class LedgerProofs(SqliteLedgerStore store)
{
    /// <summary>The audit path of leaf <paramref name="leafIndex"/> in the tree of <paramref name="treeSize"/> leaves (RFC 9162 §2.1.3.1).</summary>
    public async Task<byte[][]> InclusionProofAsync(long leafIndex, long treeSize, CancellationToken cancellationToken)
    {
        var nodes = await store.ReadNodesAsync(MerkleProofs.InclusionProofNodes(leafIndex, treeSize), cancellationToken);
        return MerkleProofs.InclusionProof(leafIndex, treeSize, id => Node(nodes, id));
    }

    /// <summary>The proof that the tree of <paramref name="size1"/> leaves is a prefix of the tree of <paramref name="size2"/> (RFC 9162 §2.1.4.1).</summary>
    public async Task<byte[][]> ConsistencyProofAsync(long size1, long size2, CancellationToken cancellationToken)
    {
        var nodes = await store.ReadNodesAsync(MerkleProofs.ConsistencyProofNodes(size1, size2), cancellationToken);
        return MerkleProofs.ConsistencyProof(size1, size2, id => Node(nodes, id));
    }

    private static byte[] Node(Dictionary<NodeId, byte[]> nodes, NodeId id) =>
        nodes.TryGetValue(id, out var hash) ? hash : throw new LogIntegrityException($"EH4004: tree node {id} is missing.");
}
