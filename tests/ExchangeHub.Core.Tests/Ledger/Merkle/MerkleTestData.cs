// This file is part of ExchangeHub.

using System.Security.Cryptography;
using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

/// <summary>Entries, stores and seeds shared by the Merkle tests.</summary>
internal static class MerkleTestData
{
    /// <summary>The eight leaf entries of the classic Certificate Transparency test tree (hex).</summary>
    public static byte[][] ClassicLeaves { get; } =
        new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(Convert.FromHexString)
            .ToArray();

    /// <summary>Distinct entries of varying length: entry i is "entry-i" repeated (i % 5) + 1 times.</summary>
    public static byte[][] Entries(int count)
    {
        return Enumerable.Range(0, count)
            .Select(i => System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat($"entry-{i};", (i % 5) + 1))))
            .ToArray();
    }

    /// <summary>A store holding the leaf hashes of <paramref name="entries"/>, appended in order.</summary>
    public static InMemoryNodeStore StoreOf(IEnumerable<byte[]> entries)
    {
        var store = new InMemoryNodeStore();
        foreach (var entry in entries)
        {
            store.Append(MerkleHash.HashLeaf(entry));
        }

        return store;
    }

    /// <summary>
    /// The seed for randomised tests: EXCHANGEHUB_MERKLE_SEED when set (to replay a failure), otherwise a new one
    /// per run. Every assertion message of a randomised test names it.
    /// </summary>
    public static int Seed { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("EXCHANGEHUB_MERKLE_SEED"), out var seed)
            ? seed
            : RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <summary>⌈log2 n⌉ for n ≥ 1: the height of a tree of n leaves.</summary>
    public static int CeilLog2(long n)
    {
        return n <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1));
    }
}
