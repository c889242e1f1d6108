// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using Google.Protobuf;

namespace ExchangeHub.Core.Policy;

/// <summary>
/// The policy's answer to a <see cref="DisclosureRequest"/>: allowed or denied, the rule, the reason in words,
/// the fields to disclose and, when denied, the grounds under which it would be allowed.
/// </summary>
public sealed class Decision
{
    /// <summary>Whether the disclosure is allowed.</summary>
    public required bool IsAllowed { get; init; }

    /// <summary>Why.</summary>
    public required DecisionReason Reason { get; init; }

    /// <summary>The stable error id of a denial (EH3002 to EH3009); null when allowed.</summary>
    public string? ErrorId { get; init; }

    /// <summary>The reason in words, starting with its error id when denied.</summary>
    public required string Explanation { get; init; }

    /// <summary>The id of the policy that decided.</summary>
    public required string PolicyId { get; init; }

    /// <summary>The version of the policy that decided; recorded with every decision.</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>The rule that allowed it, or, when a rule matched but a condition failed, that rule. Otherwise null.</summary>
    public PolicyRule? Rule { get; init; }

    /// <summary>The fields that may be disclosed; empty when denied.</summary>
    public IReadOnlyList<string> DisclosedFields => IsAllowed ? Rule!.Fields.Paths : [];

    /// <summary>How long the recipient's copy may be kept, from the allowing rule.</summary>
    public TimeSpan? Retention => IsAllowed ? Rule!.Retention : null;

    /// <summary>The request's payload minimised to <see cref="DisclosedFields"/>; null when denied or when the request had none.</summary>
    public IMessage? DisclosedPayload { get; init; }

    /// <summary>When denied: grounds under which the same sender, recipient and message would be allowed.</summary>
    public IReadOnlyList<GroundsAlternative> Alternatives { get; init; } = [];

    /// <summary>The legal basis the decision is about, in the policy's words when a rule matched.</summary>
    public string? Citation => Rule?.Citation;

    /// <summary>The contract's decision value.</summary>
    public DisclosureDecision ToContract() => IsAllowed ? DisclosureDecision.Allowed : DisclosureDecision.Denied;
}
