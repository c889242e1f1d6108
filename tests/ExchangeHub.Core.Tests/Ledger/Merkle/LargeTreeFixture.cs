// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

/// <summary>
/// One tree of 100,000 random leaves, built once for the property tests. Perfect subtrees are final, so it
/// serves proofs for every tree size up to 100,000.
/// </summary>
public sealed class LargeTreeFixture
{
    /// <summary>The number of leaves: 100,000.</summary>
    public const int Size = 100_000;

    public LargeTreeFixture()
    {
        var random = new Random(MerkleTestData.Seed);
        var leaf = new byte[MerkleHash.Size];
        LeafHashes = new byte[Size][];
        for (var i = 0; i < Size; i++)
        {
            random.NextBytes(leaf);
            LeafHashes[i] = MerkleHash.HashLeaf(leaf);
            Store.Append(LeafHashes[i]);
        }
    }

    public InMemoryNodeStore Store { get; } = new();

    public byte[][] LeafHashes { get; }

    public byte[] Root(long size)
    {
        return MerkleProofs.ComputeRoot(size, Store.Node);
    }
}
