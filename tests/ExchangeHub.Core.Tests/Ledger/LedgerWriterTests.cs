// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger;

public sealed class LedgerWriterTests
{
    [Fact]
    public async Task AppendAsync_ConcurrentCallers_ContiguousSequencesSharedCommitsAndTheRightRoot()
    {
        await using var data = await LedgerTestData.CreateAsync();
        const int Callers = 300;

        var results = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(() => data.Writer.AppendAsync(
            (log, _) => Task.FromResult(Enumerable.Range(0, 1 + (i % 3)).Select(j => log.Append(LedgerTestData.Disclosure($"m-{i}-{j}"))).ToArray())))));

        var sequences = results.SelectMany(r => r).Order().ToList();
        var expectedCount = Enumerable.Range(0, Callers).Sum(i => 1 + (i % 3));
        Assert.Equal(Enumerable.Range(0, expectedCount).Select(i => (ulong)i), sequences);
        Assert.Equal(expectedCount, await data.ScalarAsync("SELECT COUNT(*) FROM log_leaves"));
        Assert.True(data.Writer.CommitCount < Callers, $"{data.Writer.CommitCount} commits for {Callers} callers: no group commit");

        // The committed root is the RFC 9162 root over the stored leaf data, recomputed independently.
        var leaves = await data.Store.ReadLeavesAsync(0, expectedCount, CancellationToken.None);
        var tree = new InMemoryNodeStore();
        foreach (var leaf in leaves)
        {
            tree.Append(MerkleHash.HashLeaf(leaf));
        }

        Assert.Equal(tree.Root(), data.Writer.Committed.RootHash);
        Assert.All(leaves.Select((leaf, i) => (LogEntryCodec.Decode(leaf), i)), e => Assert.Equal((ulong)e.i, LogEntryCodec.SequenceOf(e.Item1)));
    }

    [Fact]
    public async Task AppendAsync_WorkThrows_OnlyThatCallerFailsAndNoGapIsLeft()
    {
        await using var data = await LedgerTestData.CreateAsync();
        await data.ExecuteAsync("CREATE TABLE caller_rows (id TEXT PRIMARY KEY)");
        var gate = new TaskCompletionSource();

        // Hold the writer inside the first append so that the next three share one commit.
        var first = data.Writer.AppendAsync(async (log, _) =>
        {
            log.Append(LedgerTestData.Disclosure("first"));
            await gate.Task;
            return 0;
        });
        var good1 = data.Writer.AppendAsync(async (log, _) => await InsertAndAppendAsync(log, "good-1"));
        var bad = data.Writer.AppendAsync<ulong>(async (log, _) =>
        {
            await InsertAndAppendAsync(log, "bad");
            throw new InvalidOperationException("the caller's own failure");
        });
        var good2 = data.Writer.AppendAsync(async (log, _) => await InsertAndAppendAsync(log, "good-2"));
        gate.SetResult();

        await first;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("the caller's own failure", ex.Message);
        var goods = new[] { await good1, await good2 };
        Assert.Equal([1UL, 2UL], goods);
        Assert.Equal(0, await data.ScalarAsync("SELECT COUNT(*) FROM caller_rows WHERE id = 'bad'"));
        Assert.Equal(2, await data.ScalarAsync("SELECT COUNT(*) FROM caller_rows"));
        Assert.Equal(3, await data.ScalarAsync("SELECT COUNT(*) FROM log_leaves"));
        Assert.Null(data.Writer.StoppedBy);
    }

    [Fact]
    public async Task StartAsync_AfterRestart_ContinuesTheSameTree()
    {
        await using var data = await LedgerTestData.CreateAsync();
        for (var i = 0; i < 37; i++)
        {
            await data.Writer.AppendAsync((log, _) => Task.FromResult(log.Append(LedgerTestData.Disclosure($"m-{i}"))));
        }

        var before = data.Writer.Committed;
        await using var restarted = await data.StartWriterAsync();
        await data.Writer.DisposeAsync();

        Assert.Equal(before.Size, restarted.Committed.Size);
        Assert.Equal(before.RootHash, restarted.Committed.RootHash);
        var next = await restarted.AppendAsync((log, _) => Task.FromResult(log.Append(LedgerTestData.Disclosure("after-restart"))));
        Assert.Equal(37UL, next);
    }

    [Fact]
    public async Task AppendAsync_StorageFailsUnderTheWriter_StopsForGood()
    {
        await using var data = await LedgerTestData.CreateAsync();
        await data.Writer.AppendAsync((log, _) => Task.FromResult(log.Append(LedgerTestData.Disclosure("m-0"))));

        // Someone puts a node where the writer will put the next leaf's: the writer's own insert fails.
        await data.ExecuteAsync("INSERT INTO log_nodes (level, idx, hash) VALUES (0, 1, zeroblob(32))");
        await Assert.ThrowsAsync<LogWriterStoppedException>(() => data.Writer.AppendAsync((log, _) => Task.FromResult(log.Append(LedgerTestData.Disclosure("m-1")))));

        Assert.NotNull(data.Writer.StoppedBy);
        var later = await Assert.ThrowsAsync<LogWriterStoppedException>(() => data.Writer.AppendAsync((log, _) => Task.FromResult(log.Append(LedgerTestData.Disclosure("m-2")))));
        Assert.StartsWith("EH4003:", later.Message, StringComparison.Ordinal);
        Assert.Equal(1, await data.ScalarAsync("SELECT COUNT(*) FROM log_leaves"));
    }

    [Fact]
    public async Task Triggers_UpdateOrDeleteOfTheLog_Refused()
    {
        await using var data = await LedgerTestData.CreateAsync();
        await data.Writer.AppendAsync((log, _) => Task.FromResult(log.Append(LedgerTestData.Disclosure("m-0"))));

        var update = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => data.ExecuteAsync("UPDATE log_leaves SET message_id = 'x'"));
        var delete = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => data.ExecuteAsync("DELETE FROM log_nodes"));

        Assert.Contains("EH4001", update.Message, StringComparison.Ordinal);
        Assert.Contains("EH4001", delete.Message, StringComparison.Ordinal);
    }

    private static async Task<ulong> InsertAndAppendAsync(ILogAppendContext log, string id)
    {
        await using var command = log.Connection.CreateCommand();
        command.Transaction = log.Transaction;
        command.CommandText = $"INSERT INTO caller_rows (id) VALUES ('{id}')";
        await command.ExecuteNonQueryAsync();
        return log.Append(LedgerTestData.Disclosure(id));
    }
}
