// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Merkle;
using ExchangeHub.Core.Ledger.Notes;
using ExchangeHub.Core.Ledger.Verification;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Core.Tests.Ledger;

/// <summary>
/// An attacker with the database file (and, in one case, the signing key) changes the log in each way the issue
/// names; an auditor who verified the log before tampering runs again. Each change is caught with its own
/// finding at the right position, and a lawful redaction is not mistaken for one. The attacker drops the
/// append-only triggers first, as anyone with database access would.
/// </summary>
public sealed class LogTamperingTests : IAsyncLifetime
{
    private const int Leaves = 100;
    private LedgerTestData _data = null!;
    private VerifiedState _verified = null!;

    public async Task InitializeAsync()
    {
        _data = await LedgerTestData.CreateAsync();
        await _data.AppendDisclosuresAsync(40);
        await _data.Publisher.PublishAsync(CancellationToken.None);
        await _data.AppendDisclosuresAsync(Leaves - 40, start: 40);
        await _data.Publisher.PublishAsync(CancellationToken.None);

        // The privacy officer verifies the untouched log and keeps what it saw.
        var report = await VerifyAndKeepAsync();
        Assert.True(report.IsOk, string.Join(Environment.NewLine, report.Findings));
        Assert.Equal(Leaves, report.Checkpoint!.Size);
        await DropTriggersAsync();
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task Verify_UntouchedLog_Ok()
    {
        var report = await VerifyAsync();

        Assert.True(report.IsOk, string.Join(Environment.NewLine, report.Findings));
        Assert.Equal(Leaves, report.LeavesRead);
    }

    [Fact]
    public async Task Verify_RecordEdited_EntryHashMismatchAtThatLeaf()
    {
        await ReplaceEntryAsync(57, recomputeHashes: false);

        var report = await VerifyAsync();

        Assert.Contains(report.Findings, f => f is { Kind: LogFindingKind.EntryHashMismatch, Position: 57 });
        Assert.True(report.First!.Position == 57, string.Join(Environment.NewLine, report.Findings));
    }

    [Fact]
    public async Task Verify_RecordEditedAndHashesRecomputed_CheckpointRootMismatchNamingTheLeaf()
    {
        await ReplaceEntryAsync(57, recomputeHashes: true);

        var report = await VerifyAsync();

        Assert.Contains(report.Findings, f => f is { Kind: LogFindingKind.CheckpointRootMismatch, Position: 57 });
        Assert.Contains(report.Findings, f => f is { Kind: LogFindingKind.LeafChanged, Position: 57 });
        Assert.DoesNotContain(report.Findings, f => f.Kind is LogFindingKind.EntryHashMismatch or LogFindingKind.NodeMismatch);
    }

    [Fact]
    public async Task Verify_RecordDeleted_MissingLeaf()
    {
        await _data.ExecuteAsync("DELETE FROM log_leaves WHERE seq = 57");

        var report = await VerifyAsync();

        Assert.Equal((LogFindingKind.MissingLeaf, 57L), (report.First!.Kind, report.First.Position));
    }

    [Fact]
    public async Task Verify_TwoRecordsSwapped_SequenceMismatch()
    {
        await _data.ExecuteAsync("""
            UPDATE log_leaves SET seq = -1 WHERE seq = 20;
            UPDATE log_leaves SET seq = 20 WHERE seq = 21;
            UPDATE log_leaves SET seq = 21 WHERE seq = -1;
            """);

        var report = await VerifyAsync();

        Assert.Contains(report.Findings, f => f is { Kind: LogFindingKind.SequenceMismatch, Position: 20 });
        Assert.Contains(report.Findings, f => f is { Kind: LogFindingKind.SequenceMismatch, Position: 21 });
        Assert.True(report.First!.Position == 20, string.Join(Environment.NewLine, report.Findings));
    }

    [Fact]
    public async Task Verify_TailTruncated_Truncated()
    {
        await _data.ExecuteAsync("DELETE FROM log_leaves WHERE seq >= 90");

        var report = await VerifyAsync();

        Assert.Equal((LogFindingKind.Truncated, 90L), (report.First!.Kind, report.First.Position));
    }

    [Fact]
    public async Task Verify_StoredNodeCorrupted_NodeMismatchOverItsLeaves()
    {
        await _data.ExecuteAsync("UPDATE log_nodes SET hash = zeroblob(32) WHERE level = 3 AND idx = 5");

        var report = await VerifyAsync();

        var finding = Assert.Single(report.Findings);
        Assert.Equal((LogFindingKind.NodeMismatch, 40L), (finding.Kind, finding.Position));
        Assert.Contains("level 3, index 5", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WholeLogRebuiltAndResigned_InconsistentWithWhatWasVerified()
    {
        // The attacker has the database and the signing key: rewrites leaf 57, recomputes every hash, and signs
        // fresh checkpoints. The log is consistent with itself; only the auditor's memory catches it.
        await ReplaceEntryAsync(57, recomputeHashes: true);
        await _data.ExecuteAsync("DELETE FROM log_checkpoints");
        var root = await RecomputedRootAsync(Leaves);
        var note = Checkpoint.SignCheckpoint(new Checkpoint(LedgerTestData.Origin, Leaves, root), _data.Keys.Signer);
        await _data.ExecuteAsync("INSERT INTO log_checkpoints VALUES ($s, $r, $n, '2026-11-23')", ("$s", Leaves), ("$r", root), ("$n", note));

        var withoutMemory = await VerifyAsync(previous: null);
        var report = await VerifyAsync();

        Assert.True(withoutMemory.IsOk, "a consistent forgery passes a verifier that remembers nothing: that is what witnesses are for");
        Assert.Contains(report.Findings, f => f is { Kind: LogFindingKind.InconsistentWithVerified, Position: 57 });
        Assert.Equal(57, report.First!.Position);
    }

    [Fact]
    public async Task Verify_OldCheckpointReplayed_CheckpointRollback()
    {
        await _data.ExecuteAsync($"DELETE FROM log_checkpoints WHERE tree_size = {Leaves}");

        var report = await VerifyAsync();

        Assert.Equal((LogFindingKind.CheckpointRollback, 40L), (report.First!.Kind, report.First.Position));
    }

    [Fact]
    public async Task Verify_CheckpointSignedByAnotherKey_Refused()
    {
        using var impostor = NoteSigner.Generate(LedgerTestData.Origin);
        var root = await RecomputedRootAsync(Leaves);
        await _data.ExecuteAsync($"DELETE FROM log_checkpoints WHERE tree_size = {Leaves}");
        await _data.ExecuteAsync("INSERT INTO log_checkpoints VALUES ($s, $r, $n, '2026-11-23')", ("$s", Leaves), ("$r", root), ("$n", Checkpoint.SignCheckpoint(new Checkpoint(LedgerTestData.Origin, Leaves, root), impostor)));

        var report = await VerifyAsync();

        Assert.Equal(LogFindingKind.CheckpointSignatureInvalid, report.First!.Kind);
    }

    [Fact]
    public async Task Verify_LawfulRedaction_StillVerifies()
    {
        await _data.Writer.AppendAsync((log, _) => Task.FromResult(log.Append(new LogEntry
        {
            Redaction = new RedactionRecord
            {
                RecordedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                MessageId = "m-3",
                RuleId = "eod-notice-to-mayor",
                Reason = "retention period of 730 days ended",
            },
        })));
        await _data.Publisher.PublishAsync(CancellationToken.None);

        var report = await VerifyAsync();

        Assert.True(report.IsOk, string.Join(Environment.NewLine, report.Findings));
        Assert.Equal(Leaves + 1, report.Checkpoint!.Size);
    }

    private LogVerifier Verifier() => new(_data.Keys.VerifierKey, LedgerTestData.Origin);

    private async Task<LogVerificationReport> VerifyAsync(bool usePrevious = true, VerifiedState? previous = null)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return await Verifier().VerifyAsync(new SqliteLogSource(_data.DatabasePath), usePrevious ? previous ?? _verified : null, null, null, CancellationToken.None);
    }

    private Task<LogVerificationReport> VerifyAsync(VerifiedState? previous) => VerifyAsync(usePrevious: false, previous);

    private async Task<LogVerificationReport> VerifyAndKeepAsync()
    {
        var stateDirectory = Path.Combine(_data.Directory, "auditor");
        var temporary = Path.Combine(_data.Directory, "leaf-hashes.tmp");
        LogVerificationReport report;
        await using (var hashes = File.Create(temporary))
        {
            report = await Verifier().VerifyAsync(new SqliteLogSource(_data.DatabasePath), null, hashes, null, CancellationToken.None);
        }

        var notes = await new SqliteLogSource(_data.DatabasePath).CheckpointNotesAsync(CancellationToken.None);
        VerifiedState.Save(stateDirectory, notes[^1], temporary);
        _verified = VerifiedState.Load(stateDirectory, Verifier().Open)!;
        return report;
    }

    private async Task DropTriggersAsync() => await _data.ExecuteAsync("""
        DROP TRIGGER log_leaves_no_update; DROP TRIGGER log_leaves_no_delete;
        DROP TRIGGER log_nodes_no_update; DROP TRIGGER log_nodes_no_delete;
        DROP TRIGGER log_checkpoints_no_update; DROP TRIGGER log_checkpoints_no_delete;
        """);

    private async Task ReplaceEntryAsync(long sequence, bool recomputeHashes)
    {
        var leaves = await _data.Store.ReadLeavesAsync(0, Leaves, CancellationToken.None);
        var entry = LogEntryCodec.Decode(leaves[(int)sequence]);
        entry.Disclosure.Decision = DisclosureDecision.Denied; // what was allowed now looks denied, or the other way round
        var bytes = LogEntryCodec.Encode(entry);
        await _data.ExecuteAsync("UPDATE log_leaves SET entry = $e WHERE seq = $s", ("$e", bytes), ("$s", sequence));
        if (!recomputeHashes)
        {
            return;
        }

        await _data.ExecuteAsync("UPDATE log_leaves SET leaf_hash = $h WHERE seq = $s", ("$h", MerkleHash.HashLeaf(bytes)), ("$s", sequence));
        var tree = new InMemoryNodeStore();
        foreach (var leaf in await _data.Store.ReadLeavesAsync(0, Leaves, CancellationToken.None))
        {
            tree.Append(MerkleHash.HashLeaf(leaf));
        }

        for (var level = 0; (1L << level) <= Leaves; level++)
        {
            for (long index = 0; (index + 1) << level <= Leaves; index++)
            {
                await _data.ExecuteAsync("UPDATE log_nodes SET hash = $h WHERE level = $l AND idx = $i", ("$h", tree.Node(new NodeId(level, index))), ("$l", level), ("$i", index));
            }
        }
    }

    private async Task<byte[]> RecomputedRootAsync(long size)
    {
        var tree = new InMemoryNodeStore();
        foreach (var leaf in await _data.Store.ReadLeavesAsync(0, size, CancellationToken.None))
        {
            tree.Append(MerkleHash.HashLeaf(leaf));
        }

        return tree.Root();
    }
}
