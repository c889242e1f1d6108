// This file is part of ExchangeHub.

using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger.Merkle;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Storage;
using ExchangeHub.Core.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// The single writer of the disclosure log. Appends queue up; the writer takes as many as are waiting, runs
/// each one's work under a savepoint in one transaction, assigns sequence numbers from the stored tree size
/// (never from a database sequence, which can leave gaps), stores leaves and completed tree nodes, and commits
/// once: one fsync for the whole group.
/// Fail-stop: when the writer's own storage work fails, it stops for good instead of carrying on with a chain
/// it can no longer vouch for (as EventStore's storage writer does); a restart reloads the state from disk.
/// Every decision the hub takes about personal data passes through here as a disclosure record, so this is where
/// decisions are counted: once each, when durable, never for an append that was rolled back or a retry that
/// found its earlier receipt.
/// </summary>
public sealed partial class LedgerWriter : IDisclosureLog, IAsyncDisposable
{
    private readonly SqliteHubDatabase _database;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly Channel<PendingAppend> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private MerkleFrontier _frontier = MerkleFrontier.Empty;
    private volatile LogHead _committed = new(0, MerkleHash.EmptyRoot);
    private volatile Exception? _stoppedBy;
    private readonly Counter<long> _appends;
    private readonly Counter<long> _decisions;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private Task? _loop;
    private long _commitCount;

