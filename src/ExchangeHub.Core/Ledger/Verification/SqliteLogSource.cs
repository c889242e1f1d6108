// This file is part of ExchangeHub.

using System.Runtime.CompilerServices;
using ExchangeHub.Core.Ledger.Merkle;
using Microsoft.Data.Sqlite;

namespace ExchangeHub.Core.Ledger.Verification;

/// <summary>
/// A hub database file (or a copy of it) as a log source, opened read-only: leaves with their stored hashes,
/// stored tree nodes and every stored checkpoint. Nothing in it is trusted; that is the verifier's job.
/// </summary>
public sealed class SqliteLogSource(string databasePath) : ILogSource
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = false,
    }.ToString();

    /// <inheritdoc />
    public bool HasStoredHashes => true;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> CheckpointNotesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT note FROM log_checkpoints ORDER BY tree_size";
        var notes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notes.Add(reader.GetString(0));
        }

        return notes;
    }

    /// <inheritdoc />
    public async Task<long> LeafCountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await SqliteLedgerStore.CountLeavesAsync(connection, null, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SourceLeaf> ReadLeavesAsync(long start, long endExclusive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, entry, leaf_hash FROM log_leaves WHERE seq >= $start AND seq < $end ORDER BY seq";
        command.Parameters.AddWithValue("$start", start);
        command.Parameters.AddWithValue("$end", endExclusive);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new SourceLeaf(reader.GetInt64(0), (byte[])reader[1], (byte[])reader[2]);
        }
    }

    /// <inheritdoc />
    public async Task<Dictionary<NodeId, byte[]>> ReadNodesAsync(int level, long fromIndex, long toIndex, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT idx, hash FROM log_nodes WHERE level = $level AND idx BETWEEN $from AND $to";
        command.Parameters.AddWithValue("$level", level);
        command.Parameters.AddWithValue("$from", fromIndex);
        command.Parameters.AddWithValue("$to", toIndex);
        var nodes = new Dictionary<NodeId, byte[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes[new NodeId(level, reader.GetInt64(0))] = (byte[])reader[1];
        }

        return nodes;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
