// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Tests.Support.Ledger;

/// <summary>
/// One realistic disclosure entry (DJI's end-of-detention notice to the mayor of Rotterdam), for the tests, the
/// crash appender and the benchmark, which all need many entries that differ only in id, time and subject.
/// </summary>
public static class SampleDisclosures
{
    /// <summary>An allowed notice disclosure with the given message id, time and subject pseudonym.</summary>
    public static LogEntry NoticeToMayor(string messageId, DateTimeOffset at, string subjectPseudonym) => new()
    {
        Disclosure = new DisclosureRecord
        {
            RecordedAt = Timestamp.FromDateTimeOffset(at),
            Sender = new PartnerId { Oin = "00000001800000001000" },
            SenderRole = PartnerRole.PrisonService,
            Recipient = new PartnerId { Oin = "00000001800000005000" },
            RecipientRole = PartnerRole.Municipality,
            Category = DataCategory.EndOfDetentionNotice,
            MessageType = MessageType.EndOfDetentionNotice,
            MessageId = messageId,
            DeliveryId = "d-" + messageId,
            Purpose = Purpose.ReleasePreparation,
            LegalBasis = LegalBasis.AvgArt61E,
            PolicyId = "exchangehub-default",
            PolicyVersion = "2026.11.1",
            RuleId = "eod-notice-to-mayor",
            Decision = DisclosureDecision.Allowed,
            Reason = "Allowed by rule eod-notice-to-mayor.",
            DisclosedFields = { "subject", "expected_release_time" },
            PayloadSha256 = ByteString.CopyFrom(new byte[32]),
            IdempotencyKey = messageId,
            SubjectPseudonym = subjectPseudonym,
        },
    };
}
