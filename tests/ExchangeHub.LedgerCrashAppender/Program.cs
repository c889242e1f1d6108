// This file is part of ExchangeHub.

using System.Globalization;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Storage;
using ExchangeHub.Tests.Support;
using ExchangeHub.Tests.Support.Ledger;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Usage: ExchangeHub.LedgerCrashAppender <data-directory> <run-tag> [callers]
//
// Appends disclosure entries to the log in <data-directory> from <callers> concurrent callers (default 16) until
// it is killed. Each append also inserts the caller's own row (crash_messages) in the log's transaction, as the
// hub stores a message with its entry, so the test can check that both survive or neither does. Stdout carries
// "started <size>" once the writer runs, then "ack <sequence> <message-id> ok" for every append whose
// AppendAsync returned: a promise that the append is durable. Each line goes out in one write(2) of far less
// than PIPE_BUF bytes, so a kill can never leave half a line that parses; the trailing "ok" is a second guard.
if (args.Length is < 2 or > 3)
{
    await Console.Error.WriteLineAsync("usage: ExchangeHub.LedgerCrashAppender <data-directory> <run-tag> [callers]");
    return 64;
}

var dataDirectory = args[0];
var runTag = args[1];
var callers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;

var database = new SqliteHubDatabase(Options.Create(new StorageOptions { DataDirectory = dataDirectory }), TimeProvider.System);
await database.EnsureCreatedAsync();
await using (var connection = await database.OpenAsync())
{
    await using var command = connection.CreateCommand();
    command.CommandText = """
        CREATE TABLE IF NOT EXISTS crash_messages (
            message_id TEXT    NOT NULL PRIMARY KEY,
            seq        INTEGER NOT NULL UNIQUE
        ) STRICT;
        """;
    await command.ExecuteNonQueryAsync();
}

// The keys are created here on the first run, so that the test (which requires them to exist) can sign
// checkpoints of this log later, as a restarted hub would with its own keys.
using var keys = new LedgerKeys(Options.Create(new LedgerOptions
{
    Origin = "hub.crash-test.example/disclosure-log",
    SigningKeyPath = Path.Combine(dataDirectory, "log-signing.key"),
    PseudonymKeyPath = Path.Combine(dataDirectory, "pseudonym.key"),
    CreateMissingKeys = true,
}));

// Small batches, so that a run of a few seconds makes many group commits and a kill can land between, during or
// right after any of them.
using var meters = new TestMeterFactory();
var writer = new LedgerWriter(database, Options.Create(new LedgerOptions { MaxBatchSize = 64 }), TimeProvider.System, NullLogger<LedgerWriter>.Instance, meters);
await writer.StartAsync(CancellationToken.None);

var stdout = Console.OpenStandardOutput();
var stdoutGate = new Lock();
WriteLine($"started {writer.Committed.Size}");

var tasks = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
{
    for (var n = 0L; ; n++)
    {
        var messageId = $"{runTag}-c{caller:D2}-{n:D7}";
        var sequence = await writer.AppendAsync(async (log, cancellationToken) =>
        {
            var assigned = log.Append(SampleDisclosures.NoticeToMayor(messageId, log.Now, keys.Pseudonymizer.Pseudonymize(new SubjectReference { Pseudonym = $"crash-test-subject-{n % 977:D4}" })));
            await using var command = ((SqliteConnection)log.Connection).CreateCommand();
            command.Transaction = (SqliteTransaction)log.Transaction;
            command.CommandText = "INSERT INTO crash_messages (message_id, seq) VALUES ($id, $seq)";
            command.Parameters.AddWithValue("$id", messageId);
            command.Parameters.AddWithValue("$seq", (long)assigned);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return assigned;
        });
        WriteLine($"ack {sequence} {messageId} ok");
    }
})).ToList();

try
{
    await Task.WhenAny(tasks).Unwrap();
}
catch (Exception ex)
{
    // Only a failure gets here (the callers never finish otherwise): the test sees the early exit and this text.
    await Console.Error.WriteLineAsync($"appender failed: {ex}");
    return 70;
}

return 0;

void WriteLine(string line)
{
    var bytes = Encoding.ASCII.GetBytes(line + "\n");
    lock (stdoutGate)
    {
        stdout.Write(bytes);
        stdout.Flush();
    }
}

