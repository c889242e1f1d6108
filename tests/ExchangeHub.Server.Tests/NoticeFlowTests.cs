// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Tests.Support.Hub;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// End to end over mutual TLS: DJI submits an end-of-detention notice; the mayor of the municipality of
/// residence and the IDV each receive exactly what the policy lets them see; acknowledgements clear the alarm,
/// a missing one raises it; retries are idempotent.
/// </summary>
[Collection(SharedHubDefinition.Name)]
public sealed class NoticeFlowTests(HubTestServer hub)
{
    [Fact]
    public async Task SubmitNotice_MayorAndIdvReceiveTheirFieldsOnly_OtherMunicipalityNothing()
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var request = Notice(release: DateTimeOffset.UtcNow.AddDays(30));

        SubmitEndOfDetentionNoticeResponse response;
        try
        {
            response = await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(request);
        }
        catch (RpcException)
        {
            throw new InvalidOperationException(string.Join("\n", hub.Logs.Records.Where(r => r.Exception is not null).Select(r => r.Exception!.ToString())));
        }

        var receipt = response.Receipt;
        Assert.Equal(2, receipt.Deliveries.Count);
        var mayor = receipt.Deliveries.Single(d => d.Recipient.Oin == TestPki.RotterdamOin);
        var idv = receipt.Deliveries.Single(d => d.Recipient.Oin == TestPki.IdvOin);
        Assert.Equal((DisclosureDecision.Allowed, "eod-notice-to-mayor"), (mayor.Decision, mayor.RuleId));
        Assert.Equal((DisclosureDecision.Allowed, "eod-notice-to-idv"), (idv.Decision, idv.RuleId));
        Assert.True(receipt.CheckpointTreeSize > Math.Max(mayor.LogSequence, idv.LogSequence));

