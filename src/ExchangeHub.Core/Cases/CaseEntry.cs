// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;

namespace ExchangeHub.Core.Cases;

/// <summary>
/// One item of case data as the hub holds it: what a partner delivered through the hub about the subject, in the
/// form a case view shows it, before the policy has weighed it for the one who asks.
/// </summary>
public sealed class CaseEntry
{
    /// <summary>The message whose payload the item shows (for a corrected notice: the latest correction).</summary>
    public required string MessageId { get; init; }

    /// <summary>That message's type.</summary>
    public required MessageType MessageType { get; init; }

    /// <summary>The partner that delivered it: the sender when the policy weighs the item.</summary>
    public required string SenderOin { get; init; }

    /// <summary>The data category the hub assigned to it.</summary>
    public required DataCategory Category { get; init; }

    /// <summary>A case view holding only this item, complete as it was delivered (the policy strips it).</summary>
    public required CaseView Item { get; init; }

    /// <summary>The subject's municipalities as the item states them (for jurisdiction).</summary>
    public IReadOnlyCollection<string> SubjectMunicipalities { get; init; } = [];

    /// <summary>The case consultation the item was delivered for, if it names one (signals).</summary>
    public string? CaseConsultationId { get; init; }

    /// <summary>For an official report: the one partner it is addressed to.</summary>
    public string? AddresseeOin { get; init; }

    /// <summary>The list of the case view the item lives in (<see cref="CaseViewLists"/>).</summary>
    public string List => CaseViewLists.For(Category) ?? throw new InvalidOperationException($"category {Category} has no list in a case view");
}
