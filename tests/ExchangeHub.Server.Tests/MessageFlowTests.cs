// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Subjects;
using ExchangeHub.Tests.Support.Hub;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// The message flows end to end over mutual TLS: corrections and withdrawals of a notice, signals under Wpg art.
/// 20, official reports and their follow-up, and the alarms a notice raises when a mandatory recipient cannot be
/// reached or the notice comes late. A refusal is checked for what it says and for what it left in the log.
/// </summary>
[Collection(SharedHubDefinition.Name)]
public sealed class MessageFlowTests(HubTestServer hub)
{
    [Fact]
    public async Task CorrectAndWithdrawNotice_ReachTheOriginalRecipients_AndNoOneElse()
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var notices = new NoticeService.NoticeServiceClient(dji);
        var request = HubMessages.Notice(release: DateTimeOffset.UtcNow.AddDays(30));
        var original = (await notices.SubmitEndOfDetentionNoticeAsync(request)).Receipt;
        var corrected = request.Notice.Clone();
        corrected.ExpectedReleaseTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(44));

        var correction = (await notices.CorrectEndOfDetentionNoticeAsync(new CorrectEndOfDetentionNoticeRequest
        {
            Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
            Grounds = { request.Grounds },
            Correction = new EndOfDetentionNoticeCorrection { OriginalMessageId = original.MessageId, Notice = corrected, Reason = "The court moved the release date." },
        })).Receipt;
        var withdrawal = (await notices.WithdrawEndOfDetentionNoticeAsync(new WithdrawEndOfDetentionNoticeRequest
        {
            Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
            Grounds = { request.Grounds },
            Withdrawal = new EndOfDetentionNoticeWithdrawal { OriginalMessageId = original.MessageId, Reason = "Sentence reduced on appeal; a new notice follows." },
        })).Receipt;

        Assert.Equal(
            [(TestPki.IdvOin, "eod-correction-to-idv"), (TestPki.RotterdamOin, "eod-correction-to-mayor")],
            correction.Deliveries.Where(d => d.Decision == DisclosureDecision.Allowed).Select(d => (d.Recipient.Oin, d.RuleId)).Order());
        Assert.Equal(
            [(TestPki.IdvOin, "eod-withdrawal-to-idv"), (TestPki.RotterdamOin, "eod-withdrawal-to-mayor")],
            withdrawal.Deliveries.Where(d => d.Decision == DisclosureDecision.Allowed).Select(d => (d.Recipient.Oin, d.RuleId)).Order());
        var inboxes = new Dictionary<string, List<InboxMessage>>
        {
            [TestPki.RotterdamOin] = await PullAllAsync(hub.Pki.Rotterdam),
            [TestPki.IdvOin] = await PullAllAsync(hub.Pki.Idv),
        };
        foreach (var inbox in inboxes.Values)
        {
            var gotCorrection = Assert.Single(inbox, m => m.MessageId == correction.MessageId).EndOfDetentionNoticeCorrection;
            Assert.Equal(original.MessageId, gotCorrection.OriginalMessageId);
            Assert.Equal(corrected.ExpectedReleaseTime, gotCorrection.Notice.ExpectedReleaseTime);
            Assert.Equal("The court moved the release date.", gotCorrection.Reason);
            var gotWithdrawal = Assert.Single(inbox, m => m.MessageId == withdrawal.MessageId).EndOfDetentionNoticeWithdrawal;
            Assert.Equal(original.MessageId, gotWithdrawal.OriginalMessageId);
            Assert.Equal("Sentence reduced on appeal; a new notice follows.", gotWithdrawal.Reason);
        }

        // The mayor sees the hand-over remarks and the IDV its case number, each without the other's, as for the notice.
        var atMayor = inboxes[TestPki.RotterdamOin].Single(m => m.MessageId == correction.MessageId).EndOfDetentionNoticeCorrection.Notice;
        var atIdv = inboxes[TestPki.IdvOin].Single(m => m.MessageId == correction.MessageId).EndOfDetentionNoticeCorrection.Notice;
        Assert.Equal(("Bring to the local approach team; housing arranged.", string.Empty), (atMayor.HandoverRemarks, atMayor.DetentionInformationPointCaseNumber));
        Assert.Equal((string.Empty, "IDV-2026-0042"), (atIdv.HandoverRemarks, atIdv.DetentionInformationPointCaseNumber));
        var utrecht = await PullAllAsync(hub.Pki.Utrecht);
        Assert.DoesNotContain(utrecht, m => m.MessageId == original.MessageId || m.MessageId == correction.MessageId || m.MessageId == withdrawal.MessageId);
        await AcknowledgeAsync(original, correction, withdrawal);
    }

    [Fact]
    public async Task CorrectOrWithdrawNotice_AlreadyWithdrawn_FailedPrecondition()
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var notices = new NoticeService.NoticeServiceClient(dji);
        var request = HubMessages.Notice(release: DateTimeOffset.UtcNow.AddDays(30));
        var original = (await notices.SubmitEndOfDetentionNoticeAsync(request)).Receipt;
        var withdrawal = (await notices.WithdrawEndOfDetentionNoticeAsync(Withdrawal(request, original.MessageId))).Receipt;
        var logSize = hub.Service<IDisclosureLog>().Committed.Size;

        var corrected = await Assert.ThrowsAsync<RpcException>(() => notices.CorrectEndOfDetentionNoticeAsync(Correction(request, original.MessageId)).ResponseAsync);
        var withdrawnAgain = await Assert.ThrowsAsync<RpcException>(() => notices.WithdrawEndOfDetentionNoticeAsync(Withdrawal(request, original.MessageId)).ResponseAsync);

        foreach (var ex in new[] { corrected, withdrawnAgain })
        {
            Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
            Assert.Equal($"EH5004: Notice {original.MessageId} was withdrawn (message {withdrawal.MessageId}); it can no longer be corrected or withdrawn.", ex.Status.Detail);
        }

        Assert.DoesNotContain(await LoggedSinceAsync(logSize), e => e.Disclosure?.MessageType is MessageType.EndOfDetentionNoticeCorrection or MessageType.EndOfDetentionNoticeWithdrawal);
        await AcknowledgeAsync(original, withdrawal);
    }

    [Fact]
    public async Task CorrectOrWithdrawNotice_AnotherSendersOrUnknownMessage_NotFound()
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var request = HubMessages.Notice(release: DateTimeOffset.UtcNow.AddDays(30));
        var notice = (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(request)).Receipt;
        var signal = await HubMessages.SignalAmsterdamAsync(hub, "not a notice");
        var (djisNotice, djisSignal) = (notice.MessageId, signal.MessageId);
        using var justid = hub.CreateChannel(hub.Pki.Justid);
        var asJustid = new NoticeService.NoticeServiceClient(justid);
        var asDji = new NoticeService.NoticeServiceClient(dji);

        var refusals = new (string MessageId, string Sender, Func<Task> Call)[]
        {
            (djisNotice, TestPki.JustidOin, () => asJustid.CorrectEndOfDetentionNoticeAsync(Correction(request, djisNotice)).ResponseAsync),
            (djisNotice, TestPki.JustidOin, () => asJustid.WithdrawEndOfDetentionNoticeAsync(Withdrawal(request, djisNotice)).ResponseAsync),
            (djisSignal, TestPki.DjiOin, () => asDji.CorrectEndOfDetentionNoticeAsync(Correction(request, djisSignal)).ResponseAsync),
            (djisSignal, TestPki.DjiOin, () => asDji.WithdrawEndOfDetentionNoticeAsync(Withdrawal(request, djisSignal)).ResponseAsync),
        };

        foreach (var (messageId, sender, call) in refusals)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.NotFound, ex.StatusCode);
            Assert.Equal($"EH5003: Message {messageId} does not exist, or it is not one of the messages {sender} sent or received.", ex.Status.Detail);
        }

        var unknown = Guid.NewGuid().ToString("D");
        var notFound = await Assert.ThrowsAsync<RpcException>(() => asDji.CorrectEndOfDetentionNoticeAsync(Correction(request, unknown)).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, true), (notFound.StatusCode, notFound.Status.Detail.StartsWith($"EH5003: Message {unknown} ", StringComparison.Ordinal)));
        await AcknowledgeAsync(notice, signal);
    }

    [Fact]
    public async Task SubmitSignal_PoliceUnderWpg20WithoutJustification_DeniedForTheMunicipality_DenialLogged()
    {
        using var police = hub.CreateChannel(hub.Pki.Police);
        var request = HubMessages.Signal("GM0599", PoliceGrounds(justification: null), "Seen recruiting outside a school.", HubTestServer.CaseConsultationId);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new SignalService.SignalServiceClient(police).SubmitSignalAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("EH5006: No recipient may receive this message; every decision is in the receipt and logged. First: EH3006: ", ex.Status.Detail, StringComparison.Ordinal);
        var info = HubMessages.ErrorInfo(ex);
        Assert.Equal(("EH3006", "police-signal-to-case-consultation"), (info.Reason, info.Metadata["rule_id"]));

        // The privacy officer finds the denial at the sequence the refusal names.
        var logged = (await LeafAsync(ulong.Parse(info.Metadata["log_sequence"], System.Globalization.CultureInfo.InvariantCulture))).Disclosure;
        Assert.Equal(info.Metadata["message_id"], logged.MessageId);
        Assert.Equal((DisclosureDecision.Denied, TestPki.PoliceOin, TestPki.RotterdamOin), (logged.Decision, logged.Sender.Oin, logged.Recipient.Oin));
        Assert.Equal((MessageType.Signal, DataCategory.PoliceData, LegalBasis.WpgArt20, Purpose.PersonCentredApproach), (logged.MessageType, logged.Category, logged.LegalBasis, logged.Purpose));
        Assert.Equal("police-signal-to-case-consultation", logged.RuleId);
        Assert.StartsWith("EH3006: ", logged.Reason, StringComparison.Ordinal);
        Assert.Empty(logged.DeliveryId);
        Assert.Null(await HubMessages.FindOrNullAsync(hub, hub.Pki.Rotterdam, logged.MessageId));
    }

    [Fact]
    public async Task SubmitSignal_PoliceUnderWpg20WithJustificationInCaseConsultation_AllowedWithThePoliceFieldsOnly()
    {
        using var police = hub.CreateChannel(hub.Pki.Police);
        var signals = new SignalService.SignalServiceClient(police);
        const string Justification = "Imminent risk of violence; the case consultation must weigh a measure this week.";
        var request = HubMessages.Signal("GM0599", PoliceGrounds(Justification), "Seen recruiting outside a school.", HubTestServer.CaseConsultationId);
        request.Signal.RelatedSignalIds.Add("politie-2026-77");
        var outsideConsultation = HubMessages.Signal("GM0599", PoliceGrounds(Justification), "Seen recruiting outside a school.");

        var receipt = (await signals.SubmitSignalAsync(request)).Receipt;
        var refused = await Assert.ThrowsAsync<RpcException>(() => signals.SubmitSignalAsync(outsideConsultation).ResponseAsync);

        var delivery = Assert.Single(receipt.Deliveries);
        Assert.Equal((TestPki.RotterdamOin, DisclosureDecision.Allowed, "police-signal-to-case-consultation"), (delivery.Recipient.Oin, delivery.Decision, delivery.RuleId));
        var atMayor = await HubMessages.FindAsync(hub, hub.Pki.Rotterdam, receipt.MessageId);
        Assert.Equal((DataCategory.PoliceData, LegalBasis.WpgArt20, Justification), (atMayor.Category, atMayor.Grounds.LegalBasis, atMayor.Grounds.Justification));
        Assert.Equal(HubTestServer.CaseConsultationId, atMayor.Signal.CaseConsultationId);
        Assert.Equal("Seen recruiting outside a school.", atMayor.Signal.Description);
        Assert.Empty(atMayor.Signal.RelatedSignalIds); // not among the fields rule police-signal-to-case-consultation gives

        // Membership is what allows it: the same signal outside the case consultation is refused.
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("EH3009", HubMessages.ErrorInfo(refused).Reason);
        await AcknowledgeAsync(receipt);
    }

    [Fact]
    public async Task SubmitOfficialReport_NotTheIntelligenceService_PermissionDeniedAndNothingLogged()
    {
        var logSize = hub.Service<IDisclosureLog>().Committed.Size;
        foreach (var certificate in new[] { hub.Pki.Police, hub.Pki.Rotterdam })
        {
            using var channel = hub.CreateChannel(certificate);

            var ex = await Assert.ThrowsAsync<RpcException>(() => new OfficialReportService.OfficialReportServiceClient(channel).SubmitOfficialReportAsync(OfficialReport(TestPki.IdvOin)).ResponseAsync);

            // The token already says no: neither partner may hold the scope for official reports.
            Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
            Assert.StartsWith("EH1019: The access token does not carry scope 'reports:submit'", ex.Status.Detail, StringComparison.Ordinal);
            Assert.Equal("EH1019", HubMessages.ErrorInfo(ex).Reason);
        }

        Assert.DoesNotContain(await LoggedSinceAsync(logSize), e => e.Disclosure?.MessageType == MessageType.OfficialReport);
    }

    [Fact]
    public async Task OfficialReportToProsecution_ReachesTheProsecution_FollowUpReachesTheService()
    {
        using var aivd = hub.CreateChannel(hub.Pki.Aivd);
        using var idv = hub.CreateChannel(hub.Pki.Idv);
        using var utrecht = hub.CreateChannel(hub.Pki.Utrecht);
        var request = OfficialReport(TestPki.IdvOin);

        var report = (await new OfficialReportService.OfficialReportServiceClient(aivd).SubmitOfficialReportAsync(request)).Receipt;
        var toProsecution = Assert.Single(report.Deliveries);
        Assert.Equal((TestPki.IdvOin, DisclosureDecision.Allowed, "official-report-to-prosecution"), (toProsecution.Recipient.Oin, toProsecution.Decision, toProsecution.RuleId));
        var received = await HubMessages.FindAsync(hub, hub.Pki.Idv, report.MessageId);
        Assert.Equal(request.Report, received.OfficialReport);
        Assert.Equal((TestPki.AivdOin, DataCategory.OfficialReport, Purpose.Prosecution), (received.Sender.Oin, received.Category, received.Grounds.Purpose));

        var followUp = FollowUp(report.MessageId);
        var answered = (await new OfficialReportService.OfficialReportServiceClient(idv).RecordReportFollowUpAsync(followUp)).Receipt;
        await new InboxService.InboxServiceClient(idv).AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = received.DeliveryId, Outcome = AcknowledgementOutcome.Processed });
        var back = Assert.Single(answered.Deliveries);
        Assert.Equal((TestPki.AivdOin, DisclosureDecision.Allowed, "official-report-follow-up"), (back.Recipient.Oin, back.Decision, back.RuleId));
        var atService = await HubMessages.FindAsync(hub, hub.Pki.Aivd, answered.MessageId);
        Assert.Equal(followUp.FollowUp, atService.OfficialReportFollowUp);
        Assert.Equal((TestPki.IdvOin, DataCategory.OfficialReport), (atService.Sender.Oin, atService.Category));

        // Only a recipient of the report can follow it up.
        var stranger = await Assert.ThrowsAsync<RpcException>(() => new OfficialReportService.OfficialReportServiceClient(utrecht).RecordReportFollowUpAsync(FollowUp(report.MessageId)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, stranger.StatusCode);
        Assert.StartsWith($"EH5003: Message {report.MessageId} does not exist, or it is not one of the messages", stranger.Status.Detail, StringComparison.Ordinal);
        await AcknowledgeAsync(answered);
    }

    [Fact]
    public async Task SubmitNotice_MunicipalityWithoutPartner_MandatoryRecipientDeniedAlarm_OthersStillServed()
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);

        var receipt = (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30), residence: "GM0014"))).Receipt;

        var idv = Assert.Single(receipt.Deliveries);
        Assert.Equal((TestPki.IdvOin, DisclosureDecision.Allowed), (idv.Recipient.Oin, idv.Decision));
        var alarm = Assert.Single(await AlarmsAsync(hub.Pki.Dji, receipt.MessageId), a => a.Kind == AlarmKind.MandatoryRecipientDenied);
        Assert.Equal((AlarmState.Open, TestPki.DjiOin, MessageType.EndOfDetentionNotice, string.Empty), (alarm.State, alarm.Sender.Oin, alarm.MessageType, alarm.DeliveryId));
        Assert.StartsWith("EH5005: No registered partner is the mayor of the municipality of residence (GM0014)", alarm.Detail, StringComparison.Ordinal);

        Assert.Equal(receipt.MessageId, (await HubMessages.FindAsync(hub, hub.Pki.Idv, receipt.MessageId)).MessageId);

        // PartnerId.oin is an OIN of exactly 20 digits; there is no partner to name, so none is named: not in the
        // audit API, nor in the alarm sent as a message to the partner designated to receive alarms.
        Assert.True(alarm.Recipient is null || Oin.TryParse(alarm.Recipient.Oin, out _, out _), $"the alarm names '{alarm.Recipient?.Oin}' as its recipient's OIN");
        using var officer = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var sent = Assert.Single(await HubMessages.PullAllAsync(new InboxService.InboxServiceClient(officer)), m => m.Alarm?.AlarmId == alarm.AlarmId).Alarm;
        Assert.Equal((receipt.MessageId, AlarmKind.MandatoryRecipientDenied, alarm.Detail), (sent.MessageId, sent.Kind, sent.Detail));
        Assert.True(sent.Recipient is null || Oin.TryParse(sent.Recipient.Oin, out _, out _), $"the alarm message names '{sent.Recipient?.Oin}' as its recipient's OIN");
        await AcknowledgeAsync(receipt);
    }

    [Fact]
    public async Task SubmitNotice_ReleaseInThreeDays_LateNoticeAlarm_InAMonthNone()
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var notices = new NoticeService.NoticeServiceClient(dji);
        var late = HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(3));

        var lateReceipt = (await notices.SubmitEndOfDetentionNoticeAsync(late)).Receipt;
        var timelyReceipt = (await notices.SubmitEndOfDetentionNoticeAsync(HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30)))).Receipt;

        Assert.Equal(2, lateReceipt.Deliveries.Count(d => d.Decision == DisclosureDecision.Allowed));
        var alarm = Assert.Single(await AlarmsAsync(hub.Pki.Dji, lateReceipt.MessageId), a => a.Kind == AlarmKind.LateNotice);
        Assert.Equal((AlarmState.Open, late.Notice.ExpectedReleaseTime), (alarm.State, alarm.Deadline));
        Assert.Null(alarm.Recipient);
        Assert.Contains("is 3 days away; the notice should arrive at least 14 days before", alarm.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await AlarmsAsync(hub.Pki.Dji, timelyReceipt.MessageId), a => a.Kind == AlarmKind.LateNotice);
        await AcknowledgeAsync(lateReceipt, timelyReceipt);
    }

    [Fact]
    public async Task SubmitNotice_NoRecipientAllowed_PermissionDeniedEh5006_DenialsLoggedAndAlarmed_RetrySame()
    {
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var notices = new NoticeService.NoticeServiceClient(dji);
        var request = HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30));
        request.Grounds.Clear();
        request.Grounds.Add(new ProcessingGrounds { Purpose = Purpose.ReleasePreparation, LegalBasis = LegalBasis.Wiv2017OfficialReport });

        var ex = await Assert.ThrowsAsync<RpcException>(() => notices.SubmitEndOfDetentionNoticeAsync(request).ResponseAsync);
        var retried = await Assert.ThrowsAsync<RpcException>(() => notices.SubmitEndOfDetentionNoticeAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("EH5006: No recipient may receive this message; every decision is in the receipt and logged. First: EH3002: Legal basis WIV_2017_OFFICIAL_REPORT is not available to", ex.Status.Detail, StringComparison.Ordinal);
        var info = HubMessages.ErrorInfo(ex);
        var messageId = info.Metadata["message_id"];
        Assert.Equal(("EH3002", messageId), (HubMessages.ErrorInfo(retried).Reason, HubMessages.ErrorInfo(retried).Metadata["message_id"]));

        var pseudonym = hub.Service<LedgerKeys>().Pseudonymizer.Pseudonymize(Bsn.Parse(ValidRequests.Bsn));
        var logged = (await hub.Service<SqliteLedgerStore>().DisclosuresAboutAsync(pseudonym, null, null, CancellationToken.None)).Where(r => r.MessageId == messageId).ToList();
        Assert.Equal([TestPki.IdvOin, TestPki.RotterdamOin], logged.Select(r => r.Recipient.Oin).Order());
        Assert.All(logged, r => Assert.Equal((DisclosureDecision.Denied, string.Empty, LegalBasis.Wiv2017OfficialReport, true), (r.Decision, r.DeliveryId, r.LegalBasis, r.Reason.StartsWith("EH3002: ", StringComparison.Ordinal))));
        Assert.Contains(logged, r => r.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) == info.Metadata["log_sequence"]);

        // Both are mandatory recipients of a notice: each denial raises an alarm.
        var alarms = await AlarmsAsync(hub.Pki.Dji, messageId);
        Assert.Equal([TestPki.IdvOin, TestPki.RotterdamOin], alarms.Where(a => a.Kind == AlarmKind.MandatoryRecipientDenied).Select(a => a.Recipient.Oin).Order());
        Assert.Null(await HubMessages.FindOrNullAsync(hub, hub.Pki.Rotterdam, messageId));
    }

    private static ProcessingGrounds PoliceGrounds(string? justification) => new()
    {
        Purpose = Purpose.PersonCentredApproach,
        LegalBasis = LegalBasis.WpgArt20,
        Justification = justification ?? string.Empty,
    };

    private static SubmitOfficialReportRequest OfficialReport(string recipientOin) => new()
    {
        Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
        Grounds = new ProcessingGrounds { Purpose = Purpose.Prosecution, LegalBasis = LegalBasis.Wiv2017OfficialReport },
        Report = new OfficialReport
        {
            ReferenceNumber = "AIVD-2026-1187",
            Recipient = new PartnerId { Oin = recipientOin },
            Subject = new SubjectReference { Bsn = ValidRequests.Bsn },
            Finding = "The subject prepares to travel to a conflict zone to join a terrorist organisation.",
            Measures = { ReportMeasure.Prosecution },
            Classification = ReportClassification.DepartmentalConfidential,
            IssuedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2)),
        },
    };

    private static RecordReportFollowUpRequest FollowUp(string reportMessageId) => new()
    {
        Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
        Grounds = new ProcessingGrounds { Purpose = Purpose.NationalSecurityMeasure, LegalBasis = LegalBasis.AvgArt61E },
        FollowUp = new OfficialReportFollowUp
        {
            ReportMessageId = reportMessageId,
            Outcome = FollowUpOutcome.MeasureTaken,
            MeasuresTaken = { ReportMeasure.Prosecution },
            Explanation = "A criminal investigation was opened.",
            DecidedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-5)),
        },
    };

    private static CorrectEndOfDetentionNoticeRequest Correction(SubmitEndOfDetentionNoticeRequest notice, string originalMessageId) => new()
    {
        Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
        Grounds = { notice.Grounds },
        Correction = new EndOfDetentionNoticeCorrection { OriginalMessageId = originalMessageId, Notice = notice.Notice, Reason = "Changed release date." },
    };

    private static WithdrawEndOfDetentionNoticeRequest Withdrawal(SubmitEndOfDetentionNoticeRequest notice, string originalMessageId) => new()
    {
        Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
        Grounds = { notice.Grounds },
        Withdrawal = new EndOfDetentionNoticeWithdrawal { OriginalMessageId = originalMessageId, Reason = "Released on other grounds." },
    };

    private Task AcknowledgeAsync(params SubmissionReceipt[] receipts) => HubMessages.AcknowledgeAsync(hub, receipts);

    private async Task<List<InboxMessage>> PullAllAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 recipient)
    {
        using var channel = hub.CreateChannel(recipient);
        return await HubMessages.PullAllAsync(new InboxService.InboxServiceClient(channel));
    }

    private async Task<List<Alarm>> AlarmsAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 party, string messageId)
    {
        using var channel = hub.CreateChannel(party);
        var audit = new AuditService.AuditServiceClient(channel);
        var alarms = new List<Alarm>();
        var token = string.Empty;
        do
        {
            var page = await audit.ListAlarmsAsync(new ListAlarmsRequest { PageSize = 500, PageToken = token });
            alarms.AddRange(page.Alarms.Where(a => a.MessageId == messageId));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return alarms;
    }

    /// <summary>
    /// What was logged since the log had <paramref name="size"/> entries. (Not just the size: the watchdog may log an
    /// alarm message for an earlier test's delivery at any moment.)
    /// </summary>
    private Task<List<LogEntry>> LoggedSinceAsync(long size) => HubMessages.LoggedSinceAsync(hub, size);

    private Task<LogEntry> LeafAsync(ulong sequence) => HubMessages.LeafAsync(hub, sequence);
}
