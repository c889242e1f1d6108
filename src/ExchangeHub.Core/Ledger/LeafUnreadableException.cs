// This file is part of ExchangeHub.

using ExchangeHub.Core.Errors;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// A stored leaf is not the canonical encoding of the entry at its position (DATA_LOSS). Reads stop rather than
/// skip it: a listing or a figure that silently leaves out a damaged record would be wrong without saying so.
/// </summary>
public sealed class LeafUnreadableException(long sequence, string problem, Exception? inner = null)
    : Exception(HubErrors.LeafUnreadable.Format(sequence, problem), inner)
{
    /// <summary>The position of the leaf.</summary>
    public long Sequence { get; } = sequence;
}
