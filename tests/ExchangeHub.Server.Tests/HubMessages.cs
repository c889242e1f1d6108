// This file is part of ExchangeHub.

using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Tests.Support.Hub;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// Requests and inbox look-ups the message-flow tests share. The hub is shared by every test of the collection,
/// so each request gets a fresh idempotency key and inboxes are searched by message id.
/// </summary>
internal static class HubMessages
{
    /// <summary>The grounds of a privacy officer's audit.</summary>
    public static ProcessingGrounds PrivacyAudit => new() { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C };

    /// <summary>The grounds under which a prison service signals the municipality's case consultation.</summary>
    public static ProcessingGrounds CaseConsultationGrounds => new() { Purpose = Purpose.PersonCentredApproach, LegalBasis = LegalBasis.WgpaRadicalisation };

    /// <summary>An end-of-detention notice (DJI's grounds for the mayor and the IDV) with hand-over remarks and an IDV case number.</summary>
    public static SubmitEndOfDetentionNoticeRequest Notice(DateTimeOffset release, string residence = "GM0599")
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.ExpectedReleaseTime = Timestamp.FromDateTimeOffset(release);
        request.Notice.MunicipalityOfResidence = new MunicipalityCode { Code = residence };
        request.Notice.HandoverRemarks = "Bring to the local approach team; housing arranged.";
        request.Notice.DetentionInformationPointCaseNumber = "IDV-2026-0042";
        return request;
    }

    /// <summary>A signal about a subject of <paramref name="municipality"/>, which routes it to that municipality.</summary>
    public static SubmitSignalRequest Signal(string municipality, ProcessingGrounds grounds, string description, string? caseConsultationId = null) => new()
    {
        Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
        Grounds = { grounds },
        Signal = new Signal
        {
            Subject = new SubjectReference { Bsn = ValidRequests.Bsn },
            SignalType = SignalType.Radicalisation,
            ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1)),
            Description = description,
            CaseConsultationId = caseConsultationId ?? string.Empty,
            Municipality = new MunicipalityCode { Code = municipality },
        },
    };

    /// <summary>DJI signals Amsterdam (GM0363), whose inbox only the inbox tests use; returns the receipt.</summary>
    public static async Task<SubmissionReceipt> SignalAmsterdamAsync(HubTestServer hub, string description)
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var receipt = (await new SignalService.SignalServiceClient(dji).SubmitSignalAsync(Signal("GM0363", CaseConsultationGrounds, description))).Receipt;
        var delivery = Assert.Single(receipt.Deliveries);
        Assert.Equal((TestPki.AmsterdamOin, DisclosureDecision.Allowed), (delivery.Recipient.Oin, delivery.Decision));
        return receipt;
    }

    /// <summary>Pulls <paramref name="recipient"/>'s inbox page by page from the start until the message turns up.</summary>
    public static async Task<InboxMessage> FindAsync(HubTestServer hub, X509Certificate2 recipient, string messageId) =>
        await FindOrNullAsync(hub, recipient, messageId) ?? throw new InvalidOperationException($"message {messageId} is not in the inbox");

    /// <summary>As <see cref="FindAsync"/>, or null when the whole inbox was read without it.</summary>
    public static async Task<InboxMessage?> FindOrNullAsync(HubTestServer hub, X509Certificate2 recipient, string messageId)
    {
        using var channel = hub.CreateChannel(recipient);
        return (await PullAllAsync(new InboxService.InboxServiceClient(channel))).FirstOrDefault(m => m.MessageId == messageId);
    }

    /// <summary>Everything the inbox hands out now, from the start, page by page until an empty page.</summary>
    public static async Task<List<InboxMessage>> PullAllAsync(InboxService.InboxServiceClient inbox)
    {
        var all = new List<InboxMessage>();
        var cursor = string.Empty;
        while (true)
        {
            var page = await inbox.PullInboxAsync(new PullInboxRequest { Cursor = cursor, PageSize = 500 });
            if (page.Messages.Count == 0)
            {
                return all;
            }

            all.AddRange(page.Messages);
            cursor = page.NextCursor;
        }
    }

    /// <summary>
    /// Each recipient acknowledges what the receipts delivered to it, so that no missed-notice alarm about a test's
    /// messages goes off (and is logged as an alarm message) while later tests of the shared hub run.
    /// </summary>
    public static async Task AcknowledgeAsync(HubTestServer hub, params SubmissionReceipt[] receipts)
    {
        var certificates = new Dictionary<string, X509Certificate2>
        {
            [TestPki.RotterdamOin] = hub.Pki.Rotterdam,
            [TestPki.UtrechtOin] = hub.Pki.Utrecht,
            [TestPki.IdvOin] = hub.Pki.Idv,
            [TestPki.AivdOin] = hub.Pki.Aivd,
            [TestPki.AmsterdamOin] = hub.Pki.Amsterdam,
        };
        foreach (var delivery in receipts.SelectMany(r => r.Deliveries).Where(d => d.Decision == DisclosureDecision.Allowed))
        {
            using var channel = hub.CreateChannel(certificates[delivery.Recipient.Oin]);
            await new InboxService.InboxServiceClient(channel).AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = delivery.DeliveryId, Outcome = AcknowledgementOutcome.Processed });
        }
    }

    /// <summary>The log entry at <paramref name="sequence"/>, as a privacy officer reads it once a checkpoint covers it.</summary>
    public static async Task<LogEntry> LeafAsync(HubTestServer hub, ulong sequence)
    {
        using var officer = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(officer);
        var keys = hub.Service<LedgerKeys>();
        for (var attempt = 0; keys.Open((await audit.GetCheckpointAsync(new GetCheckpointRequest())).SignedNote).Size <= (long)sequence; attempt++)
        {
            Assert.True(attempt < 100, $"no signed checkpoint covers leaf {sequence} after 20 s");
            await Task.Delay(200);
        }

        var leaves = await audit.GetLeavesAsync(new GetLeavesRequest { Grounds = PrivacyAudit, Start = sequence, End = sequence + 1 });
        return LogEntryCodec.Decode(Assert.Single(leaves.Leaves).Span);
    }

    /// <summary>Every log entry committed since the log had <paramref name="size"/> leaves.</summary>
    public static async Task<List<LogEntry>> LoggedSinceAsync(HubTestServer hub, long size) =>
        [.. (await hub.Service<Core.Ledger.SqliteLedgerStore>().ReadLeavesAsync(size, hub.Service<Core.Ledger.IDisclosureLog>().Committed.Size, CancellationToken.None)).Select(leaf => Core.Ledger.LogEntryCodec.Decode(leaf))];

    /// <summary>The google.rpc.ErrorInfo a refusal carries.</summary>
    public static Google.Rpc.ErrorInfo ErrorInfo(RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>() ?? throw new InvalidOperationException($"no ErrorInfo in {exception.Status}");
}
