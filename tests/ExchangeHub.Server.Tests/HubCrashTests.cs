// This file is part of ExchangeHub.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Verification;
using ExchangeHub.Core.Pki;
using ExchangeHub.Core.Storage;
using ExchangeHub.Tests.Support.Hub;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ExchangeHub.Server.Tests;

/// <summary>Tests that run a hub process of their own under load: alone, so the shared hub's timings stay unhurried.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HubProcessDefinition
{
    public const string Name = "Hub process";
}

/// <summary>
/// The hub runs as its own process while DJI submits notices (to Rotterdam or Utrecht, and the IDV) and Rotterdam
/// submits signals (to Utrecht), from several concurrent callers. It is killed with SIGKILL in the middle of that,
/// three times, and restarted on the same data; after each restart the callers retry, with the same idempotency
/// key, every submit that got no answer. In the end every submit that got a receipt is in each allowed recipient's
/// inbox exactly once (by message id, with the receipt's delivery id and the submitted content), the database holds
/// no message without a receipt, every decision is in the log at the sequence its receipt names, and the log
/// verifies with the hub's verifier key.
/// </summary>
[Collection(HubProcessDefinition.Name)]
public sealed class HubCrashTests(ITestOutputHelper output)
{
    private const string Origin = "hub.crash-test.example/disclosure-log";
    private const int Callers = 6;

    // Receipts to wait for before each kill: different, so the kills land at different log sizes.
    private static readonly int[] KillAfterReceipts = [60, 150, 100];

    // Generous for a loaded 2-core machine, but bounded, so that a hang fails the test instead of the CI job.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LoadWindow = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private enum Kind
    {
        NoticeForRotterdam,
        NoticeForUtrecht,
        SignalForUtrecht,
    }

