// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Tests.Support.Ledger;

/// <summary>
/// Disclosure entries for the tests, the crash appender and the benchmark: one realistic entry (DJI's
/// end-of-detention notice to the mayor of Rotterdam) for tests that need many entries differing only in id, time
/// and subject, and a small audit log (<see cref="AuditLog"/>) whose every filter and figure is known by hand.
/// The OINs are those of the test hub's partners (tests/Support/Hub/TestPki.cs).
/// </summary>
public static class SampleDisclosures
{
    public const string DjiOin = "00000001800000001000";
    public const string IdvOin = "00000001800000002000";
    public const string PoliceOin = "00000001800000003000";
    public const string RotterdamOin = "00000001800000005000";
    public const string AivdOin = "00000001800000007000";
    public const string PrivacyOfficerOin = "00000001800000008000";

    /// <summary>The hub's own OIN, sender of the case query in <see cref="AuditLog"/> (no test hub partner has it).</summary>
    public const string HubOin = "00000001800000011000";

    /// <summary>An allowed notice disclosure with the given message id, time and subject pseudonym.</summary>
    public static LogEntry NoticeToMayor(string messageId, DateTimeOffset at, string subjectPseudonym) => new()
    {
        Disclosure = new DisclosureRecord
        {
            RecordedAt = Timestamp.FromDateTimeOffset(at),
            Sender = new PartnerId { Oin = DjiOin },
            SenderRole = PartnerRole.PrisonService,
            Recipient = new PartnerId { Oin = RotterdamOin },
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

    /// <summary>
    /// Nine entries, in this order, the message ids being <c>{prefix}-0</c> to <c>{prefix}-8</c> (all times UTC):
    /// <code>
    /// #  entry      recorded at                     sender -> recipient     subject basis        purpose               decision category       type
    /// 0  disclosure 2026-10-05 09:00                DJI -> Rotterdam        A       AVG_ART_6_1_E RELEASE_PREPARATION   ALLOWED  EOD notice     EOD notice
    /// 1  disclosure 2026-10-05 09:00                DJI -> IDV              A       AVG_ART_6_1_C VICTIM_INFORMATION    ALLOWED  EOD notice     EOD notice
    /// 2  redaction  2026-10-20 00:00
    /// 3  disclosure 2026-10-31 23:59:59.999999999   Police -> Rotterdam     B       WPG_ART_20    PERSON_CENTRED_APPR.  DENIED   police data    signal
    /// 4  disclosure 2026-11-01 00:00                AIVD -> IDV             A       WIV_2017      PROSECUTION           ALLOWED  official rep.  official report
    /// 5  disclosure 2026-11-15 10:30                hub -> Rotterdam        B       WPG_ART_20    PERSON_CENTRED_APPR.  ALLOWED  case data      case query (data provider: Police)
    /// 6  disclosure 2026-12-01 08:00                (none) -> privacy off.  -       -             -                     ALLOWED  -              alarm
    /// 7  disclosure 2026-12-24 12:00                DJI -> Rotterdam        B       WET_SENB      REINTEGRATION         DENIED   reintegration  reintegration data
    /// 8  redaction  2026-12-31 00:00
    /// </code>
    /// Record 3 sits one nanosecond before November, to test period bounds finer than the database's 100 ns.
    /// </summary>
    public static IReadOnlyList<LogEntry> AuditLog(string prefix, string subjectA, string subjectB) =>
    [
        Disclosure(prefix, 0, At(2026, 10, 5, 9), DjiOin, RotterdamOin, subjectA, LegalBasis.AvgArt61E, Purpose.ReleasePreparation, DisclosureDecision.Allowed, DataCategory.EndOfDetentionNotice, MessageType.EndOfDetentionNotice),
        Disclosure(prefix, 1, At(2026, 10, 5, 9), DjiOin, IdvOin, subjectA, LegalBasis.AvgArt61C, Purpose.VictimInformation, DisclosureDecision.Allowed, DataCategory.EndOfDetentionNotice, MessageType.EndOfDetentionNotice),
        Redaction(prefix, 2, At(2026, 10, 20, 0)),
        Disclosure(prefix, 3, new Timestamp { Seconds = At(2026, 11, 1, 0).Seconds - 1, Nanos = 999_999_999 }, PoliceOin, RotterdamOin, subjectB, LegalBasis.WpgArt20, Purpose.PersonCentredApproach, DisclosureDecision.Denied, DataCategory.PoliceData, MessageType.Signal),
        Disclosure(prefix, 4, At(2026, 11, 1, 0), AivdOin, IdvOin, subjectA, LegalBasis.Wiv2017OfficialReport, Purpose.Prosecution, DisclosureDecision.Allowed, DataCategory.OfficialReport, MessageType.OfficialReport),
        Disclosure(prefix, 5, Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 15, 10, 30, 0, TimeSpan.Zero)), HubOin, RotterdamOin, subjectB, LegalBasis.WpgArt20, Purpose.PersonCentredApproach, DisclosureDecision.Allowed, DataCategory.CaseData, MessageType.CaseQuery, PoliceOin),
        Disclosure(prefix, 6, At(2026, 12, 1, 8), null, PrivacyOfficerOin, null, LegalBasis.Unspecified, Purpose.Unspecified, DisclosureDecision.Allowed, DataCategory.Unspecified, MessageType.Alarm),
        Disclosure(prefix, 7, At(2026, 12, 24, 12), DjiOin, RotterdamOin, subjectB, LegalBasis.WetSenbReintegration, Purpose.Reintegration, DisclosureDecision.Denied, DataCategory.ReintegrationData, MessageType.ReintegrationData),
        Redaction(prefix, 8, At(2026, 12, 31, 0)),
    ];

    private static Timestamp At(int year, int month, int day, int hour) =>
        Timestamp.FromDateTimeOffset(new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.Zero));

    private static LogEntry Disclosure(
        string prefix, int index, Timestamp at, string? sender, string recipient, string? subject, LegalBasis basis, Purpose purpose,
        DisclosureDecision decision, DataCategory category, MessageType type, params string[] dataProviders)
    {
        var record = new DisclosureRecord
        {
            RecordedAt = at,
            Sender = sender is null ? null : new PartnerId { Oin = sender },
            Recipient = new PartnerId { Oin = recipient },
            Category = category,
            MessageType = type,
            MessageId = $"{prefix}-{index}",
            Purpose = purpose,
            LegalBasis = basis,
            PolicyId = "exchangehub-default",
            PolicyVersion = "2026.11.1",
            RuleId = $"rule-{index}",
            Decision = decision,
            // Commas, quotes and a line break: what a CSV export must quote.
            Reason = $"Record {index}: \"{decision}\", by rule-{index},\r\nsee the policy.",
            SubjectPseudonym = subject ?? string.Empty,
        };
        record.DataProviders.AddRange(dataProviders.Select(oin => new PartnerId { Oin = oin }));
        if (decision == DisclosureDecision.Allowed)
        {
            record.DeliveryId = $"d-{prefix}-{index}";
            record.DisclosedFields.Add(["subject", "details.summary"]);
            record.PayloadSha256 = ByteString.CopyFrom(Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + index)).ToArray());
            record.JustificationSha256 = ByteString.CopyFrom(new byte[32]);
        }

        return new LogEntry { Disclosure = record };
    }

    private static LogEntry Redaction(string prefix, int index, Timestamp at) => new()
    {
        Redaction = new RedactionRecord { RecordedAt = at, MessageId = $"{prefix}-{index}", RuleId = "retention", Reason = "retention period of 730 days ended" },
    };
}
