// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Storage;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// Destroys payloads whose retention period ended (crypto-shredding: the wrapped data key and the ciphertext are
/// deleted) and logs each destruction as a redaction entry, in the same transaction. Disclosure records stay:
/// they hold no personal data and keep the log verifiable; the inbox shows the message as EXPIRED.
/// </summary>
/// <remarks>
/// Deleting a wrapped key only destroys the payload if no copy of it stays on disk. secure_delete clears it from
/// the database pages, but the write-ahead log keeps the page images from before the update until it is
/// overwritten, so after destroying anything the sweeper checkpoints the log into the database and truncates it.
/// </remarks>
public sealed partial class RetentionSweeper(IDisclosureLog log, SqliteHubDatabase database, TimeProvider time, ILogger<RetentionSweeper> logger)
{
    private volatile bool _walHoldsDestroyedKeys;

    /// <summary>Destroys every payload past its retention; returns how many were destroyed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        // A cheap look first, so that a quiet hub does not commit (and fsync) an empty transaction every sweep.
        if (!await AnyDueAsync(cancellationToken))
        {
            return 0;
        }

        var destroyed = await log.AppendAsync(async (context, ct) =>
        {
            var connection = (SqliteConnection)context.Connection;
            var transaction = (SqliteTransaction)context.Transaction;
            var now = Sql.Time(context.Now);
            var due = new List<(string Table, string Id, string MessageId, string Rule)>();
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = """
                    SELECT 'deliveries', delivery_id, message_id, rule_id FROM deliveries WHERE destroyed_at IS NULL AND retain_until <= $now
                    UNION ALL
                    SELECT 'messages', message_id, message_id, '' FROM messages WHERE destroyed_at IS NULL AND payload_key IS NOT NULL AND retain_until <= $now
                    LIMIT 1000
                    """;
                command.Parameters.AddWithValue("$now", now);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    due.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }
            }

            foreach (var (table, id, messageId, rule) in due)
            {
                await using var shred = connection.CreateCommand();
                shred.Transaction = transaction;
                shred.CommandText = table == "deliveries"
                    ? "UPDATE deliveries SET payload_key = NULL, payload = NULL, destroyed_at = $now WHERE delivery_id = $id"
                    : "UPDATE messages SET payload_key = NULL, payload = NULL, destroyed_at = $now WHERE message_id = $id";
                shred.Parameters.AddWithValue("$now", now);
                shred.Parameters.AddWithValue("$id", id);
                await shred.ExecuteNonQueryAsync(ct);
                context.Append(new LogEntry
                {
                    Redaction = new RedactionRecord
                    {
                        RecordedAt = Timestamp.FromDateTimeOffset(context.Now),
                        MessageId = messageId,
                        RuleId = rule,
                        Reason = table == "deliveries"
                            ? $"retention period of delivery {id} ended; its payload was destroyed"
                            : "retention period of the message ended; the submitted payload was destroyed",
                    },
                });
            }

            return due.Count;
        }, cancellationToken);

        if (destroyed > 0)
        {
            LogDestroyed(logger, destroyed);
            _walHoldsDestroyedKeys = true;
        }

        if (_walHoldsDestroyedKeys)
        {
            _walHoldsDestroyedKeys = !await TruncateWriteAheadLogAsync(cancellationToken);
        }

        return destroyed;
    }

    /// <summary>Checkpoints the write-ahead log into the database and truncates it; false when readers kept it busy.</summary>
    private async Task<bool> TruncateWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var busy = await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) != 0;
        if (busy)
        {
            LogCheckpointBusy(logger);
        }

        return !busy;
    }

    private async Task<bool> AnyDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT EXISTS (SELECT 1 FROM deliveries WHERE destroyed_at IS NULL AND retain_until <= $now)
                OR EXISTS (SELECT 1 FROM messages WHERE destroyed_at IS NULL AND payload_key IS NOT NULL AND retain_until <= $now)
            """;
        command.Parameters.AddWithValue("$now", Sql.Time(time.GetUtcNow()));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    [LoggerMessage(EventId = 5301, EventName = "PayloadsDestroyed", Level = LogLevel.Information, Message = "Retention: {Count} payload(s) destroyed and logged as redactions")]
    private static partial void LogDestroyed(ILogger logger, int count);

    [LoggerMessage(EventId = 5302, EventName = "WriteAheadLogBusy", Level = LogLevel.Warning, Message = "Retention: the write-ahead log could not be truncated (busy); it holds destroyed payload keys until the next sweep truncates it")]
    private static partial void LogCheckpointBusy(ILogger logger);
}