    [Fact]
    public async Task HubKilledUnderLoad_EverySubmitWithReceiptDeliveredOncePerRecipient_LogVerifies()
    {
        var root = Directory.CreateTempSubdirectory("eh-hub-crash-").FullName;
        var pki = new TestPki(Path.Combine(root, "pki"));
        var dataDirectory = Path.Combine(root, "data");
        var load = new Load();
        HubProcess? hub = null;
        try
        {
            var settings = Settings(pki, dataDirectory);
            for (var round = 0; round <= KillAfterReceipts.Length; round++)
            {
                var watch = Stopwatch.StartNew();
                var started = DateTimeOffset.UtcNow;
                hub = await HubProcess.StartAsync(settings, pki, pki.Dji, StartTimeout);
                using var dji = hub.CreateChannel(pki.Dji);
                using var rotterdam = hub.CreateChannel(pki.Rotterdam);
                var (retried, committedBeforeKill) = await RetryUnansweredAsync(load, dji, rotterdam, hub, started);
                output.WriteLine($"start {round}: {retried} unanswered submits retried, {committedBeforeKill} of them had been committed before the kill");
                await RetryAnsweredAsync(load, dji, rotterdam);
                if (round == KillAfterReceipts.Length)
                {
                    break;
                }

                var (receipts, inFlight) = await RunUntilKilledAsync(load, dji, rotterdam, hub, KillAfterReceipts[round]);
                output.WriteLine($"round {round}: {receipts} receipts, then killed with {inFlight} submits unanswered; {watch.Elapsed.TotalSeconds:0.0} s");
                await hub.DisposeAsync();
                hub = null;
            }

            // The last start: every recipient pulls its inbox until empty, acknowledging each message.
            using (var channel = hub!.CreateChannel(pki.Dji))
            {
                await CheckInboxesAsync(load, hub, pki);

                // A checkpoint of the whole log, signed on demand by the hub.
                var note = (await new AuditService.AuditServiceClient(channel).GetCheckpointAsync(new GetCheckpointRequest(), deadline: Deadline())).SignedNote;
                await hub.KillAsync();
                await CheckStorageAndLogAsync(load, dataDirectory, note);
            }
        }
        finally
        {
            if (hub is not null)
            {
                await hub.DisposeAsync();
            }

            pki.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static Dictionary<string, string> Settings(TestPki pki, string dataDirectory)
    {
        var dataProtection = new DevPkiLayout(pki.Directory);
        DevPkiGenerator.EnsureDataProtectionCertificate(dataProtection);
        return new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:FormatterName"] = "simple",
            ["ExchangeHub:Server:Address"] = "127.0.0.1",
            ["ExchangeHub:Storage:DataDirectory"] = dataDirectory,
            ["ExchangeHub:Policy:Path"] = RepositoryPaths.DefaultPolicy,
            ["ExchangeHub:Ledger:Origin"] = Origin,
            ["ExchangeHub:Ledger:CreateMissingKeys"] = "true",
            ["ExchangeHub:Tls:ServerCertificate:CertificatePath"] = pki.ServerCertificatePath,
            ["ExchangeHub:Tls:ServerCertificate:KeyPath"] = pki.ServerKeyPath,
            ["ExchangeHub:Tls:ClientCertificates:TrustedCaCertificatePaths:0"] = pki.CaCertificatePath,
            ["ExchangeHub:Tls:ClientCertificates:RevocationListPaths:0"] = pki.RevocationListPath,
            ["ExchangeHub:DataProtection:CertificatePath"] = dataProtection.DataProtectionCertificate,
            ["ExchangeHub:DataProtection:KeyPath"] = dataProtection.DataProtectionKey,
            ["ExchangeHub:Partners:0:Oin"] = TestPki.DjiOin,
            ["ExchangeHub:Partners:0:Name"] = "DJI",
            ["ExchangeHub:Partners:0:Roles:0"] = "PrisonService",
            ["ExchangeHub:Partners:1:Oin"] = TestPki.RotterdamOin,
            ["ExchangeHub:Partners:1:Name"] = "Rotterdam",
            ["ExchangeHub:Partners:1:Roles:0"] = "Municipality",
            ["ExchangeHub:Partners:1:MunicipalityCode"] = "GM0599",
            ["ExchangeHub:Partners:2:Oin"] = TestPki.UtrechtOin,
            ["ExchangeHub:Partners:2:Name"] = "Utrecht",
            ["ExchangeHub:Partners:2:Roles:0"] = "Municipality",
            ["ExchangeHub:Partners:2:MunicipalityCode"] = "GM0344",
            ["ExchangeHub:Partners:3:Oin"] = TestPki.IdvOin,
            ["ExchangeHub:Partners:3:Name"] = "IDV",
            ["ExchangeHub:Partners:3:Roles:0"] = "Prosecution",
            ["ExchangeHub:Partners:3:Roles:1"] = "DetentionInformationPoint",
        };
    }

    /// <summary>Callers submit until the hub has answered <paramref name="target"/> more receipts (or the window passes); then the hub is killed.</summary>
    private static async Task<(int Receipts, int InFlight)> RunUntilKilledAsync(Load load, GrpcChannel dji, GrpcChannel rotterdam, HubProcess hub, int target)
    {
        var before = load.Receipts.Count;
        using var killing = new CancellationTokenSource();
        var callers = Enumerable.Range(0, Callers).Select(i => Task.Run(() => SubmitUntilKilledAsync(load, (Kind)(i % 3), dji, rotterdam, killing.Token))).ToList();
        var until = DateTime.UtcNow + LoadWindow;
        while (load.Receipts.Count - before < target && DateTime.UtcNow < until && !callers.All(c => c.IsCompleted))
        {
            await Task.Delay(20);
        }

        // Killed while the callers are still submitting: only then does the kill land in the middle of commits.
        Assert.True(load.Receipts.Count > before, $"no receipt within {LoadWindow.TotalSeconds} s: {string.Join("; ", load.Unexpected)}{Environment.NewLine}{hub.RecentOutput}");
        Assert.True(load.Unexpected.IsEmpty, $"submits failed while the hub ran: {string.Join("; ", load.Unexpected)}{Environment.NewLine}{hub.RecentOutput}");
        Assert.DoesNotContain(callers, c => c.IsCompleted);
        await killing.CancelAsync();
        await hub.KillAsync();
        await Task.WhenAll(callers).WaitAsync(CallTimeout + TimeSpan.FromSeconds(10));
        Assert.True(load.Unexpected.IsEmpty, string.Join("; ", load.Unexpected));
        return (load.Receipts.Count - before, load.Unanswered.Count);
    }

    private static async Task SubmitUntilKilledAsync(Load load, Kind kind, GrpcChannel dji, GrpcChannel rotterdam, CancellationToken killing)
    {
        while (!killing.IsCancellationRequested)
        {
            var submission = Submission.Create(kind);
            load.Unanswered[submission.Key] = submission;
            try
            {
                var receipt = await SubmitAsync(submission, dji, rotterdam);
                load.Receipts[submission.Key] = (submission, receipt);
                load.Answered.Enqueue(submission.Key);
                load.Unanswered.TryRemove(submission.Key, out _);
            }
            catch (RpcException ex)
            {
                // After the kill this is expected, and the submit stays unanswered, to be retried after the restart.
                if (!killing.IsCancellationRequested)
                {
                    load.Unexpected.Enqueue($"{kind} {submission.Key}: {ex.Status}");
                }

                return;
            }
        }
    }

    /// <summary>Retries every submit the killed hub did not answer, with its idempotency key: each gets a receipt now.</summary>
    private static async Task<(int Retried, int CommittedBeforeKill)> RetryUnansweredAsync(Load load, GrpcChannel dji, GrpcChannel rotterdam, HubProcess hub, DateTimeOffset started)
    {
        var unanswered = load.Unanswered.Values.ToList();
        var committedBeforeKill = 0;
        foreach (var submission in unanswered)
        {
            SubmissionReceipt receipt;
            try
            {
                receipt = await SubmitAsync(submission, dji, rotterdam);
            }
            catch (RpcException ex)
            {
                throw new InvalidOperationException($"the retry of {submission.Kind} {submission.Key} failed: {ex.Status}{Environment.NewLine}{hub.RecentOutput}", ex);
            }

            load.Receipts[submission.Key] = (submission, receipt);
            load.Unanswered.TryRemove(submission.Key, out _);
            committedBeforeKill += receipt.AcceptedAt.ToDateTimeOffset() < started ? 1 : 0;
        }

        return (unanswered.Count, committedBeforeKill);
    }

    /// <summary>
    /// Retrying the last submits answered before the kill gets the very same receipts: what was promised was durable,
    /// idempotency record included.
    /// </summary>
    private static async Task RetryAnsweredAsync(Load load, GrpcChannel dji, GrpcChannel rotterdam)
    {
        foreach (var key in load.Answered.Reverse().Take(5))
        {
            var (submission, receipt) = load.Receipts[key];
            Assert.Equal(receipt, await SubmitAsync(submission, dji, rotterdam));
        }
    }

    private static async Task<SubmissionReceipt> SubmitAsync(Submission submission, GrpcChannel dji, GrpcChannel rotterdam) => submission.Request switch
    {
        SubmitEndOfDetentionNoticeRequest notice => (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(notice, deadline: Deadline())).Receipt,
        SubmitSignalRequest signal => (await new SignalService.SignalServiceClient(rotterdam).SubmitSignalAsync(signal, deadline: Deadline())).Receipt,
        _ => throw new InvalidOperationException(submission.Request.GetType().Name),
    };

    /// <summary>Each recipient pulls its inbox until empty, acknowledging everything; then compares with the receipts.</summary>
    private async Task CheckInboxesAsync(Load load, HubProcess hub, TestPki pki)
    {
        Assert.Empty(load.Unanswered);
        var content = load.Receipts.Values.ToDictionary(r => r.Receipt.MessageId, r => r.Submission.Key);
        Assert.Equal(load.Receipts.Count, content.Count);
        foreach (var (oin, certificate) in new[] { (TestPki.RotterdamOin, pki.Rotterdam), (TestPki.UtrechtOin, pki.Utrecht), (TestPki.IdvOin, pki.Idv) })
        {
            var expected = load.Receipts.Values
                .SelectMany(r => r.Receipt.Deliveries.Where(d => d.Recipient.Oin == oin).Select(d => (r.Receipt.MessageId, d)))
                .ToDictionary(x => x.MessageId, x => x.d);
            Assert.All(expected.Values, d => Assert.Equal(DisclosureDecision.Allowed, d.Decision));

            using var channel = hub.CreateChannel(certificate);
            var inbox = new InboxService.InboxServiceClient(channel);
            var pulled = await DrainAsync(inbox);

            // Deduplicated by message id: one delivery per message, the one its receipt names, carrying what was submitted.
            var byMessage = pulled.GroupBy(m => m.MessageId).ToDictionary(g => g.Key, g => g.ToList());
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), byMessage.Keys.Order(StringComparer.Ordinal));
            foreach (var (messageId, copies) in byMessage)
            {
                Assert.All(copies, m => Assert.Equal(expected[messageId].DeliveryId, m.DeliveryId));
                Assert.Contains(content[messageId], Carried(copies[0]), StringComparison.Ordinal);
            }

            output.WriteLine($"{oin}: {byMessage.Count} messages, {pulled.Count} handed out");
        }
    }

    private static async Task<List<InboxMessage>> DrainAsync(InboxService.InboxServiceClient inbox)
    {
        var pulled = new List<InboxMessage>();
        var cursor = string.Empty;
        while (true)
        {
            var page = await inbox.PullInboxAsync(new PullInboxRequest { Cursor = cursor, PageSize = 500 }, deadline: Deadline());
            if (page.Messages.Count == 0)
            {
                break;
            }

            pulled.AddRange(page.Messages);
            await Parallel.ForEachAsync(page.Messages, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (message, cancellationToken) =>
                await inbox.AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = message.DeliveryId, Outcome = AcknowledgementOutcome.Processed }, deadline: Deadline(), cancellationToken: cancellationToken));
            cursor = page.NextCursor;
        }

        // Nothing left unfinished: from the start of the inbox, nothing comes any more.
        Assert.Empty((await inbox.PullInboxAsync(new PullInboxRequest { PageSize = 500 }, deadline: Deadline())).Messages);
        return pulled;
    }

    /// <summary>The text in which a delivered message carries its submission's idempotency key.</summary>
    private static string Carried(InboxMessage message) => message.PayloadCase switch
    {
        InboxMessage.PayloadOneofCase.EndOfDetentionNotice => message.EndOfDetentionNotice.HandoverRemarks + " " + message.EndOfDetentionNotice.DetentionInformationPointCaseNumber,
        InboxMessage.PayloadOneofCase.Signal => message.Signal.Description,
        _ => throw new InvalidOperationException($"unexpected {message.PayloadCase}"),
    };

    /// <summary>After the last kill, from the files alone: no message without a receipt, every decision logged where its receipt says, and the log verifies.</summary>
    private static async Task CheckStorageAndLogAsync(Load load, string dataDirectory, string checkpointNote)
    {
        SqliteConnection.ClearAllPools();
        var database = new SqliteHubDatabase(Options.Create(new StorageOptions { DataDirectory = dataDirectory }), TimeProvider.System);
        var receipts = load.Receipts.Values.Select(r => r.Receipt).ToList();
        var deliveries = receipts.SelectMany(r => r.Deliveries).ToList();
        Assert.Equal(receipts.Count, await ScalarAsync(database, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(deliveries.Count, await ScalarAsync(database, "SELECT COUNT(*) FROM deliveries"));
        Assert.Equal(deliveries.Count, await ScalarAsync(database, $"SELECT COUNT(*) FROM deliveries WHERE ack_outcome = {(int)AcknowledgementOutcome.Processed}"));

        var size = await ScalarAsync(database, "SELECT COUNT(*) FROM log_leaves");
        var entries = (await new SqliteLedgerStore(database).ReadLeavesAsync(0, size, CancellationToken.None)).Select(leaf => LogEntryCodec.Decode(leaf)).ToList();
        Assert.Equal(deliveries.Count, entries.Count(e => e.EntryCase == LogEntry.EntryOneofCase.Disclosure));
        foreach (var receipt in receipts)
        {
            foreach (var delivery in receipt.Deliveries)
            {
                var logged = entries[(int)delivery.LogSequence].Disclosure;
                Assert.Equal((receipt.MessageId, delivery.Recipient.Oin, delivery.DeliveryId, delivery.Decision), (logged.MessageId, logged.Recipient.Oin, logged.DeliveryId, logged.Decision));
            }
        }

        using var keys = new LedgerKeys(Options.Create(new LedgerOptions
        {
            Origin = Origin,
            SigningKeyPath = Path.Combine(dataDirectory, "keys", "log-signing.key"),
            PseudonymKeyPath = Path.Combine(dataDirectory, "keys", "subject-pseudonym.key"),
            CreateMissingKeys = false,
        }));
        var verifier = new LogVerifier(keys.VerifierKey, Origin);
        var checkpoint = verifier.Open(checkpointNote);
        var report = await verifier.VerifyAsync(new SqliteLogSource(database.DatabasePath), null, null, null, CancellationToken.None);
        Assert.True(report.IsOk, string.Join(Environment.NewLine, report.Findings));
        Assert.Equal((size, size, size), (report.LeavesRead, report.Checkpoint!.Size, checkpoint.Size));
    }

    private static async Task<long> ScalarAsync(SqliteHubDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static DateTime Deadline() => DateTime.UtcNow + CallTimeout;

    /// <summary>One submit: its idempotency key is in its content, so a delivered message shows which submit it came from.</summary>
    private sealed record Submission(string Key, Kind Kind, IMessage Request)
    {
        public static Submission Create(Kind kind)
        {
            var key = Guid.NewGuid().ToString("D");
            IMessage request;
            if (kind == Kind.SignalForUtrecht)
            {
                var signal = HubMessages.Signal("GM0344", HubMessages.CaseConsultationGrounds, $"Signal {key}: seen with a known recruiter.");
                signal.Context.IdempotencyKey = key;
                request = signal;
            }
            else
            {
                var notice = HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30), kind == Kind.NoticeForRotterdam ? "GM0599" : "GM0344");
                notice.Context.IdempotencyKey = key;
                notice.Notice.HandoverRemarks = $"Hand-over {key}.";
                notice.Notice.DetentionInformationPointCaseNumber = $"IDV-{key}";
                request = notice;
            }

            return new Submission(key, kind, request);
        }
    }

    private sealed class Load
    {
        public ConcurrentDictionary<string, Submission> Unanswered { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, (Submission Submission, SubmissionReceipt Receipt)> Receipts { get; } = new(StringComparer.Ordinal);

        /// <summary>The keys of the submits the callers got receipts for, in the order the receipts came.</summary>
        public ConcurrentQueue<string> Answered { get; } = new();

        public ConcurrentQueue<string> Unexpected { get; } = new();
    }
}
