// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

public sealed class MerkleProofsTests
{
    private static readonly InMemoryNodeStore _store = MerkleTestData.StoreOf(MerkleTestData.ClassicLeaves);

    [Theory]
    [InlineData(-1, 5, "non-negative")]
    [InlineData(5, 5, "Leaf index 5 is not in a tree of 5 leaves")]
    [InlineData(9, 5, "Leaf index 9 is not in a tree of 5 leaves")]
    [InlineData(0, 0, "Leaf index 0 is not in a tree of 0 leaves")]
    [InlineData(0, -1, "A tree size cannot be negative")]
    public void InclusionProofNodes_InvalidArguments_ThrowWithClearMessage(long leafIndex, long treeSize, string message)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.InclusionProofNodes(leafIndex, treeSize));
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.InclusionProof(leafIndex, treeSize, _store.Node));
    }

    [Theory]
    [InlineData(3, 2, "size1 (3) is greater than size2 (2)")]
    [InlineData(-1, 2, "A tree size cannot be negative")]
    [InlineData(1, -2, "A tree size cannot be negative")]
    [InlineData(0, 5, "size1 is 0")]
    [InlineData(0, 0, "size1 is 0")]
    public void ConsistencyProofNodes_InvalidArguments_ThrowWithClearMessage(long size1, long size2, string message)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.ConsistencyProofNodes(size1, size2));
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.ConsistencyProof(size1, size2, _store.Node));
    }

    [Fact]
    public void RootNodesAndComputeRoot_NegativeSize_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.RootNodes(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.ComputeRoot(-1, _store.Node));
    }

    [Fact]
    public void ConsistencyProof_EqualSizes_IsEmpty()
    {
        Assert.Empty(MerkleProofs.ConsistencyProofNodes(5, 5));
        Assert.Empty(MerkleProofs.ConsistencyProof(5, 5, _store.Node));
    }

    [Fact]
    public void InclusionProofNodes_LeafFiveOfSeven_CombinesTheRightEdgeFromRootNodes()
    {
        // PATH(5, D[7]) = {d4, MTH(D[6:7]) = leaf 6, MTH(D[0:4])}: all perfect here.
        Assert.Equal([new NodeId(0, 4), new NodeId(0, 6), new NodeId(2, 0)], MerkleProofs.InclusionProofNodes(5, 7));

        // PATH(0, D[7]) = {d1, MTH(D[2:4]), MTH(D[4:7])}; D[4:7] is not perfect: nodes (1,2) and (0,6).
        Assert.Equal(
            [new NodeId(0, 1), new NodeId(1, 1), new NodeId(1, 2), new NodeId(0, 6)],
            MerkleProofs.InclusionProofNodes(0, 7));
    }

    [Fact]
    public void InclusionProof_ReaderReturnsAHashThatIsNot32Bytes_Throws()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => MerkleProofs.InclusionProof(0, 8, _ => new byte[31]));
        Assert.Contains("31 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InclusionProof_ReaderArraysAltered_ProofUnaffectedAndStoreUnaltered()
    {
        var before = _store.Node(new NodeId(0, 6));
        var proof = MerkleProofs.InclusionProof(0, 7, _store.Node);

        proof[2][0] ^= 1;

        Assert.Equal(before, _store.Node(new NodeId(0, 6)));
        Assert.NotEqual(proof[2], MerkleProofs.InclusionProof(0, 7, _store.Node)[2]);
    }

    [Fact]
    public void Node_NotYetComplete_ThrowsKeyNotFound()
    {
        var exception = Assert.Throws<KeyNotFoundException>(() => _store.Node(new NodeId(3, 1)));
        Assert.Contains("the tree has 8", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(63, 0)]
    [InlineData(0, -1)]
    [InlineData(0, long.MaxValue)]
    [InlineData(62, 1)]
    public void NodeId_OutOfRange_Throws(int level, long index)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NodeId(level, index));
    }

    [Fact]
    public void NodeId_StartAndEnd_SpanTheSubtreesLeaves()
    {
        var id = new NodeId(3, 5);

        Assert.Equal(40, id.Start);
        Assert.Equal(48, id.End);
        Assert.Equal(long.MaxValue, new NodeId(0, long.MaxValue - 1).End);
        Assert.Equal(1L << 62, new NodeId(62, 0).End);
    }
}
