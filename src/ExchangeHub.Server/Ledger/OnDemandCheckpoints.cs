// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Notes;

namespace ExchangeHub.Server.Ledger;

/// <summary>
/// Checkpoints on demand: when a partner asks for the latest checkpoint and the log has grown since the last
/// one, a new one is signed, at most once a second, so a fresh receipt can be proven without waiting for the
/// next interval and a busy hub does not sign a checkpoint per request.
/// </summary>
internal sealed class OnDemandCheckpoints(IDisclosureLog log, SqliteLedgerStore store, CheckpointPublisher publisher, LedgerKeys keys, TimeProvider time)
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);
    private long _lastPublishedTicks;

    /// <summary>The latest checkpoint, signed anew when the log has grown and the last one is at least a second old.</summary>
    public async Task<StoredCheckpoint> LatestAsync(CancellationToken cancellationToken)
    {
        var latest = await store.LatestCheckpointAsync(cancellationToken);
        var now = time.GetUtcNow().UtcTicks;
        if (latest is null || (log.Committed.Size > latest.TreeSize && now - Interlocked.Read(ref _lastPublishedTicks) >= MinimumInterval.Ticks))
        {
            Interlocked.Exchange(ref _lastPublishedTicks, now);
            latest = await publisher.PublishAsync(cancellationToken);
        }

        return latest;
    }

    /// <summary>Opens a signed checkpoint of this hub's log, or throws <see cref="CheckpointException"/>.</summary>
    public Checkpoint Open(string note) => keys.Open(note);
}
