// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Ledger.Verification;

/// <summary>What verification found wrong with a log. Each kind of tampering has its own finding.</summary>
public enum LogFindingKind
{
    /// <summary>
    /// There is no checkpoint, or its signature does not verify with the log's key, or its origin is not the log's.
    /// </summary>
    CheckpointSignatureInvalid = 1,

    /// <summary>The checkpoint is older (smaller) than one verified before: an old checkpoint is being replayed.</summary>
    CheckpointRollback = 2,

    /// <summary>A leaf's position holds no leaf: an entry was deleted.</summary>
    MissingLeaf = 3,

    /// <summary>A leaf's entry names another sequence number than its position: entries were moved or swapped.</summary>
    SequenceMismatch = 4,

    /// <summary>A leaf's entry is not a canonical log entry.</summary>
    MalformedEntry = 5,

    /// <summary>A leaf's stored hash is not the hash of its entry: the entry was edited.</summary>
    EntryHashMismatch = 6,

    /// <summary>A stored tree node is not the hash of its children: the node was corrupted.</summary>
    NodeMismatch = 7,

    /// <summary>The log has fewer leaves than a signed checkpoint commits to: its tail was cut off.</summary>
    Truncated = 8,

    /// <summary>The root recomputed from the leaves is not the root a signed checkpoint commits to.</summary>
    CheckpointRootMismatch = 9,

    /// <summary>A leaf differs from the one verified before: history was rewritten.</summary>
    LeafChanged = 10,

    /// <summary>
    /// The log is not an extension of the log verified before (the earlier root cannot be recomputed from the
    /// current leaves), though its own checkpoint may verify: the log was rebuilt and re-signed, or forked.
    /// </summary>
    InconsistentWithVerified = 11,
}

/// <summary>One finding: what, where (a leaf position or tree size), and in words.</summary>
/// <param name="Kind">What was found.</param>
/// <param name="Position">The first leaf position concerned, or the tree size for checkpoint findings.</param>
/// <param name="Detail">A sentence for the report.</param>
public sealed record LogFinding(LogFindingKind Kind, long Position, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind} at {Position}: {Detail}";
}
