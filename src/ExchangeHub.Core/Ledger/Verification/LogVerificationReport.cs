// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Notes;

namespace ExchangeHub.Core.Ledger.Verification;

/// <summary>The outcome of verifying a log: OK, or every finding with its position.</summary>
/// <param name="Checkpoint">The checkpoint verified against, when its signature held.</param>
/// <param name="LeavesRead">How many leaves were read.</param>
/// <param name="Findings">What is wrong, the first position first; empty when the log verifies.</param>
public sealed record LogVerificationReport(Checkpoint? Checkpoint, long LeavesRead, IReadOnlyList<LogFinding> Findings)
{
    /// <summary>Whether the log verifies.</summary>
    public bool IsOk => Findings.Count == 0;

    /// <summary>The first finding, which names the first position where the log was changed.</summary>
    public LogFinding? First => Findings.Count == 0 ? null : Findings[0];
}
