// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using Microsoft.Data.Sqlite;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// The missed-notice alarms in storage: raised once per kind, message, delivery and recipient (raising again is a
/// no-op), and cleared when the condition is resolved. An alarm carries no data about the subject.
/// </summary>
public static class Alarms
{
    /// <summary>Raises an alarm unless the same one is already stored; returns the alarm when it is new, else null.</summary>
    public static async Task<Alarm?> RaiseAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        AlarmKind kind,
        string messageId,
        string deliveryId,
        string senderOin,
        string recipientOin,
        MessageType messageType,
        DateTimeOffset now,
        DateTimeOffset? deadline,
        string detail,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO alarms (alarm_id, kind, state, message_id, delivery_id, sender_oin, recipient_oin, message_type, raised_at, deadline, detail)
            VALUES ($id, $kind, $open, $message, $delivery, $sender, $recipient, $type, $now, $deadline, $detail)
            ON CONFLICT (kind, message_id, delivery_id, recipient_oin) DO NOTHING
            """;
        var alarmId = Guid.NewGuid().ToString("D");
        command.Parameters.AddWithValue("$id", alarmId);
        command.Parameters.AddWithValue("$kind", (int)kind);
        command.Parameters.AddWithValue("$open", (int)AlarmState.Open);
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$delivery", deliveryId);
        command.Parameters.AddWithValue("$sender", senderOin);
        command.Parameters.AddWithValue("$recipient", recipientOin);
        command.Parameters.AddWithValue("$type", (int)messageType);
        command.Parameters.AddWithValue("$now", Sql.Time(now));
        command.Parameters.AddWithValue("$deadline", deadline is { } d ? Sql.Time(d) : DBNull.Value);
        command.Parameters.AddWithValue("$detail", detail);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return null;
        }

        var alarm = new Alarm
        {
            AlarmId = alarmId,
            Kind = kind,
            State = AlarmState.Open,
            MessageId = messageId,
            DeliveryId = deliveryId,
            Sender = new PartnerId { Oin = senderOin },
            Recipient = Oin.TryParse(recipientOin, out var recipient, out _) ? new PartnerId { Oin = recipient.Value } : null,
            MessageType = messageType,
            RaisedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now),
            Detail = detail,
        };
        if (deadline is { } due)
        {
            alarm.Deadline = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(due);
        }

        return alarm;
    }

    /// <summary>
    /// Lists alarms, newest first, filtered by state and kind (empty: all), visible to <paramref name="partyOin"/>
    /// as sender or recipient (null: all, for a privacy officer).
    /// </summary>
    public static async Task<IReadOnlyList<Alarm>> ListAsync(
        SqliteConnection connection,
        string? partyOin,
        IReadOnlyCollection<AlarmState> states,
        IReadOnlyCollection<AlarmKind> kinds,
        int offset,
        int limit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(kinds);
        await using var command = connection.CreateCommand();
        var where = new List<string> { "1 = 1" };
        if (partyOin is not null)
        {
            where.Add("(sender_oin = $party OR recipient_oin = $party)");
            command.Parameters.AddWithValue("$party", partyOin);
        }

        if (states.Count > 0)
        {
            where.Add($"state IN ({string.Join(", ", states.Select(s => (int)s))})");
        }

        if (kinds.Count > 0)
        {
            where.Add($"kind IN ({string.Join(", ", kinds.Select(k => (int)k))})");
        }

        command.CommandText = $"""
            SELECT alarm_id, kind, state, message_id, delivery_id, sender_oin, recipient_oin, message_type, raised_at, deadline, cleared_at, detail
            FROM alarms WHERE {string.Join(" AND ", where)} ORDER BY raised_at DESC, alarm_id LIMIT $limit OFFSET $offset
            """;
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
        var alarms = new List<Alarm>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var alarm = new Alarm
            {
                AlarmId = reader.GetString(0),
                Kind = (AlarmKind)reader.GetInt32(1),
                State = (AlarmState)reader.GetInt32(2),
                MessageId = reader.GetString(3),
                DeliveryId = reader.GetString(4),
                Sender = new PartnerId { Oin = reader.GetString(5) },
                // A recipient that routing could not resolve has no OIN; the column then holds who it should have
                // been, in words (which keeps such alarms apart), and the detail says so. PartnerId takes OINs only.
                Recipient = Oin.TryParse(reader.GetString(6), out var recipient, out _) ? new PartnerId { Oin = recipient.Value } : null,
                MessageType = (MessageType)reader.GetInt32(7),
                RaisedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Sql.ParseTime(reader.GetString(8))),
                Detail = reader.GetString(11),
            };
            if (!reader.IsDBNull(9))
            {
                alarm.Deadline = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Sql.ParseTime(reader.GetString(9)));
            }

            if (!reader.IsDBNull(10))
            {
                alarm.ClearedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Sql.ParseTime(reader.GetString(10)));
            }

            alarms.Add(alarm);
        }

        return alarms;
    }

    /// <summary>Clears the open alarms of <paramref name="kinds"/> for a delivery; returns how many were cleared.</summary>
    public static async Task<int> ClearAsync(SqliteConnection connection, SqliteTransaction? transaction, string deliveryId, IReadOnlyCollection<AlarmKind> kinds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(kinds);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE alarms SET state = $cleared, cleared_at = $now WHERE delivery_id = $delivery AND state = $open AND kind IN ({string.Join(", ", kinds.Select(k => (int)k))})";
        command.Parameters.AddWithValue("$cleared", (int)AlarmState.Cleared);
        command.Parameters.AddWithValue("$open", (int)AlarmState.Open);
        command.Parameters.AddWithValue("$now", Sql.Time(now));
        command.Parameters.AddWithValue("$delivery", deliveryId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
