// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

/// <summary>The verifier's edge policies and its reasons, with well-formed 32-byte hashes.</summary>
public sealed class MerkleVerifierTests
{
    private static readonly InMemoryNodeStore _store = MerkleTestData.StoreOf(MerkleTestData.Entries(20));

    private static byte[] Root(long size) => MerkleProofs.ComputeRoot(size, _store.Node);

    [Fact]
    public void CheckConsistency_SizeOneZero_RejectedEvenWithEmptyRootsAndEmptyProof()
    {
        var result = MerkleVerifier.CheckConsistency(0, 0, MerkleHash.EmptyRoot, MerkleHash.EmptyRoot, []);

        Assert.False(result.IsValid);
        Assert.StartsWith("size1 is 0", result.Reason, StringComparison.Ordinal);
        Assert.False(MerkleVerifier.VerifyConsistency(0, 5, MerkleHash.EmptyRoot, Root(5), []));
    }

    [Fact]
    public void CheckConsistency_EqualSizesEqualRootsEmptyProof_Valid()
    {
        Assert.Equal(MerkleVerification.Valid, MerkleVerifier.CheckConsistency(1, 1, Root(1), Root(1), []));
        Assert.True(MerkleVerifier.VerifyConsistency(13, 13, Root(13), Root(13), []));
    }

    [Fact]
    public void CheckConsistency_EqualSizesDifferentRoots_Rejected()
    {
        var result = MerkleVerifier.CheckConsistency(13, 13, Root(13), Root(12), []);

        Assert.False(result.IsValid);
        Assert.Equal("the sizes are equal but root1 and root2 differ", result.Reason);
    }

    [Fact]
    public void CheckConsistency_EqualSizesNonEmptyProof_Rejected()
    {
        var result = MerkleVerifier.CheckConsistency(13, 13, Root(13), Root(13), [Root(1), Root(2)]);

        Assert.False(result.IsValid);
        Assert.Equal("proof has 2 components left over", result.Reason);
    }

    [Fact]
    public void CheckConsistency_Size1GreaterThanSize2_Rejected()
    {
        var result = MerkleVerifier.CheckConsistency(6, 5, Root(6), Root(5), []);

        Assert.Equal("size1 (6) is greater than size2 (5)", result.Reason);
    }

    [Fact]
    public void CheckConsistency_ProofHashNot32Bytes_RejectedWithItsPosition()
    {
        var proof = MerkleProofs.ConsistencyProof(6, 19, _store.Node);
        proof[1] = proof[1][..31];

        var result = MerkleVerifier.CheckConsistency(6, 19, Root(6), Root(19), proof);

        Assert.Equal("proof hash 1 is 31 bytes, not 32", result.Reason);
    }

    [Fact]
    public void CheckConsistency_RootNot32Bytes_RejectedEvenForEqualSizes()
    {
        var result = MerkleVerifier.CheckConsistency(3, 3, Root(3).AsSpan(0, 12), Root(3).AsSpan(0, 12), []);

        Assert.Equal("root1 is 12 bytes, not 32", result.Reason);
    }

    [Fact]
    public void CheckConsistency_WrongOldRoot_SaysWhichRoot()
    {
        var proof = MerkleProofs.ConsistencyProof(6, 19, _store.Node);

        Assert.Equal(
            "the old root computed from the proof does not match root1",
            MerkleVerifier.CheckConsistency(6, 19, Root(7), Root(19), proof).Reason);
        Assert.Equal(
            "the new root computed from the proof does not match root2",
            MerkleVerifier.CheckConsistency(6, 19, Root(6), Root(18), proof).Reason);
    }

    [Theory]
    [InlineData(-1, 5, "leaf index -1 is negative")]
    [InlineData(0, -5, "tree size -5 is negative")]
    [InlineData(5, 5, "leaf index 5 is not below tree size 5")]
    [InlineData(0, 0, "leaf index 0 is not below tree size 0")]
    public void CheckInclusion_IndexOutsideTree_Rejected(long leafIndex, long treeSize, string reason)
    {
        var result = MerkleVerifier.CheckInclusion(leafIndex, treeSize, Root(1), [], Root(1));

        Assert.False(result.IsValid);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void CheckInclusion_LeafHashOrRootNot32Bytes_Rejected()
    {
        var leaf = _store.Node(new NodeId(0, 0));

        Assert.Equal("leaf hash is 33 bytes, not 32", MerkleVerifier.CheckInclusion(0, 1, [.. leaf, 0], [], leaf).Reason);
        Assert.Equal("root is 0 bytes, not 32", MerkleVerifier.CheckInclusion(0, 1, leaf, [], []).Reason);
        Assert.Equal(MerkleVerification.Valid, MerkleVerifier.CheckInclusion(0, 1, leaf, [], leaf));
    }

    [Fact]
    public void CheckInclusion_TwoComponentsTooMany_SaysHowMany()
    {
        var proof = MerkleProofs.InclusionProof(3, 20, _store.Node);

        var result = MerkleVerifier.CheckInclusion(3, 20, _store.Node(new NodeId(0, 3)), [.. proof, Root(1), Root(2)], Root(20));

        Assert.Equal("proof has 2 components left over", result.Reason);
    }

    [Fact]
    public void CheckInclusion_WrongLeaf_RootMismatch()
    {
        var proof = MerkleProofs.InclusionProof(3, 20, _store.Node);

        var result = MerkleVerifier.CheckInclusion(3, 20, _store.Node(new NodeId(0, 4)), proof, Root(20));

        Assert.Equal("the root computed from the leaf hash and the proof does not match the root", result.Reason);
    }

    /// <summary>
    /// Documents why the tree size must be signed with the root: the root does not encode the size, so a
    /// proof can pass for another size against the same root. Against that size's real root it fails.
    /// </summary>
    [Fact]
    public void VerifyInclusion_SizeNotBoundToRoot_PassesForAnotherSizeAgainstTheSameRoot()
    {
        var leaf = _store.Node(new NodeId(0, 0));
        var proof = MerkleProofs.InclusionProof(0, 3, _store.Node);

        Assert.True(MerkleVerifier.VerifyInclusion(0, 4, leaf, proof, Root(3)));
        Assert.False(MerkleVerifier.VerifyInclusion(0, 4, leaf, proof, Root(4)));
    }

    [Fact]
    public void CheckInclusionAndConsistency_NullProof_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => MerkleVerifier.CheckInclusion(0, 1, Root(1), null!, Root(1)));
        Assert.Throws<ArgumentNullException>(() => MerkleVerifier.CheckConsistency(1, 1, Root(1), Root(1), null!));
    }

    [Fact]
    public void CheckConsistency_NullProofComponent_Rejected()
    {
        Assert.Equal("proof hash 0 is missing", MerkleVerifier.CheckConsistency(1, 2, Root(1), Root(2), [null!]).Reason);
    }
}
