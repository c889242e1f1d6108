// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using ExchangeHub.Server.Ledger;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>The log's state for the page: its latest signed checkpoint and the hub's own verification of it.</summary>
internal sealed class LogStatus(OnDemandCheckpoints checkpoints, SqliteLedgerStore store, LedgerKeys keys, LogSelfVerification verification)
{
    public async Task<LogStatusView> ReadAsync(CancellationToken cancellationToken)
    {
        // The checkpoint first (signed anew when the log has grown), so that a verification started now covers it.
        var latest = await checkpoints.LatestAsync(cancellationToken);
        var cosignatures = await store.CosignaturesAsync(latest.TreeSize, cancellationToken);
        var (last, running) = verification.Current();
        var report = last?.Report;
        return new LogStatusView(
            keys.Origin,
            keys.VerifierKey.Format(),
            new CheckpointView(latest.TreeSize, Convert.ToHexStringLower(latest.RootHash), cosignatures.Count),
            new VerificationView(
                last is null ? "pending" : report is null ? "error" : report.IsOk ? "ok" : "failed",
                running,
                last?.StartedAt,
                last?.FinishedAt,
                report?.Checkpoint?.Size,
                report?.LeavesRead ?? 0,
                report?.Findings.Select(f => new FindingView(f.Kind.ToString(), f.Position, f.Detail)).ToList() ?? [],
                last?.Error));
    }
}

/// <summary>The log on the page.</summary>
/// <param name="Origin">The log's name.</param>
/// <param name="VerifierKey">The checkpoint verifier key to pin in <c>hubctl audit verify</c>.</param>
/// <param name="Checkpoint">The latest signed checkpoint.</param>
/// <param name="Verification">The hub's own verification of the log.</param>
internal sealed record LogStatusView(string Origin, string VerifierKey, CheckpointView Checkpoint, VerificationView Verification);

/// <summary>A signed checkpoint.</summary>
internal sealed record CheckpointView(long TreeSize, string RootHash, int Cosignatures);

/// <summary>
/// The last verification: <c>pending</c> (none finished yet), <c>ok</c>, <c>failed</c> (with findings) or
/// <c>error</c> (the log could not be read); <paramref name="Running"/> while a new run is under way.
/// </summary>
internal sealed record VerificationView(
    string Result,
    bool Running,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? CheckpointSize,
    long LeavesRead,
    IReadOnlyList<FindingView> Findings,
    string? Error);

/// <summary>One thing the verifier found wrong.</summary>
internal sealed record FindingView(string Kind, long Position, string Detail);
