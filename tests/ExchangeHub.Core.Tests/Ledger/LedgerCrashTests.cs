// This file is part of ExchangeHub.

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Verification;
using ExchangeHub.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ExchangeHub.Core.Tests.Ledger;

/// <summary>
/// A process appending to the log under load (ExchangeHub.LedgerCrashAppender, 16 concurrent callers) is killed
/// with SIGKILL, several times over on the same database. After each kill the log is reopened as a restarted hub
/// would: every append that was acknowledged is there at its sequence, with its caller's row, the leaves run
/// contiguously from 0, the writer starts and appends again, a checkpoint is signed (only if consistent with the
/// last one) and the independent verifier, remembering what it verified the round before, reports OK.
/// </summary>
/// <remarks>
/// SIGKILL ends the process but not the kernel: data written before it is still written. So this proves the
/// commit protocol (nothing acknowledged before it is committed, every commit atomic, recovery sound), not that
/// fsync reaches the platter, which only pulling the power shows; synchronous = FULL is what covers that.
/// </remarks>
public sealed partial class LedgerCrashTests(ITestOutputHelper output)
{
    // Must match the appender's origin: the test signs checkpoints with the keys the appender created.
    private const string Origin = "hub.crash-test.example/disclosure-log";

    // Different targets, so that the kills land at different log sizes and moments of the commit cycle.
    private static readonly int[] KillAfterAcknowledgements = [1500, 4000, 600, 2500];

    // Generous for a loaded 2-core machine, but bounded so that a hang fails the test instead of the CI job.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AppendWindow = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AppenderKilledRepeatedly_EveryAcknowledgedAppendPresentAndTheLogVerifies()
    {
        var directory = Directory.CreateTempSubdirectory("eh-ledger-crash-").FullName;
        try
        {
            var acknowledged = new Dictionary<long, string>();
            long expectedStart = 0;
            for (var round = 0; round < KillAfterAcknowledgements.Length; round++)
            {
                var watch = Stopwatch.StartNew();
                var run = await RunAndKillAsync(directory, $"r{round}", KillAfterAcknowledgements[round]);
                Assert.Equal(expectedStart, run.StartedAt);
                Assert.NotEmpty(run.Acknowledged);
                foreach (var (sequence, messageId) in run.Acknowledged)
                {
                    // A sequence acknowledged twice (in this run or an earlier one) would mean a lost append.
                    Assert.True(acknowledged.TryAdd(sequence, messageId), $"sequence {sequence} acknowledged twice: {acknowledged.GetValueOrDefault(sequence)} and {messageId}");
                }

                var (survived, size) = await CheckAfterRestartAsync(directory, round, acknowledged);

                // Appends committed but not yet acknowledged when the kill came may or may not be there; both are right.
                output.WriteLine($"round {round}: started at {run.StartedAt}, killed after {run.Acknowledged.Count} acknowledgements, "
                    + $"{survived - run.StartedAt - run.Acknowledged.Count} more committed; log of {size} leaves verified; {watch.Elapsed.TotalSeconds:0.0} s");
                expectedStart = size;
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<AppenderRun> RunAndKillAsync(string directory, string runTag, int killAfter)
    {
        SqliteConnection.ClearAllPools();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { AppenderPath(), Path.Combine(directory, "data"), runTag })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the appender process did not start");
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var reader = new AcknowledgementReader(process.StandardOutput, killAfter);
            var reading = reader.ReadAsync();

            var started = await Task.WhenAny(reader.Started, reading, Task.Delay(StartTimeout));
            if (started != reader.Started)
            {
                var error = await DrainAsync(process, stderr);
                await (reading.IsCompleted ? reading : Task.CompletedTask);
                Assert.Fail($"the appender did not start within {StartTimeout.TotalSeconds} s; stderr: {error}");
            }

            // The window counts from the first acknowledgement: on a loaded machine the first group commit after a
            // start can take longer than the window itself, and a kill before any append would prove nothing.
            await Task.WhenAny(reader.FirstAcknowledged, reading, Task.Delay(StartTimeout));
            await Task.WhenAny(reader.TargetReached, reading, Task.Delay(AppendWindow));

            // Still appending when killed: an appender that stopped by itself would prove nothing. (An if, not an
            // Assert with the message as an argument, which would drain stderr, and so wait for the end, every time.)
            if (process.HasExited)
            {
                Assert.Fail($"the appender exited by itself with code {process.ExitCode}; stderr: {await stderr.WaitAsync(ExitTimeout)}");
            }

            process.Kill(entireProcessTree: false);
            using (var exit = new CancellationTokenSource(ExitTimeout))
            {
                await process.WaitForExitAsync(exit.Token);
            }

            // 128 + 9: ended by SIGKILL, not by a graceful shutdown or a failure of its own.
            if (process.ExitCode != 137)
            {
                Assert.Fail($"the appender exited with code {process.ExitCode}, not by SIGKILL; stderr: {await stderr.WaitAsync(ExitTimeout)}");
            }

            var lines = await reading.WaitAsync(ExitTimeout);
            Assert.Equal(string.Empty, await stderr.WaitAsync(ExitTimeout));
            return new AppenderRun(reader.StartedAt, lines);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(ExitTimeout);
            }
        }
    }

