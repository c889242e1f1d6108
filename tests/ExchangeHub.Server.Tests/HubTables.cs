// This file is part of ExchangeHub.

using ExchangeHub.Core.Storage;
using ExchangeHub.Tests.Support.Hub;
using Microsoft.Data.Sqlite;

namespace ExchangeHub.Server.Tests;

/// <summary>What the hub has stored, read from its database file, for tests that a refused call wrote nothing.</summary>
internal static class HubTables
{
    private static readonly string[] LogAndMessageTables = ["log_leaves", "log_nodes", "log_cosignatures", "messages", "deliveries", "alarms"];

    /// <summary>The row count of every table of the disclosure log and the messages.</summary>
    public static Dictionary<string, long> CountRows(HubTestServer hub)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = hub.Service<SqliteHubDatabase>().DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in LogAndMessageTables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {table}";
            counts[table] = (long)command.ExecuteScalar()!;
        }

        return counts;
    }
}