        var atMayor = await FindAsync(hub.Pki.Rotterdam, receipt.MessageId);
        var atIdv = await FindAsync(hub.Pki.Idv, receipt.MessageId);
        Assert.Equal("Bring to the local approach team; housing arranged.", atMayor.EndOfDetentionNotice.HandoverRemarks);
        Assert.Empty(atMayor.EndOfDetentionNotice.DetentionInformationPointCaseNumber);
        Assert.Equal("IDV-2026-0042", atIdv.EndOfDetentionNotice.DetentionInformationPointCaseNumber);
        Assert.Empty(atIdv.EndOfDetentionNotice.HandoverRemarks);
        Assert.Equal((Purpose.VictimInformation, LegalBasis.AvgArt61C), (atIdv.Grounds.Purpose, atIdv.Grounds.LegalBasis));
        Assert.Null(await FindOrNullAsync(hub.Pki.Utrecht, receipt.MessageId));
    }

    [Fact]
    public async Task SubmitNotice_RetriedWithSameKey_SameReceiptNothingNew_ConflictingRetryAlreadyExists()
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var client = new NoticeService.NoticeServiceClient(dji);
        var request = Notice(release: DateTimeOffset.UtcNow.AddDays(30));

        var first = (await client.SubmitEndOfDetentionNoticeAsync(request)).Receipt;
        var retry = request.Clone();
        retry.Context.CorrelationId = Guid.NewGuid().ToString("D"); // a retry may carry a new correlation id
        var second = (await client.SubmitEndOfDetentionNoticeAsync(retry)).Receipt;
        var different = request.Clone();
        different.Notice.HandoverRemarks = "Something else.";
        var conflict = await Assert.ThrowsAsync<RpcException>(() => client.SubmitEndOfDetentionNoticeAsync(different).ResponseAsync);

        Assert.Equal(first, second);
        Assert.Equal(StatusCode.AlreadyExists, conflict.StatusCode);
        Assert.StartsWith("EH5002:", conflict.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledge_ClearsTheAlarm_UnacknowledgedRaisesIt()
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var receipt = (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(Notice(release: DateTimeOffset.UtcNow.AddDays(30)))).Receipt;
        var atMayor = await FindAsync(hub.Pki.Rotterdam, receipt.MessageId);
        using var rotterdam = hub.CreateChannel(hub.Pki.Rotterdam);
        await new InboxService.InboxServiceClient(rotterdam).AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = atMayor.DeliveryId, Outcome = AcknowledgementOutcome.Received });

        // The IDV never acknowledges: after the 3 s window the watchdog (1 s sweeps) raises NOT_DELIVERED or NOT_ACKNOWLEDGED.
        using var officer = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(officer);
        Alarm? alarm = null;
        for (var i = 0; i < 100 && alarm is null; i++)
        {
            await Task.Delay(100);
            alarm = (await audit.ListAlarmsAsync(new ListAlarmsRequest { States = { AlarmState.Open } })).Alarms.FirstOrDefault(a => a.MessageId == receipt.MessageId);
        }

        Assert.NotNull(alarm);
        Assert.Equal(TestPki.IdvOin, alarm.Recipient.Oin);
        Assert.Contains(alarm.Kind, new[] { AlarmKind.NotDelivered, AlarmKind.NotAcknowledged });
        var all = (await audit.ListAlarmsAsync(new ListAlarmsRequest())).Alarms.Where(a => a.MessageId == receipt.MessageId).ToList();
        Assert.DoesNotContain(all, a => a.Recipient.Oin == TestPki.RotterdamOin && a.State == AlarmState.Open);

        // The designated partner (here the privacy officer) also receives the alarm as a message in its inbox.
        var inbox = new InboxService.InboxServiceClient(officer);
        InboxMessage? sent = null;
        for (var cursor = string.Empty; sent is null;)
        {
            var page = await inbox.PullInboxAsync(new PullInboxRequest { Cursor = cursor, PageSize = 500 });
            sent = page.Messages.FirstOrDefault(m => m.PayloadCase == InboxMessage.PayloadOneofCase.Alarm && m.Alarm.AlarmId == alarm.AlarmId);
            if (page.Messages.Count == 0)
            {
                break;
            }

            cursor = page.NextCursor;
        }

        Assert.NotNull(sent);
        Assert.Equal(receipt.MessageId, sent.Alarm.MessageId);

        using var idv = hub.CreateChannel(hub.Pki.Idv);
        await new InboxService.InboxServiceClient(idv).AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = receipt.Deliveries.Single(d => d.Recipient.Oin == TestPki.IdvOin).DeliveryId, Outcome = AcknowledgementOutcome.Processed });
        var cleared = (await audit.ListAlarmsAsync(new ListAlarmsRequest())).Alarms.Single(a => a.AlarmId == alarm.AlarmId);
        Assert.Equal(AlarmState.Cleared, cleared.State);
    }

    private static SubmitEndOfDetentionNoticeRequest Notice(DateTimeOffset release)
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.ExpectedReleaseTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(release);
        request.Notice.HandoverRemarks = "Bring to the local approach team; housing arranged.";
        request.Notice.DetentionInformationPointCaseNumber = "IDV-2026-0042";
        return request;
    }

    private async Task<InboxMessage> FindAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 recipient, string messageId) =>
        await FindOrNullAsync(recipient, messageId) ?? throw new InvalidOperationException($"message {messageId} not in the inbox");

    private async Task<InboxMessage?> FindOrNullAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 recipient, string messageId)
    {
        using var channel = hub.CreateChannel(recipient);
        var inbox = new InboxService.InboxServiceClient(channel);
        var cursor = string.Empty;
        while (true)
        {
            var page = await inbox.PullInboxAsync(new PullInboxRequest { Cursor = cursor, PageSize = 500 });
            if (page.Messages.FirstOrDefault(m => m.MessageId == messageId) is { } found)
            {
                return found;
            }

            if (page.Messages.Count == 0)
            {
                return null;
            }

            cursor = page.NextCursor;
        }
    }
}
