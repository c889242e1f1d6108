// This file is part of ExchangeHub.

using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Storage;

/// <summary>
/// The embedded SQLite database: created with its schema on first start, upgraded in order by numbered
/// migrations, opened in WAL mode with full synchronous commits so an acknowledged write survives a crash
/// or power loss.
/// </summary>
public sealed class SqliteHubDatabase
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    /// <summary>Creates the database handle; nothing touches the disk until <see cref="EnsureCreatedAsync"/>.</summary>
    public SqliteHubDatabase(IOptions<StorageOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        DatabasePath = options.Value.DatabasePath;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The migrations, in the order they apply. A migration once released is never edited.</summary>
    internal static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } =
    [
        (1, "hub metadata", """
            CREATE TABLE hub_metadata (
                key   TEXT NOT NULL PRIMARY KEY,
                value TEXT NOT NULL
            ) STRICT;
            """),
        (2, "disclosure log", Ledger.SqliteLedgerSchema.Version2),
        (3, "messages, deliveries and alarms", Messages.SqliteMessageSchema.Version3),
        (4, "disclosure search indexes", Ledger.SqliteLedgerSchema.Version4),
    ];

    /// <summary>Opens a connection with the hub's pragmas applied.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            // secure_delete: a destroyed payload (crypto-shredding) must not linger in free pages of the file.
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000; PRAGMA secure_delete = ON;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates the data directory and database if missing and applies pending migrations in one transaction
    /// each. Returns the schema version now in force. Refuses a database newer than this hub knows.
    /// </summary>
    public async Task<int> EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(DatabasePath))!);
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at TEXT    NOT NULL
            ) STRICT;
            """, cancellationToken);

        var current = (int)await ScalarAsync(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken);
        var known = Migrations[^1].Version;
        if (current > known)
        {
            throw new InvalidOperationException(
                $"EH9302: database '{DatabasePath}' has schema version {current}, newer than this hub's {known}. Upgrade the hub instead of downgrading the data.");
        }

        foreach (var (version, name, sql) in Migrations.Where(m => m.Version > current))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$n", name);
            record.Parameters.AddWithValue("$t", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
            if (version == 1)
            {
                record.Parameters.Clear();
                record.CommandText = "INSERT INTO hub_metadata (key, value) VALUES ('instance_id', $id), ('created_at', $t)";
                record.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("D"));
                record.Parameters.AddWithValue("$t", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            current = version;
        }

        return current;
    }

    /// <summary>Checks that the database answers; used by the health check.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_migrations", cancellationToken) > 0;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
