// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

/// <summary>
/// The node sets a store must fetch stay O(log n). Proven bounds (see <see cref="MerkleProofs"/>), for a tree of
/// n ≥ 2 leaves with h = ⌈log2 n⌉: an inclusion proof needs at most max(h, 2h − 2) nodes and a consistency
/// proof at most 2h − 1, both within the 2h + 1 the ledger design allows.
/// </summary>
public sealed class ProofNodeCountTests
{
    [Fact]
    public void InclusionProofNodes_EveryLeafOfEverySizeUpTo600_WithinBoundAndBoundAttained()
    {
        var attained = false;
        for (long n = 1; n <= 600; n++)
        {
            var bound = InclusionBound(n);
            for (long m = 0; m < n; m++)
            {
                var count = MerkleProofs.InclusionProofNodes(m, n).Count;
                if (count > bound || count > (2 * MerkleTestData.CeilLog2(n)) + 1)
                {
                    Assert.Fail($"Inclusion of {m} in {n} needs {count} nodes; the bound is {bound}.");
                }

                attained |= count == bound && n > 8;
            }
        }

        Assert.True(attained, "The inclusion bound is never reached: it is not tight.");
    }

    [Fact]
    public void ConsistencyProofNodes_EveryPairOfSizesUpTo600_WithinBoundAndBoundAttained()
    {
        var attained = false;
        for (long n = 2; n <= 600; n++)
        {
            var bound = ConsistencyBound(n);
            for (long m = 1; m < n; m++)
            {
                var count = MerkleProofs.ConsistencyProofNodes(m, n).Count;
                if (count > bound || count > (2 * MerkleTestData.CeilLog2(n)) + 1)
                {
                    Assert.Fail($"Consistency from {m} to {n} needs {count} nodes; the bound is {bound}.");
                }

                attained |= count == bound && n > 8;
            }
        }

        Assert.True(attained, "The consistency bound is never reached: it is not tight.");
    }

    [Fact]
    public void ProofNodes_RandomSizesUpToTheLargestTree_WithinBound()
    {
        var seed = MerkleTestData.Seed;
        var random = new Random(seed);
        for (var sample = 0; sample < 5_000; sample++)
        {
            var n = sample == 0 ? long.MaxValue : Math.Max(2, random.NextInt64(long.MaxValue) >> random.Next(63));
            var m = random.NextInt64(n);
            var size1 = Math.Max(1, m);

            var inclusion = MerkleProofs.InclusionProofNodes(m, n);
            var consistency = MerkleProofs.ConsistencyProofNodes(size1, n);

            if (inclusion.Count > InclusionBound(n) || consistency.Count > ConsistencyBound(n))
            {
                Assert.Fail($"seed {seed}: inclusion of {m} in {n} needs {inclusion.Count} nodes, consistency {size1} -> {n} {consistency.Count}.");
            }

            if (inclusion.Concat(consistency).Any(id => id.End > n))
            {
                Assert.Fail($"seed {seed}: a node for {m}, {size1} and {n} lies beyond the tree.");
            }
        }
    }

    [Fact]
    public void RootNodes_AnySize_OneNodePerSetBitLargestFirst()
    {
        Assert.Empty(MerkleProofs.RootNodes(0));
        Assert.Equal([new NodeId(2, 0), new NodeId(1, 2), new NodeId(0, 6)], MerkleProofs.RootNodes(7));
        Assert.Equal([new NodeId(3, 0)], MerkleProofs.RootNodes(8));
        Assert.Equal(63, MerkleProofs.RootNodes(long.MaxValue).Count);
        Assert.Equal(new NodeId(0, long.MaxValue - 1), MerkleProofs.RootNodes(long.MaxValue)[^1]);
    }

    private static int InclusionBound(long n)
    {
        var h = MerkleTestData.CeilLog2(n);
        return Math.Max(h, (2 * h) - 2);
    }

    private static int ConsistencyBound(long n)
    {
        return (2 * MerkleTestData.CeilLog2(n)) - 1;
    }
}