    private static async Task<(long Survived, long Size)> CheckAfterRestartAsync(string directory, int round, Dictionary<long, string> acknowledged)
    {
        SqliteConnection.ClearAllPools();
        var database = new SqliteHubDatabase(Options.Create(new StorageOptions { DataDirectory = Path.Combine(directory, "data") }), TimeProvider.System);
        await database.EnsureCreatedAsync();

        // The restarted writer loads the right edge of the tree from the stored nodes; a missing one stops it here.
        using var meters = new TestMeterFactory();
        await using var writer = new LedgerWriter(database, Options.Create(new LedgerOptions()), TimeProvider.System, NullLogger<LedgerWriter>.Instance, meters);
        await writer.StartAsync(CancellationToken.None);

        var leaves = await ReadLeavesAsync(database);
        Assert.Equal(leaves.Count, writer.Committed.Size);
        for (var i = 0; i < leaves.Count; i++)
        {
            var (sequence, messageId, entry) = leaves[i];
            Assert.True(sequence == i, $"leaf {i} is stored at sequence {sequence}: the leaves are not contiguous");
            var decoded = LogEntryCodec.Decode(entry);
            Assert.Equal((ulong)sequence, LogEntryCodec.SequenceOf(decoded));
            Assert.Equal(messageId, decoded.Disclosure.MessageId);
        }

        foreach (var (sequence, messageId) in acknowledged)
        {
            Assert.True(sequence < leaves.Count, $"acknowledged append {messageId} at sequence {sequence} is lost: the log has {leaves.Count} leaves");
            Assert.True(leaves[(int)sequence].MessageId == messageId, $"sequence {sequence} holds {leaves[(int)sequence].MessageId}, but {messageId} was acknowledged there");
        }

        Assert.Equal(leaves.Count, leaves.Select(l => l.MessageId).Distinct().Count());

        // The callers' own rows committed with their entries: all or nothing, even for appends not yet acknowledged.
        var callerRows = await ReadCallerRowsAsync(database);
        Assert.Equal(leaves.Select(l => (l.Sequence, l.MessageId)).ToHashSet(), callerRows.ToHashSet());

        // The restarted hub takes appends again, on the same tree.
        for (var i = 0; i < 5; i++)
        {
            var messageId = $"t{round}-{i}";
            var sequence = await writer.AppendAsync((log, cancellationToken) => AppendWithCallerRowAsync(log, messageId, cancellationToken));
            Assert.Equal((ulong)(leaves.Count + i), sequence);
            acknowledged.Add((long)sequence, messageId);
        }

        // A checkpoint is signed only when the tree extends the one signed after the previous kill.
        using var keys = new LedgerKeys(Options.Create(new LedgerOptions
        {
            Origin = Origin,
            SigningKeyPath = Path.Combine(directory, "data", "log-signing.key"),
            PseudonymKeyPath = Path.Combine(directory, "data", "pseudonym.key"),
            CreateMissingKeys = false,
        }));
        using var publisher = new CheckpointPublisher(writer, new SqliteLedgerStore(database), keys, TimeProvider.System, NullLogger<CheckpointPublisher>.Instance);
        var checkpoint = await publisher.PublishAsync(CancellationToken.None);
        Assert.Equal(leaves.Count + 5, checkpoint.TreeSize);

        // The auditor verifies everything and remembers it, so the next round also proves no verified leaf changed.
        var verifier = new LogVerifier(keys.VerifierKey, Origin);
        var stateDirectory = Path.Combine(directory, "auditor");
        var previous = VerifiedState.Load(stateDirectory, verifier.Open);
        var temporary = Path.Combine(directory, "leaf-hashes.tmp");
        LogVerificationReport report;
        await using (var hashes = File.Create(temporary))
        {
            report = await verifier.VerifyAsync(new SqliteLogSource(database.DatabasePath), previous, hashes, null, CancellationToken.None);
        }

        Assert.True(report.IsOk, string.Join(Environment.NewLine, report.Findings));
        Assert.Equal(checkpoint.TreeSize, report.LeavesRead);
        Assert.Equal(checkpoint.TreeSize, report.Checkpoint!.Size);
        VerifiedState.Save(stateDirectory, checkpoint.Note, temporary);
        return (leaves.Count, checkpoint.TreeSize);
    }

