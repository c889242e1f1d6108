// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;
using Xunit.Abstractions;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

/// <summary>
/// Randomised properties over a tree of 100,000 leaves: honest proofs verify, and any tampering — a flipped
/// bit anywhere, a component added or removed, a wrong index or size — is rejected. The seed is printed and
/// named in every failure; replay one with EXCHANGEHUB_MERKLE_SEED=&lt;seed&gt;.
/// </summary>
public sealed class MerklePropertyTests : IClassFixture<LargeTreeFixture>
{
    private readonly LargeTreeFixture _tree;
    private readonly int _seed = MerkleTestData.Seed;

    public MerklePropertyTests(LargeTreeFixture tree, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _tree = tree;
        output.WriteLine($"EXCHANGEHUB_MERKLE_SEED={_seed}");
    }

    [Fact]
    public void InclusionProof_RandomLeavesOfRandomSizes_Verify()
    {
        var random = new Random(_seed ^ 0x1001);
        for (var sample = 0; sample < 500; sample++)
        {
            var (index, size) = RandomLeaf(random, sample);

            var proof = MerkleProofs.InclusionProof(index, size, _tree.Store.Node);

            var result = MerkleVerifier.CheckInclusion(index, size, _tree.LeafHashes[index], proof, _tree.Root(size));
            Assert.True(result.IsValid, $"seed {_seed}: leaf {index} of {size}: {result.Reason}");
        }
    }

    [Fact]
    public void ConsistencyProof_RandomSizePairs_Verify()
    {
        var random = new Random(_seed ^ 0x1002);
        for (var sample = 0; sample < 500; sample++)
        {
            var (size1, size2) = RandomPair(random, sample);

            var proof = MerkleProofs.ConsistencyProof(size1, size2, _tree.Store.Node);

            var result = MerkleVerifier.CheckConsistency(size1, size2, _tree.Root(size1), _tree.Root(size2), proof);
            Assert.True(result.IsValid, $"seed {_seed}: {size1} -> {size2}: {result.Reason}");
        }
    }

    [Fact]
    public void VerifyInclusion_AnySingleBitFlipped_Fails()
    {
        var random = new Random(_seed ^ 0x1003);
        for (var sample = 0; sample < 6; sample++)
        {
            var (index, size) = RandomLeaf(random, sample);
            var proof = MerkleProofs.InclusionProof(index, size, _tree.Store.Node);
            var leaf = _tree.LeafHashes[index];
            var root = _tree.Root(size);
            var context = $"seed {_seed}: leaf {index} of {size}";

            bool Verifies() => MerkleVerifier.VerifyInclusion(index, size, leaf, proof, root);
            AssertEveryBitFlipFails(leaf, Verifies, $"{context}: leaf hash");
            AssertEveryBitFlipFails(root, Verifies, $"{context}: root");
            for (var i = 0; i < proof.Length; i++)
            {
                AssertEveryBitFlipFails(proof[i], Verifies, $"{context}: proof hash {i}");
            }

            Assert.True(MerkleVerifier.VerifyInclusion(index, size, leaf, proof, root), $"{context}: flips were not undone");
        }
    }

    [Fact]
    public void VerifyConsistency_AnySingleBitFlipped_Fails()
    {
        var random = new Random(_seed ^ 0x1004);
        for (var sample = 0; sample < 6; sample++)
        {
            var (size1, size2) = RandomPair(random, sample);
            var proof = MerkleProofs.ConsistencyProof(size1, size2, _tree.Store.Node);
            var root1 = _tree.Root(size1);
            var root2 = _tree.Root(size2);
            var context = $"seed {_seed}: {size1} -> {size2}";

            bool Verifies() => MerkleVerifier.VerifyConsistency(size1, size2, root1, root2, proof);
            AssertEveryBitFlipFails(root1, Verifies, $"{context}: root1");
            AssertEveryBitFlipFails(root2, Verifies, $"{context}: root2");
            for (var i = 0; i < proof.Length; i++)
            {
                AssertEveryBitFlipFails(proof[i], Verifies, $"{context}: proof hash {i}");
            }

            Assert.True(MerkleVerifier.VerifyConsistency(size1, size2, root1, root2, proof), $"{context}: flips were not undone");
        }
    }

