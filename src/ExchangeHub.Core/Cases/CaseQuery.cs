// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;

namespace ExchangeHub.Core.Cases;

/// <summary>A case query as the hub understands it: who asks about whom, on which grounds, narrowed how.</summary>
public sealed class CaseQuery
{
    /// <summary>The partner that asks; the recipient of whatever is disclosed.</summary>
    public required Partner Caller { get; init; }

    /// <summary>The subject, as the caller refers to it.</summary>
    public required SubjectReference Subject { get; init; }

    /// <summary>Purpose, legal basis and justification of the query.</summary>
    public required ProcessingGrounds Grounds { get; init; }

    /// <summary>When set: only items delivered for this case consultation.</summary>
    public string? CaseConsultationId { get; init; }

    /// <summary>The categories asked for; empty means every category the grounds cover.</summary>
    public IReadOnlyCollection<DataCategory> Categories { get; init; } = [];

    /// <summary>The caller's correlation id, if any.</summary>
    public string? CorrelationId { get; init; }
}
