// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger;

public sealed class CheckpointPublisherTests
{
    [Fact]
    public async Task PublishAsync_FromTheEmptyLogOnwards_SignsGrowingConsistentCheckpoints()
    {
        await using var data = await LedgerTestData.CreateAsync();

        var empty = await data.Publisher.PublishAsync(CancellationToken.None);
        await data.AppendDisclosuresAsync(5);
        var five = await data.Publisher.PublishAsync(CancellationToken.None);
        var again = await data.Publisher.PublishAsync(CancellationToken.None);
        await data.AppendDisclosuresAsync(6, start: 5);
        var eleven = await data.Publisher.PublishAsync(CancellationToken.None);

        Assert.Equal(0, data.Keys.Open(empty.Note).Size);
        Assert.Equal(MerkleHash.EmptyRoot, data.Keys.Open(empty.Note).RootHash);
        Assert.Equal(5, data.Keys.Open(five.Note).Size);
        Assert.Equal(five.Note, again.Note);
        Assert.Equal(11, data.Keys.Open(eleven.Note).Size);
        Assert.Equal(data.Writer.Committed.RootHash, data.Keys.Open(eleven.Note).RootHash);
        Assert.Equal(3, await data.ScalarAsync("SELECT COUNT(*) FROM log_checkpoints"));
    }

    [Fact]
    public async Task PublishAsync_StoredTreeContradictsTheLastCheckpoint_RefusesToSign()
    {
        await using var data = await LedgerTestData.CreateAsync();
        await data.AppendDisclosuresAsync(5);
        await data.Publisher.PublishAsync(CancellationToken.None);
        await data.AppendDisclosuresAsync(4, start: 5);
        await data.ExecuteAsync("DROP TRIGGER log_nodes_no_update; UPDATE log_nodes SET hash = zeroblob(32) WHERE level = 2 AND idx = 0");

        var ex = await Assert.ThrowsAsync<LogIntegrityException>(() => data.Publisher.PublishAsync(CancellationToken.None));

        Assert.StartsWith("EH4007:", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, await data.ScalarAsync("SELECT COUNT(*) FROM log_checkpoints"));
    }
}
