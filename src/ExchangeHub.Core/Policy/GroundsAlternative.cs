// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Policy;

/// <summary>Grounds under which a denied disclosure would be allowed (subject to the rule's conditions).</summary>
/// <param name="LegalBasis">The basis that would be allowed.</param>
/// <param name="Purpose">The purpose that would be allowed.</param>
/// <param name="RuleId">The rule that would allow it.</param>
/// <param name="Conditions">The conditions that rule still sets.</param>
public readonly record struct GroundsAlternative(LegalBasis LegalBasis, Purpose Purpose, string RuleId, PolicyCondition Conditions);
