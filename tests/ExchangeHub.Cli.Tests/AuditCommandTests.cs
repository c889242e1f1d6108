// This file is part of ExchangeHub.

using ExchangeHub.Cli.Commands;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Notes;
using ExchangeHub.Core.Ledger.Verification;
using ExchangeHub.Core.Subjects;
using ExchangeHub.Tests.Support.Hub;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;

namespace ExchangeHub.Cli.Tests;

/// <summary><c>hubctl audit</c> against a real hub over mutual TLS, as a privacy officer would run it.</summary>
public sealed class AuditCommandTests(HubTestServer hub) : IClassFixture<HubTestServer>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eh-audit-cli-").FullName;

    [Fact]
    public async Task Verify_RemoteHubTwice_OkThenConsistentWithWhatWasVerified()
    {
        await AppendAsync(7);
        var log = LogSettings();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);

        var (first, firstText) = await RunAsync(output => AuditCommand.VerifyAsync(new RemoteLogSource(audit), log, output, TextWriter.Null, CancellationToken.None));
        await AppendAsync(4);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var (second, secondText) = await RunAsync(output => AuditCommand.VerifyAsync(new RemoteLogSource(audit), log, output, TextWriter.Null, CancellationToken.None));

        Assert.Equal(0, first);
        Assert.Contains("first verification", firstText, StringComparison.Ordinal);
        Assert.Equal(0, second);
        Assert.Matches(@"^OK: \d+ leaves verified; checkpoint hub\.test\.example/disclosure-log size \d+ root [0-9a-f]{64}; consistent with size \d+ verified before", secondText);
        Assert.True(File.Exists(VerifiedState.LeafHashesFile(log.StateDirectory)));
    }

    [Fact]
    public async Task Verify_TamperedDatabaseCopy_FailsNamingTheFirstChangedPosition()
    {
        await AppendAsync(5);
        var copy = Path.Combine(_directory, "copy.db");
        await SnapshotAsync(copy);
        var victim = await ScalarAsync(copy, "SELECT MAX(seq) FROM log_leaves WHERE seq IN (SELECT tree_size - 1 FROM log_checkpoints)");
        await ExecuteAsync(copy, $"DROP TRIGGER log_leaves_no_update; UPDATE log_leaves SET entry = CAST(entry || x'00' AS BLOB) WHERE seq = {victim}");

        var (exitCode, text) = await RunAsync(output => AuditCommand.VerifyAsync(new SqliteLogSource(copy), LogSettings(), output, TextWriter.Null, CancellationToken.None));

        Assert.Equal(AuditCommand.Failed, exitCode);
        Assert.StartsWith($"FAILED: the log was changed; first position {victim}: EntryHashMismatch", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prove_RecordsInTheCheckpoint_Proven()
    {
        await AppendAsync(3);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        var size = (ulong)hub.Service<LedgerKeys>().Open((await audit.GetCheckpointAsync(new GetCheckpointRequest())).SignedNote).Size;

        var (exitCode, text) = await RunAsync(output => AuditCommand.ProveAsync(audit, LogSettings(), [0, size - 1], output, CancellationToken.None));

        Assert.Equal(0, exitCode);
        Assert.Contains("(signature OK)", text, StringComparison.Ordinal);
        Assert.Matches(@"\n0 +PROVEN ", text);
        Assert.Matches($@"\n{size - 1} +PROVEN ", text);
    }

    [Fact]
    public async Task Subject_Csv_OneRowPerRecordAboutThePerson()
    {
        var pseudonym = hub.Service<LedgerKeys>().Pseudonymizer.Pseudonymize(Bsn.Parse("999999990"));
        await hub.Service<IDisclosureLog>().AppendAsync((log, _) => Task.FromResult(log.Append(new LogEntry
        {
            Disclosure = new DisclosureRecord
            {
                RecordedAt = Timestamp.FromDateTimeOffset(log.Now),
                Sender = new PartnerId { Oin = TestPki.DjiOin },
                Recipient = new PartnerId { Oin = TestPki.RotterdamOin },
                MessageType = MessageType.EndOfDetentionNotice,
                MessageId = "subject-test",
                Purpose = Purpose.ReleasePreparation,
                LegalBasis = LegalBasis.AvgArt61E,
                Decision = DisclosureDecision.Allowed,
                RuleId = "eod-notice-to-mayor",
                DisclosedFields = { "subject", "expected_release_time" },
                SubjectPseudonym = pseudonym,
            },
        })));
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);

        var (exitCode, text) = await RunAsync(async output => (await AuditCommand.SubjectAsync(new AuditService.AuditServiceClient(channel), "999999990", "csv", output, CancellationToken.None)).ExitCode);

        Assert.Equal(0, exitCode);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sequence,recorded_at,sender,recipient", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains($",{TestPki.DjiOin},{TestPki.RotterdamOin},EndOfDetentionNotice,", StringComparison.Ordinal) && l.EndsWith(",eod-notice-to-mayor,subject|expected_release_time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Witness_ConsistentGrowth_CosignsEachTime_RollbackRaisesTheAlarm()
    {
        var log = LogSettings();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        await AppendAsync(2);
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        var (first, firstText) = await RunAsync(output => AuditCommand.WitnessAsync(audit, log, hub.Witness, output, TimeProvider.System, CancellationToken.None));
        await AppendAsync(2);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var (second, _) = await RunAsync(output => AuditCommand.WitnessAsync(audit, log, hub.Witness, output, TimeProvider.System, CancellationToken.None));

        // The witness remembers a larger checkpoint than the hub now serves (as if the hub rolled back).
        var keys = hub.Service<LedgerKeys>();
        var larger = Checkpoint.SignCheckpoint(new Checkpoint(keys.Origin, 1_000_000, new byte[32]), keys.Signer);
        await File.WriteAllTextAsync(Path.Combine(log.StateDirectory, "witnessed-checkpoint"), larger);
        var (third, thirdText) = await RunAsync(output => AuditCommand.WitnessAsync(audit, log, hub.Witness, output, TimeProvider.System, CancellationToken.None));

        Assert.Equal(0, first);
        Assert.Matches(@"^COSIGNED: hub\.test\.example/disclosure-log size \d+ root [0-9a-f]{64} as witness\.test\.example/fg", firstText);
        Assert.Equal(0, second);
        Assert.Equal(AuditCommand.Failed, third);
        Assert.StartsWith("ALARM: the hub serves a checkpoint of size", thirdText, StringComparison.Ordinal);
        Assert.Contains("(rollback)", thirdText, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private LogKeySettings LogSettings()
    {
        var keys = hub.Service<LedgerKeys>();
        return new LogKeySettings(keys.VerifierKey, keys.Origin, Path.Combine(_directory, "state"));
    }

    private async Task AppendAsync(int count)
    {
        var log = hub.Service<IDisclosureLog>();
        for (var i = 0; i < count; i++)
        {
            await log.AppendAsync((context, _) => Task.FromResult(context.Append(new LogEntry
            {
                Redaction = new RedactionRecord { RecordedAt = Timestamp.FromDateTimeOffset(context.Now), MessageId = $"cli-{Guid.NewGuid():N}", RuleId = "test", Reason = "test entry" },
            })));
        }

        // A checkpoint covering them, so that the tests can prove and verify them.
        await hub.Service<CheckpointPublisher>().PublishAsync(CancellationToken.None);
    }

    private async Task SnapshotAsync(string path)
    {
        await using var connection = await hub.Service<ExchangeHub.Core.Storage.SqliteHubDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $path";
        command.Parameters.AddWithValue("$path", path);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(Func<TextWriter, Task<int>> run)
    {
        using var output = new StringWriter();
        var exitCode = await run(output);
        return (exitCode, output.ToString());
    }
}