    [Fact]
    public void VerifyInclusion_ComponentAddedOrRemoved_Fails()
    {
        var random = new Random(_seed ^ 0x1005);
        for (var sample = 0; sample < 100; sample++)
        {
            var (index, size) = RandomLeaf(random, sample);
            var proof = MerkleProofs.InclusionProof(index, size, _tree.Store.Node);
            var leaf = _tree.LeafHashes[index];
            var root = _tree.Root(size);
            var context = $"seed {_seed}: leaf {index} of {size}";

            foreach (var tampered in WithOneMore(proof, random))
            {
                var result = MerkleVerifier.CheckInclusion(index, size, leaf, tampered, root);
                Assert.False(result.IsValid, $"{context}: a component added");
                Assert.Equal("proof has 1 component left over", result.Reason);
            }

            foreach (var tampered in WithOneLess(proof))
            {
                var result = MerkleVerifier.CheckInclusion(index, size, leaf, tampered, root);
                Assert.False(result.IsValid, $"{context}: a component removed");
                Assert.Equal("proof is missing 1 component", result.Reason);
            }
        }
    }

    [Fact]
    public void VerifyConsistency_ComponentAddedOrRemoved_Fails()
    {
        var random = new Random(_seed ^ 0x1006);
        for (var sample = 0; sample < 100; sample++)
        {
            var (size1, size2) = RandomPair(random, sample);
            var proof = MerkleProofs.ConsistencyProof(size1, size2, _tree.Store.Node);
            var root1 = _tree.Root(size1);
            var root2 = _tree.Root(size2);
            var context = $"seed {_seed}: {size1} -> {size2}";

            foreach (var tampered in WithOneMore(proof, random))
            {
                var result = MerkleVerifier.CheckConsistency(size1, size2, root1, root2, tampered);
                Assert.False(result.IsValid, $"{context}: a component added");
                Assert.Equal("proof has 1 component left over", result.Reason);
            }

            foreach (var tampered in WithOneLess(proof))
            {
                var result = MerkleVerifier.CheckConsistency(size1, size2, root1, root2, tampered);
                Assert.False(result.IsValid, $"{context}: a component removed");
                Assert.Equal("proof is missing 1 component", result.Reason);
            }
        }
    }

    /// <summary>
    /// A proof for one (index, size) does not verify for a neighbouring index in the same tree, nor for a
    /// neighbouring size against that size's own root. (Against the original root a different size can check
    /// out, which is why the size must be signed with the root: see <see cref="MerkleVerifier"/>.)
    /// </summary>
    [Fact]
    public void VerifyInclusion_WrongIndexOrSize_Fails()
    {
        var random = new Random(_seed ^ 0x1007);
        for (var sample = 0; sample < 300; sample++)
        {
            var (index, size) = RandomLeaf(random, sample);
            var proof = MerkleProofs.InclusionProof(index, size, _tree.Store.Node);
            var leaf = _tree.LeafHashes[index];
            var root = _tree.Root(size);
            var context = $"seed {_seed}: leaf {index} of {size}";

            foreach (var other in new[] { index - 1, index + 1, index ^ 1, index ^ 2, index / 2, size - 1 - index })
            {
                if (other >= 0 && other < size && other != index)
                {
                    Assert.False(MerkleVerifier.VerifyInclusion(other, size, leaf, proof, root), $"{context}: claimed index {other}");
                }
            }

            foreach (var otherSize in new long[] { size - 1, size + 1, size * 2, size / 2 })
            {
                if (otherSize > index && otherSize <= LargeTreeFixture.Size && otherSize != size)
                {
                    Assert.False(
                        MerkleVerifier.VerifyInclusion(index, otherSize, leaf, proof, _tree.Root(otherSize)),
                        $"{context}: claimed size {otherSize}");
                }
            }
        }
    }

