// This file is part of ExchangeHub.

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Telemetry;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// Takes a message in: decides per recipient (purpose binding), then records the message, its deliveries and a
/// disclosure record for every decision, allowed or denied, in one durable transaction of the log, and only then
/// answers with a receipt. A retry with the same idempotency key gets the same receipt and creates nothing.
/// </summary>
public sealed partial class MessageSubmitter(
    IDisclosureLog log,
    IDisclosurePolicy policy,
    LedgerKeys keys,
    IPayloadProtector protector,
    InboxSignals inboxSignals,
    AlarmNotifier alarmNotifier,
    IOptions<MessageOptions> options,
    ILogger<MessageSubmitter> logger)
{
    /// <summary>Decides, records and queues <paramref name="message"/>; returns its receipt once durable.</summary>
    public async Task<SubmissionReceipt> SubmitAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var messageType = ContractEnums.Name(message.MessageType);

        // Decide: outside the transaction, since the policy needs no storage.
        List<(MessageRecipient Recipient, RecipientOutcome Outcome)> decisions;
        using (var decide = HubTelemetry.ActivitySource.StartActivity("exchangehub.decide"))
        {
            decisions = message.Recipients.Select(r => (Recipient: r, Outcome: Decide(message, r))).ToList();
            decide?.SetTag("exchangehub.message_type", messageType)
                .SetTag("exchangehub.recipients", decisions.Count)
                .SetTag("exchangehub.allowed", decisions.Count(d => d.Outcome.Decision is { IsAllowed: true }));
        }

        var subject = message.Subject is not null
            ? keys.Pseudonymizer.Pseudonymize(message.Subject)
            : message.SubjectPseudonym ?? throw new ArgumentException("A message names its subject, or the pseudonym of its original's subject.", nameof(message));

        // Record: message, deliveries, disclosure records and alarms in one transaction of the log.
        SubmissionReceipt receipt;
        using (var record = HubTelemetry.ActivitySource.StartActivity("exchangehub.record"))
        {
            receipt = await log.AppendAsync((context, ct) => RecordAsync(message, decisions, subject, context, ct), cancellationToken);
            record?.SetTag("exchangehub.message_type", messageType)
                .SetTag("exchangehub.message_id", receipt.MessageId)
                .SetTag("exchangehub.log.tree_size", receipt.CheckpointTreeSize);
        }

        // Deliver: wake the recipients' open inbox streams.
        using (var deliver = HubTelemetry.ActivitySource.StartActivity("exchangehub.notify"))
        {
            var woken = 0;
            foreach (var delivery in receipt.Deliveries.Where(d => d.Decision == DisclosureDecision.Allowed))
            {
                inboxSignals.Notify(delivery.Recipient.Oin);
                woken++;
            }

            deliver?.SetTag("exchangehub.deliveries", woken);
        }

        return receipt;
    }

    private RecipientOutcome Decide(OutgoingMessage message, MessageRecipient recipient)
    {
        if (recipient.Partner is null)
        {
            return new RecipientOutcome(null, message.Grounds[0], HubErrors.RecipientNotRegistered.Format(recipient.Oin, recipient.Why));
        }

        Decision? firstDenial = null;
        ProcessingGrounds? firstDenialGrounds = null;
        foreach (var grounds in message.Grounds)
        {
            var decision = policy.Decide(new DisclosureRequest
            {
                Sender = message.Sender,
                Recipient = recipient.Partner,
                MessageType = message.MessageType,
                Category = message.Category,
                Purpose = grounds.Purpose,
                LegalBasis = grounds.LegalBasis,
                Justification = grounds.Justification,
                SubjectMunicipalities = message.SubjectMunicipalities,
                CaseConsultationId = message.CaseConsultationId,
                Payload = message.Payload,
            });
            if (decision.IsAllowed)
            {
                return new RecipientOutcome(decision, grounds, decision.Explanation);
            }

            firstDenial ??= decision;
            firstDenialGrounds ??= grounds;
        }

        return new RecipientOutcome(firstDenial, firstDenialGrounds!, firstDenial!.Explanation);
    }

    private async Task<SubmissionReceipt> RecordAsync(
        OutgoingMessage message,
        List<(MessageRecipient Recipient, RecipientOutcome Outcome)> decisions,
        string subject,
        ILogAppendContext context,
        CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)context.Connection;
        var transaction = (SqliteTransaction)context.Transaction;
        var existing = await FindExistingAsync(connection, transaction, message, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var now = context.Now;
        var messageId = Guid.NewGuid().ToString("D");
        var receipt = new SubmissionReceipt { MessageId = messageId, AcceptedAt = Timestamp.FromDateTimeOffset(now), CorrelationId = message.CorrelationId ?? string.Empty };
        var retainUntil = now;
        ulong lastSequence = 0;

        // The message row first (deliveries refer to it); its receipt and payload are filled in below.
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO messages (message_id, sender_oin, operation, idempotency_key, request_sha256, message_type, category, subject_pseudonym,
                                      original_message_id, accepted_at, receipt, retain_until)
                VALUES ($id, $sender, $operation, $key, $hash, $type, $category, $subject, $original, $at, x'', $at)
                """;
            insert.Parameters.AddWithValue("$id", messageId);
            insert.Parameters.AddWithValue("$sender", message.Sender.Oin.Value);
            insert.Parameters.AddWithValue("$operation", message.Operation);
            insert.Parameters.AddWithValue("$key", message.IdempotencyKey);
            insert.Parameters.AddWithValue("$hash", message.RequestSha256);
            insert.Parameters.AddWithValue("$type", (int)message.MessageType);
            insert.Parameters.AddWithValue("$category", (int)message.Category);
            insert.Parameters.AddWithValue("$subject", subject);
            insert.Parameters.AddWithValue("$original", (object?)message.OriginalMessageId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$at", Sql.Time(now));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (recipient, outcome) in decisions)
        {
            var allowed = outcome.Decision is { IsAllowed: true };
            var deliveryId = allowed ? Guid.NewGuid().ToString("D") : string.Empty;
            var disclosed = outcome.Decision?.DisclosedPayload?.ToByteArray();
            var record = new DisclosureRecord
            {
                RecordedAt = receipt.AcceptedAt,
                Sender = new PartnerId { Oin = message.Sender.Oin.Value },
                SenderRole = message.Sender.Roles.Min(),
                Recipient = new PartnerId { Oin = recipient.Oin.Value },
                RecipientRole = recipient.Partner?.Roles.Min() ?? PartnerRole.Unspecified,
                Category = message.Category,
                MessageType = message.MessageType,
                MessageId = messageId,
                DeliveryId = deliveryId,
                Purpose = outcome.Grounds.Purpose,
                LegalBasis = outcome.Grounds.LegalBasis,
                JustificationSha256 = string.IsNullOrEmpty(outcome.Grounds.Justification) ? ByteString.Empty : ByteString.CopyFrom(SHA256.HashData(Encoding.UTF8.GetBytes(outcome.Grounds.Justification))),
                PolicyId = outcome.Decision?.PolicyId ?? string.Empty,
                PolicyVersion = outcome.Decision?.PolicyVersion ?? string.Empty,
                RuleId = outcome.Decision?.Rule?.Id ?? string.Empty,
                Decision = allowed ? DisclosureDecision.Allowed : DisclosureDecision.Denied,
                Reason = outcome.Explanation,
                PayloadSha256 = disclosed is null ? ByteString.Empty : ByteString.CopyFrom(SHA256.HashData(disclosed)),
                CorrelationId = message.CorrelationId ?? string.Empty,
                IdempotencyKey = message.IdempotencyKey,
                SubjectPseudonym = subject,
            };
            if (allowed)
            {
                record.DisclosedFields.AddRange(outcome.Decision!.DisclosedFields);
            }

            var sequence = context.Append(new LogEntry { Disclosure = record });
            lastSequence = sequence;
            var deliveryReceipt = new DeliveryReceipt
            {
                Recipient = record.Recipient,
                DeliveryId = deliveryId,
                Decision = record.Decision,
                LogSequence = sequence,
                Reason = outcome.Explanation,
                PolicyId = record.PolicyId,
                PolicyVersion = record.PolicyVersion,
                RuleId = record.RuleId,
            };
            deliveryReceipt.DisclosedFields.AddRange(record.DisclosedFields);
            if (outcome.Decision is { IsAllowed: false } denied)
            {
                deliveryReceipt.AllowedAlternatives.AddRange(denied.Alternatives.Select(a => new ProcessingGrounds { Purpose = a.Purpose, LegalBasis = a.LegalBasis }));
            }

            receipt.Deliveries.Add(deliveryReceipt);
            if (allowed)
            {
                var retention = now + outcome.Decision!.Retention!.Value;
                retainUntil = retention > retainUntil ? retention : retainUntil;
                await InsertDeliveryAsync(connection, transaction, message, recipient, outcome, deliveryId, messageId, sequence, disclosed!, now, retention, cancellationToken);
            }
            else if (recipient.Mandatory)
            {
                await NotifyAsync(context, await Alarms.RaiseAsync(connection, transaction, AlarmKind.MandatoryRecipientDenied, messageId, string.Empty, message.Sender.Oin.Value, recipient.Oin.Value, message.MessageType, now, null,
                    $"Mandatory recipient {recipient.Oin} ({recipient.Why}) may not receive this message: {outcome.Explanation}", cancellationToken), cancellationToken);
                LogMandatoryDenied(logger, messageId, recipient.Oin.Value, outcome.Explanation);
            }
        }

        foreach (var missing in message.UnresolvedMandatoryRecipients)
        {
            await NotifyAsync(context, await Alarms.RaiseAsync(connection, transaction, AlarmKind.MandatoryRecipientDenied, messageId, string.Empty, message.Sender.Oin.Value, missing, message.MessageType, now, null,
                HubErrors.NoMandatoryRecipient.Format(missing), cancellationToken), cancellationToken);
            LogMandatoryDenied(logger, messageId, missing, "no registered partner");
        }

        if (message.ReleaseAt is { } release && release - now < options.Value.MinimumNoticeLeadTime)
        {
            await NotifyAsync(context, await Alarms.RaiseAsync(connection, transaction, AlarmKind.LateNotice, messageId, string.Empty, message.Sender.Oin.Value, string.Empty, message.MessageType, now, release,
                string.Create(CultureInfo.InvariantCulture, $"The release at {release:u} is {(release - now).TotalDays:0.#} days away; the notice should arrive at least {options.Value.MinimumNoticeLeadTime.TotalDays:0} days before."), cancellationToken), cancellationToken);
        }

        receipt.CheckpointTreeSize = lastSequence + 1;
        var original = receipt.Deliveries.Any(d => d.Decision == DisclosureDecision.Allowed) ? protector.Protect(message.MessageType, messageId, message.Payload.ToByteArray()) : null;
        await using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE messages SET receipt = $receipt, payload_key = $payloadKey, payload = $payload, retain_until = $retain WHERE message_id = $id";
            update.Parameters.AddWithValue("$id", messageId);
            update.Parameters.AddWithValue("$receipt", receipt.ToByteArray());
            update.Parameters.AddWithValue("$payloadKey", (object?)original?.WrappedKey ?? DBNull.Value);
            update.Parameters.AddWithValue("$payload", (object?)original?.Ciphertext ?? DBNull.Value);
            update.Parameters.AddWithValue("$retain", Sql.Time(retainUntil));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var allowedCount = receipt.Deliveries.Count(d => d.Decision == DisclosureDecision.Allowed);
        LogAccepted(logger, messageId, message.MessageType, message.Sender.Oin.Value, allowedCount, receipt.Deliveries.Count);
        return receipt;
    }

    private async Task NotifyAsync(ILogAppendContext context, Alarm? alarm, CancellationToken cancellationToken)
    {
        if (alarm is not null)
        {
            await alarmNotifier.NotifyAsync(context, alarm, cancellationToken);
        }
    }

    private async Task InsertDeliveryAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        OutgoingMessage message,
        MessageRecipient recipient,
        RecipientOutcome outcome,
        string deliveryId,
        string messageId,
        ulong sequence,
        byte[] disclosed,
        DateTimeOffset now,
        DateTimeOffset retainUntil,
        CancellationToken cancellationToken)
    {
        var acknowledgeBefore = now + options.Value.AcknowledgeWithin;
        if (message.ReleaseAt is { } release && release > now && release < acknowledgeBefore)
        {
            acknowledgeBefore = release;
        }

        var protectedPayload = protector.Protect(message.MessageType, deliveryId, disclosed);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO deliveries (delivery_id, message_id, recipient_oin, inbox_position, log_sequence, purpose, legal_basis, justification,
                                    rule_id, disclosed_fields, mandatory, payload_key, payload, available_at, visible_after, acknowledge_before, retain_until)
            VALUES ($id, $message, $recipient,
                    (SELECT COALESCE(MAX(inbox_position), 0) + 1 FROM deliveries WHERE recipient_oin = $recipient),
                    $sequence, $purpose, $basis, $justification, $rule, $fields, $mandatory, $payloadKey, $payload, $at, $at, $ackBefore, $retain)
            """;
        command.Parameters.AddWithValue("$id", deliveryId);
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$recipient", recipient.Oin.Value);
        command.Parameters.AddWithValue("$sequence", (long)sequence);
        command.Parameters.AddWithValue("$purpose", (int)outcome.Grounds.Purpose);
        command.Parameters.AddWithValue("$basis", (int)outcome.Grounds.LegalBasis);
        command.Parameters.AddWithValue("$justification", string.IsNullOrEmpty(outcome.Grounds.Justification) ? DBNull.Value : outcome.Grounds.Justification);
        command.Parameters.AddWithValue("$rule", outcome.Decision!.Rule!.Id);
        command.Parameters.AddWithValue("$fields", string.Join('\n', outcome.Decision.DisclosedFields));
        command.Parameters.AddWithValue("$mandatory", recipient.Mandatory ? 1 : 0);
        command.Parameters.AddWithValue("$payloadKey", protectedPayload.WrappedKey);
        command.Parameters.AddWithValue("$payload", protectedPayload.Ciphertext);
        command.Parameters.AddWithValue("$at", Sql.Time(now));
        command.Parameters.AddWithValue("$ackBefore", Sql.Time(acknowledgeBefore));
        command.Parameters.AddWithValue("$retain", Sql.Time(retainUntil));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<SubmissionReceipt?> FindExistingAsync(SqliteConnection connection, SqliteTransaction transaction, OutgoingMessage message, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT message_id, request_sha256, receipt FROM messages WHERE sender_oin = $sender AND operation = $operation AND idempotency_key = $key";
        command.Parameters.AddWithValue("$sender", message.Sender.Oin.Value);
        command.Parameters.AddWithValue("$operation", message.Operation);
        command.Parameters.AddWithValue("$key", message.IdempotencyKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        if (!((byte[])reader[1]).AsSpan().SequenceEqual(message.RequestSha256))
        {
            throw new IdempotencyConflictException(HubErrors.IdempotencyConflict.Format(message.IdempotencyKey, message.Sender, message.Operation, reader.GetString(0)));
        }

        return SubmissionReceipt.Parser.ParseFrom((byte[])reader[2]);
    }

    [LoggerMessage(EventId = 5101, EventName = "MessageAccepted", Level = LogLevel.Information, Message = "Message {MessageId} ({MessageType}) from {Sender} accepted: {Allowed} of {Recipients} recipients allowed")]
    private static partial void LogAccepted(ILogger logger, string messageId, MessageType messageType, string sender, int allowed, int recipients);

    [LoggerMessage(EventId = 5102, EventName = "MandatoryRecipientDenied", Level = LogLevel.Warning, Message = "ALARM: message {MessageId} cannot reach mandatory recipient {Recipient}: {Reason}")]
    private static partial void LogMandatoryDenied(ILogger logger, string messageId, string recipient, string reason);

    private sealed record RecipientOutcome(Decision? Decision, ProcessingGrounds Grounds, string Explanation);
}
