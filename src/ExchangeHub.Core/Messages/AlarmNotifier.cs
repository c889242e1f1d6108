// This file is part of ExchangeHub.

using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Telemetry;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// Sends each new alarm as a message to the partners designated to receive alarms, through their inbox, in the
/// same transaction that raised it. An alarm carries no subject data; its delivery is logged like any other, and
/// is itself never the subject of an alarm. Every new alarm passes here, whoever raised it (the watchdog, a
/// submission, a rejection), so this is also where alarms are counted.
/// </summary>
public sealed class AlarmNotifier(IPartnerRegistry registry, IPayloadProtector protector, IOptions<MessageOptions> options, IMeterFactory meters)
{
    /// <summary>How long an alarm stays in the recipient's inbox.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(365);

    private readonly Counter<long> _raised = meters.Create(HubTelemetry.MeterName)
        .CreateCounter<long>("exchangehub.alarms.raised", "{alarm}", "Missed-notice alarms raised, by kind (NOT_DELIVERED, NOT_ACKNOWLEDGED, MANDATORY_RECIPIENT_DENIED, LATE_NOTICE, RECIPIENT_REJECTED).");

    /// <summary>Delivers <paramref name="alarm"/> to every designated, registered partner; returns how many received it.</summary>
    public async Task<int> NotifyAsync(ILogAppendContext context, Alarm alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(alarm);
        _raised.Add(1, new KeyValuePair<string, object?>("kind", ContractEnums.Name(alarm.Kind)));
        var recipients = options.Value.AlarmRecipients
            .Select(oin => Oin.TryParse(oin, out var parsed, out _) && registry.Find(parsed, out var partner) == PartnerLookup.Found ? partner : null)
            .OfType<Partner>()
            .ToList();
        if (recipients.Count == 0)
        {
            return 0;
        }

        var connection = (SqliteConnection)context.Connection;
        var transaction = (SqliteTransaction)context.Transaction;
        var now = context.Now;
        var payload = alarm.ToByteArray();
        var messageId = Guid.NewGuid().ToString("D");
        await using (var message = connection.CreateCommand())
        {
            message.Transaction = transaction;
            message.CommandText = """
                INSERT INTO messages (message_id, sender_oin, operation, idempotency_key, request_sha256, message_type, category, subject_pseudonym, accepted_at, receipt, retain_until)
                VALUES ($id, '', 'Alarm', $alarm, $hash, $type, 0, '', $now, x'', $retain)
                """;
            message.Parameters.AddWithValue("$id", messageId);
            message.Parameters.AddWithValue("$alarm", alarm.AlarmId);
            message.Parameters.AddWithValue("$hash", SHA256.HashData(payload));
            message.Parameters.AddWithValue("$type", (int)MessageType.Alarm);
            message.Parameters.AddWithValue("$now", Sql.Time(now));
            message.Parameters.AddWithValue("$retain", Sql.Time(now + Retention));
            await message.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var recipient in recipients)
        {
            var deliveryId = Guid.NewGuid().ToString("D");
            var sequence = context.Append(new LogEntry
            {
                Disclosure = new DisclosureRecord
                {
                    RecordedAt = Timestamp.FromDateTimeOffset(now),
                    Recipient = new PartnerId { Oin = recipient.Oin.Value },
                    RecipientRole = recipient.Roles.Min(),
                    MessageType = MessageType.Alarm,
                    MessageId = messageId,
                    DeliveryId = deliveryId,
                    Decision = DisclosureDecision.Allowed,
                    Reason = $"{alarm.Kind} alarm to a partner designated to receive alarms; no subject data.",
                    DisclosedFields = { "alarm" },
                    PayloadSha256 = ByteString.CopyFrom(SHA256.HashData(payload)),
                },
            });
            var sealedPayload = protector.Protect(MessageType.Alarm, deliveryId, payload);
            await using var delivery = connection.CreateCommand();
            delivery.Transaction = transaction;

            // No acknowledgement deadline that could raise an alarm about an alarm: the deadline is the retention end.
            delivery.CommandText = """
                INSERT INTO deliveries (delivery_id, message_id, recipient_oin, inbox_position, log_sequence, purpose, legal_basis, rule_id, disclosed_fields,
                                        mandatory, payload_key, payload, available_at, visible_after, acknowledge_before, retain_until)
                VALUES ($id, $message, $recipient, (SELECT COALESCE(MAX(inbox_position), 0) + 1 FROM deliveries WHERE recipient_oin = $recipient),
                        $sequence, 0, 0, 'alarm', 'alarm', 0, $key, $payload, $now, $now, $retain, $retain)
                """;
            delivery.Parameters.AddWithValue("$id", deliveryId);
            delivery.Parameters.AddWithValue("$message", messageId);
            delivery.Parameters.AddWithValue("$recipient", recipient.Oin.Value);
            delivery.Parameters.AddWithValue("$sequence", (long)sequence);
            delivery.Parameters.AddWithValue("$key", sealedPayload.WrappedKey);
            delivery.Parameters.AddWithValue("$payload", sealedPayload.Ciphertext);
            delivery.Parameters.AddWithValue("$now", Sql.Time(now));
            delivery.Parameters.AddWithValue("$retain", Sql.Time(now + Retention));
            await delivery.ExecuteNonQueryAsync(cancellationToken);
        }

        return recipients.Count;
    }
}
