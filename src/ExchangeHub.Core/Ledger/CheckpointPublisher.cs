// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Merkle;
using ExchangeHub.Core.Ledger.Notes;
using Microsoft.Extensions.Logging;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Signs checkpoints of the log (C2SP tlog-checkpoint as a signed note). Before it signs, it proves from the
/// stored tree that the new checkpoint is consistent with the last one (RFC 9162 §2.1.4): the hub never signs a
/// history that contradicts what it signed before, and never one that is smaller.
/// </summary>
public sealed partial class CheckpointPublisher(
    IDisclosureLog log,
    SqliteLedgerStore store,
    LedgerKeys keys,
    TimeProvider time,
    ILogger<CheckpointPublisher> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Publishes a checkpoint of the log as committed now, unless the latest checkpoint already covers it.
    /// Returns the latest checkpoint. Throws <see cref="LogIntegrityException"/> when the stored tree does not
    /// extend the last signed checkpoint.
    /// </summary>
    public async Task<StoredCheckpoint> PublishAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var head = log.Committed;
            var latest = await store.LatestCheckpointAsync(cancellationToken);
            if (latest is not null)
            {
                if (head.Size < latest.TreeSize)
                {
                    throw new LogIntegrityException($"EH4005: the log has {head.Size} leaves, fewer than the {latest.TreeSize} of its last signed checkpoint.");
                }

                if (head.Size == latest.TreeSize)
                {
                    return head.RootHash.AsSpan().SequenceEqual(latest.RootHash)
                        ? latest
                        : throw new LogIntegrityException($"EH4006: the root of the log at size {head.Size} differs from its signed checkpoint of that size.");
                }

                if (latest.TreeSize == 0)
                {
                    // Every tree extends the empty one (RFC 9162 proves consistency only from size 1 on), provided
                    // that what was signed for size 0 really was the empty root.
                    if (!latest.RootHash.AsSpan().SequenceEqual(MerkleHash.EmptyRoot))
                    {
                        throw new LogIntegrityException("EH4006: the signed checkpoint of the empty log does not carry the empty root.");
                    }
                }
                else
                {
                    await CheckConsistencyAsync(latest, head, cancellationToken);
                }
            }

            var note = Checkpoint.SignCheckpoint(new Checkpoint(keys.Origin, head.Size, head.RootHash), keys.Signer);

            await store.InsertCheckpointAsync(head.Size, head.RootHash, note, time.GetUtcNow(), cancellationToken);
            LogPublished(logger, head.Size, new HexBytes(head.RootHash));
            return new StoredCheckpoint(head.Size, head.RootHash, note);
        }
        catch (LogIntegrityException ex)
        {
            LogIntegrityFailure(logger, ex);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task CheckConsistencyAsync(StoredCheckpoint latest, LogHead head, CancellationToken cancellationToken)
    {
        var nodes = await store.ReadNodesAsync(MerkleProofs.ConsistencyProofNodes(latest.TreeSize, head.Size), cancellationToken);
        var proof = MerkleProofs.ConsistencyProof(latest.TreeSize, head.Size, id => nodes.TryGetValue(id, out var hash)
            ? hash
            : throw new LogIntegrityException($"EH4004: tree node {id} is missing."));
        var check = MerkleVerifier.CheckConsistency(latest.TreeSize, head.Size, latest.RootHash, head.RootHash, proof);
        if (!check.IsValid)
        {
            throw new LogIntegrityException($"EH4007: the log at size {head.Size} is not consistent with its signed checkpoint at size {latest.TreeSize}: {check.Reason}.");
        }
    }

    [LoggerMessage(EventId = 4111, EventName = "CheckpointPublished", Level = LogLevel.Information, Message = "Checkpoint signed: size {Size}, root {RootHash}")]
    private static partial void LogPublished(ILogger logger, long size, HexBytes rootHash);

    [LoggerMessage(EventId = 4112, EventName = "LogIntegrityFailure", Level = LogLevel.Critical, Message = "The disclosure log does not extend its last signed checkpoint; no checkpoint was signed")]
    private static partial void LogIntegrityFailure(ILogger logger, Exception exception);
}

/// <summary>The stored log contradicts what the hub signed before.</summary>
public sealed class LogIntegrityException(string message) : Exception(message);
