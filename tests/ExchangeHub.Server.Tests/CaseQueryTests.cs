// This file is part of ExchangeHub.

using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Tests.Support.Hub;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// CaseService.QueryCase end to end over mutual TLS, on data partners submitted through the hub: a municipality
/// sees only the items the policy lets it see, each stripped to its rule's fields; a query refused as a whole is
/// PERMISSION_DENIED with the reason; and every outcome, allowed, partial or denied, is in the disclosure log.
/// Every test works on a subject of its own (a fresh BSN), since the hub is shared.
/// </summary>
[Collection(SharedHubDefinition.Name)]
public sealed class CaseQueryTests(HubTestServer hub)
{
    private static readonly ProcessingGrounds PersonCentred = HubMessages.CaseConsultationGrounds;
    private static readonly ProcessingGrounds Reintegration = new() { Purpose = Purpose.Reintegration, LegalBasis = LegalBasis.WetSenbReintegration };

    private static readonly string[] NoticeFieldsPersonCentred =
    [
        "notices.notice.detained_in_terrorist_wing", "notices.notice.expected_release_time", "notices.notice.institution",
        "notices.notice.municipality_of_residence", "notices.notice.place_of_release", "notices.notice.release_type",
        "notices.notice.subject", "notices.origin", "notices.original_message_id",
    ];

    private static readonly string[] SignalFieldsPersonCentred =
    [
        "signals.origin", "signals.signal.case_consultation_id", "signals.signal.description", "signals.signal.municipality",
        "signals.signal.observed_at", "signals.signal.related_signal_ids", "signals.signal.signal_type", "signals.signal.subject",
    ];

