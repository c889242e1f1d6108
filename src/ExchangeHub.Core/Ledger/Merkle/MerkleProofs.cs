// This file is part of ExchangeHub.

using System.Numerics;

namespace ExchangeHub.Core.Ledger.Merkle;

/// <summary>
/// Builds Merkle tree hashes, inclusion proofs and consistency proofs (RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1)
/// from the hashes of perfect subtrees only, as a store of <see cref="NodeId"/> hashes holds them.
/// </summary>
/// <remarks>
/// <para>
/// RFC 9162 defines every proof component as the Merkle Tree Hash of a run of leaves D[a:b], found by
/// splitting at k, the largest power of two smaller than the number of leaves. Each such run is either a
/// perfect subtree (stored as one node) or, on the right edge of a tree of size n, a run D[a:n] with a a
/// multiple of a power of two larger than n − a. The binary decomposition of n − a is then the tail of the
/// decomposition of n itself, so that run's hash is recombined from the perfect subtrees of
/// <see cref="RootNodes"/>(n) that start at or after a, folded right to left exactly as MTH splits it.
/// </para>
/// <para>
/// The <c>*Nodes</c> methods return exactly the perfect subtrees a proof needs, in proof order and without
/// duplicates, so a store can fetch them in one query; the proof methods then read nothing else.
/// </para>
/// <para>
/// Why that stays O(log n), with h = ⌈log2 n⌉ the tree's height: the runs are siblings met on one walk down
/// from the root. Only one can be a right-edge run that is not perfect — the right sibling where the walk first
/// leaves the right edge — and below that turn lies a perfect subtree of some height j, with the run shorter
/// than 2^j, so it takes at most j nodes. With t steps above the turn (t + 1 + j ≤ h), an inclusion proof needs
/// at most t + 2j ≤ 2h − 2 nodes (h when every run is perfect) and a consistency proof, which may add the old
/// subtree itself, at most t + 2j + 1 ≤ 2h − 1. So for n ≥ 2: at most max(h, 2h − 2) and 2h − 1 nodes, never
/// more than 125; ProofNodeCountTests checks both bounds and that they are reached.
/// </para>
/// </remarks>
public static class MerkleProofs
{
    /// <summary>
    /// The perfect subtrees whose hashes, folded from right to left with HASH(0x01 || left || right), give the
    /// root of a tree of <paramref name="treeSize"/> leaves: one per set bit of the size, largest (leftmost)
    /// first. Empty for size 0, whose root is <see cref="MerkleHash.EmptyRoot"/>.
    /// </summary>
    /// <remarks>
    /// This is RFC 9162 §2.1.1's MTH unrolled: splitting at the largest power of two smaller than n peels off
    /// the highest set bit of n as a perfect left subtree, then recurses on the remainder.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="treeSize"/> is negative.</exception>
    public static IReadOnlyList<NodeId> RootNodes(long treeSize)
    {
        RequireTreeSize(treeSize, nameof(treeSize));
        return Decompose(0, treeSize);
    }

    /// <summary>
    /// Computes the Merkle Tree Hash of the first <paramref name="treeSize"/> leaves (RFC 9162 §2.1.1) from the
    /// hashes of <see cref="RootNodes"/>(<paramref name="treeSize"/>), read through <paramref name="node"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="treeSize"/> is negative.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="node"/> returned a hash that is not 32 bytes.</exception>
    public static byte[] ComputeRoot(long treeSize, Func<NodeId, byte[]> node)
    {
        RequireTreeSize(treeSize, nameof(treeSize));
        ArgumentNullException.ThrowIfNull(node);
        return treeSize == 0 ? MerkleHash.EmptyRoot : Fold(Decompose(0, treeSize), node);
    }

    /// <summary>
    /// The perfect subtrees an inclusion proof for leaf <paramref name="leafIndex"/> in a tree of
    /// <paramref name="treeSize"/> leaves needs (RFC 9162 §2.1.3.1), in proof order, each once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative, or
    /// <paramref name="leafIndex"/> is not below <paramref name="treeSize"/>.</exception>
    public static IReadOnlyCollection<NodeId> InclusionProofNodes(long leafIndex, long treeSize)
    {
        return NodesOf(InclusionRuns(leafIndex, treeSize));
    }

