// This file is part of ExchangeHub.

using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Messages;
using ExchangeHub.Tests.Support.Hub;
using Grpc.Core;
using Xunit.Abstractions;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// A recipient's inbox over mutual TLS: redelivery after the visibility timeout, resuming a stream from its
/// cursor after a disconnect, concurrent subscribers of one partner, cursors of other inboxes, acknowledging
/// another partner's delivery, rejections and final outcomes. The messages are signals from DJI to Amsterdam,
/// whose inbox only these tests use; each test still picks out its own messages by id.
/// </summary>
[Collection(SharedHubDefinition.Name)]
public sealed class InboxTests(HubTestServer hub, ITestOutputHelper output)
{
    // HubTestServer's ExchangeHub:Messages:VisibilityTimeout.
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(2);

    // Bounds every wait for the hub, so that a hang fails the test instead of the run.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PullInbox_NotAcknowledged_SameDeliveryAgainAfterVisibilityTimeout_AcknowledgedNeverAgain()
    {
        var receipt = await HubMessages.SignalAmsterdamAsync(hub, "redelivery");
        using var channel = hub.CreateChannel(hub.Pki.Amsterdam);
        var inbox = new InboxService.InboxServiceClient(channel);

        var firstAsked = Stopwatch.StartNew();
        var first = Assert.Single(await HubMessages.PullAllAsync(inbox), m => m.MessageId == receipt.MessageId);
        var again = (await HubMessages.PullAllAsync(inbox)).FirstOrDefault(m => m.MessageId == receipt.MessageId);
        var window = firstAsked.Elapsed;
        var lastPull = Stopwatch.StartNew();

        // Handed out again at once would be a second consumer processing it; only after the timeout is that right.
        Assert.True(again is null || window >= VisibilityTimeout, $"delivery {first.DeliveryId} was handed out again after {window.TotalSeconds:0.00} s, within the visibility timeout");
        Assert.Equal((receipt.Deliveries[0].DeliveryId, 1u, InboxMessageState.Available), (first.DeliveryId, first.Attempt, first.State));

        await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (VisibilityTimeout + TimeSpan.FromMilliseconds(500) - lastPull.Elapsed).Ticks)));
        var redelivered = Assert.Single(await HubMessages.PullAllAsync(inbox), m => m.MessageId == receipt.MessageId);
        Assert.Equal(first.DeliveryId, redelivered.DeliveryId);
        Assert.Equal(again is null ? 2u : 3u, redelivered.Attempt);
        Assert.Equal(first.Signal, redelivered.Signal);
        Assert.Equal(first.Cursor, redelivered.Cursor);

        await inbox.AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = redelivered.DeliveryId, Outcome = AcknowledgementOutcome.Processed });
        await Task.Delay(VisibilityTimeout + TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain(await HubMessages.PullAllAsync(inbox), m => m.MessageId == receipt.MessageId);
    }

    [Fact]
    public async Task Subscribe_ResumedFromCursorAfterDisconnect_ContinuesInOrderWithoutLoss_AcknowledgedNotAgain()
    {
        var tag = Guid.NewGuid().ToString("N");
        var sent = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            sent.Add((await HubMessages.SignalAmsterdamAsync(hub, $"resume {tag} {i}")).MessageId);
        }

        using var channel = hub.CreateChannel(hub.Pki.Amsterdam);
        var inbox = new InboxService.InboxServiceClient(channel);

        // Read three, acknowledge them, and drop the connection with the rest (already taken by the stream) unread.
        var before = await ReadAsync(inbox, cursor: string.Empty, sent, stopAfter: 3, acknowledge: true);
        Assert.Equal(sent[..3], before.Select(m => m.MessageId));

        // Resume from the last cursor: the rest comes, in order, once the dropped stream's hold on them ends.
        var after = await ReadAsync(inbox, before[^1].Cursor, sent, stopAfter: 5, acknowledge: true);
        Assert.Equal(sent[3..], after.Select(m => m.MessageId).Distinct());
        Assert.DoesNotContain(after, m => sent[..3].Contains(m.MessageId));
        Assert.All(after, m => Assert.Equal(InboxMessageState.Available, m.State));
    }

    [Fact]
    public async Task Subscribe_ConcurrentSubscribersOfOnePartner_TogetherReceiveEverything_NoDeliveryHandedToTwoAtOnce()
    {
        const int Messages = 24;
        var tag = Guid.NewGuid().ToString("N");
        var received = new ConcurrentQueue<(string Consumer, InboxMessage Message)>();
        var distinct = new ConcurrentDictionary<string, byte>();
        using var done = new CancellationTokenSource(Patience);

        // Three streams and one puller, each on its own connection, all acknowledging what they get at once.
        var channels = Enumerable.Range(0, 4).Select(_ => hub.CreateChannel(hub.Pki.Amsterdam)).ToList();
        try
        {
            var consumers = new List<Task>();
            for (var i = 0; i < 3; i++)
            {
                var inbox = new InboxService.InboxServiceClient(channels[i]);
                var name = $"stream {i}";
                consumers.Add(Task.Run(() => StreamAsync(inbox, name)));
            }

            var puller = new InboxService.InboxServiceClient(channels[3]);
            consumers.Add(Task.Run(() => PullAsync(puller, "puller")));

            var submitted = await Task.WhenAll(Enumerable.Range(0, 4).Select(s => Task.Run(async () =>
            {
                var ids = new List<string>();
                for (var i = 0; i < Messages / 4; i++)
                {
                    ids.Add((await HubMessages.SignalAmsterdamAsync(hub, $"concurrent {tag} {s}-{i}")).Deliveries[0].DeliveryId);
                }

                return ids;
            })));
            await Task.WhenAll(consumers);

            var expected = submitted.SelectMany(ids => ids).ToHashSet();
            Assert.Equal(Messages, expected.Count);
            Assert.Equal(expected.Order(), received.Select(r => r.Message.DeliveryId).Distinct().Order());

            // A delivery handed out twice within its visibility window would come twice with the same attempt.
            var twice = received.GroupBy(r => (r.Message.DeliveryId, r.Message.Attempt)).Where(g => g.Count() > 1).ToList();
            Assert.True(twice.Count == 0, "handed to two consumers at once: " + string.Join("; ", twice.Select(g => $"{g.Key.DeliveryId} attempt {g.Key.Attempt} to {string.Join(", ", g.Select(r => r.Consumer))}")));
            foreach (var consumer in received.GroupBy(r => r.Consumer))
            {
                output.WriteLine($"{consumer.Key}: {consumer.Count()} deliveries");
            }
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }

        async Task StreamAsync(InboxService.InboxServiceClient inbox, string name)
        {
            using var call = inbox.Subscribe(new SubscribeRequest(), cancellationToken: done.Token);
            try
            {
                while (await call.ResponseStream.MoveNext(done.Token))
                {
                    await TakeAsync(inbox, name, call.ResponseStream.Current.Message);
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && done.IsCancellationRequested)
            {
                // All received (or out of patience, which the assertions report).
            }
        }

        async Task PullAsync(InboxService.InboxServiceClient inbox, string name)
        {
            var cursor = string.Empty;
            try
            {
                while (!done.IsCancellationRequested)
                {
                    var page = await inbox.PullInboxAsync(new PullInboxRequest { Cursor = cursor, PageSize = 3 }, cancellationToken: done.Token);
                    foreach (var message in page.Messages)
                    {
                        await TakeAsync(inbox, name, message);
                    }

                    cursor = page.NextCursor;
                    if (page.Messages.Count == 0)
                    {
                        await Task.Delay(50, done.Token);
                    }
                }
            }
            catch (Exception ex) when (done.IsCancellationRequested && ex is RpcException { StatusCode: StatusCode.Cancelled } or OperationCanceledException)
            {
                // As above.
            }
        }

        async Task TakeAsync(InboxService.InboxServiceClient inbox, string name, InboxMessage message)
        {
            if (!message.Signal.Description.Contains(tag, StringComparison.Ordinal))
            {
                return;
            }

            received.Enqueue((name, message));
            await inbox.AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = message.DeliveryId, Outcome = AcknowledgementOutcome.Processed }, cancellationToken: CancellationToken.None);
            if (distinct.TryAdd(message.DeliveryId, 0) && distinct.Count == Messages)
            {
                await done.CancelAsync();
            }
        }
    }

    [Theory]
    [InlineData("another inbox")]
    [InlineData("not base64")]
    [InlineData("not a cursor")]
    [InlineData("no position")]
    [InlineData("negative position")]
    public async Task PullInboxAndSubscribe_CursorOfAnotherInboxOrGarbage_InvalidArgumentEh5009(string kind)
    {
        var cursor = kind switch
        {
            "another inbox" => InboxCursor.Format(TestPki.RotterdamOin, 1),
            "not base64" => "%%%garbage%%%",
            "not a cursor" => Base64Url.EncodeToString("hello, hub"u8),
            "no position" => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"ehc1:{TestPki.AmsterdamOin}:")),
            _ => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"ehc1:{TestPki.AmsterdamOin}:-1")),
        };
        using var channel = hub.CreateChannel(hub.Pki.Amsterdam);
        var inbox = new InboxService.InboxServiceClient(channel);
        using var timeout = new CancellationTokenSource(Patience);

        var pulled = await Assert.ThrowsAsync<RpcException>(() => inbox.PullInboxAsync(new PullInboxRequest { Cursor = cursor }).ResponseAsync);
        using var call = inbox.Subscribe(new SubscribeRequest { Cursor = cursor }, cancellationToken: timeout.Token);
        var streamed = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(timeout.Token));

        foreach (var ex in new[] { pulled, streamed })
        {
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.StartsWith("EH5009: The cursor", ex.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AcknowledgeMessage_AnotherPartnersDelivery_NotFound_AndTheDeliveryUntouched()
    {
        var receipt = await HubMessages.SignalAmsterdamAsync(hub, "not yours");
        var deliveryId = receipt.Deliveries[0].DeliveryId;
        using var rotterdam = hub.CreateChannel(hub.Pki.Rotterdam);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new InboxService.InboxServiceClient(rotterdam)
            .AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = deliveryId, Outcome = AcknowledgementOutcome.Processed }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal($"EH5007: Delivery {deliveryId} is not in the inbox of Gemeente Rotterdam ({TestPki.RotterdamOin}).", ex.Status.Detail);
        var atAmsterdam = await HubMessages.FindAsync(hub, hub.Pki.Amsterdam, receipt.MessageId);
        Assert.Equal((deliveryId, InboxMessageState.Available), (atAmsterdam.DeliveryId, atAmsterdam.State));
        await AcknowledgeAsync(hub.Pki.Amsterdam, deliveryId, AcknowledgementOutcome.Processed);
    }

    [Fact]
    public async Task AcknowledgeMessage_RejectedWithoutReason_InvalidArgument_WithReasonRaisesRecipientRejectedAlarm()
    {
        var receipt = await HubMessages.SignalAmsterdamAsync(hub, "to be rejected");
        var deliveryId = receipt.Deliveries[0].DeliveryId;
        using var amsterdam = hub.CreateChannel(hub.Pki.Amsterdam);
        var inbox = new InboxService.InboxServiceClient(amsterdam);

        foreach (var missing in new[] { string.Empty, "  " })
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => inbox.AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = deliveryId, Outcome = AcknowledgementOutcome.Rejected, Reason = missing }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
            Assert.StartsWith("EH5010: A REJECTED acknowledgement needs a reason", ex.Status.Detail, StringComparison.Ordinal);
        }

        const string Reason = "Not a resident of Amsterdam: moved to GM0599 last month.";
        await inbox.AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = deliveryId, Outcome = AcknowledgementOutcome.Rejected, Reason = Reason });

        // The sender sees the alarm about its own message.
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var alarms = (await new AuditService.AuditServiceClient(dji).ListAlarmsAsync(new ListAlarmsRequest { Kinds = { AlarmKind.RecipientRejected }, PageSize = 500 })).Alarms;
        var alarm = Assert.Single(alarms, a => a.MessageId == receipt.MessageId);
        Assert.Equal((deliveryId, TestPki.AmsterdamOin, TestPki.DjiOin, AlarmState.Open), (alarm.DeliveryId, alarm.Recipient.Oin, alarm.Sender.Oin, alarm.State));
        Assert.Contains(Reason, alarm.Detail, StringComparison.Ordinal);
        Assert.Null(await HubMessages.FindOrNullAsync(hub, hub.Pki.Amsterdam, receipt.MessageId));
    }

    [Fact]
    public async Task AcknowledgeMessage_FinalOutcomeChanged_FailedPrecondition_SameOutcomeAgainAccepted()
    {
        var processed = (await HubMessages.SignalAmsterdamAsync(hub, "processed")).Deliveries[0].DeliveryId;
        var rejected = (await HubMessages.SignalAmsterdamAsync(hub, "rejected")).Deliveries[0].DeliveryId;

        await AcknowledgeAsync(hub.Pki.Amsterdam, processed, AcknowledgementOutcome.Received);
        await AcknowledgeAsync(hub.Pki.Amsterdam, processed, AcknowledgementOutcome.Processed);
        await AcknowledgeAsync(hub.Pki.Amsterdam, processed, AcknowledgementOutcome.Processed);
        await AcknowledgeAsync(hub.Pki.Amsterdam, rejected, AcknowledgementOutcome.Rejected, "Not ours.");
        var refusals = new[]
        {
            (processed, AcknowledgementOutcome.Rejected, "Changed our mind.", AcknowledgementOutcome.Processed),
            (processed, AcknowledgementOutcome.Received, string.Empty, AcknowledgementOutcome.Processed),
            (rejected, AcknowledgementOutcome.Processed, string.Empty, AcknowledgementOutcome.Rejected),
        };

        foreach (var (deliveryId, outcome, reason, final) in refusals)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => AcknowledgeAsync(hub.Pki.Amsterdam, deliveryId, outcome, reason));
            Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
            Assert.Equal($"EH5008: Delivery {deliveryId} was already acknowledged as {final}, which is final.", ex.Status.Detail);
        }
    }

    private async Task AcknowledgeAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 recipient, string deliveryId, AcknowledgementOutcome outcome, string reason = "")
    {
        using var channel = hub.CreateChannel(recipient);
        await new InboxService.InboxServiceClient(channel).AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = deliveryId, Outcome = outcome, Reason = reason });
    }

    /// <summary>Subscribes from <paramref name="cursor"/> and reads until <paramref name="stopAfter"/> distinct messages of <paramref name="mine"/> came; then drops the stream.</summary>
    private static async Task<List<InboxMessage>> ReadAsync(InboxService.InboxServiceClient inbox, string cursor, List<string> mine, int stopAfter, bool acknowledge)
    {
        var read = new List<InboxMessage>();
        using var timeout = new CancellationTokenSource(Patience);
        using var call = inbox.Subscribe(new SubscribeRequest { Cursor = cursor }, cancellationToken: timeout.Token);
        try
        {
            while (read.Select(m => m.MessageId).Distinct().Count() < stopAfter && await call.ResponseStream.MoveNext(timeout.Token))
            {
                var message = call.ResponseStream.Current.Message;
                if (!mine.Contains(message.MessageId))
                {
                    continue;
                }

                read.Add(message);
                if (acknowledge)
                {
                    await inbox.AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = message.DeliveryId, Outcome = AcknowledgementOutcome.Processed });
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && timeout.IsCancellationRequested)
        {
            Assert.Fail($"only {read.Count} of {stopAfter} messages arrived within {Patience.TotalSeconds} s: {string.Join(", ", read.Select(m => m.MessageId))}");
        }

        return read;
    }
}
