// This file is part of ExchangeHub.

using ExchangeHub.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Tests.Storage;

public sealed class SqliteHubDatabaseTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eh-db-" + Guid.NewGuid().ToString("N"), "nested");

    [Fact]
    public async Task EnsureCreatedAsync_FirstStart_CreatesDirectoryFileAndSchema()
    {
        var database = Create();

        var version = await database.EnsureCreatedAsync();

        Assert.Equal(SqliteHubDatabase.Migrations[^1].Version, version);
        Assert.True(File.Exists(Path.Combine(_directory, "hub.db")));
        Assert.True(await database.PingAsync());
    }

    [Fact]
    public async Task EnsureCreatedAsync_SecondStart_KeepsInstanceId()
    {
        var database = Create();
        await database.EnsureCreatedAsync();
        var first = await InstanceIdAsync(database);

        await Create().EnsureCreatedAsync();

        Assert.Equal(first, await InstanceIdAsync(database));
    }

    [Fact]
    public async Task EnsureCreatedAsync_DatabaseFromNewerHub_Refuses()
    {
        var database = Create();
        await database.EnsureCreatedAsync();
        await using (var connection = await database.OpenAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO schema_migrations VALUES (999, 'future', '2099-01-01')";
            await command.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Create().EnsureCreatedAsync());
        Assert.StartsWith("EH9302:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_UsesWalAndFullSync()
    {
        var database = Create();
        await database.EnsureCreatedAsync();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();

        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, await command.ExecuteScalarAsync()); // FULL
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        var root = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private SqliteHubDatabase Create() =>
        new(Options.Create(new StorageOptions { DataDirectory = _directory }), TimeProvider.System);

    private static async Task<string?> InstanceIdAsync(SqliteHubDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM hub_metadata WHERE key = 'instance_id'";
        return (string?)await command.ExecuteScalarAsync();
    }
}
