// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;
using ExchangeHub.Core.Ledger.Notes;

namespace ExchangeHub.Core.Ledger.Verification;

/// <summary>
/// Verifies a disclosure log independently of the hub: every leaf is re-hashed and the whole tree recomputed
/// (RFC 9162) and compared with the checkpoints, whose signatures are checked with the log's pinned key. With a
/// database source it also checks the stored leaf hashes, tree nodes and every stored checkpoint; with the
/// auditor's <see cref="VerifiedState"/> from last time it catches a rewritten, forked or rolled-back history and
/// names the first leaf that changed. Memory stays O(log n): leaves stream through a Merkle frontier.
/// </summary>
public sealed class LogVerifier(NoteVerifierKey logKey, string origin)
{
    private const int BatchSize = 1000;

    /// <summary>Opens a signed checkpoint of this log, or throws <see cref="CheckpointException"/>.</summary>
    public Checkpoint Open(string note) => Checkpoint.OpenCheckpoint(note, logKey, origin);

    /// <summary>
    /// Verifies <paramref name="source"/>. When <paramref name="newLeafHashes"/> is given and the log verifies,
    /// the leaf hashes of the latest checkpoint are written to it, for the next run's <see cref="VerifiedState"/>.
    /// </summary>
    public async Task<LogVerificationReport> VerifyAsync(
        ILogSource source,
        VerifiedState? previous,
        Stream? newLeafHashes,
        IProgress<(long Done, long Total)>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var findings = new List<LogFinding>();

        // 1. Checkpoints: signed by the log, for this origin, growing.
        var notes = await source.CheckpointNotesAsync(cancellationToken);
        if (notes.Count == 0)
        {
            findings.Add(new(LogFindingKind.CheckpointSignatureInvalid, 0, "the log has no checkpoint"));
            return new(null, 0, findings);
        }

        var checkpoints = new List<Checkpoint>(notes.Count);
        foreach (var note in notes)
        {
            try
            {
                checkpoints.Add(Open(note));
            }
            catch (CheckpointException ex)
            {
                findings.Add(new(LogFindingKind.CheckpointSignatureInvalid, 0, $"a checkpoint does not verify: {ex.Message}"));
                return new(null, 0, findings);
            }
        }

        var latest = checkpoints[^1];
        if (previous is not null && latest.Size < previous.Size)
        {
            findings.Add(new(LogFindingKind.CheckpointRollback, latest.Size, $"the latest checkpoint has size {latest.Size}, smaller than the size {previous.Size} verified before: an old checkpoint is being served"));
            return new(latest, 0, findings);
        }

        // Roots to check at given sizes: every checkpoint, and what this auditor verified before.
        var expectedRoots = new Dictionary<long, List<(byte[] Root, bool FromPrevious)>>();
        foreach (var checkpoint in checkpoints)
        {
            Expect(expectedRoots, checkpoint.Size, checkpoint.RootHash, fromPrevious: false);
        }

        if (previous is not null)
        {
            Expect(expectedRoots, previous.Size, previous.RootHash, fromPrevious: true);
        }

        // 2. Leaves, streamed in order: position, encoding, stored hash, history, nodes, roots.
        var count = await source.LeafCountAsync(cancellationToken);
        var end = Math.Max(count, latest.Size);
        var frontier = MerkleFrontier.Empty;

        // Stored nodes are judged against a tree of the stored leaf hashes, so that a corrupted node is told apart
        // from an edited entry (which EntryHashMismatch reports) and only the lowest wrong node is named.
        var storedFrontier = MerkleFrontier.Empty;
        var wrongNodes = new HashSet<NodeId>();
        using var verified = previous?.OpenLeafHashes();
        var verifiedHash = new byte[MerkleHash.Size];
        long firstChanged = -1;
        var position = 0L;
        var pendingNodes = new List<(NodeId Id, byte[] Hash)>();
        await foreach (var leaf in source.ReadLeavesAsync(0, count, cancellationToken))
        {
            if (leaf.Position != position)
            {
                findings.Add(new(LogFindingKind.MissingLeaf, position, $"leaf {position} is missing (the next stored leaf is {leaf.Position})"));
                break;
            }

            var hash = CheckLeaf(leaf, findings);
            if (verified is not null && position < previous!.Size)
            {
                verified.ReadExactly(verifiedHash);
                if (firstChanged < 0 && !verifiedHash.AsSpan().SequenceEqual(hash))
                {
                    firstChanged = position;
                    findings.Add(new(LogFindingKind.LeafChanged, position, $"leaf {position} differs from the leaf verified before"));
                }
            }

            if (position < latest.Size)
            {
                newLeafHashes?.Write(hash);
            }

            frontier.Append(hash);
            if (source.HasStoredHashes)
            {
                pendingNodes.AddRange(storedFrontier.Append(leaf.StoredHash ?? hash));
            }

            position++;
            if (expectedRoots.TryGetValue(position, out var expectations))
            {
                var root = frontier.Root();
                foreach (var expected in expectations.Where(e => !root.AsSpan().SequenceEqual(e.Root)))
                {
                    findings.Add(expected.FromPrevious
                        ? new(LogFindingKind.InconsistentWithVerified, firstChanged >= 0 ? firstChanged : position, $"the leaves do not reproduce the root verified before at size {position}: the history was rewritten or forked")
                        : new(LogFindingKind.CheckpointRootMismatch, firstChanged >= 0 ? firstChanged : position, $"the leaves do not reproduce the root of the signed checkpoint of size {position}"));
                }
            }

            if (position % BatchSize == 0)
            {
                await CheckNodesAsync(source, pendingNodes, wrongNodes, findings, cancellationToken);
                progress?.Report((position, end));
            }
        }

        await CheckNodesAsync(source, pendingNodes, wrongNodes, findings, cancellationToken);
        progress?.Report((position, end));

        // 3. Nothing may be missing at the end.
        if (position < latest.Size && !findings.Any(f => f.Kind == LogFindingKind.MissingLeaf))
        {
            findings.Add(new(LogFindingKind.Truncated, position, $"the log holds {position} leaves, but its signed checkpoint commits to {latest.Size}"));
        }
        else if (previous is not null && position < previous.Size && !findings.Any(f => f.Kind is LogFindingKind.MissingLeaf or LogFindingKind.Truncated))
        {
            findings.Add(new(LogFindingKind.Truncated, position, $"the log holds {position} leaves, but {previous.Size} were verified before"));
        }

        if (latest.Size == 0 && !latest.RootHash.AsSpan().SequenceEqual(MerkleHash.EmptyRoot))
        {
            findings.Add(new(LogFindingKind.CheckpointRootMismatch, 0, "the checkpoint of the empty log does not carry the empty root"));
        }

        // Stable: at one position, findings keep the order in which they were found (the most specific first).
        return new(latest, position, [.. findings.OrderBy(f => f.Position)]);
    }

