// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// The missed-notice alarm. In 2016–2017 notices went unsent for eight months and nobody noticed; here every
/// delivery whose acknowledgement deadline passes raises an alarm within one sweep: NOT_DELIVERED when the
/// recipient never fetched it, NOT_ACKNOWLEDGED when it fetched but did not acknowledge. Each alarm is a
/// structured log event, a metric (counted by <see cref="AlarmNotifier"/>, which every new alarm passes), and a row
/// the audit API lists; the daily reconciliation lists every notice still missing an acknowledgement.
/// </summary>
public sealed partial class AlarmWatchdog(
    SqliteHubDatabase database,
    IDisclosureLog log,
    AlarmNotifier notifier,
    TimeProvider time,
    ILogger<AlarmWatchdog> logger)
{
    /// <summary>
    /// Raises alarms for every delivery past its acknowledgement deadline; returns how many are new. Runs in a
    /// transaction of the log, so an alarm and its messages to the designated partners are recorded together.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        // A cheap look first, so that a quiet hub does not commit (and fsync) an empty transaction every sweep.
        if (!await AnyOverdueAsync(cancellationToken))
        {
            return 0;
        }

        return await log.AppendAsync(SweepInTransactionAsync, cancellationToken);
    }

    private async Task<int> SweepInTransactionAsync(ILogAppendContext context, CancellationToken ct)
    {
        var connection = (SqliteConnection)context.Connection;
        var transaction = (SqliteTransaction)context.Transaction;
        var now = context.Now;
        var overdue = new List<(string Delivery, string Message, string Sender, string Recipient, MessageType Type, DateTimeOffset Deadline, bool Fetched)>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT d.delivery_id, d.message_id, m.sender_oin, d.recipient_oin, m.message_type, d.acknowledge_before, d.first_fetched_at IS NOT NULL
                FROM deliveries d JOIN messages m ON m.message_id = d.message_id
                WHERE d.ack_outcome IS NULL AND d.acknowledge_before < $now AND m.message_type <> $alarm
                """;
            command.Parameters.AddWithValue("$now", Sql.Time(now));
            command.Parameters.AddWithValue("$alarm", (int)MessageType.Alarm);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                overdue.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (MessageType)reader.GetInt32(4), Sql.ParseTime(reader.GetString(5)), reader.GetBoolean(6)));
            }
        }

        var raised = 0;
        foreach (var d in overdue)
        {
            var kind = d.Fetched ? AlarmKind.NotAcknowledged : AlarmKind.NotDelivered;
            var detail = d.Fetched
                ? $"{d.Recipient} fetched {d.Type} message {d.Message} but did not acknowledge it before {Sql.Time(d.Deadline)}."
                : $"{d.Recipient} has not fetched {d.Type} message {d.Message}, due before {Sql.Time(d.Deadline)}.";
            if (await Alarms.RaiseAsync(connection, transaction, kind, d.Message, d.Delivery, d.Sender, d.Recipient, d.Type, now, d.Deadline, detail, ct) is { } alarm)
            {
                raised++;
                await notifier.NotifyAsync(context, alarm, ct);
                LogAlarm(logger, kind, d.Message, d.Delivery, d.Recipient, d.Sender, detail);
            }
        }

        return raised;
    }

    private async Task<bool> AnyOverdueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT EXISTS (SELECT 1 FROM deliveries d JOIN messages m ON m.message_id = d.message_id
                           WHERE d.ack_outcome IS NULL AND d.acknowledge_before < $now AND m.message_type <> $alarm
                             AND NOT EXISTS (SELECT 1 FROM alarms a WHERE a.delivery_id = d.delivery_id AND a.kind IN ($notDelivered, $notAcknowledged)))
            """;
        command.Parameters.AddWithValue("$now", Sql.Time(time.GetUtcNow()));
        command.Parameters.AddWithValue("$alarm", (int)MessageType.Alarm);
        command.Parameters.AddWithValue("$notDelivered", (int)AlarmKind.NotDelivered);
        command.Parameters.AddWithValue("$notAcknowledged", (int)AlarmKind.NotAcknowledged);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    /// <summary>The daily reconciliation: every end-of-detention notice delivery still without an acknowledgement.</summary>
    public async Task<IReadOnlyList<OutstandingDelivery>> OutstandingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await OutstandingAsync(connection, cancellationToken);
    }

    /// <summary>Logs the reconciliation as one event (and one per outstanding delivery); returns the list.</summary>
    public async Task<IReadOnlyList<OutstandingDelivery>> ReconcileAsync(CancellationToken cancellationToken)
    {
        var outstanding = await OutstandingAsync(cancellationToken);
        LogReconciliation(logger, outstanding.Count);
        foreach (var o in outstanding)
        {
            LogOutstanding(logger, o.MessageId, o.DeliveryId, o.RecipientOin, o.AcknowledgeBefore);
        }

        return outstanding;
    }

    private static async Task<IReadOnlyList<OutstandingDelivery>> OutstandingAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT d.message_id, d.delivery_id, m.sender_oin, d.recipient_oin, m.message_type, d.available_at, d.acknowledge_before, d.first_fetched_at, d.mandatory
            FROM deliveries d JOIN messages m ON m.message_id = d.message_id
            WHERE d.ack_outcome IS NULL AND m.message_type IN ($notice, $correction, $withdrawal)
            ORDER BY d.acknowledge_before
            """;
        command.Parameters.AddWithValue("$notice", (int)MessageType.EndOfDetentionNotice);
        command.Parameters.AddWithValue("$correction", (int)MessageType.EndOfDetentionNoticeCorrection);
        command.Parameters.AddWithValue("$withdrawal", (int)MessageType.EndOfDetentionNoticeWithdrawal);
        var result = new List<OutstandingDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new OutstandingDelivery(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (MessageType)reader.GetInt32(4),
                Sql.ParseTime(reader.GetString(5)), Sql.ParseTime(reader.GetString(6)), !reader.IsDBNull(7), reader.GetInt32(8) == 1));
        }

        return result;
    }

    [LoggerMessage(EventId = 5201, EventName = "MissedNoticeAlarm", Level = LogLevel.Error, Message = "ALARM {Kind}: message {MessageId} delivery {DeliveryId} to {Recipient} from {Sender}: {Detail}")]
    private static partial void LogAlarm(ILogger logger, AlarmKind kind, string messageId, string deliveryId, string recipient, string sender, string detail);

    [LoggerMessage(EventId = 5202, EventName = "Reconciliation", Level = LogLevel.Warning, Message = "Daily reconciliation: {Count} end-of-detention notice deliveries still without acknowledgement")]
    private static partial void LogReconciliation(ILogger logger, int count);

    [LoggerMessage(EventId = 5203, EventName = "OutstandingNotice", Level = LogLevel.Warning, Message = "Outstanding: message {MessageId} delivery {DeliveryId} to {Recipient}, due {AcknowledgeBefore}")]
    private static partial void LogOutstanding(ILogger logger, string messageId, string deliveryId, string recipient, DateTimeOffset acknowledgeBefore);
}

/// <summary>A notice delivery still missing its acknowledgement.</summary>
public sealed record OutstandingDelivery(
    string MessageId,
    string DeliveryId,
    string SenderOin,
    string RecipientOin,
    MessageType MessageType,
    DateTimeOffset AvailableAt,
    DateTimeOffset AcknowledgeBefore,
    bool Fetched,
    bool Mandatory);
