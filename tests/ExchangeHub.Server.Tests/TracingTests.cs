// This file is part of ExchangeHub.

using System.Collections.Concurrent;
using System.Diagnostics;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Telemetry;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// The hub's spans along the path of a notice (authenticate, authorize, decide, record, the log's group commit,
/// deliver, acknowledge), seen by a listener of this test's trace only, and what their tags do not hold.
/// </summary>
[Collection(MetricsHubDefinition.Name)]
public sealed class TracingTests(MetricsHub hub)
{
    private static readonly string[] PathSpans =
    [
        "exchangehub.authenticate", "exchangehub.authorize", "exchangehub.authorize.scopes", "exchangehub.decide", "exchangehub.record",
        "exchangehub.log.commit", "exchangehub.notify", "exchangehub.deliver", "exchangehub.acknowledge",
    ];

    [Fact]
    public async Task SubmitNotice_SpansAlongTheHubsPath_NoSubjectDataInAnyTag()
    {
        var bsn = ValidRequests.NewBsn();
        using var trace = new Activity("tracing-test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var traceId = trace.TraceId;
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            // The client's HTTP span carries the trace to the hub (traceparent); the hub's request span continues it.
            ShouldListenTo = source => source.Name is HubTelemetry.ActivitySourceName or "System.Net.Http" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => Ours(options.TraceId, options.Links)
                ? ActivitySamplingResult.AllDataAndRecorded
                : ActivitySamplingResult.None,
            ActivityStopped = span =>
            {
                if (Ours(span.TraceId, span.Links))
                {
                    spans.Enqueue(span);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var notice = HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30));
        notice.Notice.Subject.Bsn = bsn;
        var receipt = (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(notice)).Receipt;
        await HubMessages.FindAsync(hub, hub.Pki.Rotterdam, receipt.MessageId);
        await HubMessages.AcknowledgeAsync(hub, receipt);

        // The group commit ends on the log writer's own thread, a moment after its callers were answered.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!spans.Any(s => s.OperationName == "exchangehub.log.commit") && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        var names = spans.Select(s => s.OperationName).ToHashSet();
        Assert.All(PathSpans, name => Assert.Contains(name, names));

        // Decide and record are steps of the submission's request span; the group commit links to the record span.
        var decide = spans.Single(s => s.OperationName == "exchangehub.decide");
        var record = spans.Single(s => s.OperationName == "exchangehub.record");
        var request = spans.Single(s => s.SpanId == decide.ParentSpanId);
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal(request.SpanId, record.ParentSpanId);
        Assert.Equal("END_OF_DETENTION_NOTICE", decide.GetTagItem("exchangehub.message_type"));
        Assert.Equal((2, 2), ((int?)decide.GetTagItem("exchangehub.recipients"), (int?)decide.GetTagItem("exchangehub.allowed")));
        Assert.Equal(receipt.MessageId, record.GetTagItem("exchangehub.message_id"));
        Assert.Contains(spans, s => s.OperationName == "exchangehub.log.commit" && s.Links.Any(l => l.Context.SpanId == record.SpanId));

        var pseudonym = hub.Service<LedgerKeys>().Pseudonymizer.Pseudonymize(Core.Subjects.Bsn.Parse(bsn));
        var texts = spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName).Concat(s.Events.Select(e => e.Name))).ToList();
        Assert.DoesNotContain(texts, t => t.Contains(bsn, StringComparison.Ordinal) || t.Contains(pseudonym, StringComparison.OrdinalIgnoreCase));

        bool Ours(ActivityTraceId id, IEnumerable<ActivityLink>? links) => id == traceId || (links?.Any(l => l.Context.TraceId == traceId) ?? false);
    }
}
