// This file is part of ExchangeHub.

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Merkle;
using ExchangeHub.Core.Ledger.Verification;
using ExchangeHub.Core.Storage;
using ExchangeHub.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Benchmarks;

/// <summary>
/// The disclosure log: (a) durable appends per second through the real <see cref="LedgerWriter"/> (WAL,
/// synchronous = FULL, group commit) for 1, 16 and 64 concurrent callers; (b) inclusion and consistency proof
/// generation from the stored tree (<see cref="LedgerProofs"/>) at 1M and 10M leaves; (c) full verification
/// (<see cref="LogVerifier"/> over <see cref="SqliteLogSource"/>) of the smallest tree, in leaves per second.
/// </summary>
/// <remarks>
/// The trees for (b) and (c) are built by a bulk path, not through the writer, which (a) measures already and which
/// would take the better part of an hour for 10M leaves: one connection, 100,000 leaves per transaction, the
/// writer's leaf encoding (<see cref="LogEntryCodec"/>) and tree (<see cref="MerkleFrontier"/>), and the rows
/// <see cref="SqliteLedgerStore"/> writes, by prepared inserts. That the tables hold what the writer would have
/// written is checked, not assumed: the real writer starts on them with the same root, the checkpoint publisher
/// proves each size consistent with the last, every generated proof is verified, and the full verification must
/// report OK.
/// </remarks>
internal static class LogBenchmark
{
    private const string Origin = "hub.bench.example/disclosure-log";
    private const int LeavesPerTransaction = 100_000;
    private const int Subjects = 100_000;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}{Environment.NewLine}usage: log [--sizes 1M,10M] [--seconds 5] [--callers 1,16,64] [--proofs 1000] [--dir path] [--seed n]");
            return 64;
        }

        // Everything goes in a fresh directory that is deleted at the end, also when the benchmark fails.
        var root = settings.Directory is null
            ? Directory.CreateTempSubdirectory("eh-bench-log-").FullName
            : Directory.CreateDirectory(Path.Combine(settings.Directory, $"eh-bench-log-{Guid.NewGuid():N}")).FullName;
        Console.WriteLine($"Disclosure log benchmark in {root} ({Environment.ProcessorCount} cores, .NET {Environment.Version}){LoadAverage()}");
        try
        {
            if (settings.Seconds > 0)
            {
                await AppendsAsync(Path.Combine(root, "appends"), settings);
            }

            await TreesAsync(Path.Combine(root, "tree"), settings);
            Console.WriteLine();
            Console.WriteLine($"Done{LoadAverage()}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    // (a) The real writer, one disclosure entry per append, each caller appending again as soon as it heard back.
    private static async Task AppendsAsync(string directory, Settings settings)
    {
        var database = await CreateDatabaseAsync(directory);
        using var meters = new TestMeterFactory();
        await using var writer = new LedgerWriter(database, Options.Create(new LedgerOptions()), TimeProvider.System, NullLogger<LedgerWriter>.Instance, meters);
        await writer.StartAsync(CancellationToken.None);
        var subjects = SubjectPseudonyms();
        var duration = TimeSpan.FromSeconds(settings.Seconds);

        Console.WriteLine();
        Console.WriteLine($"(a) Durable appends: LedgerWriter, WAL + synchronous=FULL, one entry per append, batches of at most {new LedgerOptions().MaxBatchSize}; {settings.Seconds:0.#} s per case");
        Console.WriteLine($"{"callers",8} {"appends/s",11} {"appends",9} {"commits",9} {"commits/s",10} {"mean batch",11} {"mean ms",9} {"p99 ms",8}");

        // Warm-up: JIT, SQLite's page cache, the file's first pages.
        await MeasureAppendsAsync(writer, subjects, 4, TimeSpan.FromSeconds(Math.Min(1, settings.Seconds)));
        foreach (var callers in settings.Callers)
        {
            var commitsBefore = writer.CommitCount;
            var (appends, elapsed, latencies) = await MeasureAppendsAsync(writer, subjects, callers, duration);
            var commits = writer.CommitCount - commitsBefore;
            latencies.Sort();
            Console.WriteLine(
                $"{callers,8} {appends / elapsed.TotalSeconds,11:N0} {appends,9:N0} {commits,9:N0} {commits / elapsed.TotalSeconds,10:N0} "
                + $"{(double)appends / commits,11:N1} {latencies.Average() * 1000,9:N2} {Percentile(latencies, 0.99) * 1000,8:N2}");
        }
    }

    private static async Task<(long Appends, TimeSpan Elapsed, List<double> Latencies)> MeasureAppendsAsync(LedgerWriter writer, string[] subjects, int callers, TimeSpan duration)
    {
        var watch = Stopwatch.StartNew();
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var latencies = new List<double>(4096);
            var entry = Template();
            for (var n = 0; watch.Elapsed < duration; n++)
            {
                var started = Stopwatch.GetTimestamp();
                await writer.AppendAsync((log, _) =>
                {
                    // A caller has one append in flight and the writer is done with the entry once the append
                    // returns, so one mutable entry per caller serves all its appends.
                    Fill(entry, $"a-{caller}-{n}", log.Now, subjects[(caller * 7919 + n) % subjects.Length]);
                    return Task.FromResult(log.Append(entry));
                });
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }

            return latencies;
        })));
        var elapsed = watch.Elapsed;
        var all = perCaller.SelectMany(l => l).ToList();
        return (all.Count, elapsed, all);
    }

    // (b) and (c): one database grown to each size in turn, measured at each size before it grows further.
    private static async Task TreesAsync(string directory, Settings settings)
    {
        var database = await CreateDatabaseAsync(directory);
        using var keys = new LedgerKeys(Options.Create(new LedgerOptions
        {
            Origin = Origin,
            SigningKeyPath = Path.Combine(directory, "log-signing.key"),
            PseudonymKeyPath = Path.Combine(directory, "pseudonym.key"),
            CreateMissingKeys = true,
        }));
        var store = new SqliteLedgerStore(database);
        var frontier = MerkleFrontier.Empty;
        var random = new Random(settings.Seed);
        var subjects = SubjectPseudonyms();
        var verifyAt = settings.Sizes.Min();
        foreach (var size in settings.Sizes.Order())
        {
            Console.WriteLine();
            var build = Stopwatch.StartNew();
            frontier = await ExtendAsync(database, frontier, size, subjects);
            build.Stop();
            Console.WriteLine($"(b) Tree of {size:N0} leaves: bulk-built to this size in {build.Elapsed.TotalSeconds:N1} s; database {DatabaseBytes(database) / 1048576.0:N0} MiB");

            // The real writer starts on the bulk-built tree (it loads the right edge from the stored nodes), and a
            // checkpoint is signed, after a consistency proof from the previous one when there is one.
            using var meters = new TestMeterFactory();
            var start = Stopwatch.StartNew();
            await using (var writer = new LedgerWriter(database, Options.Create(new LedgerOptions()), TimeProvider.System, NullLogger<LedgerWriter>.Instance, meters))
            {
                await writer.StartAsync(CancellationToken.None);
                start.Stop();
                Require(writer.Committed.RootHash.AsSpan().SequenceEqual(frontier.Root()), "the writer's root differs from the bulk-built tree's");
                using var publisher = new CheckpointPublisher(writer, store, keys, TimeProvider.System, NullLogger<CheckpointPublisher>.Instance);
                var publish = Stopwatch.StartNew();
                await publisher.PublishAsync(CancellationToken.None);
                publish.Stop();
                Console.WriteLine($"    writer start {start.Elapsed.TotalMilliseconds:N1} ms; checkpoint signed in {publish.Elapsed.TotalMilliseconds:N1} ms");
            }

            await ProofsAsync(store, size, frontier.Root(), settings.Proofs, random);
            if (size == verifyAt)
            {
                await VerifyAsync(database, keys, size);
            }
        }
    }

    private static async Task<MerkleFrontier> ExtendAsync(SqliteHubDatabase database, MerkleFrontier frontier, long size, string[] subjects)
    {
        // The build connection must be the only one: it leaves WAL mode, which needs the database to itself.
        SqliteConnection.ClearAllPools();
        await using (var connection = await database.OpenAsync())
        {
            await using (var pragma = connection.CreateCommand())
            {
                // Bulk-load settings for this connection only. A rollback journal in memory, no fsync per transaction
                // and a 1 GiB page cache write each page about once, where WAL mode wrote every index page again
                // with each transaction and then once more into the database: 4x the bytes, a third slower at 3M
                // leaves, and the kernel still writing back during the proofs. The next OpenAsync restores WAL mode.
                pragma.CommandText = "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576";
                await pragma.ExecuteNonQueryAsync();
            }

            using var inserter = new BulkInserter(connection);
            var entry = Template();
            var recordedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var progress = Stopwatch.StartNew();
            while (frontier.Size < size)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                var end = Math.Min(size, frontier.Size + LeavesPerTransaction);
                while (frontier.Size < end)
                {
                    var sequence = frontier.Size;
                    Fill(entry, $"b-{sequence}", recordedAt.AddSeconds(sequence), subjects[(int)(sequence * 7919 % subjects.Length)]);
                    LogEntryCodec.SetSequence(entry, (ulong)sequence);
                    var bytes = LogEntryCodec.Encode(entry);
                    var leafHash = MerkleHash.HashLeaf(bytes);
                    inserter.Insert(transaction, sequence, leafHash, bytes, entry.Disclosure, frontier.Append(leafHash));
                }

                await transaction.CommitAsync();
                if (progress.Elapsed > TimeSpan.FromSeconds(30))
                {
                    await Console.Error.WriteLineAsync($"    ... {frontier.Size:N0} leaves");
                    progress.Restart();
                }
            }
        }

        // One fsync for the whole build, so that the measurements that follow do not share the disk with writeback.
        SqliteConnection.ClearAllPools();
        await using (var file = new FileStream(database.DatabasePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.Flush(flushToDisk: true);
        }

        return frontier;
    }

    private static async Task ProofsAsync(SqliteLedgerStore store, long size, byte[] root, int count, Random random)
    {
        var proofs = new LedgerProofs(store);

        // Warm-up: JIT and the connection pool; the tree's pages are warm in the OS cache from the build anyway.
        for (var i = 0; i < 100; i++)
        {
            await proofs.InclusionProofAsync(random.NextInt64(size), size, CancellationToken.None);
        }

        var inclusion = new List<double>(count);
        var inclusionNodes = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var index = random.NextInt64(size);
            var started = Stopwatch.GetTimestamp();
            var proof = await proofs.InclusionProofAsync(index, size, CancellationToken.None);
            inclusion.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            inclusionNodes.Add(MerkleProofs.InclusionProofNodes(index, size).Count);

            // Outside the timing: every proof must verify against the tree's root.
            var leafHash = (await store.ReadNodesAsync([new NodeId(0, index)], CancellationToken.None)).Values.Single();
            Require(MerkleVerifier.VerifyInclusion(index, size, leafHash, proof, root), $"the inclusion proof of leaf {index} in {size} does not verify");
        }

        var consistency = new List<double>(count);
        var consistencyNodes = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var size2 = 2 + random.NextInt64(size - 1);
            var size1 = 1 + random.NextInt64(size2 - 1);
            var started = Stopwatch.GetTimestamp();
            var proof = await proofs.ConsistencyProofAsync(size1, size2, CancellationToken.None);
            consistency.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            consistencyNodes.Add(MerkleProofs.ConsistencyProofNodes(size1, size2).Count);
            var root1 = await RootAsync(store, size1);
            var root2 = size2 == size ? root : await RootAsync(store, size2);
            Require(MerkleVerifier.VerifyConsistency(size1, size2, root1, root2, proof), $"the consistency proof from {size1} to {size2} does not verify");
        }

        Console.WriteLine($"    {"proofs (LedgerProofs, warm cache)",-50} {"count",6} {"mean ms",8} {"p50 ms",7} {"p99 ms",7} {"max ms",7} {"nodes read: mean",17} {"max",4}");
        Print($"inclusion, random leaf, tree size {size:N0}", inclusion, inclusionNodes);
        Print($"consistency, random 0 < size1 < size2 <= {size:N0}", consistency, consistencyNodes);

        static void Print(string name, List<double> seconds, List<double> nodes)
        {
            seconds.Sort();
            Console.WriteLine(
                $"    {name,-50} {seconds.Count,6} {seconds.Average() * 1000,8:N3} {Percentile(seconds, 0.5) * 1000,7:N3} {Percentile(seconds, 0.99) * 1000,7:N3} "
                + $"{seconds[^1] * 1000,7:N3} {nodes.Average(),17:N1} {nodes.Max(),4:N0}");
        }
    }

    private static async Task<byte[]> RootAsync(SqliteLedgerStore store, long size)
    {
        var nodes = await store.ReadNodesAsync(MerkleProofs.RootNodes(size), CancellationToken.None);
        return MerkleProofs.ComputeRoot(size, id => nodes[id]);
    }

    // (c) The independent verifier reads every leaf, re-hashes it, recomputes the tree and checks every stored node.
    private static async Task VerifyAsync(SqliteHubDatabase database, LedgerKeys keys, long size)
    {
        var verifier = new LogVerifier(keys.VerifierKey, Origin);
        var watch = Stopwatch.StartNew();
        var report = await verifier.VerifyAsync(new SqliteLogSource(database.DatabasePath), null, null, null, CancellationToken.None);
        watch.Stop();
        Require(report.IsOk, "verification failed: " + string.Join("; ", report.Findings.Take(5)));
        Require(report.LeavesRead == size, $"the verifier read {report.LeavesRead} leaves, not {size}");
        Console.WriteLine($"(c) Full verification (LogVerifier over SqliteLogSource): {size:N0} leaves in {watch.Elapsed.TotalSeconds:N1} s, {size / watch.Elapsed.TotalSeconds:N0} leaves/s: OK");
    }

    private static async Task<SqliteHubDatabase> CreateDatabaseAsync(string directory)
    {
        var database = new SqliteHubDatabase(Options.Create(new StorageOptions { DataDirectory = directory }), TimeProvider.System);
        await database.EnsureCreatedAsync();
        return database;
    }

    private static long DatabaseBytes(SqliteHubDatabase database) =>
        new[] { string.Empty, "-wal" }.Select(suffix => new FileInfo(database.DatabasePath + suffix)).Where(f => f.Exists).Sum(f => f.Length);

    // Keyed pseudonyms look random; a fixed set, so that subjects recur as they do in a real log.
    private static string[] SubjectPseudonyms() =>
        [.. Enumerable.Range(0, Subjects).Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i))))];

    private static LogEntry Template() => new()
    {
        Disclosure = new DisclosureRecord
        {
            Sender = new PartnerId { Oin = "00000001800000001000" },
            SenderRole = PartnerRole.PrisonService,
            Recipient = new PartnerId { Oin = "00000001800000005000" },
            RecipientRole = PartnerRole.Municipality,
            Category = DataCategory.EndOfDetentionNotice,
            MessageType = MessageType.EndOfDetentionNotice,
            Purpose = Purpose.ReleasePreparation,
            LegalBasis = LegalBasis.AvgArt61E,
            PolicyId = "exchangehub-default",
            PolicyVersion = "2026.11.1",
            RuleId = "eod-notice-to-mayor",
            Decision = DisclosureDecision.Allowed,
            Reason = "Allowed by rule eod-notice-to-mayor.",
            DisclosedFields = { "subject", "expected_release_time" },
            PayloadSha256 = ByteString.CopyFrom(SHA256.HashData("payload"u8)),
        },
    };

    private static void Fill(LogEntry entry, string messageId, DateTimeOffset at, string subject)
    {
        var record = entry.Disclosure;
        record.RecordedAt = Timestamp.FromDateTimeOffset(at);
        record.MessageId = messageId;
        record.DeliveryId = "d-" + messageId;
        record.IdempotencyKey = messageId;
        record.SubjectPseudonym = subject;
    }

    // Figures from a shared machine mean little without knowing what else ran: the 1, 5 and 15 minute load averages.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $"; load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : string.Empty;

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("benchmark check failed: " + message);
        }
    }

    private sealed record Settings(long[] Sizes, double Seconds, int[] Callers, int Proofs, string? Directory, int Seed)
    {
        public static Settings Parse(IReadOnlyList<string> args)
        {
            var settings = new Settings([1_000_000, 10_000_000], 5, [1, 16, 64], 1000, null, 20261123);
            for (var i = 0; i < args.Count; i++)
            {
                var value = i + 1 < args.Count ? args[i + 1] : throw new FormatException($"{args[i]} needs a value");
                settings = args[i] switch
                {
                    "--sizes" => settings with { Sizes = [.. value.Split(',').Select(Count)] },
                    "--seconds" => settings with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--callers" => settings with { Callers = [.. value.Split(',').Select(v => (int)Count(v))] },
                    "--proofs" => settings with { Proofs = (int)Count(value) },
                    "--dir" => settings with { Directory = value },
                    "--seed" => settings with { Seed = (int)Count(value) },
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
                i++;
            }

            return settings.Sizes.Any(s => s < 2) || settings.Callers.Any(c => c < 1) || settings.Proofs < 1
                ? throw new FormatException("sizes must be at least 2, callers and proofs at least 1")
                : settings;
        }

        // 100000, 100_000, 100k, 1M.
        private static long Count(string text)
        {
            var trimmed = text.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
            var (digits, factor) = trimmed[^1] switch
            {
                'k' or 'K' => (trimmed[..^1], 1_000L),
                'm' or 'M' => (trimmed[..^1], 1_000_000L),
                _ => (trimmed, 1L),
            };
            return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number * factor
                : throw new FormatException($"'{text}' is not a count");
        }
    }

    /// <summary>
    /// The bulk path's inserts: the columns and values of <see cref="SqliteLedgerStore.InsertLeafAsync"/> and
    /// <see cref="SqliteLedgerStore.InsertNodesAsync"/>, but two commands prepared once and bound again for every
    /// row, which builds twice as fast as a new command per row (about 40,000 instead of 20,000 leaves/s here).
    /// </summary>
    private sealed class BulkInserter : IDisposable
    {
        private static readonly string[] LeafParameters =
            ["$seq", "$hash", "$entry", "$at", "$kind", "$message", "$sender", "$recipient", "$basis", "$purpose", "$decision", "$category", "$type", "$subject"];

        private readonly SqliteCommand _leaf;
        private readonly SqliteCommand _node;
        private readonly SqliteParameter[] _leafValues;
        private readonly SqliteParameter[] _nodeValues;

        public BulkInserter(SqliteConnection connection)
        {
            _leaf = connection.CreateCommand();
            _leaf.CommandText = """
                INSERT INTO log_leaves (seq, leaf_hash, entry, recorded_at, kind, message_id, sender_oin, recipient_oin,
                                        legal_basis, purpose, decision, category, message_type, subject_pseudonym)
                VALUES ($seq, $hash, $entry, $at, $kind, $message, $sender, $recipient, $basis, $purpose, $decision, $category, $type, $subject)
                """;
            _leafValues = [.. LeafParameters.Select(name => _leaf.Parameters.Add(new SqliteParameter { ParameterName = name }))];
            _node = connection.CreateCommand();
            _node.CommandText = "INSERT INTO log_nodes (level, idx, hash) VALUES ($l, $i, $h)";
            _nodeValues = [_node.Parameters.Add("$l", SqliteType.Integer), _node.Parameters.Add("$i", SqliteType.Integer), _node.Parameters.Add("$h", SqliteType.Blob)];
        }

        public void Insert(SqliteTransaction transaction, long sequence, byte[] leafHash, byte[] entryBytes, DisclosureRecord record, IReadOnlyList<(NodeId Id, byte[] Hash)> nodes)
        {
            _leaf.Transaction = transaction;
            object[] values =
            [
                sequence, leafHash, entryBytes, record.RecordedAt.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture),
                (int)LogEntry.EntryOneofCase.Disclosure, record.MessageId, record.Sender.Oin, record.Recipient.Oin, (int)record.LegalBasis,
                (int)record.Purpose, (int)record.Decision, (int)record.Category, (int)record.MessageType, record.SubjectPseudonym,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                _leafValues[i].Value = values[i];
            }

            _leaf.ExecuteNonQuery();
            _node.Transaction = transaction;
            foreach (var (id, hash) in nodes)
            {
                _nodeValues[0].Value = id.Level;
                _nodeValues[1].Value = id.Index;
                _nodeValues[2].Value = hash;
                _node.ExecuteNonQuery();
            }
        }

        public void Dispose()
        {
            _leaf.Dispose();
            _node.Dispose();
        }
    }
}