    /// <summary>
    /// Builds the inclusion proof PATH(m, D[n]) of RFC 9162 §2.1.3.1 for leaf <paramref name="leafIndex"/>
    /// (m) in a tree of <paramref name="treeSize"/> (n) leaves: the sibling hashes from the leaf up to the root.
    /// Reads exactly the nodes of <see cref="InclusionProofNodes"/> through <paramref name="node"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative, or
    /// <paramref name="leafIndex"/> is not below <paramref name="treeSize"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="node"/> returned a hash that is not 32 bytes.</exception>
    public static byte[][] InclusionProof(long leafIndex, long treeSize, Func<NodeId, byte[]> node)
    {
        var runs = InclusionRuns(leafIndex, treeSize);
        ArgumentNullException.ThrowIfNull(node);
        return HashRuns(runs, node);
    }

    /// <summary>
    /// The perfect subtrees a consistency proof from size <paramref name="size1"/> to size
    /// <paramref name="size2"/> needs (RFC 9162 §2.1.4.1), in proof order, each once. Empty when the sizes are
    /// equal.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or zero, or
    /// <paramref name="size1"/> is greater than <paramref name="size2"/>.</exception>
    public static IReadOnlyCollection<NodeId> ConsistencyProofNodes(long size1, long size2)
    {
        return NodesOf(ConsistencyRuns(size1, size2));
    }

    /// <summary>
    /// Builds the consistency proof PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 §2.1.4.1 between the
    /// tree of <paramref name="size1"/> (m) leaves and the tree of <paramref name="size2"/> (n) leaves. Reads
    /// exactly the nodes of <see cref="ConsistencyProofNodes"/> through <paramref name="node"/>.
    /// </summary>
    /// <remarks>
    /// RFC 9162 defines the proof for 0 &lt; m &lt; n; for m = n it is empty, as SUBPROOF(m, D[m], true) = {}
    /// gives. Size 0 is refused: every tree extends the empty tree, there is nothing to prove, and
    /// <see cref="MerkleVerifier"/> rejects any consistency claim from size 0, so a proof for it could only
    /// mislead. A caller whose previous tree head has size 0 should skip the consistency check.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or zero, or
    /// <paramref name="size1"/> is greater than <paramref name="size2"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="node"/> returned a hash that is not 32 bytes.</exception>
    public static byte[][] ConsistencyProof(long size1, long size2, Func<NodeId, byte[]> node)
    {
        var runs = ConsistencyRuns(size1, size2);
        ArgumentNullException.ThrowIfNull(node);
        return HashRuns(runs, node);
    }

    // The runs of leaves [Start, End) whose MTH are the components of PATH(m, D[n]), bottom-up. The recursion of
    // RFC 9162 §2.1.3.1 is walked top-down (each step appends its sibling after the deeper part), then reversed.
    private static List<(long Start, long End)> InclusionRuns(long leafIndex, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        RequireTreeSize(treeSize, nameof(treeSize));
        if (leafIndex >= treeSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(leafIndex),
                leafIndex,
                $"Leaf index {leafIndex} is not in a tree of {treeSize} leaves: it must be below the tree size.");
        }

        var runs = new List<(long Start, long End)>(64);
        long low = 0;
        var high = treeSize;
        while (high - low > 1)
        {
            var split = low + LargestPowerOfTwoBelow(high - low);
            if (leafIndex < split)
            {
                // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k.
                runs.Add((split, high));
                high = split;
            }
            else
            {
                // PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k]) for m >= k.
                runs.Add((low, split));
                low = split;
            }
        }

