// This file is part of ExchangeHub.

using System.Collections.Frozen;
using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Policy;

/// <summary>One validated rule of a policy: who may give what to whom, on which basis, for which purposes.</summary>
public sealed class PolicyRule
{
    /// <summary>The rule's id, unique in its policy; recorded with every decision it takes.</summary>
    public required string Id { get; init; }

    /// <summary>What the rule is for, in words.</summary>
    public required string Description { get; init; }

    /// <summary>The statute article, human-readable, e.g. "Wpg art. 20 lid 1".</summary>
    public required string Citation { get; init; }

    /// <summary>The legal basis the rule rests on.</summary>
    public required LegalBasis LegalBasis { get; init; }

    /// <summary>The purposes it permits.</summary>
    public required FrozenSet<Purpose> Purposes { get; init; }

    /// <summary>Roles a sender must have one of.</summary>
    public required FrozenSet<PartnerRole> SenderRoles { get; init; }

    /// <summary>Roles a recipient must have one of.</summary>
    public required FrozenSet<PartnerRole> RecipientRoles { get; init; }

    /// <summary>The message type it covers.</summary>
    public required MessageType MessageType { get; init; }

    /// <summary>The data categories it covers.</summary>
    public required FrozenSet<DataCategory> Categories { get; init; }

    /// <summary>The fields that may be disclosed; everything else is stripped.</summary>
    public required FieldSet Fields { get; init; }

    /// <summary>Extra conditions.</summary>
    public required PolicyCondition Conditions { get; init; }

    /// <summary>How long what is disclosed under this rule may be kept.</summary>
    public required TimeSpan Retention { get; init; }

    /// <summary>The line in the policy file where the rule starts.</summary>
    public int Line { get; init; }

    /// <summary>Whether <paramref name="other"/> would decide the same way: same fields, conditions and retention.</summary>
    public bool AgreesWith(PolicyRule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Conditions == other.Conditions && Retention == other.Retention && Fields.Paths.SequenceEqual(other.Fields.Paths, StringComparer.Ordinal);
    }
}
