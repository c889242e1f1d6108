// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Cases;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Verification;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Pki;
using ExchangeHub.Core.Storage;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// Retention through the real registrations (messaging, and payload encryption with a Data Protection key ring),
/// a real SQLite database and the shipped policy, on a clock the test moves forward: when a recipient's retention
/// period from the policy ends, the retention sweeper destroys that delivery's payload, the inbox shows the message
/// as EXPIRED instead of failing, a redaction entry is logged, and the log still verifies.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private const string Origin = "hub.retention-test.example/disclosure-log";

    private readonly string _root = Directory.CreateTempSubdirectory("eh-retention-").FullName;
    private readonly ShiftedClock _clock = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var pki = new DevPkiLayout(Path.Combine(_root, "pki"));
        Directory.CreateDirectory(pki.Directory);
        DevPkiGenerator.EnsureDataProtectionCertificate(pki);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", ContentRootPath = _root });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ExchangeHub:Storage:DataDirectory"] = Path.Combine(_root, "data"),
            ["ExchangeHub:Policy:Path"] = RepositoryPaths.DefaultPolicy,
            ["ExchangeHub:Policy:ReloadInterval"] = "00:00:00",
            ["ExchangeHub:Ledger:Origin"] = Origin,
            ["ExchangeHub:Ledger:SigningKeyPath"] = Path.Combine(_root, "data", "keys", "log-signing.key"),
            ["ExchangeHub:Ledger:PseudonymKeyPath"] = Path.Combine(_root, "data", "keys", "subject-pseudonym.key"),
            ["ExchangeHub:Ledger:CreateMissingKeys"] = "true",
            ["ExchangeHub:DataProtection:CertificatePath"] = pki.DataProtectionCertificate,
            ["ExchangeHub:DataProtection:KeyPath"] = pki.DataProtectionKey,
            ["ExchangeHub:Partners:0:Oin"] = "00000001800000001000",
            ["ExchangeHub:Partners:0:Name"] = "Dienst Justitiële Inrichtingen",
            ["ExchangeHub:Partners:0:Roles:0"] = "PrisonService",
            ["ExchangeHub:Partners:1:Oin"] = "00000001800000005000",
            ["ExchangeHub:Partners:1:Name"] = "Gemeente Rotterdam",
            ["ExchangeHub:Partners:1:Roles:0"] = "Municipality",
            ["ExchangeHub:Partners:1:MunicipalityCode"] = "GM0599",
            ["ExchangeHub:Partners:2:Oin"] = "00000001800000002000",
            ["ExchangeHub:Partners:2:Name"] = "Openbaar Ministerie IDV",
            ["ExchangeHub:Partners:2:Roles:0"] = "Prosecution",
            ["ExchangeHub:Partners:2:Roles:1"] = "DetentionInformationPoint",
        });
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddMessaging().AddCaseQueries();
        builder.Services.AddPayloadProtection();
        _host = builder.Build();

        // What the hub does before it takes requests (the hosted services are not started here).
        await Service<SqliteHubDatabase>().EnsureCreatedAsync();
        await Service<LedgerWriter>().StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_host is IAsyncDisposable host)
        {
            await host.DisposeAsync();
        }
        else
        {
            _host?.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Sweep_EachRecipientsRetentionEnded_PayloadDestroyedInboxSaysExpiredRedactionLoggedLogVerifies()
    {
        var registry = Service<IPartnerRegistry>();
        var mayor = Partner(registry, "00000001800000005000");
        var idv = Partner(registry, "00000001800000002000");
        var receipt = await SubmitNoticeAsync(registry);
        var toMayor = receipt.Deliveries.Single(d => d.Recipient.Oin == mayor.Oin.Value);
        var toIdv = receipt.Deliveries.Single(d => d.Recipient.Oin == idv.Oin.Value);
        Assert.Equal(("eod-notice-to-mayor", "eod-notice-to-idv"), (toMayor.RuleId, toIdv.RuleId)); // retention 730 and 1825 days
        var inbox = Service<Inbox>();
        var sweeper = Service<RetentionSweeper>();

        var fresh = await TakeAsync(inbox, mayor, receipt.MessageId);
        Assert.Equal((InboxMessageState.Available, "PI-VUGHT"), (fresh.State, fresh.EndOfDetentionNotice.Institution.Code));
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));

        var mayorsCopy = await StoredPayloadAsync("deliveries", "delivery_id", toMayor.DeliveryId);
        var idvsCopy = await StoredPayloadAsync("deliveries", "delivery_id", toIdv.DeliveryId);
        var submitted = await StoredPayloadAsync("messages", "message_id", receipt.MessageId);

        // Day 731: the mayor's copy is past its 730 days, the IDV's and the submitted original are not.
        _clock.Advance(TimeSpan.FromDays(731));
        Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));
        AssertNowhereOnDisk(mayorsCopy);

        var expired = await TakeAsync(inbox, mayor, receipt.MessageId);
        Assert.Equal((toMayor.DeliveryId, InboxMessageState.Expired, InboxMessage.PayloadOneofCase.None), (expired.DeliveryId, expired.State, expired.PayloadCase));
        Assert.Equal((fresh.Cursor, fresh.LogSequence, 2u), (expired.Cursor, expired.LogSequence, expired.Attempt));
        Assert.Equal(InboxMessageState.Available, (await TakeAsync(inbox, idv, receipt.MessageId)).State);
        Assert.Equal((true, false), await PayloadDestroyedAsync("deliveries", "delivery_id", toMayor.DeliveryId));
        Assert.Equal((false, true), await PayloadDestroyedAsync("deliveries", "delivery_id", toIdv.DeliveryId));
        Assert.Equal((false, true), await PayloadDestroyedAsync("messages", "message_id", receipt.MessageId));
        await AssertRedactedAsync(receipt.MessageId, [("eod-notice-to-mayor", toMayor.DeliveryId)]);
        await AssertLogVerifiesAsync();

        // Day 1826: the IDV's copy and the submitted original go too.
        _clock.Advance(TimeSpan.FromDays(1095));
        Assert.Equal(2, await sweeper.SweepAsync(CancellationToken.None));
        AssertNowhereOnDisk(idvsCopy);
        AssertNowhereOnDisk(submitted);

        Assert.Equal(InboxMessageState.Expired, (await TakeAsync(inbox, idv, receipt.MessageId)).State);
        Assert.Equal((true, false), await PayloadDestroyedAsync("deliveries", "delivery_id", toIdv.DeliveryId));
        Assert.Equal((true, false), await PayloadDestroyedAsync("messages", "message_id", receipt.MessageId));
        await AssertRedactedAsync(receipt.MessageId, [("eod-notice-to-mayor", toMayor.DeliveryId), ("eod-notice-to-idv", toIdv.DeliveryId), (string.Empty, "message")]);
        await AssertLogVerifiesAsync();
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task QueryCase_SubmittedPayloadDestroyed_TheNoticeLeavesTheCase_NothingPiecedTogether()
    {
        var registry = Service<IPartnerRegistry>();
        var receipt = await SubmitNoticeAsync(registry);
        var queries = Service<CaseQueryHandler>();
        var query = new CaseQuery
        {
            Caller = Partner(registry, "00000001800000005000"),
            Subject = new SubjectReference { Bsn = ValidRequests.Bsn },
            Grounds = new ProcessingGrounds { Purpose = Purpose.PersonCentredApproach, LegalBasis = LegalBasis.WgpaRadicalisation },
        };

        var fresh = await queries.QueryAsync(query, CancellationToken.None);

        // Day 731: the mayor's delivered copy is gone, the payload as submitted is kept (the IDV's 1825 days): the
        // case is drawn from the latter.
        _clock.Advance(TimeSpan.FromDays(731));
        Assert.Equal(1, await Service<RetentionSweeper>().SweepAsync(CancellationToken.None));
        var afterTheMayorsCopy = await queries.QueryAsync(query, CancellationToken.None);

        // Day 1826: the payload as submitted is destroyed too; the hub holds nothing to show, and says so as it would
        // for a subject it never heard of.
        _clock.Advance(TimeSpan.FromDays(1095));
        Assert.Equal(2, await Service<RetentionSweeper>().SweepAsync(CancellationToken.None));
        var afterAll = await queries.QueryAsync(query, CancellationToken.None);

        Assert.Equal(receipt.MessageId, Assert.Single(fresh.View!.Notices).OriginalMessageId);
        Assert.Equal(receipt.MessageId, Assert.Single(afterTheMayorsCopy.View!.Notices).OriginalMessageId);
        Assert.Null(afterAll.View);
        Assert.Equal("EH3013", afterAll.Denial!.ErrorId);
        var logged = LogEntryCodec.Decode((await Service<SqliteLedgerStore>().ReadLeavesAsync((long)afterAll.LogSequence, (long)afterAll.LogSequence + 1, CancellationToken.None))[0]).Disclosure;
        Assert.Equal((MessageType.CaseQuery, DisclosureDecision.Denied, afterAll.QueryId), (logged.MessageType, logged.Decision, logged.MessageId));
    }

    private T Service<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    private static Partner Partner(IPartnerRegistry registry, string oin) =>
        registry.Find(Oin.Parse(oin), out var partner) == PartnerLookup.Found && partner is not null ? partner : throw new InvalidOperationException($"{oin} is not registered");

    /// <summary>Submits an end-of-detention notice from DJI as the notice service does: routed, then submitted.</summary>
    private async Task<SubmissionReceipt> SubmitNoticeAsync(IPartnerRegistry registry)
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.ExpectedReleaseTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(_clock.GetUtcNow().AddDays(30));
        request.Notice.DetentionInformationPointCaseNumber = "IDV-2026-0042";
        var (recipients, unresolved) = Service<MessageRouter>().ForNotice(request.Notice, []);
        var receipt = await Service<MessageSubmitter>().SubmitAsync(
            new OutgoingMessage
            {
                Sender = Partner(registry, "00000001800000001000"),
                Operation = "SubmitEndOfDetentionNotice",
                IdempotencyKey = request.Context.IdempotencyKey,
                RequestSha256 = System.Security.Cryptography.SHA256.HashData(request.ToByteArray()),
                Grounds = request.Grounds,
                MessageType = MessageType.EndOfDetentionNotice,
                Category = DataCategory.EndOfDetentionNotice,
                Payload = request.Notice,
                Subject = request.Notice.Subject,
                SubjectMunicipalities = ["GM0599"],
                Recipients = recipients,
                UnresolvedMandatoryRecipients = unresolved,
                ReleaseAt = request.Notice.ExpectedReleaseTime.ToDateTimeOffset(),
            },
            CancellationToken.None);
        Assert.All(receipt.Deliveries, d => Assert.Equal(DisclosureDecision.Allowed, d.Decision));
        Assert.Equal(2, receipt.Deliveries.Count);
        return receipt;
    }

    /// <summary>Takes the message from the recipient's inbox; the clock moves past the visibility timeout first.</summary>
    private async Task<InboxMessage> TakeAsync(Inbox inbox, Partner recipient, string messageId)
    {
        _clock.Advance(TimeSpan.FromMinutes(10));
        var page = await inbox.TakeAsync(recipient, 0, Inbox.MaxPageSize, [], CancellationToken.None);
        return Assert.Single(page, m => m.MessageId == messageId);
    }

    /// <summary>Whether the row's payload is destroyed (wrapped key and ciphertext gone, time recorded), and whether it still has both.</summary>
    private async Task<(bool Destroyed, bool Intact)> PayloadDestroyedAsync(string table, string key, string id)
    {
        await using var connection = await Service<SqliteHubDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT payload_key IS NULL AND payload IS NULL AND destroyed_at IS NOT NULL, payload_key IS NOT NULL AND payload IS NOT NULL AND destroyed_at IS NULL FROM {table} WHERE {key} = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no {table} row {id}");
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }

    /// <summary>The wrapped data key and the ciphertext stored for a delivery or message.</summary>
    private async Task<(byte[] WrappedKey, byte[] Ciphertext)> StoredPayloadAsync(string table, string key, string id)
    {
        await using var connection = await Service<SqliteHubDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT payload_key, payload FROM {table} WHERE {key} = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no {table} row {id}");
        return ((byte[])reader[0], (byte[])reader[1]);
    }

    /// <summary>
    /// Crypto-shredding holds only if the wrapped key is gone from the disk, not merely from the row: the key ring
    /// that unwraps it stays. So neither it nor the ciphertext may be left in any file of the data directory (the
    /// database, its write-ahead log, the key ring).
    /// </summary>
    private void AssertNowhereOnDisk((byte[] WrappedKey, byte[] Ciphertext) payload)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_root, "data"), "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.True(bytes.AsSpan().IndexOf(payload.WrappedKey) < 0, $"the destroyed wrapped key is still in {file}");
            Assert.True(bytes.AsSpan().IndexOf(payload.Ciphertext) < 0, $"the destroyed ciphertext is still in {file}");
        }
    }

    /// <summary>The redactions logged for the message: (rule, delivery id or "message") each.</summary>
    private async Task AssertRedactedAsync(string messageId, (string Rule, string What)[] expected)
    {
        var size = Service<IDisclosureLog>().Committed.Size;
        var redactions = (await Service<SqliteLedgerStore>().ReadLeavesAsync(0, size, CancellationToken.None))
            .Select(leaf => LogEntryCodec.Decode(leaf))
            .Where(e => e.EntryCase == LogEntry.EntryOneofCase.Redaction && e.Redaction.MessageId == messageId)
            .Select(e => (e.Redaction.RuleId, e.Redaction.Reason))
            .ToList();
        Assert.Equal(expected.Length, redactions.Count);
        foreach (var (rule, what) in expected)
        {
            Assert.Contains(redactions, r => r.RuleId == rule && (what == "message"
                ? r.Reason.Contains("the submitted payload was destroyed", StringComparison.Ordinal)
                : r.Reason.Contains($"delivery {what}", StringComparison.Ordinal)));
        }
    }

    /// <summary>Signs a checkpoint of everything logged and verifies the log independently with the log's verifier key.</summary>
    private async Task AssertLogVerifiesAsync()
    {
        var checkpoint = await Service<CheckpointPublisher>().PublishAsync(CancellationToken.None);
        var verifier = new LogVerifier(Service<LedgerKeys>().VerifierKey, Origin);

        var report = await verifier.VerifyAsync(new SqliteLogSource(Service<SqliteHubDatabase>().DatabasePath), null, null, null, CancellationToken.None);

        Assert.True(report.IsOk, string.Join(Environment.NewLine, report.Findings));
        Assert.Equal((checkpoint.TreeSize, checkpoint.TreeSize), (report.LeavesRead, report.Checkpoint!.Size));
        Assert.Equal(Service<IDisclosureLog>().Committed.Size, checkpoint.TreeSize);
    }

    /// <summary>The system clock moved forward by the test: years of retention pass in a moment.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private long _offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
    }
}
