// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Messages;

namespace ExchangeHub.Core.Cases;

/// <summary>A message as stored, with its payload still sealed; what a case file is collected from.</summary>
/// <param name="MessageId">The message's id.</param>
/// <param name="SenderOin">Who submitted it.</param>
/// <param name="MessageType">Its type.</param>
/// <param name="Category">The data category the hub assigned.</param>
/// <param name="SubjectPseudonym">The keyed pseudonym of its subject.</param>
/// <param name="OriginalMessageId">For a correction or withdrawal: the notice it refers to.</param>
/// <param name="AcceptedAt">When the hub accepted it.</param>
/// <param name="Payload">The sealed payload as submitted; null when it was destroyed (retention ended) or never kept because no recipient was allowed.</param>
public sealed record StoredMessage(
    string MessageId,
    string SenderOin,
    MessageType MessageType,
    DataCategory Category,
    string SubjectPseudonym,
    string? OriginalMessageId,
    DateTimeOffset AcceptedAt,
    ProtectedPayload? Payload);