    [Fact]
    public async Task QueryCase_SubjectsMunicipality_NoticeAndSignalStrippedToTheirRules_QueryAndEachItemLogged()
    {
        var seeded = await SeedAsync();
        var correlationId = Guid.NewGuid().ToString("D");
        var request = Request(seeded.Subject, PersonCentred);
        request.CorrelationId = correlationId;

        var view = await QueryAsync(hub.Pki.Rotterdam, request);

        Assert.Equal((DisclosureDecision.Allowed, "exchangehub-default"), (view.Decision, view.PolicyId));
        Assert.Equal(seeded.Subject, view.Subject);
        Assert.Equal([.. NoticeFieldsPersonCentred, .. SignalFieldsPersonCentred], view.DisclosedFields);
        Assert.Equal("case-query-notices-person-centred,case-query-signals-person-centred", view.RuleId);
        var notice = Assert.Single(view.Notices);
        Assert.Equal((seeded.Notice.MessageId, seeded.Notice.MessageId, TestPki.DjiOin), (notice.OriginalMessageId, notice.Origin.MessageId, notice.Origin.Sender.Oin));
        Assert.Equal(seeded.Notice.AcceptedAt, notice.Origin.AcceptedAt);
        Assert.Equal(seeded.NoticeRequest.Notice.ExpectedReleaseTime, notice.Notice.ExpectedReleaseTime);
        Assert.Equal(seeded.NoticeRequest.Notice.Institution, notice.Notice.Institution);
        Assert.True(notice.Notice.DetainedInTerroristWing);

        // Not among the fields of the rule for the person-centred approach: stripped, though DJI sent them.
        Assert.NotEmpty(seeded.NoticeRequest.Notice.HandoverRemarks);
        Assert.Equal((string.Empty, string.Empty, 0), (notice.Notice.HandoverRemarks, notice.Notice.DetentionInformationPointCaseNumber, notice.Notice.OffenceCategories.Count));
        var signal = Assert.Single(view.Signals);
        Assert.Equal((seeded.Signal.MessageId, seeded.SignalRequest.Signal.Description, HubTestServer.SharedCaseConsultationId), (signal.Origin.MessageId, signal.Signal.Description, signal.Signal.CaseConsultationId));

        // Re-integration data serves the D&R-plan, not the person-centred approach: not even looked at.
        Assert.Empty(view.ReintegrationData);
        Assert.Empty(view.OfficialReports);
        Assert.Empty(view.AllowedAlternatives);
        Assert.StartsWith("Allowed: 2 item(s) disclosed", view.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Partial", view.Reason, StringComparison.Ordinal);

        // The query's own record at log_sequence, then one record per item, each naming its provider.
        var logged = await LoggedAsync(view.LogSequence, 3);
        var query = logged[0];
        Assert.Equal((MessageType.CaseQuery, DataCategory.CaseData, DisclosureDecision.Allowed), (query.MessageType, query.Category, query.Decision));
        Assert.Equal((TestPki.RotterdamOin, PartnerRole.Municipality), (query.Recipient.Oin, query.RecipientRole));
        Assert.Equal([TestPki.DjiOin], query.DataProviders.Select(p => p.Oin));
        Assert.Equal((Purpose.PersonCentredApproach, LegalBasis.WgpaRadicalisation, view.RuleId, view.Reason), (query.Purpose, query.LegalBasis, query.RuleId, query.Reason));
        Assert.Equal(view.DisclosedFields, query.DisclosedFields);
        Assert.Equal((correlationId, Pseudonym(seeded.Subject), string.Empty), (query.CorrelationId, query.SubjectPseudonym, query.DeliveryId));
        var unsequenced = view.Clone();
        unsequenced.LogSequence = 0;
        Assert.Equal(Sha256(unsequenced), query.PayloadSha256);

        Assert.Equal(
            [
                (TestPki.DjiOin, MessageType.EndOfDetentionNotice, seeded.Notice.MessageId, "case-query-notices-person-centred", Sha256(view.Notices[0])),
                (TestPki.DjiOin, MessageType.Signal, seeded.Signal.MessageId, "case-query-signals-person-centred", Sha256(view.Signals[0])),
            ],
            logged.Skip(1).Select(r => (r.Sender.Oin, r.MessageType, r.MessageId, r.RuleId, r.PayloadSha256)));
        Assert.All(logged.Skip(1), r =>
        {
            Assert.Equal((TestPki.RotterdamOin, DisclosureDecision.Allowed, string.Empty, correlationId), (r.Recipient.Oin, r.Decision, r.DeliveryId, r.CorrelationId));
            Assert.Equal((Purpose.PersonCentredApproach, Pseudonym(seeded.Subject)), (r.Purpose, r.SubjectPseudonym));
            Assert.Contains($"case query {query.MessageId}", r.Reason, StringComparison.Ordinal);
        });
        Assert.Equal(NoticeFieldsPersonCentred, logged[1].DisclosedFields);
        Assert.Equal(SignalFieldsPersonCentred, logged[2].DisclosedFields);
    }

    [Fact]
    public async Task QueryCase_Reintegration_NoticeWithHandOverRemarksAndTheBasicConditions_NoSignals()
    {
        var seeded = await SeedAsync();

        var view = await QueryAsync(hub.Pki.Rotterdam, Request(seeded.Subject, Reintegration));

        Assert.Equal("case-query-notices-reintegration,case-query-reintegration", view.RuleId);
        var notice = Assert.Single(view.Notices).Notice;
        Assert.Equal(seeded.NoticeRequest.Notice.HandoverRemarks, notice.HandoverRemarks);
        Assert.Equal((false, 0), (notice.DetainedInTerroristWing, notice.OffenceCategories.Count));
        var data = Assert.Single(view.ReintegrationData);
        Assert.Equal(seeded.Reintegration.MessageId, data.Origin.MessageId);
        Assert.Equal((seeded.ReintegrationRequest.Data.Housing, seeded.ReintegrationRequest.Data.Debts), (data.Data.Housing, data.Data.Debts));
        Assert.Empty(data.Data.Recipients);
        Assert.Empty(view.Signals);
        Assert.Contains("reintegration_data.data.housing", view.DisclosedFields);
        Assert.Contains("notices.notice.handover_remarks", view.DisclosedFields);
        Assert.DoesNotContain("notices.notice.offence_categories", view.DisclosedFields);

        var logged = await LoggedAsync(view.LogSequence, 3);
        Assert.Equal((MessageType.CaseQuery, LegalBasis.WetSenbReintegration), (logged[0].MessageType, logged[0].LegalBasis));
        Assert.Equal([seeded.Notice.MessageId, seeded.Reintegration.MessageId], logged.Skip(1).Select(r => r.MessageId));
    }

    [Fact]
    public async Task QueryCase_MunicipalityOutsideJurisdiction_PermissionDeniedAsForAnUnknownSubject_DenialLogged()
    {
        var seeded = await SeedAsync();
        using var utrecht = hub.CreateChannel(hub.Pki.Utrecht);
        var cases = new CaseService.CaseServiceClient(utrecht);

        var ex = await Assert.ThrowsAsync<RpcException>(() => cases.QueryCaseAsync(Request(seeded.Subject, PersonCentred)).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => cases.QueryCaseAsync(Request(new SubjectReference { Bsn = ValidRequests.NewBsn() }, PersonCentred)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith($"EH3013: The hub shows Gemeente Utrecht ({TestPki.UtrechtOin}) nothing about this subject for PERSON_CENTRED_APPROACH under WGPA_RADICALISATION", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("GM0599", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((StatusCode.PermissionDenied, ex.Status.Detail), (unknown.StatusCode, unknown.Status.Detail));
        var info = HubMessages.ErrorInfo(ex);
        Assert.Equal(("EH3013", string.Empty), (info.Reason, info.Metadata["rule_id"]));
        Assert.Contains("WET_SENB_REINTEGRATION/REINTEGRATION", info.Metadata["allowed_alternatives"].Split(','));

        // The privacy officer finds the denial at the sequence the refusal names.
        var logged = (await HubMessages.LeafAsync(hub, ulong.Parse(info.Metadata["log_sequence"], CultureInfo.InvariantCulture))).Disclosure;
        Assert.Equal((MessageType.CaseQuery, DisclosureDecision.Denied, TestPki.UtrechtOin, info.Metadata["message_id"]), (logged.MessageType, logged.Decision, logged.Recipient.Oin, logged.MessageId));
        Assert.Equal((ex.Status.Detail, Pseudonym(seeded.Subject), Purpose.PersonCentredApproach), (logged.Reason, logged.SubjectPseudonym, logged.Purpose));
        Assert.Empty(logged.DataProviders);
        Assert.Empty(logged.DisclosedFields);
        Assert.True(logged.PayloadSha256.IsEmpty);
    }

    [Fact]
    public async Task QueryCase_WrongPurposeOrBasis_PermissionDeniedNamingTheGroundsThatWouldDo_DenialLogged()
    {
        var seeded = await SeedAsync();
        using var rotterdam = hub.CreateChannel(hub.Pki.Rotterdam);
        var cases = new CaseService.CaseServiceClient(rotterdam);
        var refusals = new (ProcessingGrounds Grounds, string Start)[]
        {
            (new() { Purpose = Purpose.ReleasePreparation, LegalBasis = LegalBasis.AvgArt61E }, $"EH3012: Legal basis AVG_ART_6_1_E does not cover CASE_QUERY by Gemeente Rotterdam ({TestPki.RotterdamOin}) (roles MUNICIPALITY)"),
            (new() { Purpose = Purpose.PublicOrder, LegalBasis = LegalBasis.WgpaRadicalisation }, "EH3005: Purpose PUBLIC_ORDER is not permitted under Wet gegevensverwerking persoonsgerichte aanpak"),
        };

        foreach (var (grounds, start) in refusals)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => cases.QueryCaseAsync(Request(seeded.Subject, grounds)).ResponseAsync);

            Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
            Assert.StartsWith(start, ex.Status.Detail, StringComparison.Ordinal);
            var info = HubMessages.ErrorInfo(ex);
            Assert.Equal(start[..6], info.Reason);
            Assert.Contains("WGPA_RADICALISATION/PERSON_CENTRED_APPROACH", info.Metadata["allowed_alternatives"].Split(','));
            var logged = Assert.Single(await LoggedAsync(ulong.Parse(info.Metadata["log_sequence"], CultureInfo.InvariantCulture), 1));
            Assert.Equal((MessageType.CaseQuery, DisclosureDecision.Denied, TestPki.RotterdamOin), (logged.MessageType, logged.Decision, logged.Recipient.Oin));
            Assert.Equal((grounds.Purpose, grounds.LegalBasis, ex.Status.Detail), (logged.Purpose, logged.LegalBasis, logged.Reason));
        }
    }

    [Fact]
    public async Task QueryCase_NotAMunicipality_RefusedByTheTokenBeforeAnyDecision_InTheSecurityLogNotTheDisclosureLog()
    {
        var seeded = await SeedAsync();
        var logSize = hub.Service<IDisclosureLog>().Committed.Size;
        using var police = hub.CreateChannel(hub.Pki.Police);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new CaseService.CaseServiceClient(police).QueryCaseAsync(Request(seeded.Subject, PersonCentred)).ResponseAsync);

        // The police may not hold the case-query scope at all, so the request never reaches the policy: nothing about
        // the subject was looked at, and the refusal is a security event (1203), not a disclosure decision.
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("EH1019: The access token does not carry scope 'cases:query'", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await HubMessages.LoggedSinceAsync(hub, (long)logSize), e => e.Disclosure?.Recipient?.Oin == TestPki.PoliceOin);
        Assert.Contains(hub.Logs.Records, r => r.EventId.Id == 1203 && r.Message.Contains(TestPki.PoliceOin, StringComparison.Ordinal) && r.Message.Contains("cases:query", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueryCase_CaseConsultationMember_SeesWhatWasDeliveredForIt_PartialAnswerNamesWhatWasLeftOut()
    {
        var seeded = await SeedAsync();

        var everything = await QueryAsync(hub.Pki.Amsterdam, Request(seeded.Subject, PersonCentred));
        var forTheConsultation = Request(seeded.Subject, PersonCentred);
        forTheConsultation.CaseConsultationId = HubTestServer.SharedCaseConsultationId;
        var ofTheConsultation = await QueryAsync(hub.Pki.Amsterdam, forTheConsultation);

        // Amsterdam is not the subject's municipality, but it takes part in the case consultation the signal was for.
        Assert.Equal(seeded.Signal.MessageId, Assert.Single(everything.Signals).Origin.MessageId);
        Assert.Empty(everything.Notices);
        Assert.Equal(SignalFieldsPersonCentred, everything.DisclosedFields);
        Assert.Contains(" Partial: 1 item(s) left out: END_OF_DETENTION_NOTICE x1 (EH3010: the caller is neither the subject's municipality nor a member of the case consultation it was delivered for).", everything.Reason, StringComparison.Ordinal);
        Assert.Contains(everything.AllowedAlternatives, g => (g.Purpose, g.LegalBasis) == (Purpose.Reintegration, LegalBasis.WetSenbReintegration));

        // Asked for that case consultation only, the notice (which names none) is not part of the question.
        Assert.Equal(seeded.Signal.MessageId, Assert.Single(ofTheConsultation.Signals).Origin.MessageId);
        Assert.Empty(ofTheConsultation.Notices);
        Assert.DoesNotContain("Partial", ofTheConsultation.Reason, StringComparison.Ordinal);

        foreach (var view in new[] { everything, ofTheConsultation })
        {
            var logged = await LoggedAsync(view.LogSequence, 2);
            Assert.Equal((MessageType.CaseQuery, DisclosureDecision.Allowed, TestPki.AmsterdamOin, view.Reason), (logged[0].MessageType, logged[0].Decision, logged[0].Recipient.Oin, logged[0].Reason));
            Assert.Equal([TestPki.DjiOin], logged[0].DataProviders.Select(p => p.Oin));
            Assert.Equal((TestPki.DjiOin, TestPki.AmsterdamOin, seeded.Signal.MessageId), (logged[1].Sender.Oin, logged[1].Recipient.Oin, logged[1].MessageId));
        }
    }

    [Fact]
    public async Task QueryCase_CorrectedAndWithdrawnNotices_LatestCorrectionOnly_WithdrawnLeftOut_MovedToAnotherSubject()
    {
        var subject = new SubjectReference { Bsn = ValidRequests.NewBsn() };
        var otherSubject = new SubjectReference { Bsn = ValidRequests.NewBsn() };
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var notices = new NoticeService.NoticeServiceClient(dji);
        var corrected = NoticeAbout(subject);
        var kept = (await notices.SubmitEndOfDetentionNoticeAsync(corrected)).Receipt;
        var firstCorrection = (await notices.CorrectEndOfDetentionNoticeAsync(Correction(corrected, kept.MessageId, DateTimeOffset.UtcNow.AddDays(40)))).Receipt;
        var latestRelease = DateTimeOffset.UtcNow.AddDays(44);
        var latestCorrection = (await notices.CorrectEndOfDetentionNoticeAsync(Correction(corrected, kept.MessageId, latestRelease))).Receipt;
        var withdrawnRequest = NoticeAbout(subject);
        var withdrawn = (await notices.SubmitEndOfDetentionNoticeAsync(withdrawnRequest)).Receipt;
        var withdrawal = (await notices.WithdrawEndOfDetentionNoticeAsync(new WithdrawEndOfDetentionNoticeRequest
        {
            Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
            Grounds = { withdrawnRequest.Grounds },
            Withdrawal = new EndOfDetentionNoticeWithdrawal { OriginalMessageId = withdrawn.MessageId, Reason = "New detention title; no release." },
        })).Receipt;
        var movedRequest = NoticeAbout(subject);
        var moved = (await notices.SubmitEndOfDetentionNoticeAsync(movedRequest)).Receipt;
        var toOther = Correction(movedRequest, moved.MessageId, DateTimeOffset.UtcNow.AddDays(30));
        toOther.Correction.Notice.Subject = otherSubject.Clone();
        var movedCorrection = (await notices.CorrectEndOfDetentionNoticeAsync(toOther)).Receipt;
        await HubMessages.AcknowledgeAsync(hub, kept, firstCorrection, latestCorrection, withdrawn, withdrawal, moved, movedCorrection);

        var view = await QueryAsync(hub.Pki.Rotterdam, Request(subject, PersonCentred));
        var other = await QueryAsync(hub.Pki.Rotterdam, Request(otherSubject, PersonCentred));

        var notice = Assert.Single(view.Notices);
        Assert.Equal((kept.MessageId, latestCorrection.MessageId), (notice.OriginalMessageId, notice.Origin.MessageId));
        Assert.Equal(Timestamp.FromDateTimeOffset(latestRelease), notice.Notice.ExpectedReleaseTime);
        var item = (await LoggedAsync(view.LogSequence, 2))[1];
        Assert.Equal((MessageType.EndOfDetentionNoticeCorrection, latestCorrection.MessageId), (item.MessageType, item.MessageId));

        // A correction that names another person takes the notice along to that person's case.
        var movedNotice = Assert.Single(other.Notices);
        Assert.Equal((moved.MessageId, movedCorrection.MessageId), (movedNotice.OriginalMessageId, movedNotice.Origin.MessageId));
        Assert.Equal(otherSubject, movedNotice.Notice.Subject);
    }

    [Fact]
    public async Task QueryCase_OfficialReports_OnlyThoseAddressedToTheCaller()
    {
        var subject = new SubjectReference { Bsn = ValidRequests.NewBsn() };
        using var aivd = hub.CreateChannel(hub.Pki.Aivd);
        var reports = new OfficialReportService.OfficialReportServiceClient(aivd);
        var toMayor = (await reports.SubmitOfficialReportAsync(Report(subject, TestPki.RotterdamOin, Purpose.PublicOrder, ReportMeasure.PublicOrderMeasure))).Receipt;
        var toProsecution = (await reports.SubmitOfficialReportAsync(Report(subject, TestPki.IdvOin, Purpose.Prosecution, ReportMeasure.Prosecution))).Receipt;
        await HubMessages.AcknowledgeAsync(hub, toMayor, toProsecution);
        var grounds = new ProcessingGrounds { Purpose = Purpose.PublicOrder, LegalBasis = LegalBasis.Wiv2017OfficialReport };

        var view = await QueryAsync(hub.Pki.Rotterdam, Request(subject, grounds));

        var report = Assert.Single(view.OfficialReports);
        Assert.Equal((toMayor.MessageId, TestPki.AivdOin, TestPki.RotterdamOin), (report.Origin.MessageId, report.Origin.Sender.Oin, report.Report.Recipient.Oin));
        Assert.Equal([ReportMeasure.PublicOrderMeasure], report.Report.Measures);
        Assert.Equal("case-query-official-reports", view.RuleId);
        var logged = await LoggedAsync(view.LogSequence, 2);
        Assert.Equal([TestPki.AivdOin], logged[0].DataProviders.Select(p => p.Oin));
        Assert.Equal((TestPki.AivdOin, MessageType.OfficialReport, toMayor.MessageId), (logged[1].Sender.Oin, logged[1].MessageType, logged[1].MessageId));
    }

    [Fact]
    public async Task QueryCase_Categories_OnlyThoseAskedFor_AndThoseTheGroundsDoNotCoverNamedOrRefused()
    {
        var seeded = await SeedAsync();
        var some = Request(seeded.Subject, PersonCentred);
        some.Categories.Add([DataCategory.Signal, DataCategory.ReintegrationData]);
        var uncovered = Request(seeded.Subject, PersonCentred);
        uncovered.Categories.Add(DataCategory.ReintegrationData);
        using var rotterdam = hub.CreateChannel(hub.Pki.Rotterdam);

        var view = await QueryAsync(hub.Pki.Rotterdam, some);
        var ex = await Assert.ThrowsAsync<RpcException>(() => new CaseService.CaseServiceClient(rotterdam).QueryCaseAsync(uncovered).ResponseAsync);

        Assert.Equal(seeded.Signal.MessageId, Assert.Single(view.Signals).Origin.MessageId);
        Assert.Empty(view.Notices);
        Assert.Empty(view.ReintegrationData);
        Assert.EndsWith(" Not covered by these grounds, so left out: REINTEGRATION_DATA.", view.Reason, StringComparison.Ordinal);
        Assert.Equal([(Purpose.Reintegration, LegalBasis.WetSenbReintegration)], view.AllowedAlternatives.Select(g => (g.Purpose, g.LegalBasis)));
        Assert.Equal(DisclosureDecision.Allowed, (await LoggedAsync(view.LogSequence, 1))[0].Decision);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("EH3014: WGPA_RADICALISATION for PERSON_CENTRED_APPROACH does not cover the requested categories (REINTEGRATION_DATA)", ex.Status.Detail, StringComparison.Ordinal);
        var info = HubMessages.ErrorInfo(ex);
        Assert.Equal("WET_SENB_REINTEGRATION/REINTEGRATION", info.Metadata["allowed_alternatives"]);
        var logged = (await LoggedAsync(ulong.Parse(info.Metadata["log_sequence"], CultureInfo.InvariantCulture), 1))[0];
        Assert.Equal((DisclosureDecision.Denied, ex.Status.Detail), (logged.Decision, logged.Reason));
    }

    [Fact]
    public async Task QueryCase_MalformedCorrelationId_InvalidArgument()
    {
        using var rotterdam = hub.CreateChannel(hub.Pki.Rotterdam);
        var request = Request(new SubjectReference { Bsn = ValidRequests.NewBsn() }, PersonCentred);
        request.CorrelationId = "not-a-uuid";

        var ex = await Assert.ThrowsAsync<RpcException>(() => new CaseService.CaseServiceClient(rotterdam).QueryCaseAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("EH2001: The request is invalid: correlation_id: ", ex.Status.Detail, StringComparison.Ordinal);
    }

    private static QueryCaseRequest Request(SubjectReference subject, ProcessingGrounds grounds) => new() { Subject = subject.Clone(), Grounds = grounds.Clone() };

    private static SubmitEndOfDetentionNoticeRequest NoticeAbout(SubjectReference subject)
    {
        var request = HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30));
        request.Notice.Subject = subject.Clone();
        request.Notice.DetainedInTerroristWing = true;
        return request;
    }

    private static CorrectEndOfDetentionNoticeRequest Correction(SubmitEndOfDetentionNoticeRequest notice, string originalMessageId, DateTimeOffset release)
    {
        var corrected = notice.Notice.Clone();
        corrected.ExpectedReleaseTime = Timestamp.FromDateTimeOffset(release);
        return new CorrectEndOfDetentionNoticeRequest
        {
            Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
            Grounds = { notice.Grounds },
            Correction = new EndOfDetentionNoticeCorrection { OriginalMessageId = originalMessageId, Notice = corrected, Reason = "The court moved the release date." },
        };
    }

    private static SubmitOfficialReportRequest Report(SubjectReference subject, string recipientOin, Purpose purpose, ReportMeasure measure) => new()
    {
        Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
        Grounds = new ProcessingGrounds { Purpose = purpose, LegalBasis = LegalBasis.Wiv2017OfficialReport },
        Report = new OfficialReport
        {
            ReferenceNumber = $"AIVD-{Guid.NewGuid():N}"[..20],
            Recipient = new PartnerId { Oin = recipientOin },
            Subject = subject.Clone(),
            Finding = "The subject prepares to travel to a conflict zone to join a terrorist organisation.",
            Measures = { measure },
            Classification = ReportClassification.DepartmentalConfidential,
            IssuedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2)),
        },
    };

    /// <summary>
    /// What partners deliver about a fresh subject of Rotterdam (GM0599), each acknowledged by its recipients: DJI's
    /// end-of-detention notice (to the mayor and the IDV), its signal for the case consultation Rotterdam shares with
    /// Amsterdam, and its re-integration data.
    /// </summary>
    private async Task<Seeded> SeedAsync()
    {
        var subject = new SubjectReference { Bsn = ValidRequests.NewBsn() };
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var noticeRequest = NoticeAbout(subject);
        var notice = (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(noticeRequest)).Receipt;
        var signalRequest = HubMessages.Signal("GM0599", PersonCentred, "Breaks with former friends; speaks of a duty to fight.", HubTestServer.SharedCaseConsultationId);
        signalRequest.Signal.Subject = subject.Clone();
        var signal = (await new SignalService.SignalServiceClient(dji).SubmitSignalAsync(signalRequest)).Receipt;
        var updated = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-2));
        var reintegrationRequest = new SubmitReintegrationDataRequest
        {
            Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
            Grounds = { Reintegration },
            Data = new ReintegrationData
            {
                Subject = subject.Clone(),
                Municipality = new MunicipalityCode { Code = "GM0599" },
                Housing = new BasicCondition { Status = BasicConditionStatus.Arranged, Note = "Supported housing from the day of release.", UpdatedAt = updated },
                Debts = new BasicCondition { Status = BasicConditionStatus.InProgress, Note = "Debt counselling started.", UpdatedAt = updated },
            },
        };
        var reintegration = (await new CaseService.CaseServiceClient(dji).SubmitReintegrationDataAsync(reintegrationRequest)).Receipt;
        Assert.Equal(2, notice.Deliveries.Count(d => d.Decision == DisclosureDecision.Allowed));
        Assert.Equal(DisclosureDecision.Allowed, Assert.Single(signal.Deliveries).Decision);
        Assert.Equal(DisclosureDecision.Allowed, Assert.Single(reintegration.Deliveries).Decision);
        await HubMessages.AcknowledgeAsync(hub, notice, signal, reintegration);
        return new Seeded(subject, noticeRequest, notice, signalRequest, signal, reintegrationRequest, reintegration);
    }

