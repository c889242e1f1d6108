// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

public sealed class MerkleFrontierTests
{
    private const int Leaves = 300;

    private static readonly byte[][] _entries = MerkleTestData.Entries(Leaves);

    [Fact]
    public void Append_ZeroToThreeHundredLeaves_RootsMatchRfcMthAndComputeRoot()
    {
        var frontier = MerkleFrontier.Empty;
        var store = new InMemoryNodeStore();
        Assert.Equal(MerkleHash.EmptyRoot, frontier.Root());

        for (var n = 1; n <= Leaves; n++)
        {
            var leaf = MerkleHash.HashLeaf(_entries[n - 1]);
            frontier.Append(leaf);
            store.Append(leaf);

            var expected = RfcReference.Mth(_entries[..n]);
            Assert.True(expected.AsSpan().SequenceEqual(frontier.Root()), $"frontier root at size {n}");
            Assert.True(expected.AsSpan().SequenceEqual(MerkleProofs.ComputeRoot(n, store.Node)), $"stored root at size {n}");
            Assert.Equal(n, frontier.Size);
        }
    }

    [Fact]
    public void Append_EachLeaf_ReturnsExactlyTheSubtreesItCompletes()
    {
        var frontier = MerkleFrontier.Empty;
        var stored = new HashSet<NodeId>();

        for (var n = 1; n <= Leaves; n++)
        {
            var completed = frontier.Append(MerkleHash.HashLeaf(_entries[n - 1]));

            // Leaf n - 1 completes every perfect subtree that ends at leaf n: the leaf, then one parent per level.
            var expected = Enumerable.Range(0, 63)
                .TakeWhile(level => n % (1L << level) == 0)
                .Select(level => new NodeId(level, (n >> level) - 1))
                .ToList();
            Assert.Equal(expected, completed.Select(node => node.Id).ToList());
            foreach (var (id, hash) in completed)
            {
                Assert.True(stored.Add(id), $"{id} returned twice");
                var run = _entries[(int)id.Start..(int)id.End];
                Assert.True(RfcReference.Mth(run).AsSpan().SequenceEqual(hash), $"hash of {id}");
            }
        }

        // Every perfect subtree of the final tree was handed out exactly once: 2n - popcount(n) of them.
        Assert.Equal((2 * Leaves) - System.Numerics.BitOperations.PopCount(Leaves), stored.Count);
    }

    [Fact]
    public void Constructor_RestoredAtEverySizeFromStoredRootNodes_ContinuesIdentically()
    {
        var store = MerkleTestData.StoreOf(_entries);
        for (var size = 0; size <= 100; size++)
        {
            var rootNodeHashes = MerkleProofs.RootNodes(size).Select(store.Node).ToList();
            var restored = new MerkleFrontier(size, rootNodeHashes);
            var original = MerkleFrontier.Empty;
            foreach (var entry in _entries[..size])
            {
                original.Append(MerkleHash.HashLeaf(entry));
            }

            Assert.Equal(size, restored.Size);
            Assert.Equal(original.Root(), restored.Root());
            Assert.Equal(original.RootNodeHashes, restored.RootNodeHashes);
            Assert.Equal(rootNodeHashes, restored.RootNodeHashes);
            for (var n = size + 1; n <= size + 34; n++)
            {
                var leaf = MerkleHash.HashLeaf(_entries[n - 1]);
                var fromRestored = restored.Append(leaf);
                var fromOriginal = original.Append(leaf);

                Assert.Equal(fromOriginal.Select(node => node.Id), fromRestored.Select(node => node.Id));
                Assert.Equal(fromOriginal.Select(node => node.Hash), fromRestored.Select(node => node.Hash));
                Assert.True(restored.Root().AsSpan().SequenceEqual(MerkleProofs.ComputeRoot(n, store.Node)), $"restored at {size}, root at {n}");
            }
        }
    }

    [Fact]
    public void Constructor_WrongNumberOfHashes_Throws()
    {
        var hash = MerkleHash.HashLeaf([1]);

        var exception = Assert.Throws<ArgumentException>(() => new MerkleFrontier(6, [hash]));

        Assert.Contains("6 leaves has 2 root nodes", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MerkleFrontier(0, [hash]));
        Assert.Throws<ArgumentException>(() => new MerkleFrontier(7, [hash, hash]));
    }

    [Fact]
    public void Constructor_HashNot32Bytes_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new MerkleFrontier(3, [new byte[32], new byte[31]]));

        Assert.Contains("31 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NegativeSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleFrontier(-1, []));
    }

    [Fact]
    public void Append_LeafHashNot32Bytes_ThrowsAndLeavesFrontierUnchanged()
    {
        var frontier = MerkleFrontier.Empty;
        frontier.Append(MerkleHash.HashLeaf([1]));
        var root = frontier.Root();

        Assert.Throws<ArgumentException>(() => frontier.Append(new byte[31]));
        Assert.Throws<ArgumentException>(() => frontier.Append([1, 2, 3]));

        Assert.Equal(1, frontier.Size);
        Assert.Equal(root, frontier.Root());
    }

    [Fact]
    public void Append_AtTheLargestTreeSize_ThrowsButTheLeafBeforeItFits()
    {
        var hash = MerkleHash.HashLeaf([1]);
        var frontier = new MerkleFrontier(long.MaxValue - 1, Enumerable.Repeat(hash, 62).ToList());

        var completed = frontier.Append(hash);

        Assert.Equal(new NodeId(0, long.MaxValue - 1), Assert.Single(completed).Id);
        Assert.Equal(long.MaxValue, frontier.Size);
        Assert.Throws<InvalidOperationException>(() => frontier.Append(hash));
    }

    [Fact]
    public void RootNodeHashes_CallerAltersThem_FrontierUnchanged()
    {
        var frontier = MerkleFrontier.Empty;
        var given = MerkleHash.HashLeaf([9]);
        var completed = frontier.Append(given);
        var root = frontier.Root();

        frontier.RootNodeHashes[0][0] ^= 1;
        completed[0].Hash[0] ^= 1;
        given[0] ^= 1;

        Assert.Equal(root, frontier.Root());
    }

    [Fact]
    public void Empty_ReadTwice_ReturnsIndependentFrontiers()
    {
        var first = MerkleFrontier.Empty;
        first.Append(MerkleHash.HashLeaf([1]));

        Assert.Equal(0, MerkleFrontier.Empty.Size);
        Assert.NotSame(first, MerkleFrontier.Empty);
    }
}
