// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Ledger.Verification;

/// <summary>
/// Where a verifier reads a log from: the hub's database file (everything, including stored hashes and all
/// checkpoints) or the hub's audit API (leaves and the latest checkpoint only). Nothing it returns is trusted.
/// </summary>
public interface ILogSource
{
    /// <summary>Whether <see cref="ReadNodesAsync"/> and stored leaf hashes are available (a database, not the API).</summary>
    bool HasStoredHashes { get; }

    /// <summary>The signed notes of the checkpoints to check, oldest first; the last one is the latest.</summary>
    Task<IReadOnlyList<string>> CheckpointNotesAsync(CancellationToken cancellationToken);

    /// <summary>How many leaves the source holds (for the API: the size of the latest checkpoint).</summary>
    Task<long> LeafCountAsync(CancellationToken cancellationToken);

    /// <summary>Leaves from <paramref name="start"/> on, in order, up to <paramref name="endExclusive"/>; a gap shows as a jump in position.</summary>
    IAsyncEnumerable<SourceLeaf> ReadLeavesAsync(long start, long endExclusive, CancellationToken cancellationToken);

    /// <summary>Stored node hashes of one level for indexes in [<paramref name="fromIndex"/>, <paramref name="toIndex"/>].</summary>
    Task<Dictionary<NodeId, byte[]>> ReadNodesAsync(int level, long fromIndex, long toIndex, CancellationToken cancellationToken);
}

/// <summary>One leaf as a source holds it.</summary>
/// <param name="Position">The position the source files it under.</param>
/// <param name="Entry">The leaf data (canonical entry bytes).</param>
/// <param name="StoredHash">The leaf hash the source stored, when it stores one.</param>
public sealed record SourceLeaf(long Position, byte[] Entry, byte[]? StoredHash);