    private async Task<CaseView> QueryAsync(X509Certificate2 caller, QueryCaseRequest request)
    {
        using var channel = hub.CreateChannel(caller);
        return (await new CaseService.CaseServiceClient(channel).QueryCaseAsync(request)).CaseView;
    }

    /// <summary><paramref name="count"/> disclosure records from <paramref name="start"/> on, as the log stores them.</summary>
    private async Task<List<DisclosureRecord>> LoggedAsync(ulong start, int count)
    {
        var leaves = await hub.Service<SqliteLedgerStore>().ReadLeavesAsync((long)start, (long)start + count, CancellationToken.None);
        Assert.Equal(count, leaves.Count);
        return [.. leaves.Select(leaf => LogEntryCodec.Decode(leaf).Disclosure)];
    }

    private string Pseudonym(SubjectReference subject) => hub.Service<LedgerKeys>().Pseudonymizer.Pseudonymize(subject);

    private static ByteString Sha256(IMessage message) => ByteString.CopyFrom(SHA256.HashData(message.ToByteArray()));

    private sealed record Seeded(
        SubjectReference Subject,
        SubmitEndOfDetentionNoticeRequest NoticeRequest,
        SubmissionReceipt Notice,
        SubmitSignalRequest SignalRequest,
        SubmissionReceipt Signal,
        SubmitReintegrationDataRequest ReintegrationRequest,
        SubmissionReceipt Reintegration);
}