        runs.Reverse();
        return runs;
    }

    // The runs whose MTH are the components of SUBPROOF(m, D[n], true), RFC 9162 §2.1.4.1, walked top-down and
    // reversed like InclusionRuns.
    private static List<(long Start, long End)> ConsistencyRuns(long size1, long size2)
    {
        RequireTreeSize(size1, nameof(size1));
        RequireTreeSize(size2, nameof(size2));
        if (size1 > size2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(size1),
                size1,
                $"size1 ({size1}) is greater than size2 ({size2}): a tree is only consistent with a tree at least as large.");
        }

        if (size1 == 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(size1),
                size1,
                "size1 is 0: RFC 9162 §2.1.4.1 defines consistency proofs for 0 < size1 only; every tree extends the empty tree.");
        }

        var runs = new List<(long Start, long End)>(64);
        long low = 0;
        var high = size2;
        var remaining = size1 - low;
        var knownRoot = true;
        while (remaining != high - low)
        {
            var split = low + LargestPowerOfTwoBelow(high - low);
            if (size1 <= split)
            {
                // SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) for m <= k.
                runs.Add((split, high));
                high = split;
            }
            else
            {
                // SUBPROOF(m, D[n], b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]) for m > k.
                runs.Add((low, split));
                low = split;
                knownRoot = false;
            }

            remaining = size1 - low;
        }

        // SUBPROOF(m, D[m], true) = {}: the verifier holds the old root. SUBPROOF(m, D[m], false) = {MTH(D[m])}.
        if (!knownRoot)
        {
            runs.Add((low, high));
        }

        runs.Reverse();
        return runs;
    }

    private static List<NodeId> NodesOf(List<(long Start, long End)> runs)
    {
        var nodes = new List<NodeId>(2 * runs.Count);
        foreach (var (start, end) in runs)
        {
            nodes.AddRange(Decompose(start, end));
        }

        return nodes;
    }

    private static byte[][] HashRuns(List<(long Start, long End)> runs, Func<NodeId, byte[]> node)
    {
        var proof = new byte[runs.Count][];
        for (var i = 0; i < runs.Count; i++)
        {
            proof[i] = Fold(Decompose(runs[i].Start, runs[i].End), node);
        }

        return proof;
    }

    // The perfect subtrees covering [start, end), largest first. Every run a proof or a root uses is either one
    // aligned perfect subtree or a right-edge run whose start is aligned to a power of two larger than its
    // length; for those the greedy cover is the binary decomposition of the length, which is how MTH splits it.
    private static List<NodeId> Decompose(long start, long end)
    {
        var nodes = new List<NodeId>(BitOperations.PopCount((ulong)(end - start)));
        while (start < end)
        {
            var level = 63 - BitOperations.LeadingZeroCount((ulong)(end - start));
            if (start != 0)
            {
                level = Math.Min(level, BitOperations.TrailingZeroCount(start));
            }

            nodes.Add(new NodeId(level, start >> level));
            start += 1L << level;
        }

        return nodes;
    }

    // MTH of a run from its decomposition: the rightmost subtree is the innermost right child. The running hash
    // is a fresh copy, so folding in place never writes into the caller's (or the store's) arrays.
    private static byte[] Fold(List<NodeId> nodes, Func<NodeId, byte[]> node)
    {
        var hash = (byte[])Fetch(nodes[^1], node).Clone();
        for (var i = nodes.Count - 2; i >= 0; i--)
        {
            MerkleHash.HashChildren(Fetch(nodes[i], node), hash, hash);
        }

        return hash;
    }

    private static byte[] Fetch(NodeId id, Func<NodeId, byte[]> node)
    {
        var hash = node(id);
        if (hash is null || hash.Length != MerkleHash.Size)
        {
            throw new InvalidOperationException(
                $"The hash of node {id} is {(hash is null ? "missing" : $"{hash.Length} bytes")}, not {MerkleHash.Size} bytes.");
        }

        return hash;
    }

    private static long LargestPowerOfTwoBelow(long n)
    {
        // n >= 2 here, so the result is the largest k = 2^i with k < n (RFC 9162 §2.1.1).
        return 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));
    }

    private static void RequireTreeSize(long size, string name)
    {
        if (size < 0)
        {
            throw new ArgumentOutOfRangeException(name, size, $"A tree size cannot be negative ({name} is {size}).");
        }
    }
}