    /// <summary>Creates the writer; <see cref="StartAsync"/> loads the log and starts writing.</summary>
    public LedgerWriter(SqliteHubDatabase database, IOptions<LedgerOptions> options, TimeProvider time, ILogger<LedgerWriter> logger, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _database = database;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        var meter = meters.Create(HubTelemetry.MeterName);
        _appends = meter.CreateCounter<long>("exchangehub.log.appends", "{entry}", "Entries appended to the disclosure log and committed, by entry kind (disclosure, redaction).");
        _decisions = meter.CreateCounter<long>("exchangehub.decisions", "{decision}", "Disclosure decisions recorded in the log, by outcome, legal basis, purpose, message type and (when denied) reason id.");
        _batchSize = meter.CreateHistogram("exchangehub.log.batch.size", "{append}", "Appends per group commit of the disclosure log (one fsync each).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _commitDuration = meter.CreateHistogram("exchangehub.log.commit.duration", "s", "Duration of a group commit of the disclosure log, from opening the transaction to the durable commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        meter.CreateObservableGauge("exchangehub.log.size", () => _committed.Size, "{entry}", "Entries in the disclosure log (its committed tree size).");
    }

    /// <inheritdoc />
    public LogHead Committed => _committed;

    /// <summary>How many group commits the writer has made since it started.</summary>
    public long CommitCount => Interlocked.Read(ref _commitCount);

    /// <summary>Whether the writer stopped (fail-stop), and why.</summary>
    public Exception? StoppedBy => _stoppedBy;

    /// <summary>Loads the log's right edge from storage and starts the writer.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await _database.OpenAsync(cancellationToken))
        {
            var size = await SqliteLedgerStore.CountLeavesAsync(connection, null, cancellationToken);
            _frontier = await LoadFrontierAsync(connection, null, size, cancellationToken);
        }

        _committed = new LogHead(_frontier.Size, _frontier.Root());
        LogStarted(_logger, _committed.Size, new HexBytes(_committed.RootHash));
        _loop = Task.Factory.StartNew(() => RunAsync(_stopping.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <inheritdoc />
    public async Task<T> AppendAsync<T>(Func<ILogAppendContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_stoppedBy is { } cause)
        {
            throw new LogWriterStoppedException(cause);
        }

        if (_loop is null)
        {
            throw new InvalidOperationException("The disclosure log has not been started.");
        }

        var pending = new PendingAppend<T>(work, Activity.Current?.Context ?? default, cancellationToken);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new LogWriterStoppedException(_stoppedBy ?? new ObjectDisposedException(nameof(LedgerWriter)));
        }

        // Not cancelled by the caller once queued: the append may already be durable, and the caller must learn so.
        return await pending.Completion;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                await CommitAsync(batch, stopping);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            _stoppedBy = ex;
            _queue.Writer.TryComplete(ex);
            LogStopped(_logger, ex);
            var stopped = new LogWriterStoppedException(ex);
            foreach (var pending in batch)
            {
                pending.Fail(stopped);
            }

            while (_queue.Reader.TryRead(out var waiting))
            {
                waiting.Fail(stopped);
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch, CancellationToken stopping)
    {
        // One span for the group commit, linked to the span of every append it carries (each caller's "record").
        using var activity = HubTelemetry.ActivitySource.HasListeners()
            ? HubTelemetry.ActivitySource.StartActivity("exchangehub.log.commit", ActivityKind.Internal, parentContext: default, links: batch.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller)))
            : null;
        var started = _time.GetTimestamp();
        await using var connection = await _database.OpenAsync(stopping);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(stopping);

        // Another writer (a second hub on the same database) may have appended; continue from what is stored.
        var stored = await SqliteLedgerStore.CountLeavesAsync(connection, transaction, stopping);
        if (stored != _frontier.Size)
        {
            _frontier = await LoadFrontierAsync(connection, transaction, stored, stopping);
        }

        var now = _time.GetUtcNow();
        var done = new List<(PendingAppend Pending, AppendContext Context)>(batch.Count);
        foreach (var pending in batch)
        {
            var context = new AppendContext(connection, transaction, now, (ulong)_frontier.Size);
            await ExecuteAsync(connection, transaction, "SAVEPOINT item", stopping);
            try
            {
                await pending.RunAsync(context);
            }
            catch (Exception ex)
            {
                // The caller's work failed: undo its rows, tell that caller, carry on with the others.
                await ExecuteAsync(connection, transaction, "ROLLBACK TO item; RELEASE item", stopping);
                pending.Fail(ex);
                continue;
            }

            // From here on a failure is the log's own, and stops the writer (see the class remarks).
            foreach (var (sequence, entry, bytes) in context.Entries)
            {
                var leafHash = MerkleHash.HashLeaf(bytes);
                var nodes = _frontier.Append(leafHash);
                await SqliteLedgerStore.InsertLeafAsync(connection, transaction, (long)sequence, leafHash, bytes, entry, stopping);
                await SqliteLedgerStore.InsertNodesAsync(connection, transaction, nodes, stopping);
            }

            await ExecuteAsync(connection, transaction, "RELEASE item", stopping);
            done.Add((pending, context));
        }

        await transaction.CommitAsync(stopping);
        Interlocked.Increment(ref _commitCount);
        _committed = new LogHead(_frontier.Size, _frontier.Root());
        LogBatchCommitted(_logger, done.Count, batch.Count, _committed.Size);
        Measure(batch.Count, done, started, activity);
        foreach (var (pending, _) in done)
        {
            pending.Succeed();
        }
    }

