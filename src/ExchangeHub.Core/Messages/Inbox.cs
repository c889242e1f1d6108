// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Storage;
using ExchangeHub.Core.Telemetry;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// Step five, deliver: a recipient's inbox. Messages come in inbox order, only with the fields the policy allowed
/// that recipient; a message handed out and not acknowledged comes again after the visibility timeout, so
/// nothing is lost when a recipient crashes; an acknowledgement clears the missed-notice alarm. A recipient only
/// ever sees its own inbox: every query is keyed by its OIN.
/// </summary>
public sealed partial class Inbox(
    SqliteHubDatabase database,
    IDisclosureLog log,
    AlarmNotifier notifier,
    IPayloadProtector protector,
    IOptions<MessageOptions> options,
    TimeProvider time,
    ILogger<Inbox> logger,
    IMeterFactory meters)
{
    /// <summary>The largest page a recipient may ask for.</summary>
    public const int MaxPageSize = 500;

    private readonly Histogram<double> _lag = meters.Create(HubTelemetry.MeterName).CreateHistogram(
        "exchangehub.inbox.lag",
        "s",
        "Time from a delivery's acceptance to its first acknowledgement, by message type, outcome and mandatory.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200] });

    // The payload oneof of InboxMessage has one field per payload message type: pick it by type, not by a switch.
    private static readonly FrozenDictionary<MessageDescriptor, FieldDescriptor> PayloadFields =
        InboxMessage.Descriptor.Oneofs.Single(o => o.Name == "payload").Fields.ToFrozenDictionary(f => f.MessageType);

    /// <summary>Hands out the next messages of <paramref name="recipient"/>'s inbox after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<InboxMessage>> TakeAsync(Partner recipient, long after, int pageSize, IReadOnlyCollection<DataCategory> categories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(categories);
        using var activity = HubTelemetry.ActivitySource.StartActivity("exchangehub.deliver");
        var now = time.GetUtcNow();
        var oin = recipient.Oin.Value;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = $"""
            SELECT d.delivery_id, d.message_id, d.inbox_position, d.log_sequence, d.purpose, d.legal_basis, d.justification,
                   d.disclosed_fields, d.payload_key, d.payload, d.available_at, d.attempts, d.acknowledge_before, d.retain_until,
                   m.sender_oin, m.category, m.message_type
            FROM deliveries d JOIN messages m ON m.message_id = d.message_id
            WHERE d.recipient_oin = $recipient AND d.visible_after <= $now
              AND ((d.inbox_position > $after AND (d.ack_outcome IS NULL OR d.ack_outcome = $received))
                   OR (d.inbox_position <= $after AND d.ack_outcome IS NULL AND d.attempts > 0))
              {(categories.Count == 0 ? string.Empty : $"AND m.category IN ({string.Join(", ", categories.Select(c => (int)c))})")}
            ORDER BY d.inbox_position
            LIMIT $limit
            """;
        select.Parameters.AddWithValue("$recipient", oin);
        select.Parameters.AddWithValue("$now", Sql.Time(now));
        select.Parameters.AddWithValue("$after", after);
        select.Parameters.AddWithValue("$received", (int)AcknowledgementOutcome.Received);
        select.Parameters.AddWithValue("$limit", Math.Clamp(pageSize, 1, MaxPageSize));
        var messages = new List<InboxMessage>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                messages.Add(Read(reader, oin));
            }
        }

        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE deliveries SET attempts = attempts + 1, visible_after = $visible, first_fetched_at = COALESCE(first_fetched_at, $now) WHERE delivery_id = $id";
        update.Parameters.AddWithValue("$visible", Sql.Time(now + options.Value.VisibilityTimeout));
        update.Parameters.AddWithValue("$now", Sql.Time(now));
        var id = update.Parameters.Add("$id", SqliteType.Text);
        foreach (var message in messages)
        {
            id.Value = message.DeliveryId;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        activity?.SetTag("exchangehub.recipient", oin).SetTag("exchangehub.deliveries", messages.Count);
        return messages;
    }

    /// <summary>
    /// Records <paramref name="recipient"/>'s acknowledgement of a delivery and clears its alarms, in a transaction
    /// of the log (a rejection raises an alarm, which may be sent on as a message).
    /// </summary>
    public async Task AcknowledgeAsync(Partner recipient, string deliveryId, AcknowledgementOutcome outcome, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        using var activity = HubTelemetry.ActivitySource.StartActivity("exchangehub.acknowledge");
        activity?.SetTag("exchangehub.recipient", recipient.Oin.Value).SetTag("exchangehub.delivery_id", deliveryId).SetTag("exchangehub.acknowledgement", ContractEnums.Name(outcome));
        var (changed, first) = await log.AppendAsync(async (context, ct) =>
        {
            var connection = (SqliteConnection)context.Connection;
            var transaction = (SqliteTransaction)context.Transaction;
            var now = context.Now;
            await using var select = connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = """
                SELECT d.ack_outcome, d.message_id, m.sender_oin, m.message_type, d.available_at, d.mandatory
                FROM deliveries d JOIN messages m ON m.message_id = d.message_id WHERE d.delivery_id = $id AND d.recipient_oin = $recipient
                """;
            select.Parameters.AddWithValue("$id", deliveryId);
            select.Parameters.AddWithValue("$recipient", recipient.Oin.Value);
            AcknowledgementOutcome? current;
            string messageId, sender;
            MessageType type;
            FirstAcknowledgement? first;
            await using (var reader = await select.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    throw new MessageNotFoundException(HubErrors.DeliveryNotFound.Format(deliveryId, recipient));
                }

                current = reader.IsDBNull(0) ? null : (AcknowledgementOutcome)reader.GetInt32(0);
                messageId = reader.GetString(1);
                sender = reader.GetString(2);
                type = (MessageType)reader.GetInt32(3);
                first = current is null ? new FirstAcknowledgement(type, Sql.ParseTime(reader.GetString(4)), reader.GetInt32(5) == 1, now) : null;
            }

            if (current == outcome)
            {
                return (false, (FirstAcknowledgement?)null);
            }

            if (current is AcknowledgementOutcome.Processed or AcknowledgementOutcome.Rejected)
            {
                throw new MessageStateException(HubErrors.AcknowledgementFinal.Format(deliveryId, current));
            }

            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE deliveries SET ack_outcome = $outcome, ack_reason = $reason, acknowledged_at = COALESCE(acknowledged_at, $now) WHERE delivery_id = $id";
            update.Parameters.AddWithValue("$outcome", (int)outcome);
            update.Parameters.AddWithValue("$reason", string.IsNullOrEmpty(reason) ? DBNull.Value : reason);
            update.Parameters.AddWithValue("$now", Sql.Time(now));
            update.Parameters.AddWithValue("$id", deliveryId);
            await update.ExecuteNonQueryAsync(ct);
            await Alarms.ClearAsync(connection, transaction, deliveryId, [AlarmKind.NotDelivered, AlarmKind.NotAcknowledged], now, ct);
            if (outcome == AcknowledgementOutcome.Rejected
                && await Alarms.RaiseAsync(connection, transaction, AlarmKind.RecipientRejected, messageId, deliveryId, sender, recipient.Oin.Value, type, now, null, $"{recipient} rejected the delivery: {reason}", ct) is { } alarm)
            {
                await notifier.NotifyAsync(context, alarm, ct);
            }

            return (true, first);
        }, cancellationToken);

        if (changed)
        {
            LogAcknowledged(logger, deliveryId, recipient.Oin.Value, outcome);
        }

        // Only the first acknowledgement ends the wait (RECEIVED, then PROCESSED, is one delivery acknowledged once).
        if (first is { } f)
        {
            _lag.Record(
                Math.Max(0, (f.At - f.AcceptedAt).TotalSeconds),
                new KeyValuePair<string, object?>("message_type", ContractEnums.Name(f.Type)),
                new KeyValuePair<string, object?>("outcome", ContractEnums.Name(outcome)),
                new KeyValuePair<string, object?>("mandatory", HubTelemetry.Flag(f.Mandatory)));
        }
    }

    private InboxMessage Read(SqliteDataReader reader, string recipientOin)
    {
        var deliveryId = reader.GetString(0);
        var type = (MessageType)reader.GetInt32(16);
        var message = new InboxMessage
        {
            DeliveryId = deliveryId,
            MessageId = reader.GetString(1),
            Cursor = InboxCursor.Format(recipientOin, reader.GetInt64(2)),
            LogSequence = (ulong)reader.GetInt64(3),
            Grounds = new ProcessingGrounds
            {
                Purpose = (Purpose)reader.GetInt32(4),
                LegalBasis = (LegalBasis)reader.GetInt32(5),
                Justification = reader.IsDBNull(6) ? string.Empty : reader.GetString(6),
            },
            DeliveredAt = Timestamp.FromDateTimeOffset(Sql.ParseTime(reader.GetString(10))),
            Attempt = (uint)reader.GetInt32(11) + 1,
            AcknowledgeBefore = Timestamp.FromDateTimeOffset(Sql.ParseTime(reader.GetString(12))),
            RetainUntil = Timestamp.FromDateTimeOffset(Sql.ParseTime(reader.GetString(13))),
            Sender = new PartnerId { Oin = reader.GetString(14) },
            Category = (DataCategory)reader.GetInt32(15),
        };
        message.DisclosedFields.AddRange(reader.GetString(7).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        if (reader.IsDBNull(8))
        {
            message.State = InboxMessageState.Expired;
            return message;
        }

        message.State = InboxMessageState.Available;
        var payload = protector.Unprotect(type, deliveryId, new ProtectedPayload((byte[])reader[8], (byte[])reader[9]));
        var descriptor = (type == MessageType.Alarm ? Alarm.Descriptor : PayloadTypes.For(type))
            ?? throw new InvalidDataException($"delivery {deliveryId} has message type {type}, which no inbox carries");
        PayloadFields[descriptor].Accessor.SetValue(message, descriptor.Parser.ParseFrom(payload));
        return message;
    }

    private sealed record FirstAcknowledgement(MessageType Type, DateTimeOffset AcceptedAt, bool Mandatory, DateTimeOffset At);

    [LoggerMessage(EventId = 5111, EventName = "DeliveryAcknowledged", Level = LogLevel.Information, Message = "Delivery {DeliveryId} acknowledged by {Recipient} as {Outcome}")]
    private static partial void LogAcknowledged(ILogger logger, string deliveryId, string recipient, AcknowledgementOutcome outcome);
}
