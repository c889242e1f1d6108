// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

/// <summary>Roots of the classic Certificate Transparency test tree, the known answers every CT log agrees on.</summary>
public sealed class KnownAnswerRootTests
{
    // The roots of the first 1..8 classic leaves, as published with the RFC 6962 reference test data
    // (certificate-transparency and transparency-dev/merkle test suites).
    private static readonly string[] _prefixRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void ComputeRoot_AllEightClassicLeaves_IsTheKnownRoot()
    {
        var store = MerkleTestData.StoreOf(MerkleTestData.ClassicLeaves);

        Assert.Equal(
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
            Convert.ToHexStringLower(MerkleProofs.ComputeRoot(8, store.Node)));
        Assert.Equal(
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
            Convert.ToHexStringLower(store.Root()));
    }

    [Fact]
    public void ComputeRoot_EmptyTree_IsSha256OfTheEmptyString()
    {
        var store = new InMemoryNodeStore();

        Assert.Equal(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            Convert.ToHexStringLower(MerkleProofs.ComputeRoot(0, store.Node)));
        Assert.Equal(MerkleHash.EmptyRoot, store.Root());
        Assert.Equal(MerkleHash.EmptyRoot, RfcReference.Mth([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void ComputeRoot_ClassicLeavesPrefix_MatchesKnownRootAndRfcTranscription(int size)
    {
        var store = MerkleTestData.StoreOf(MerkleTestData.ClassicLeaves);
        var frontier = MerkleFrontier.Empty;
        foreach (var entry in MerkleTestData.ClassicLeaves[..size])
        {
            frontier.Append(MerkleHash.HashLeaf(entry));
        }

        var expected = _prefixRoots[size - 1];

        Assert.Equal(expected, Convert.ToHexStringLower(RfcReference.Mth(MerkleTestData.ClassicLeaves[..size])));
        Assert.Equal(expected, Convert.ToHexStringLower(MerkleProofs.ComputeRoot(size, store.Node)));
        Assert.Equal(expected, Convert.ToHexStringLower(frontier.Root()));
    }
}
