// This file is part of ExchangeHub.

using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

/// <summary>
/// A literal transcription of RFC 9162's recursive definitions — MTH (§2.1.1), PATH (§2.1.3.1) and
/// PROOF/SUBPROOF (§2.1.4.1) — over the list of entries D[n], hashing with SHA-256 directly. It is slow on
/// purpose (every step slices the list and rehashes it) and shares no code with ExchangeHub.Core, so that a
/// mistake in the implementation cannot repeat itself here.
/// </summary>
internal static class RfcReference
{
    // Memo for MTH, so that checking every pair of sizes stays fast. A run of entries is named by its first entry
    // (compared by reference: the tests' entries are distinct arrays, never altered) and its length. It changes
    // how often MTH is evaluated, not what it is.
    private static readonly ConcurrentDictionary<(byte[] First, int Length), byte[]> _mthMemo = new();

    /// <summary>MTH(D[n]): the Merkle Tree Hash of the entries.</summary>
    public static byte[] Mth(byte[][] d)
    {
        return d.Length == 0 ? MthAsDefined(d) : _mthMemo.GetOrAdd((d[0], d.Length), _ => MthAsDefined(d));
    }

    private static byte[] MthAsDefined(byte[][] d)
    {
        var n = d.Length;

        // The hash of an empty list is the hash of an empty string: MTH({}) = HASH().
        if (n == 0)
        {
            return Hash();
        }

        // The hash of a list with one entry (also known as a leaf hash): MTH({d[0]}) = HASH(0x00 || d[0]).
        if (n == 1)
        {
            return Hash([0x00], d[0]);
        }

        // For n > 1, let k be the largest power of two smaller than n (i.e., k < n <= 2k).
        // MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
        var k = LargestPowerOfTwoSmallerThan(n);
        return Hash([0x01], Mth(d[0..k]), Mth(d[k..n]));
    }

    /// <summary>PATH(m, D[n]): the inclusion proof for the (m+1)th entry d[m], 0 &lt;= m &lt; n.</summary>
    public static List<byte[]> Path(int m, byte[][] d)
    {
        var n = d.Length;

        // The path for the single leaf in a tree with a one-element input list D[1] = {d[0]} is empty:
        // PATH(0, {d[0]}) = {}.
        if (n == 1)
        {
            return [];
        }

        var k = LargestPowerOfTwoSmallerThan(n);

        // For m < k, PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]).
        if (m < k)
        {
            return [.. Path(m, d[0..k]), Mth(d[k..n])];
        }

        // For m >= k, PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k]).
        return [.. Path(m - k, d[k..n]), Mth(d[0..k])];
    }

    /// <summary>PROOF(m, D[n]) = SUBPROOF(m, D[n], true): the consistency proof from MTH(D[0:m]), 0 &lt; m &lt;= n.</summary>
    public static List<byte[]> Proof(int m, byte[][] d)
    {
        return Subproof(m, d, true);
    }

    private static List<byte[]> Subproof(int m, byte[][] d, bool b)
    {
        var n = d.Length;

        // If m = n, the subproof is empty when b is true (the verifier holds MTH(D[m])), and
        // SUBPROOF(m, D[m], false) = {MTH(D[m])} otherwise.
        if (m == n)
        {
            return b ? [] : [Mth(d)];
        }

        var k = LargestPowerOfTwoSmallerThan(n);

        // If m <= k: SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n]).
        if (m <= k)
        {
            return [.. Subproof(m, d[0..k], b), Mth(d[k..n])];
        }

        // If m > k: SUBPROOF(m, D[n], b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
        return [.. Subproof(m - k, d[k..n], false), Mth(d[0..k])];
    }

    private static int LargestPowerOfTwoSmallerThan(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }

    private static byte[] Hash(params byte[][] parts)
    {
        var input = new byte[parts.Sum(part => part.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(input, offset);
            offset += part.Length;
        }

        return SHA256.HashData(input);
    }
}
