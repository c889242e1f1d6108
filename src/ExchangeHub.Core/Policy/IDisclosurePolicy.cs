// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Policy;

/// <summary>
/// Step three of the hub's path, decide: the one place where every service asks whether a disclosure is
/// allowed, and gets back the rule, the reason and the minimised payload.
/// </summary>
public interface IDisclosurePolicy
{
    /// <summary>The policy in force.</summary>
    CompiledPolicy Current { get; }

    /// <summary>Decides <paramref name="request"/> under the policy in force.</summary>
    Decision Decide(DisclosureRequest request);
}
