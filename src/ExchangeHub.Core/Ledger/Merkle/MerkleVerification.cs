// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Ledger.Merkle;

/// <summary>
/// The outcome of checking an inclusion or consistency proof, with the reason an auditor can act on
/// (for example "proof has 2 components left over" or "proof hash 3 is 31 bytes, not 32").
/// </summary>
/// <param name="IsValid">True when the proof verifies against the given roots.</param>
/// <param name="Reason">Why the proof was rejected, or a short confirmation when it verified. Meant for
/// people and logs, not for parsing: the wording may change.</param>
public sealed record MerkleVerification(bool IsValid, string Reason)
{
    /// <summary>The outcome of a proof that verified.</summary>
    public static MerkleVerification Valid { get; } = new(true, "proof verifies");

    /// <summary>A rejection for <paramref name="reason"/>.</summary>
    public static MerkleVerification Invalid(string reason)
    {
        return new MerkleVerification(false, reason);
    }
}
