// This file is part of ExchangeHub.

using System.Net;
using System.Text.RegularExpressions;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Access;
using ExchangeHub.Core.Client;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Tests.Support.Hub;
using Grpc.Core;
using Grpc.Health.V1;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// The metrics as Prometheus scrapes them from the hub's loopback listener: real submissions, acknowledgements,
/// refusals and missed deadlines, and the figures each of them moves. Counters are compared before and after, so
/// the tests of the collection may run in any order.
/// </summary>
[Collection(MetricsHubDefinition.Name)]
public sealed partial class MetricsTests(MetricsHub hub)
{
    private const string Decisions = "exchangehub_decisions_total";
    private const string Notice = "END_OF_DETENTION_NOTICE";

    [Fact]
    public async Task Scrape_AfterANotice_DecisionsByOutcomeAndGroundsAppendsBatchesTokensAndGrpcStatus()
    {
        var before = await hub.ScrapeAsync();
        using var dji = hub.CreateChannel(hub.Pki.Dji);

        var receipt = (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30)))).Receipt;
        await HubMessages.AcknowledgeAsync(hub, receipt);
        var after = await hub.ScrapeAsync();

        // The mayor on the first grounds, the IDV on the second (see NoticeFlowTests), one decision each.
        Assert.All(receipt.Deliveries, d => Assert.Equal(DisclosureDecision.Allowed, d.Decision));
        Assert.Equal(1, Delta(Decisions, ("outcome", "ALLOWED"), ("legal_basis", "AVG_ART_6_1_E"), ("purpose", "RELEASE_PREPARATION"), ("message_type", Notice)));
        Assert.Equal(1, Delta(Decisions, ("outcome", "ALLOWED"), ("legal_basis", "AVG_ART_6_1_C"), ("purpose", "VICTIM_INFORMATION"), ("message_type", Notice)));
        Assert.Equal(0, Delta(Decisions, ("outcome", "DENIED"), ("message_type", Notice)));

        // Two disclosure entries in at least one group commit; the histogram's sum is the appends it carried.
        Assert.True(Delta("exchangehub_log_appends_total", ("entry", "disclosure")) >= 2);
        Assert.True(Delta("exchangehub_log_batch_size_count") >= 1);
        Assert.True(Delta("exchangehub_log_batch_size_sum") >= 1);
        Assert.True(after.Sum("exchangehub_log_size") >= receipt.CheckpointTreeSize);

        // The channels of DJI and of both recipients each obtained a token.
        Assert.True(Delta("exchangehub_tokens_issued_total", ("partner", TestPki.DjiOin)) >= 1);
        Assert.True(Delta("exchangehub_tokens_issued_total", ("partner", TestPki.IdvOin)) >= 1);

        // ASP.NET Core's request metric, with the gRPC status of the call.
        Assert.Equal(1, Delta("http_server_request_duration_seconds_count", ("http_route", "/exchangehub.v1.NoticeService/SubmitEndOfDetentionNotice"), ("rpc_grpc_status_code", "0")));
        Assert.Equal(2, Delta("http_server_request_duration_seconds_count", ("http_route", "/exchangehub.v1.InboxService/AcknowledgeMessage"), ("rpc_grpc_status_code", "0")));

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
    }

    [Fact]
    public async Task Scrape_NoticeNotAcknowledged_OutstandingThenOverdueWithAlarms_AcknowledgedGoneWithItsLag()
    {
        var before = await hub.ScrapeAsync();
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var receipt = (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30)))).Receipt;
        Assert.Equal(2, receipt.Deliveries.Count(d => d.Decision == DisclosureDecision.Allowed));

        // Nobody fetches or acknowledges: after the 3 s window both mandatory deliveries are overdue, each with an alarm.
        var overdue = await hub.ScrapeUntilAsync(
            s => OutstandingNotices(s, TestPki.RotterdamOin, overdue: true) == 1 && OutstandingNotices(s, TestPki.IdvOin, overdue: true) == 1
                && s.Sum("exchangehub_alarms_raised_total", ("kind", "NOT_DELIVERED")) - before.Sum("exchangehub_alarms_raised_total", ("kind", "NOT_DELIVERED")) >= 2
                && s.Sum("exchangehub_alarms_open", ("kind", "NOT_DELIVERED")) >= 2,
            "two overdue mandatory notice deliveries with NOT_DELIVERED alarms");
        var age = Assert.Single(overdue.Matching("exchangehub_deliveries_outstanding_oldest_age_seconds", NoticeTo(TestPki.IdvOin, overdue: true)));
        Assert.True(age.Value >= 3, $"the oldest outstanding delivery is {age.Value} s old, yet past its 3 s deadline");

        await HubMessages.AcknowledgeAsync(hub, receipt);
        var cleared = await hub.ScrapeUntilAsync(
            s => OutstandingNotices(s, TestPki.RotterdamOin, overdue: true) == 0 && OutstandingNotices(s, TestPki.IdvOin, overdue: true) == 0
                && s.Sum("exchangehub_alarms_open", ("kind", "NOT_DELIVERED")) == overdue.Sum("exchangehub_alarms_open", ("kind", "NOT_DELIVERED")) - 2,
            "the acknowledged deliveries gone and their alarms cleared");

        // Both waited past the deadline before their first acknowledgement.
        (string, string)[] lag = [("message_type", Notice), ("outcome", "PROCESSED"), ("mandatory", "true")];
        Assert.Equal(2, cleared.Sum("exchangehub_inbox_lag_seconds_count", lag) - before.Sum("exchangehub_inbox_lag_seconds_count", lag));
        Assert.True(cleared.Sum("exchangehub_inbox_lag_seconds_sum", lag) - before.Sum("exchangehub_inbox_lag_seconds_sum", lag) >= 6);
        Assert.Equal(0, cleared.Sum("exchangehub_inbox_lag_seconds_bucket", [.. lag, ("le", "1")]) - before.Sum("exchangehub_inbox_lag_seconds_bucket", [.. lag, ("le", "1")]));
    }

    [Fact]
    public async Task Scrape_RefusedHandshakeTokenAndCall_CountedByReasonId()
    {
        var before = await hub.ScrapeAsync();

        // No certificate: refused in the TLS handshake.
        using (var anonymous = hub.CreateChannel(clientCertificate: null))
        {
            await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(anonymous).CheckAsync(new HealthCheckRequest()).ResponseAsync);
        }

        // A scope DJI may not hold: refused by the token endpoint.
        using (var tokens = hub.CreateTokenClient(hub.Pki.Dji, new HubTokenSettings { Scopes = [HubScopes.AuditRead] }))
        {
            await Assert.ThrowsAsync<HubTokenException>(() => tokens.GetTokenAsync(CancellationToken.None).AsTask());
        }

        // No token: refused before the service.
        using (var untokened = hub.CreateChannel(hub.Pki.Dji, HubTokenSettings.None))
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => new InboxService.InboxServiceClient(untokened).PullInboxAsync(new PullInboxRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        }

        var after = await hub.ScrapeUntilAsync(
            s => s.Sum("exchangehub_tls_handshakes_refused_total", ("rejection", "NoCertificate")) > before.Sum("exchangehub_tls_handshakes_refused_total", ("rejection", "NoCertificate")),
            "the refused handshake");
        Assert.Equal(1, after.Sum("exchangehub_tokens_refused_total", ("error", "invalid_scope"), ("reason", "EH1012")) - before.Sum("exchangehub_tokens_refused_total", ("error", "invalid_scope"), ("reason", "EH1012")));
        Assert.Equal(1, after.Sum("exchangehub_calls_refused_total", ("reason", "EH1013")) - before.Sum("exchangehub_calls_refused_total", ("reason", "EH1013")));
        (string, string)[] pull = [("http_route", "/exchangehub.v1.InboxService/PullInbox"), ("rpc_grpc_status_code", "16")];
        Assert.Equal(1, after.Sum("http_server_request_duration_seconds_count", pull) - before.Sum("http_server_request_duration_seconds_count", pull));
    }

    [Fact]
    public async Task Scrape_AfterSubmissionsAboutSubjects_HoldsNoSubjectDataAndOnlyKnownLabels()
    {
        var bsn = ValidRequests.NewBsn();
        const string Description = "Metrics marker: seen near the station at night";
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var notice = HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30));
        notice.Notice.Subject.Bsn = bsn;
        var noticeReceipt = (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(notice)).Receipt;
        var signal = HubMessages.Signal("GM0599", HubMessages.CaseConsultationGrounds, Description, HubTestServer.CaseConsultationId);
        signal.Signal.Subject.Bsn = bsn;
        var signalReceipt = (await new SignalService.SignalServiceClient(dji).SubmitSignalAsync(signal)).Receipt;

        // The same signal on grounds the policy refuses: denied, and logged as such.
        var refused = HubMessages.Signal("GM0599", new ProcessingGrounds { Purpose = Purpose.Reintegration, LegalBasis = LegalBasis.WetSenbReintegration }, Description);
        refused.Signal.Subject.Bsn = bsn;
        await Assert.ThrowsAsync<RpcException>(() => new SignalService.SignalServiceClient(dji).SubmitSignalAsync(refused).ResponseAsync);
        await HubMessages.AcknowledgeAsync(hub, noticeReceipt, signalReceipt);

        var scrape = await hub.ScrapeUntilAsync(s => s.Sum(Decisions, ("outcome", "DENIED"), ("message_type", "SIGNAL")) >= 1, "the denied signal");

        var pseudonym = hub.Service<LedgerKeys>().Pseudonymizer.Pseudonymize(Core.Subjects.Bsn.Parse(bsn));
        Assert.DoesNotContain(bsn, scrape.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(pseudonym, scrape.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("station", scrape.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(noticeReceipt.MessageId, scrape.Text, StringComparison.Ordinal);

        // The hub's own series carry only these labels; partners are OINs, reasons are stable ids.
        string[] known = ["otel_scope_name", "le", "outcome", "legal_basis", "purpose", "message_type", "reason", "entry", "kind", "recipient", "mandatory", "overdue", "partner", "error", "rejection"];
        var ours = scrape.Samples.Where(s => s.Name.StartsWith("exchangehub_", StringComparison.Ordinal)).ToList();
        Assert.All(ours, s => Assert.All(s.Labels.Keys, label => Assert.Contains(label, known)));
        Assert.All(ours.SelectMany(s => s.Labels).Where(l => l.Key is "recipient" or "partner"), l => Assert.Matches(Oin(), l.Value));
        Assert.All(ours.SelectMany(s => s.Labels).Where(l => l.Key == "reason"), l => Assert.Matches(ReasonId(), l.Value));
        Assert.Contains(scrape.Matching(Decisions, ("outcome", "DENIED"), ("message_type", "SIGNAL")), s => s.Labels["reason"].StartsWith("EH3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MetricsListener_AnythingButTheScrape_NotFound()
    {
        using var client = new HttpClient();

        foreach (var path in new[] { "/", "/metrics/x", "/audit/", "/connect/token", "/.well-known/openid-configuration" })
        {
            using var response = await client.GetAsync(new Uri(hub.Metrics, path));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {response.StatusCode} on the metrics listener");
        }

        using var grpc = await client.PostAsync(new Uri(hub.Metrics, "/exchangehub.v1.InboxService/PullInbox"), new ByteArrayContent([0, 0, 0, 0, 0]));
        Assert.Equal(HttpStatusCode.NotFound, grpc.StatusCode);
    }

    [Fact]
    public async Task MainPort_Metrics_NotServedEvenToAPartnerOrWithTheListenersHost()
    {
        using var client = AuditWebClient.Create(hub, hub.Pki.Dji);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub.Address, "/metrics"));
        request.Headers.Host = hub.Metrics.Authority;

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("exchangehub_", body, StringComparison.Ordinal);
    }

    private static (string, string)[] NoticeTo(string recipient, bool overdue) =>
        [("recipient", recipient), ("message_type", Notice), ("mandatory", "true"), ("overdue", overdue ? "true" : "false")];

    private static double OutstandingNotices(PrometheusScrape scrape, string recipient, bool overdue) =>
        scrape.Sum("exchangehub_deliveries_outstanding", NoticeTo(recipient, overdue));

    [GeneratedRegex("^[0-9]{20}$")]
    private static partial Regex Oin();

    [GeneratedRegex("^(EH[0-9]{4}|other)$")]
    private static partial Regex ReasonId();
}