    private static void Expect(Dictionary<long, List<(byte[] Root, bool FromPrevious)>> expected, long size, byte[] root, bool fromPrevious)
    {
        if (!expected.TryGetValue(size, out var list))
        {
            expected[size] = list = [];
        }

        list.Add((root, fromPrevious));
    }

    private static byte[] CheckLeaf(SourceLeaf leaf, List<LogFinding> findings)
    {
        var hash = MerkleHash.HashLeaf(leaf.Entry);
        if (leaf.StoredHash is not null && !leaf.StoredHash.AsSpan().SequenceEqual(hash))
        {
            findings.Add(new(LogFindingKind.EntryHashMismatch, leaf.Position, $"the stored hash of leaf {leaf.Position} is not the hash of its entry: the entry was edited"));
        }

        try
        {
            var entry = LogEntryCodec.Decode(leaf.Entry);
            var claimed = LogEntryCodec.SequenceOf(entry);
            if (claimed != (ulong)leaf.Position)
            {
                findings.Add(new(LogFindingKind.SequenceMismatch, leaf.Position, $"the entry at position {leaf.Position} says it is entry {claimed}: entries were moved"));
            }
        }
        catch (FormatException ex)
        {
            findings.Add(new(LogFindingKind.MalformedEntry, leaf.Position, $"leaf {leaf.Position} is not a valid log entry: {ex.Message}"));
        }

        return hash;
    }

    private static async Task CheckNodesAsync(
        ILogSource source,
        List<(NodeId Id, byte[] Hash)> pending,
        HashSet<NodeId> wrongNodes,
        List<LogFinding> findings,
        CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        // Children before parents, so that a wrong node's ancestors are known to be wrong because of it.
        foreach (var level in pending.GroupBy(n => n.Id.Level).OrderBy(g => g.Key))
        {
            var stored = await source.ReadNodesAsync(level.Key, level.Min(n => n.Id.Index), level.Max(n => n.Id.Index), cancellationToken);
            foreach (var (id, hash) in level)
            {
                var childWrong = id.Level > 0
                    && (wrongNodes.Contains(new NodeId(id.Level - 1, id.Index * 2)) || wrongNodes.Contains(new NodeId(id.Level - 1, (id.Index * 2) + 1)));
                if (stored.TryGetValue(id, out var found) && found.AsSpan().SequenceEqual(hash) && !childWrong)
                {
                    continue;
                }

                wrongNodes.Add(id);
                if (!childWrong)
                {
                    findings.Add(new(LogFindingKind.NodeMismatch, id.Start, $"stored tree node (level {id.Level}, index {id.Index}) over leaves {id.Start}..{id.End - 1} is {(found is null ? "missing" : "not the hash of its children")}"));
                }
            }
        }

        pending.Clear();
    }
}
