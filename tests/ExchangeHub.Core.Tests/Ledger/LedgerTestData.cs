// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Storage;
using ExchangeHub.Tests.Support.Ledger;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Tests.Ledger;

/// <summary>A throwaway hub database with a started log writer, and disclosure records to put in it.</summary>
internal sealed class LedgerTestData : IAsyncDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("eh-ledger-").FullName;
    private LedgerKeys? _keys;
    private CheckpointPublisher? _publisher;

    private LedgerTestData()
    {
        Database = new SqliteHubDatabase(Options.Create(new StorageOptions { DataDirectory = _directory }), TimeProvider.System);
    }

    public SqliteHubDatabase Database { get; }

    public const string Origin = "hub.test.example/disclosure-log";

    /// <summary>The log's keys, created in the test directory on first use.</summary>
    public LedgerKeys Keys => _keys ??= new LedgerKeys(Options.Create(new LedgerOptions
    {
        Origin = Origin,
        SigningKeyPath = Path.Combine(_directory, "log-signing.key"),
        PseudonymKeyPath = Path.Combine(_directory, "pseudonym.key"),
        CreateMissingKeys = true,
    }));

    public CheckpointPublisher Publisher => _publisher ??= new CheckpointPublisher(Writer, Store, Keys, TimeProvider.System, NullLogger<CheckpointPublisher>.Instance);

    public string Directory => _directory;

    public LedgerWriter Writer { get; private set; } = null!;

    /// <summary>The meters of every writer this data starts; an InstrumentRecorder on it sees this test's writers only.</summary>
    public TestMeterFactory Meters { get; } = new();

    public SqliteLedgerStore Store => new(Database);

    public string DatabasePath => Database.DatabasePath;

    public static async Task<LedgerTestData> CreateAsync()
    {
        var data = new LedgerTestData();
        await data.Database.EnsureCreatedAsync();
        data.Writer = await data.StartWriterAsync();
        return data;
    }

    public static LogEntry Disclosure(string messageId, DateTimeOffset? at = null) =>
        SampleDisclosures.NoticeToMayor(messageId, at ?? new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), new string('a', 64));

    /// <summary>Starts another writer over the same database, as a restarted hub would.</summary>
    public async Task<LedgerWriter> StartWriterAsync()
    {
        var writer = new LedgerWriter(Database, Options.Create(new LedgerOptions { MaxBatchSize = 64 }), TimeProvider.System, NullLogger<LedgerWriter>.Instance, Meters);
        await writer.StartAsync(CancellationToken.None);
        return writer;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Appends <paramref name="count"/> disclosure entries, one caller each, named m-{start..}.</summary>
    public async Task AppendDisclosuresAsync(int count, int start = 0)
    {
        for (var i = start; i < start + count; i++)
        {
            var id = $"m-{i}";
            await Writer.AppendAsync((log, _) => Task.FromResult(log.Append(Disclosure(id))));
        }
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        Meters.Dispose();
        _publisher?.Dispose();
        _keys?.Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