    [Fact]
    public void VerifyConsistency_WrongSizes_Fails()
    {
        var random = new Random(_seed ^ 0x1008);
        for (var sample = 0; sample < 300; sample++)
        {
            var (size1, size2) = RandomPair(random, sample);
            var proof = MerkleProofs.ConsistencyProof(size1, size2, _tree.Store.Node);
            var context = $"seed {_seed}: {size1} -> {size2}";

            foreach (var other1 in new long[] { size1 - 1, size1 + 1, size1 * 2, size1 / 2 })
            {
                if (other1 >= 1 && other1 <= size2 && other1 != size1)
                {
                    Assert.False(
                        MerkleVerifier.VerifyConsistency(other1, size2, _tree.Root(other1), _tree.Root(size2), proof),
                        $"{context}: claimed size1 {other1}");
                }
            }

            foreach (var other2 in new long[] { size2 - 1, size2 + 1, size2 * 2, size2 / 2 })
            {
                if (other2 >= size1 && other2 <= LargeTreeFixture.Size && other2 != size2)
                {
                    Assert.False(
                        MerkleVerifier.VerifyConsistency(size1, other2, _tree.Root(size1), _tree.Root(other2), proof),
                        $"{context}: claimed size2 {other2}");
                }
            }

            if (size1 != size2)
            {
                Assert.False(
                    MerkleVerifier.VerifyConsistency(size1, size2, _tree.Root(size2), _tree.Root(size1), proof),
                    $"{context}: roots swapped");
            }
        }
    }

    // The first samples pin the edges (a single leaf, the first and last leaf, the full tree); the rest are random.
    private static (long Index, long Size) RandomLeaf(Random random, int sample)
    {
        return sample switch
        {
            0 => (0, 1),
            1 => (0, LargeTreeFixture.Size),
            2 => (LargeTreeFixture.Size - 1, LargeTreeFixture.Size),
            3 => (65_535, 65_536),
            _ => RandomLeafOf(random, random.NextInt64(1, LargeTreeFixture.Size + 1)),
        };
    }

    private static (long Index, long Size) RandomLeafOf(Random random, long size)
    {
        return (random.NextInt64(size), size);
    }

    private static (long Size1, long Size2) RandomPair(Random random, int sample)
    {
        switch (sample)
        {
            case 0:
                return (1, LargeTreeFixture.Size);
            case 1:
                return (LargeTreeFixture.Size - 1, LargeTreeFixture.Size);
            case 2:
                return (65_536, LargeTreeFixture.Size);
            case 3:
                return (77_777, 77_777);
            default:
                var size2 = random.NextInt64(2, LargeTreeFixture.Size + 1);

                // Half the pairs close together, where the proofs are most irregular.
                var size1 = random.Next(2) == 0
                    ? random.NextInt64(1, size2)
                    : Math.Max(1, size2 - random.NextInt64(1, 64));
                return (size1, size2);
        }
    }

    // Flips each bit of the array in turn, checks that verification fails, and flips it back.
    private static void AssertEveryBitFlipFails(byte[] bytes, Func<bool> verifies, string what)
    {
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            var verified = verifies();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            if (verified)
            {
                Assert.Fail($"{what}: still verifies with bit {bit} flipped.");
            }
        }
    }

    private static IEnumerable<byte[][]> WithOneMore(byte[][] proof, Random random)
    {
        var extra = new byte[MerkleHash.Size];
        random.NextBytes(extra);
        for (var position = 0; position <= proof.Length; position++)
        {
            yield return [.. proof[..position], extra, .. proof[position..]];
        }

        if (proof.Length > 0)
        {
            yield return [.. proof, proof[^1]];
        }
    }

    private static IEnumerable<byte[][]> WithOneLess(byte[][] proof)
    {
        for (var position = 0; position < proof.Length; position++)
        {
            yield return [.. proof[..position], .. proof[(position + 1)..]];
        }
    }
}
