// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

/// <summary>
/// The implementation against the literal RFC 9162 transcription (<see cref="RfcReference"/>) for every tree
/// size 1..130, every leaf index and every pair of sizes.
/// </summary>
public sealed class RfcCrossCheckTests
{
    private const int MaxSize = 130;

    private static readonly byte[][] _entries = MerkleTestData.Entries(MaxSize);

    // Perfect subtrees are final, so one store of 130 leaves serves every smaller tree size.
    private static readonly InMemoryNodeStore _store = MerkleTestData.StoreOf(_entries);

    [Fact]
    public void ComputeRoot_EverySizeUpTo130_MatchesRfcMth()
    {
        for (var n = 0; n <= MaxSize; n++)
        {
            Assert.True(
                RfcReference.Mth(_entries[..n]).AsSpan().SequenceEqual(MerkleProofs.ComputeRoot(n, _store.Node)),
                $"root of size {n}");
        }
    }

    [Fact]
    public void InclusionProof_EveryLeafOfEverySizeUpTo130_MatchesRfcPathAndVerifies()
    {
        for (var n = 1; n <= MaxSize; n++)
        {
            var d = _entries[..n];
            var root = RfcReference.Mth(d);
            for (var m = 0; m < n; m++)
            {
                var reader = new RecordingReader(_store);

                var proof = MerkleProofs.InclusionProof(m, n, reader.Node);

                var what = (Func<string>)(() => $"PATH({m}, D[{n}])");
                AssertSameHashes(RfcReference.Path(m, d), proof, what);
                AssertReadExactly(MerkleProofs.InclusionProofNodes(m, n), reader, what);
                var result = MerkleVerifier.CheckInclusion(m, n, MerkleHash.HashLeaf(d[m]), proof, root);
                if (!result.IsValid)
                {
                    Assert.Fail($"{what()}: {result.Reason}");
                }
            }
        }
    }

    [Fact]
    public void ConsistencyProof_EveryPairOfSizesUpTo130_MatchesRfcProofAndVerifies()
    {
        var roots = Enumerable.Range(0, MaxSize + 1).Select(n => RfcReference.Mth(_entries[..n])).ToArray();
        for (var n = 1; n <= MaxSize; n++)
        {
            var d = _entries[..n];
            var root2 = roots[n];
            for (var m = 1; m <= n; m++)
            {
                var reader = new RecordingReader(_store);

                var proof = MerkleProofs.ConsistencyProof(m, n, reader.Node);

                var what = (Func<string>)(() => $"PROOF({m}, D[{n}])");
                AssertSameHashes(RfcReference.Proof(m, d), proof, what);
                AssertReadExactly(MerkleProofs.ConsistencyProofNodes(m, n), reader, what);
                var result = MerkleVerifier.CheckConsistency(m, n, roots[m], root2, proof);
                if (!result.IsValid)
                {
                    Assert.Fail($"{what()}: {result.Reason}");
                }
            }
        }
    }

    // Messages are built only on failure: this runs some 17,000 times.
    private static void AssertSameHashes(List<byte[]> expected, byte[][] actual, Func<string> what)
    {
        if (expected.Count != actual.Length)
        {
            Assert.Fail($"{what()}: {actual.Length} components, the RFC has {expected.Count}.");
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (!expected[i].AsSpan().SequenceEqual(actual[i]))
            {
                Assert.Fail($"{what()}: component {i} differs from the RFC.");
            }
        }
    }

    // The proof read every node the *Nodes method lists, once, and nothing else.
    private static void AssertReadExactly(IReadOnlyCollection<NodeId> listed, RecordingReader reader, Func<string> what)
    {
        if (listed.Distinct().Count() != listed.Count)
        {
            Assert.Fail($"{what()}: the node list repeats a node.");
        }

        if (reader.Reads.Count != listed.Count || !reader.Reads.ToHashSet().SetEquals(listed))
        {
            Assert.Fail($"{what()}: read [{string.Join(", ", reader.Reads)}] but listed [{string.Join(", ", listed)}].");
        }
    }

    private sealed class RecordingReader(InMemoryNodeStore store)
    {
        public List<NodeId> Reads { get; } = [];

        public byte[] Node(NodeId id)
        {
            Reads.Add(id);
            return store.Node(id);
        }
    }
}