    private static async Task<ulong> AppendWithCallerRowAsync(ILogAppendContext log, string messageId, CancellationToken cancellationToken)
    {
        var entry = LedgerTestData.Disclosure(messageId, log.Now);
        var sequence = log.Append(entry);
        await using var command = log.Connection.CreateCommand();
        command.Transaction = log.Transaction;
        command.CommandText = "INSERT INTO crash_messages (message_id, seq) VALUES ($id, $seq)";
        command.Parameters.Add(new SqliteParameter("$id", messageId));
        command.Parameters.Add(new SqliteParameter("$seq", (long)sequence));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return sequence;
    }

    private static async Task<List<(long Sequence, string MessageId, byte[] Entry)>> ReadLeavesAsync(SqliteHubDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, message_id, entry FROM log_leaves ORDER BY seq";
        var leaves = new List<(long, string, byte[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            leaves.Add((reader.GetInt64(0), reader.GetString(1), (byte[])reader[2]));
        }

        return leaves;
    }

    private static async Task<List<(long Sequence, string MessageId)>> ReadCallerRowsAsync(SqliteHubDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, message_id FROM crash_messages";
        var rows = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return rows;
    }

    private static async Task<string> DrainAsync(Process process, Task<string> stderr)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        return await stderr.WaitAsync(ExitTimeout);
    }

    private static string DotnetHost() => ChildProcesses.DotnetHost();

    private static string AppenderPath() =>
        ChildProcesses.BuiltAssembly(Path.Combine("tests", "ExchangeHub.LedgerCrashAppender"), "ExchangeHub.LedgerCrashAppender.dll");

    [GeneratedRegex(@"^ack (\d+) (\S+) ok$", RegexOptions.CultureInvariant)]
    private static partial Regex AcknowledgementLine();

    [GeneratedRegex(@"^started (\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex StartedLine();

    private sealed record AppenderRun(long StartedAt, List<(long Sequence, string MessageId)> Acknowledged);

    /// <summary>Reads the appender's stdout to its end, signalling when it started and when enough appends were acknowledged.</summary>
    private sealed class AcknowledgementReader(StreamReader stdout, int target)
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _targetReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstAcknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public Task FirstAcknowledged => _firstAcknowledged.Task;

        public Task TargetReached => _targetReached.Task;

        public long StartedAt { get; private set; } = -1;

        public async Task<List<(long Sequence, string MessageId)>> ReadAsync()
        {
            var acknowledged = new List<(long, string)>();
            string? unparsed = null;
            while (await stdout.ReadLineAsync() is { } line)
            {
                // Only the very last line may be cut off by the kill (it cannot, being one small write, but a cut
                // line must never count as an acknowledgement).
                Assert.True(unparsed is null, $"the appender wrote an unexpected line: {unparsed}");
                if (AcknowledgementLine().Match(line) is { Success: true } ack)
                {
                    acknowledged.Add((long.Parse(ack.Groups[1].ValueSpan, CultureInfo.InvariantCulture), ack.Groups[2].Value));
                    _firstAcknowledged.TrySetResult();
                    if (acknowledged.Count >= target)
                    {
                        _targetReached.TrySetResult();
                    }
                }
                else if (StartedLine().Match(line) is { Success: true } started && StartedAt < 0)
                {
                    StartedAt = long.Parse(started.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
                    _started.TrySetResult();
                }
                else
                {
                    unparsed = line;
                }
            }

            return acknowledged;
        }
    }
}
