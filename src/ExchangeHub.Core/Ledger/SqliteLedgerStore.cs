// This file is part of ExchangeHub.

using System.Globalization;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger.Merkle;
using ExchangeHub.Core.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Reads and writes the disclosure log's tables in the embedded SQLite database. Writes happen only inside the
/// single writer's transaction (<see cref="LedgerWriter"/>); reads open their own connections.
/// </summary>
public sealed class SqliteLedgerStore(SqliteHubDatabase database)
{
    /// <summary>The number of leaves stored, read inside <paramref name="transaction"/>.</summary>
    public static async Task<long> CountLeavesAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(seq) + 1, 0) FROM log_leaves";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Reads stored node hashes; a missing node is absent from the result.</summary>
    public static async Task<Dictionary<NodeId, byte[]>> ReadNodesAsync(SqliteConnection connection, SqliteTransaction? transaction, IReadOnlyCollection<NodeId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(ids);
        var result = new Dictionary<NodeId, byte[]>(ids.Count);
        if (ids.Count == 0)
        {
            return result;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("SELECT level, idx, hash FROM log_nodes WHERE ");
        var i = 0;
        foreach (var id in ids)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : " OR ")}(level = $l{i} AND idx = $i{i})");
            command.Parameters.AddWithValue($"$l{i}", id.Level);
            command.Parameters.AddWithValue($"$i{i}", id.Index);
            i++;
        }

        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[new NodeId(reader.GetInt32(0), reader.GetInt64(1))] = (byte[])reader[2];
        }

        return result;
    }

    /// <summary>Inserts one leaf with its search columns.</summary>
    public static async Task InsertLeafAsync(SqliteConnection connection, SqliteTransaction transaction, long sequence, byte[] leafHash, byte[] entryBytes, LogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO log_leaves (seq, leaf_hash, entry, recorded_at, kind, message_id, sender_oin, recipient_oin,
                                    legal_basis, purpose, decision, category, message_type, subject_pseudonym)
            VALUES ($seq, $hash, $entry, $at, $kind, $message, $sender, $recipient, $basis, $purpose, $decision, $category, $type, $subject)
            """;
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$hash", leafHash);
        command.Parameters.AddWithValue("$entry", entryBytes);
        command.Parameters.AddWithValue("$kind", (int)entry.EntryCase);
        if (entry.EntryCase == LogEntry.EntryOneofCase.Disclosure)
        {
            var record = entry.Disclosure;
            command.Parameters.AddWithValue("$at", Format(record.RecordedAt));
            command.Parameters.AddWithValue("$message", record.MessageId);
            command.Parameters.AddWithValue("$sender", record.Sender?.Oin ?? (object)DBNull.Value);
            command.Parameters.AddWithValue("$recipient", record.Recipient?.Oin ?? (object)DBNull.Value);
            command.Parameters.AddWithValue("$basis", (int)record.LegalBasis);
            command.Parameters.AddWithValue("$purpose", (int)record.Purpose);
            command.Parameters.AddWithValue("$decision", (int)record.Decision);
            command.Parameters.AddWithValue("$category", (int)record.Category);
            command.Parameters.AddWithValue("$type", (int)record.MessageType);
            command.Parameters.AddWithValue("$subject", string.IsNullOrEmpty(record.SubjectPseudonym) ? DBNull.Value : record.SubjectPseudonym);
        }
        else
        {
            var redaction = entry.Redaction;
            command.Parameters.AddWithValue("$at", Format(redaction.RecordedAt));
            command.Parameters.AddWithValue("$message", redaction.MessageId);
            foreach (var name in new[] { "$sender", "$recipient", "$basis", "$purpose", "$decision", "$category", "$type", "$subject" })
            {
                command.Parameters.AddWithValue(name, DBNull.Value);
            }
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Inserts completed tree nodes.</summary>
    public static async Task InsertNodesAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<(NodeId Id, byte[] Hash)> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(nodes);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO log_nodes (level, idx, hash) VALUES ($l, $i, $h)";
        var level = command.Parameters.Add("$l", SqliteType.Integer);
        var index = command.Parameters.Add("$i", SqliteType.Integer);
        var hash = command.Parameters.Add("$h", SqliteType.Blob);
        foreach (var (id, value) in nodes)
        {
            level.Value = id.Level;
            index.Value = id.Index;
            hash.Value = value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Reads node hashes for a proof or root, in one query.</summary>
    public async Task<Dictionary<NodeId, byte[]>> ReadNodesAsync(IReadOnlyCollection<NodeId> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadNodesAsync(connection, null, ids, cancellationToken);
    }

    /// <summary>Reads the leaf data (canonical entry bytes) of leaves [start, end).</summary>
    public async Task<IReadOnlyList<byte[]>> ReadLeavesAsync(long start, long end, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT entry FROM log_leaves WHERE seq >= $start AND seq < $end ORDER BY seq";
        command.Parameters.AddWithValue("$start", start);
        command.Parameters.AddWithValue("$end", end);
        var leaves = new List<byte[]>((int)Math.Min(end - start, 1000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leaves.Add((byte[])reader[0]);
        }

        return leaves;
    }

    /// <summary>
    /// The disclosure records about one subject pseudonym, in log order, optionally within [from, to).
    /// The entries come from the leaves themselves, so what is reported is exactly what is logged.
    /// </summary>
    public async Task<IReadOnlyList<DisclosureRecord>> DisclosuresAboutAsync(string subjectPseudonym, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT entry FROM log_leaves
            WHERE subject_pseudonym = $subject AND kind = $kind AND recorded_at >= $from AND recorded_at < $to
            ORDER BY seq
            """;
        command.Parameters.AddWithValue("$subject", subjectPseudonym);
        command.Parameters.AddWithValue("$kind", (int)LogEntry.EntryOneofCase.Disclosure);
        command.Parameters.AddWithValue("$from", FormatTime(from ?? DateTimeOffset.MinValue));
        command.Parameters.AddWithValue("$to", FormatTime(to ?? DateTimeOffset.MaxValue));
        var records = new List<DisclosureRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(LogEntryCodec.Decode((byte[])reader[0]).Disclosure);
        }

        return records;
    }

    /// <summary>The latest stored checkpoint, or null when none was published yet.</summary>
    public async Task<StoredCheckpoint?> LatestCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await LatestCheckpointAsync(connection, cancellationToken);
    }

    /// <summary>The cosignature lines stored for checkpoint <paramref name="treeSize"/>.</summary>
    public async Task<IReadOnlyList<string>> CosignaturesAsync(long treeSize, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT line FROM log_cosignatures WHERE tree_size = $size ORDER BY witness_key";
        command.Parameters.AddWithValue("$size", treeSize);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    /// <summary>Stores a checkpoint; refuses one smaller than the latest (the caller checked consistency).</summary>
    public async Task InsertCheckpointAsync(long treeSize, byte[] rootHash, string note, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var latest = await LatestCheckpointAsync(connection, cancellationToken);
        if (latest is not null && latest.TreeSize >= treeSize)
        {
            throw new InvalidOperationException($"EH4002: a checkpoint of size {treeSize} would not grow the log beyond the stored checkpoint of size {latest.TreeSize}.");
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO log_checkpoints (tree_size, root_hash, note, created_at) VALUES ($size, $root, $note, $at)";
        command.Parameters.AddWithValue("$size", treeSize);
        command.Parameters.AddWithValue("$root", rootHash);
        command.Parameters.AddWithValue("$note", note);
        command.Parameters.AddWithValue("$at", createdAt.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Stores a witness's cosignature line for a stored checkpoint; returns the number of cosignatures it now has.</summary>
    public async Task<int> UpsertCosignatureAsync(long treeSize, string witnessKey, string line, DateTimeOffset addedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO log_cosignatures (tree_size, witness_key, line, added_at) VALUES ($size, $key, $line, $at)
            ON CONFLICT (tree_size, witness_key) DO UPDATE SET line = excluded.line, added_at = excluded.added_at;
            SELECT COUNT(*) FROM log_cosignatures WHERE tree_size = $size;
            """;
        command.Parameters.AddWithValue("$size", treeSize);
        command.Parameters.AddWithValue("$key", witnessKey);
        command.Parameters.AddWithValue("$line", line);
        command.Parameters.AddWithValue("$at", addedAt.ToString("O", CultureInfo.InvariantCulture));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>A stored checkpoint by size, or null.</summary>
    public async Task<StoredCheckpoint?> CheckpointAsync(long treeSize, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tree_size, root_hash, note FROM log_checkpoints WHERE tree_size = $size";
        command.Parameters.AddWithValue("$size", treeSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredCheckpoint(reader.GetInt64(0), (byte[])reader[1], reader.GetString(2)) : null;
    }

    private static async Task<StoredCheckpoint?> LatestCheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tree_size, root_hash, note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredCheckpoint(reader.GetInt64(0), (byte[])reader[1], reader.GetString(2)) : null;
    }

    /// <summary>An instant as the recorded_at column holds it: round-trip UTC text, which sorts in time order.</summary>
    internal static string FormatTime(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    // The period queries rely on the text sorting in time order.
    private static string Format(Google.Protobuf.WellKnownTypes.Timestamp? timestamp) =>
        FormatTime(timestamp?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch);
}

/// <summary>A checkpoint as stored: its size, root and signed note text.</summary>
/// <param name="TreeSize">The tree size it commits to.</param>
/// <param name="RootHash">The root hash at that size.</param>
/// <param name="Note">The signed note (C2SP tlog-checkpoint), as published.</param>
public sealed record StoredCheckpoint(long TreeSize, byte[] RootHash, string Note);
