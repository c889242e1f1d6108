// This file is part of ExchangeHub.

using System.Numerics;

namespace ExchangeHub.Core.Ledger.Merkle;

/// <summary>
/// Verifies inclusion and consistency proofs by the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2, for
/// auditors and partners who hold a signed tree head and must not trust the hub's word.
/// </summary>
/// <remarks>
/// <para>
/// Policies, fixed here because RFC 9162 leaves them to the verifier:
/// </para>
/// <list type="bullet">
/// <item><description>Every hash — root, leaf hash and each proof component — must be exactly
/// <see cref="MerkleHash.Size"/> (32) bytes, or the proof is rejected before any hashing. A value of another
/// length cannot be a SHA-256 output, so accepting it would vouch for something that is not a tree head; this
/// also covers the equal-sizes case, where nothing is hashed and the roots are only compared. (This rejects
/// the one transparency-dev probe, <c>sizes-are-equal-one-and-proof-is-empty</c>, that accepts two equal
/// 12-byte placeholder roots.)</description></item>
/// <item><description>A proof must have exactly the number of components the sizes call for; extra or missing
/// components are rejected, and the reason says how many.</description></item>
/// <item><description>Consistency from size 0 is always rejected: RFC 9162 §2.1.4 defines it for
/// 0 &lt; size1 only, every tree extends the empty tree, and there is no root to check. An auditor without a
/// previous tree head has nothing to be consistent with.</description></item>
/// <item><description>Consistency between equal sizes holds exactly when the proof is empty and the two roots
/// are byte-for-byte equal (SUBPROOF(m, D[m], true) = {}).</description></item>
/// </list>
/// <para>
/// A proof binds the leaf index within a tree of the given size, but the root does not carry its size: the
/// same proof can check out for (index, size) pairs of different sizes against a root computed for one of
/// them (the proof of leaf 0 in a tree of 3 also passes as leaf 0 of 4 against the 3-leaf root). The size
/// must therefore come signed together with the root (the signed tree head), never from the party that
/// supplies the proof.
/// </para>
/// </remarks>
public static class MerkleVerifier
{
    /// <summary>
    /// True when <paramref name="proof"/> shows that <paramref name="leafHash"/> is leaf
    /// <paramref name="leafIndex"/> of the tree of <paramref name="treeSize"/> leaves whose root is
    /// <paramref name="root"/> (RFC 9162 §2.1.3.2). See <see cref="CheckInclusion"/> for the reason on failure.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static bool VerifyInclusion(
        long leafIndex,
        long treeSize,
        ReadOnlySpan<byte> leafHash,
        IReadOnlyList<byte[]> proof,
        ReadOnlySpan<byte> root)
    {
        return CheckInclusion(leafIndex, treeSize, leafHash, proof, root).IsValid;
    }

    /// <summary>
    /// True when <paramref name="proof"/> shows that the tree of <paramref name="size1"/> leaves with root
    /// <paramref name="root1"/> is a prefix of the tree of <paramref name="size2"/> leaves with root
    /// <paramref name="root2"/> (RFC 9162 §2.1.4.2). See <see cref="CheckConsistency"/> for the reason on failure.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static bool VerifyConsistency(
        long size1,
        long size2,
        ReadOnlySpan<byte> root1,
        ReadOnlySpan<byte> root2,
        IReadOnlyList<byte[]> proof)
    {
        return CheckConsistency(size1, size2, root1, root2, proof).IsValid;
    }

    /// <summary>
    /// Checks an inclusion proof like <see cref="VerifyInclusion"/> and says why it fails, for auditors.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static MerkleVerification CheckInclusion(
        long leafIndex,
        long treeSize,
        ReadOnlySpan<byte> leafHash,
        IReadOnlyList<byte[]> proof,
        ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (leafIndex < 0)
        {
            return MerkleVerification.Invalid($"leaf index {leafIndex} is negative");
        }

        if (treeSize < 0)
        {
            return MerkleVerification.Invalid($"tree size {treeSize} is negative");
        }

        // RFC 9162 §2.1.3.2 step 1.
        if (leafIndex >= treeSize)
        {
            return MerkleVerification.Invalid($"leaf index {leafIndex} is not below tree size {treeSize}");
        }

        var lengths = CheckLength("leaf hash", leafHash) ?? CheckLength("root", root) ?? CheckLengths(proof);
        if (lengths is not null)
        {
            return lengths;
        }

        // The proof length PATH(m, D[n]) has: one sibling per level below the point where the paths to leaf m and
        // to leaf n - 1 meet (inner), plus one left sibling per set bit above it (border).
        var inner = 64 - BitOperations.LeadingZeroCount((ulong)(leafIndex ^ (treeSize - 1)));
        var border = BitOperations.PopCount((ulong)(leafIndex >> inner));
        var count = CheckCount(proof.Count, inner + border);
        if (count is not null)
        {
            return count;
        }

        // RFC 9162 §2.1.3.2 steps 2 to 5, as written.
        var fn = leafIndex;
        var sn = treeSize - 1;
        Span<byte> r = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(r);
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return MerkleVerification.Invalid("proof is longer than the path from the leaf to the root");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.HashChildren(p, r, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                MerkleHash.HashChildren(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            return MerkleVerification.Invalid("proof is shorter than the path from the leaf to the root");
        }

        return r.SequenceEqual(root)
            ? MerkleVerification.Valid
            : MerkleVerification.Invalid("the root computed from the leaf hash and the proof does not match the root");
    }

    /// <summary>
    /// Checks a consistency proof like <see cref="VerifyConsistency"/> and says why it fails, for auditors.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static MerkleVerification CheckConsistency(
        long size1,
        long size2,
        ReadOnlySpan<byte> root1,
        ReadOnlySpan<byte> root2,
        IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 0 || size2 < 0)
        {
            return MerkleVerification.Invalid($"a tree size is negative (size1 {size1}, size2 {size2})");
        }

        if (size1 > size2)
        {
            return MerkleVerification.Invalid($"size1 ({size1}) is greater than size2 ({size2})");
        }

        if (size1 == 0)
        {
            return MerkleVerification.Invalid(
                "size1 is 0: consistency with the empty tree proves nothing (RFC 9162 §2.1.4 requires 0 < size1)");
        }

        var lengths = CheckLength("root1", root1) ?? CheckLength("root2", root2) ?? CheckLengths(proof);
        if (lengths is not null)
        {
            return lengths;
        }

        if (size1 == size2)
        {
            // SUBPROOF(m, D[m], true) = {}: the same tree, so the same root and nothing to prove.
            return CheckCount(proof.Count, 0)
                ?? (root1.SequenceEqual(root2)
                    ? MerkleVerification.Valid
                    : MerkleVerification.Invalid("the sizes are equal but root1 and root2 differ"));
        }

        // The proof length: below the level of size1's smallest perfect subtree the trees agree; from there it is
        // an inclusion path of that subtree in size2 (inner + border), plus the subtree's own hash unless it is
        // the whole old tree, whose hash the verifier holds as root1 (size1 a power of two).
        var level = BitOperations.TrailingZeroCount(size1);
        var index = (size1 - 1) >> level;
        var inner = 64 - BitOperations.LeadingZeroCount((ulong)(index ^ ((size2 - 1) >> level)));
        var border = BitOperations.PopCount((ulong)(index >> inner));
        var seedFromProof = BitOperations.IsPow2(size1) ? 0 : 1;
        var count = CheckCount(proof.Count, seedFromProof + inner + border);
        if (count is not null)
        {
            return count;
        }

        // RFC 9162 §2.1.4.2, as written. Step 1: an empty proof fails (size1 < size2 needs at least one hash).
        if (proof.Count == 0)
        {
            return MerkleVerification.Invalid("proof is empty but size1 is less than size2");
        }

        // Step 2: if first is an exact power of 2, the path starts with root1; otherwise with proof[0].
        var first = seedFromProof == 0 ? root1 : proof[0];
        var next = seedFromProof == 0 ? 0 : 1;

        // Step 3 and 4.
        var fn = size1 - 1;
        var sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        // Step 5.
        Span<byte> fr = stackalloc byte[MerkleHash.Size];
        Span<byte> sr = stackalloc byte[MerkleHash.Size];
        first.CopyTo(fr);
        first.CopyTo(sr);

        // Step 6.
        for (var i = next; i < proof.Count; i++)
        {
            var c = proof[i];
            if (sn == 0)
            {
                return MerkleVerification.Invalid("proof is longer than the path between the two trees");
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.HashChildren(c, fr, fr);
                MerkleHash.HashChildren(c, sr, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                MerkleHash.HashChildren(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 7.
        if (sn != 0)
        {
            return MerkleVerification.Invalid("proof is shorter than the path between the two trees");
        }

        if (!fr.SequenceEqual(root1))
        {
            return MerkleVerification.Invalid("the old root computed from the proof does not match root1");
        }

        return sr.SequenceEqual(root2)
            ? MerkleVerification.Valid
            : MerkleVerification.Invalid("the new root computed from the proof does not match root2");
    }

    private static MerkleVerification? CheckLength(string name, ReadOnlySpan<byte> hash)
    {
        return hash.Length == MerkleHash.Size
            ? null
            : MerkleVerification.Invalid($"{name} is {hash.Length} bytes, not {MerkleHash.Size}");
    }

    private static MerkleVerification? CheckLengths(IReadOnlyList<byte[]> proof)
    {
        for (var i = 0; i < proof.Count; i++)
        {
            if (proof[i] is null)
            {
                return MerkleVerification.Invalid($"proof hash {i} is missing");
            }

            if (proof[i].Length != MerkleHash.Size)
            {
                return MerkleVerification.Invalid($"proof hash {i} is {proof[i].Length} bytes, not {MerkleHash.Size}");
            }
        }

        return null;
    }

    private static MerkleVerification? CheckCount(int actual, int expected)
    {
        if (actual > expected)
        {
            var extra = actual - expected;
            return MerkleVerification.Invalid($"proof has {extra} component{(extra == 1 ? string.Empty : "s")} left over");
        }

        if (actual < expected)
        {
            var missing = expected - actual;
            return MerkleVerification.Invalid($"proof is missing {missing} component{(missing == 1 ? string.Empty : "s")}");
        }

        return null;
    }
}