    // Before the callers hear back, so that what a caller sees afterwards includes its own append. The group is
    // durable by now: whatever a metrics listener does, it must not stop the writer (fail-stop is for the log's own
    // storage), so a failure here is logged and the group carries on.
    private void Measure(int batchSize, List<(PendingAppend Pending, AppendContext Context)> done, long started, Activity? activity)
    {
        try
        {
            _commitDuration.Record(_time.GetElapsedTime(started).TotalSeconds);
            _batchSize.Record(batchSize);
            activity?.SetTag("exchangehub.log.batch_size", batchSize).SetTag("exchangehub.log.committed", done.Count).SetTag("exchangehub.log.size", _committed.Size);
            foreach (var (_, context) in done)
            {
                Count(context.Entries);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogMeasureFailed(_logger, ex);
        }
    }

    private void Count(List<(ulong Sequence, LogEntry Entry, byte[] Bytes)> entries)
    {
        foreach (var (_, entry, _) in entries)
        {
            _appends.Add(1, new KeyValuePair<string, object?>("entry", entry.EntryCase == LogEntry.EntryOneofCase.Disclosure ? "disclosure" : "redaction"));
            if (entry.Disclosure is { } record)
            {
                var tags = new TagList
                {
                    { "outcome", ContractEnums.Name(record.Decision) },
                    { "legal_basis", ContractEnums.Name(record.LegalBasis) },
                    { "purpose", ContractEnums.Name(record.Purpose) },
                    { "message_type", ContractEnums.Name(record.MessageType) },
                };
                if (record.Decision != DisclosureDecision.Allowed)
                {
                    tags.Add("reason", HubTelemetry.ReasonId(record.Reason));
                }

                _decisions.Add(1, tags);
            }
        }
    }

    private static async Task<MerkleFrontier> LoadFrontierAsync(SqliteConnection connection, SqliteTransaction? transaction, long size, CancellationToken cancellationToken)
    {
        var ids = MerkleProofs.RootNodes(size);
        var nodes = await SqliteLedgerStore.ReadNodesAsync(connection, transaction, ids, cancellationToken);
        var hashes = new List<byte[]>(ids.Count);
        foreach (var id in ids)
        {
            hashes.Add(nodes.TryGetValue(id, out var hash)
                ? hash
                : throw new InvalidDataException($"EH4004: tree node {id} of a log of {size} leaves is missing; the log must be verified before it takes more entries."));
        }

        return new MerkleFrontier(size, hashes);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 4101, EventName = "LogStarted", Level = LogLevel.Information, Message = "Disclosure log open: {Size} leaves, root {RootHash}")]
    private static partial void LogStarted(ILogger logger, long size, HexBytes rootHash);

    [LoggerMessage(EventId = 4102, EventName = "LogBatchCommitted", Level = LogLevel.Debug, Message = "Group commit: {Committed} of {Batch} appends durable; log size {Size}")]
    private static partial void LogBatchCommitted(ILogger logger, int committed, int batch, long size);

    [LoggerMessage(EventId = 4103, EventName = "LogWriterStopped", Level = LogLevel.Critical, Message = "The disclosure log writer stopped (fail-stop); no disclosures are accepted until the hub restarts and the log verifies")]
    private static partial void LogStopped(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4104, EventName = "LogMetricsFailed", Level = LogLevel.Warning, Message = "The metrics of a group commit could not be recorded; the commit itself is durable")]
    private static partial void LogMeasureFailed(ILogger logger, Exception exception);

    private sealed class AppendContext(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now, ulong next) : ILogAppendContext
    {
        private ulong _next = next;

        public DbConnection Connection => connection;

        public DbTransaction Transaction => transaction;

        public DateTimeOffset Now => now;

        public List<(ulong Sequence, LogEntry Entry, byte[] Bytes)> Entries { get; } = [];

        public ulong Append(LogEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            var sequence = _next++;
            LogEntryCodec.SetSequence(entry, sequence);

            // A copy: the search columns are written from it later, and must match the bytes encoded now even if
            // the caller goes on to change or reuse its entry.
            var copy = entry.Clone();
            Entries.Add((sequence, copy, LogEntryCodec.Encode(copy)));
            return sequence;
        }
    }

    private abstract class PendingAppend(ActivityContext caller)
    {
        /// <summary>The span of the caller that queued this append, to link the commit to.</summary>
        public ActivityContext Caller { get; } = caller;

        public abstract Task RunAsync(AppendContext context);

        public abstract void Succeed();

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingAppend<T>(Func<ILogAppendContext, CancellationToken, Task<T>> work, ActivityContext caller, CancellationToken cancellationToken) : PendingAppend(caller)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Completion => _completion.Task;

        public override async Task RunAsync(AppendContext context)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _result = await work(context, cancellationToken);
        }

        public override void Succeed() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
