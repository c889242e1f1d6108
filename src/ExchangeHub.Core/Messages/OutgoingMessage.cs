// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using Google.Protobuf;

namespace ExchangeHub.Core.Messages;

/// <summary>A submission as the hub understands it, after validation and routing, before the policy decides.</summary>
public sealed class OutgoingMessage
{
    /// <summary>The submitting partner.</summary>
    public required Partner Sender { get; init; }

    /// <summary>The operation (rpc) submitted through; idempotency keys are scoped to sender and operation.</summary>
    public required string Operation { get; init; }

    /// <summary>The sender's idempotency key.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the request without its correlation id: tells a retry from a different request under the same key.</summary>
    public required byte[] RequestSha256 { get; init; }

    /// <summary>The request's correlation id, if any.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The grounds the sender stated, in its order of preference.</summary>
    public required IReadOnlyList<ProcessingGrounds> Grounds { get; init; }

    /// <summary>What kind of message it is.</summary>
    public required MessageType MessageType { get; init; }

    /// <summary>The data category the hub assigned.</summary>
    public required DataCategory Category { get; init; }

    /// <summary>The payload as submitted (the contract message of <see cref="MessageType"/>).</summary>
    public required IMessage Payload { get; init; }

    /// <summary>Who the message is about; for a withdrawal or follow-up, which names no subject, null.</summary>
    public SubjectReference? Subject { get; init; }

    /// <summary>The subject's pseudonym when <see cref="Subject"/> is null (taken from the original message).</summary>
    public string? SubjectPseudonym { get; init; }

    /// <summary>The subject's municipalities as the message states them (for jurisdiction).</summary>
    public IReadOnlyCollection<string> SubjectMunicipalities { get; init; } = [];

    /// <summary>The case consultation the message is for, if any.</summary>
    public string? CaseConsultationId { get; init; }

    /// <summary>For corrections, withdrawals and follow-ups: the message this one refers to.</summary>
    public string? OriginalMessageId { get; init; }

    /// <summary>Everyone the message should go to, each to be weighed by the policy.</summary>
    public required IReadOnlyList<MessageRecipient> Recipients { get; init; }

    /// <summary>Mandatory recipients routing could not find a partner for, in words; each raises an alarm.</summary>
    public IReadOnlyList<string> UnresolvedMandatoryRecipients { get; init; } = [];

    /// <summary>For an end-of-detention notice: the expected release; acknowledgements are due before it.</summary>
    public DateTimeOffset? ReleaseAt { get; init; }
}

/// <summary>A recipient of a message, as routing found it.</summary>
/// <param name="Oin">The recipient's OIN.</param>
/// <param name="Partner">The registered partner, or null when the OIN is not registered (then it is denied and, if mandatory, an alarm raised).</param>
/// <param name="Mandatory">Whether the message must reach this recipient (the mayor and IDV of a notice): a denial or a missing acknowledgement raises an alarm.</param>
/// <param name="Why">Why this recipient, in words, for alarms and logs.</param>
public sealed record MessageRecipient(Oin Oin, Partner? Partner, bool Mandatory, string Why);
