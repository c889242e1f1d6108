// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Core.Policy;

/// <summary>
/// Which contract message each message type discloses: the message whose field names a rule's <c>fields</c>
/// refer to and which minimisation is applied to.
/// </summary>
public static class PayloadTypes
{
    /// <summary>The payload message of <paramref name="type"/>, or null for types that no rule governs directly.</summary>
    public static MessageDescriptor? For(MessageType type) => type switch
    {
        MessageType.EndOfDetentionNotice => EndOfDetentionNotice.Descriptor,
        MessageType.EndOfDetentionNoticeCorrection => EndOfDetentionNoticeCorrection.Descriptor,
        MessageType.EndOfDetentionNoticeWithdrawal => EndOfDetentionNoticeWithdrawal.Descriptor,
        MessageType.Signal => Signal.Descriptor,
        MessageType.OfficialReport => OfficialReport.Descriptor,
        MessageType.OfficialReportFollowUp => OfficialReportFollowUp.Descriptor,
        MessageType.ReintegrationData => ReintegrationData.Descriptor,

        // A case query discloses a case view, one item at a time: each item is decided under the CASE_QUERY rule
        // for its category and provider, whose fields are paths in CaseView (see CaseViewLists).
        MessageType.CaseQuery => CaseView.Descriptor,

        // A subject access report is the privacy officer's right of audit, not a disclosure between partners.
        _ => null,
    };
}
