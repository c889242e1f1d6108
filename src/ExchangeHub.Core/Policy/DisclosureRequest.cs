// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using Google.Protobuf;

namespace ExchangeHub.Core.Policy;

/// <summary>
/// One question for the policy: may <see cref="Sender"/> disclose this message to <see cref="Recipient"/>, for
/// this purpose, on this legal basis? Every service asks it the same way, once per recipient.
/// </summary>
public sealed class DisclosureRequest
{
    /// <summary>The partner whose data is disclosed (the submitter, or for a case query the original sender).</summary>
    public required Partner Sender { get; init; }

    /// <summary>The partner that would receive it.</summary>
    public required Partner Recipient { get; init; }

    /// <summary>What kind of message it is; decides which contract message the rule's fields refer to.</summary>
    public required MessageType MessageType { get; init; }

    /// <summary>The data category the hub assigned to the message.</summary>
    public required DataCategory Category { get; init; }

    /// <summary>The purpose the request states.</summary>
    public required Purpose Purpose { get; init; }

    /// <summary>The legal basis the request states.</summary>
    public required LegalBasis LegalBasis { get; init; }

    /// <summary>The justification text, when the request gives one.</summary>
    public string? Justification { get; init; }

    /// <summary>The CBS codes of the subject's municipalities (residence, place of release) as the message states them.</summary>
    public IReadOnlyCollection<string> SubjectMunicipalities { get; init; } = [];

    /// <summary>The case consultation the request refers to, if any.</summary>
    public string? CaseConsultationId { get; init; }

    /// <summary>
    /// The message to disclose, of the contract type that <see cref="MessageType"/> names. When the decision
    /// allows it, <see cref="Decision.DisclosedPayload"/> is this message minimised to the allowed fields. Null
    /// only for what-if questions (<c>hubctl policy explain</c>).
    /// </summary>
    public IMessage? Payload { get; init; }
}
