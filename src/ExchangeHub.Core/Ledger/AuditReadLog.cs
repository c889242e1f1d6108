// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Logs what privacy officers read. Disclosure records are pseudonymised personal data, so handing them to a
/// privacy officer is itself a disclosure, and the log must show who looked at what: a subject access report, a
/// listing (once, at its first page) and an export are each appended as a disclosure record, durably, before the
/// officer receives anything. The hub is the sender; a report or listing about one person carries that person's
/// pseudonym, so it shows up in the person's next access report. Counts are figures without personal data and
/// are not logged; neither are raw leaves fetched to verify the log.
/// </summary>
public sealed class AuditReadLog(IDisclosureLog log, IOptions<LedgerOptions> options)
{
    /// <summary>Appends the record of <paramref name="read"/> and returns its sequence once it is durable.</summary>
    public Task<ulong> RecordAsync(AuditRead read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return log.AppendAsync((context, _) =>
        {
            var record = new DisclosureRecord
            {
                RecordedAt = Timestamp.FromDateTimeOffset(context.Now),
                Sender = options.Value.HubOin is { } hub ? new PartnerId { Oin = hub } : null,
                Recipient = new PartnerId { Oin = read.Officer.Oin.Value },
                RecipientRole = PartnerRole.PrivacyOfficer,
                MessageType = read.MessageType,
                MessageId = Guid.NewGuid().ToString("D"),
                Purpose = read.Grounds.Purpose,
                LegalBasis = read.Grounds.LegalBasis,
                Decision = DisclosureDecision.Allowed,
                Reason = read.Reason,
                DisclosedFields = { read.DisclosedFields },
                SubjectPseudonym = read.SubjectPseudonym ?? string.Empty,
            };
            record.DataProviders.AddRange(read.DataProviders);
            if (read.PayloadSha256 is { } payload)
            {
                record.PayloadSha256 = ByteString.CopyFrom(payload(context.Now));
            }

            return Task.FromResult(context.Append(new LogEntry { Disclosure = record }));
        }, cancellationToken);
    }
}

/// <summary>One read by a privacy officer, to be logged by <see cref="AuditReadLog"/>.</summary>
/// <param name="Officer">The privacy officer who receives the data.</param>
/// <param name="Grounds">The grounds the officer stated.</param>
/// <param name="MessageType">What was read: a subject access report, a listing or an export.</param>
/// <param name="Reason">What was disclosed, in words (e.g. the query and the snapshot).</param>
public sealed record AuditRead(Partner Officer, ProcessingGrounds Grounds, MessageType MessageType, string Reason)
{
    /// <summary>The pseudonym of the one person the read was about, or null when it was not about one person.</summary>
    public string? SubjectPseudonym { get; init; }

    /// <summary>The fields of the response that were disclosed. Defaults to <c>records</c>.</summary>
    public IReadOnlyList<string> DisclosedFields { get; init; } = ["records"];

    /// <summary>The partners whose submissions were disclosed, when known before the read is logged.</summary>
    public IReadOnlyList<PartnerId> DataProviders { get; init; } = [];

    /// <summary>
    /// Computes the SHA-256 of the response as delivered, given the time of the log commit (which a response may
    /// carry, as a report's generated_at); null when the response is not known before it is logged (an export).
    /// </summary>
    public Func<DateTimeOffset, byte[]>? PayloadSha256 { get; init; }
}
