// This file is part of ExchangeHub.

using System.Collections.Frozen;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Cases;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Tests.Policy;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Core.Tests.Cases;

/// <summary>
/// A case view assembled under the shipped default policy: each item decided on its own (its provider as sender,
/// the caller as recipient), stripped by its rule; refusals as a whole that say nothing about what the hub holds.
/// </summary>
public sealed class CaseViewAssemblerTests
{
    private const string CaseConsultation = "cc-rotterdam-2026-014";

    private static readonly CompiledPolicy Policy = PolicyLoader.Load(RepositoryPaths.DefaultPolicy);
    private static readonly Partner Dji = Partner("00000001800000001000", "DJI", PartnerRole.PrisonService);
    private static readonly Partner Police = Partner("00000001800000003000", "Politie", PartnerRole.Police);
    private static readonly Partner Aivd = Partner("00000001800000007000", "AIVD", PartnerRole.IntelligenceService);
    private static readonly Partner Rotterdam = Partner("00000001800000005000", "Gemeente Rotterdam", PartnerRole.Municipality, "GM0599");
    private static readonly Partner Utrecht = Partner("00000001800000006000", "Gemeente Utrecht", PartnerRole.Municipality, "GM0344");
    private static readonly Partner Amsterdam = Partner("00000001800000010000", "Gemeente Amsterdam", PartnerRole.Municipality, "GM0363");
    private static readonly FixedCaseConsultationDirectory CaseConsultations = new(new Dictionary<string, FrozenSet<string>>
    {
        [CaseConsultation] = new[] { Rotterdam.Oin.Value, Amsterdam.Oin.Value }.ToFrozenSet(),
    });

    private static readonly ProcessingGrounds PersonCentred = new() { Purpose = Purpose.PersonCentredApproach, LegalBasis = LegalBasis.WgpaRadicalisation };

    [Fact]
    public void Assemble_SubjectsMunicipality_EveryItemStrippedToItsOwnRule()
    {
        var assembly = Assemble(Query(Rotterdam, PersonCentred), [NoticeEntry("n1"), SignalEntry("s1", Dji, CaseConsultation)]);

        var view = assembly.View!;
        Assert.Null(assembly.Denial);
        Assert.False(assembly.IsPartial);
        Assert.Equal((DisclosureDecision.Allowed, Policy.Id, Policy.Version), (view.Decision, view.PolicyId, view.PolicyVersion));
        Assert.Equal("case-query-notices-person-centred,case-query-signals-person-centred", view.RuleId);
        Assert.Equal(
            [
                "notices.notice.detained_in_terrorist_wing", "notices.notice.expected_release_time", "notices.notice.institution",
                "notices.notice.municipality_of_residence", "notices.notice.place_of_release", "notices.notice.release_type", "notices.notice.subject",
                "notices.origin", "notices.original_message_id",
                "signals.origin", "signals.signal.case_consultation_id", "signals.signal.description", "signals.signal.municipality",
                "signals.signal.observed_at", "signals.signal.related_signal_ids", "signals.signal.signal_type", "signals.signal.subject",
            ],
            view.DisclosedFields);
        var notice = Assert.Single(view.Notices).Notice;
        Assert.Equal(("PI-VUGHT", true, Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 15, 9, 0, 0, TimeSpan.Zero))), (notice.Institution.Code, notice.DetainedInTerroristWing, notice.ExpectedReleaseTime));
        Assert.Equal((string.Empty, string.Empty, 0), (notice.HandoverRemarks, notice.DetentionInformationPointCaseNumber, notice.OffenceCategories.Count));
        Assert.Equal("s1 described", Assert.Single(view.Signals).Signal.Description);
        Assert.Empty(view.Signals[0].Signal.Recipients);
        Assert.Equal(ValidRequests.Bsn, view.Subject.Bsn);
        Assert.Empty(view.AllowedAlternatives);
        Assert.StartsWith("Allowed: 2 item(s) disclosed, each stripped to the fields of its rule: rule case-query-notices-person-centred (", view.Reason, StringComparison.Ordinal);
        Assert.Equal([(Dji, "n1", 9), (Dji, "s1", 8)], assembly.Items.Select(i => (i.Provider, i.Entry.MessageId, i.Fields.Count)));
        Assert.Same(view.Notices[0].GetType(), assembly.Items[0].Element.GetType());
    }

    [Fact]
    public void Assemble_AnotherMunicipality_DeniedExactlyAsForASubjectTheHubDoesNotKnow()
    {
        var query = Query(Utrecht, PersonCentred);

        var known = Assemble(query, [NoticeEntry("n1"), SignalEntry("s1", Dji, null)]).Denial!;
        var unknown = Assemble(query, []).Denial!;

        Assert.Equal((DecisionReason.NothingDisclosable, "EH3013"), (known.Reason, known.ErrorId));
        Assert.Equal(unknown.Explanation, known.Explanation);
        Assert.StartsWith("EH3013: The hub shows Gemeente Utrecht (00000001800000006000) nothing about this subject for PERSON_CENTRED_APPROACH under WGPA_RADICALISATION:", known.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("GM0599", known.Explanation, StringComparison.Ordinal);
        Assert.Contains("Allowed instead: ", known.Explanation, StringComparison.Ordinal);
        Assert.Contains(known.Alternatives, a => (a.LegalBasis, a.Purpose) == (LegalBasis.WetSenbReintegration, Purpose.Reintegration));
    }

    [Fact]
    public void Assemble_CaseConsultationMember_SeesWhatWasDeliveredForIt_TheNoticeLeftOutAndNamed()
    {
        var assembly = Assemble(Query(Amsterdam, PersonCentred), [NoticeEntry("n1"), SignalEntry("s1", Dji, CaseConsultation), SignalEntry("s2", Dji, null)]);

        var view = assembly.View!;
        Assert.True(assembly.IsPartial);
        Assert.Equal("s1", Assert.Single(view.Signals).Origin.MessageId);
        Assert.Empty(view.Notices);
        Assert.Contains(" Partial: 2 item(s) left out: END_OF_DETENTION_NOTICE x1 (EH3010: the caller is neither the subject's municipality nor a member of the case consultation it was delivered for); SIGNAL x1 (EH3010: ", view.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("DJI", view.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("GM0599", view.Reason, StringComparison.Ordinal);
        Assert.Contains(view.AllowedAlternatives, g => (g.LegalBasis, g.Purpose) == (LegalBasis.WetSenbReintegration, Purpose.Reintegration));
    }

    [Fact]
    public void Assemble_CaseConsultationAskedFor_OnlyItsItems_NothingElseCountsAsLeftOut()
    {
        var assembly = Assemble(Query(Rotterdam, PersonCentred, caseConsultation: CaseConsultation), [NoticeEntry("n1"), SignalEntry("s1", Dji, CaseConsultation), SignalEntry("s2", Dji, "cc-other")]);

        Assert.False(assembly.IsPartial);
        Assert.Equal(["s1"], assembly.View!.Signals.Select(s => s.Origin.MessageId));
        Assert.Empty(assembly.View.Notices);
        Assert.DoesNotContain("Partial", assembly.View.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assemble_PoliceData_OnlyWithinTheCaseConsultationItWasGivenTo()
    {
        var assembly = Assemble(Query(Rotterdam, PersonCentred), [SignalEntry("p1", Police, CaseConsultation, DataCategory.PoliceData), SignalEntry("p2", Police, null, DataCategory.PoliceData)]);

        Assert.Equal(["p1"], assembly.View!.Signals.Select(s => s.Origin.MessageId));
        Assert.Empty(assembly.View.Signals[0].Signal.RelatedSignalIds);
        Assert.Equal("case-query-police-and-prosecution-data", assembly.View.RuleId);
        Assert.Contains("POLICE_DATA x1 (EH3009: the caller is not a member of the case consultation it was delivered for)", assembly.View.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assemble_OfficialReports_OnlyThoseAddressedToTheCaller()
    {
        var grounds = new ProcessingGrounds { Purpose = Purpose.NationalSecurityMeasure, LegalBasis = LegalBasis.Wiv2017OfficialReport };
        var entries = new[] { ReportEntry("o1", Rotterdam), ReportEntry("o2", Amsterdam), NoticeEntry("n1") };

        var atRotterdam = Assemble(Query(Rotterdam, grounds), entries);
        var atUtrecht = Assemble(Query(Utrecht, grounds), entries);

        Assert.Equal(["o1"], atRotterdam.View!.OfficialReports.Select(r => r.Origin.MessageId));
        Assert.Empty(atRotterdam.View.Notices);
        Assert.False(atRotterdam.IsPartial);
        Assert.Equal("EH3013", atUtrecht.Denial!.ErrorId);
    }

    [Fact]
    public void Assemble_ProviderNoLongerRegistered_ItsItemLeftOut()
    {
        var assembly = CaseViewAssembler.Assemble(Policy, CaseConsultations, Query(Rotterdam, PersonCentred), Screen(Query(Rotterdam, PersonCentred)),
            [NoticeEntry("n1"), SignalEntry("s1", Dji, null)], oin => oin == Dji.Oin.Value ? null : Find(oin));

        Assert.Equal("EH3013", assembly.Denial!.ErrorId);
    }

    [Fact]
    public void Assemble_RequestedCategoryTheGroundsDoNotCover_LeftOutAndNamed()
    {
        var assembly = Assemble(Query(Rotterdam, PersonCentred, categories: [DataCategory.Signal, DataCategory.ReintegrationData]), [NoticeEntry("n1"), SignalEntry("s1", Dji, null)]);

        Assert.True(assembly.IsPartial);
        Assert.Equal(["s1"], assembly.View!.Signals.Select(s => s.Origin.MessageId));
        Assert.Empty(assembly.View.Notices);
        Assert.EndsWith(" Not covered by these grounds, so left out: REINTEGRATION_DATA.", assembly.View.Reason, StringComparison.Ordinal);
        Assert.Equal([(LegalBasis.WetSenbReintegration, Purpose.Reintegration)], assembly.View.AllowedAlternatives.Select(g => (g.LegalBasis, g.Purpose)));
    }

    [Fact]
    public void Screen_OnlyCategoriesTheGroundsDoNotCover_DeniedEh3014()
    {
        var screening = Screen(Query(Rotterdam, PersonCentred, categories: [DataCategory.ReintegrationData]));

        Assert.Equal((DecisionReason.MessageNotCoveredByBasis, "EH3014"), (screening.Denial!.Reason, screening.Denial.ErrorId));
        Assert.StartsWith("EH3014: WGPA_RADICALISATION for PERSON_CENTRED_APPROACH does not cover the requested categories (REINTEGRATION_DATA) for Gemeente Rotterdam", screening.Denial.Explanation, StringComparison.Ordinal);
        Assert.Equal([(LegalBasis.WetSenbReintegration, Purpose.Reintegration)], screening.Denial.Alternatives.Select(a => (a.LegalBasis, a.Purpose)));
    }

    [Fact]
    public void Screen_WrongPurposeOrBasisOrRole_DeniedBeforeAnyDataIsRead()
    {
        var wrongPurpose = Screen(Query(Rotterdam, new ProcessingGrounds { Purpose = Purpose.PublicOrder, LegalBasis = LegalBasis.WgpaRadicalisation })).Denial!;
        var wrongBasis = Screen(Query(Rotterdam, new ProcessingGrounds { Purpose = Purpose.Prosecution, LegalBasis = LegalBasis.AvgArt61E })).Denial!;
        var notAMunicipality = Screen(Query(Police, PersonCentred)).Denial!;

        Assert.Equal((DecisionReason.PurposeNotPermitted, "EH3005"), (wrongPurpose.Reason, wrongPurpose.ErrorId));
        Assert.StartsWith("EH3005: Purpose PUBLIC_ORDER is not permitted under Wet gegevensverwerking persoonsgerichte aanpak", wrongPurpose.Explanation, StringComparison.Ordinal);
        Assert.Equal((DecisionReason.MessageNotCoveredByBasis, "EH3012"), (wrongBasis.Reason, wrongBasis.ErrorId));
        Assert.StartsWith("EH3012: Legal basis AVG_ART_6_1_E does not cover CASE_QUERY by Gemeente Rotterdam (00000001800000005000) (roles MUNICIPALITY)", wrongBasis.Explanation, StringComparison.Ordinal);
        Assert.Equal(
            ["WET_SENB_REINTEGRATION/REINTEGRATION", "WGPA_RADICALISATION/PERSON_CENTRED_APPROACH", "WIV_2017_OFFICIAL_REPORT/NATIONAL_SECURITY_MEASURE", "WIV_2017_OFFICIAL_REPORT/PUBLIC_ORDER"],
            wrongBasis.Alternatives.Select(a => $"{ContractEnums.Name(a.LegalBasis)}/{ContractEnums.Name(a.Purpose)}").Order(StringComparer.Ordinal));
        Assert.Equal((DecisionReason.RecipientOutsideScope, "EH3011", 0), (notAMunicipality.Reason, notAMunicipality.ErrorId, notAMunicipality.Alternatives.Count));
        Assert.StartsWith("EH3011: Politie (00000001800000003000) (roles POLICE) may not receive CASE_QUERY disclosures", notAMunicipality.Explanation, StringComparison.Ordinal);
    }

    private static Partner Partner(string oin, string name, PartnerRole role, string? municipality = null) =>
        new(Oin.Parse(oin), name, new[] { role }.ToFrozenSet(), municipality);

    private static Partner? Find(string oin) => new[] { Dji, Police, Aivd, Rotterdam, Utrecht, Amsterdam }.FirstOrDefault(p => p.Oin.Value == oin);

    private static CaseQuery Query(Partner caller, ProcessingGrounds grounds, string? caseConsultation = null, DataCategory[]? categories = null) => new()
    {
        Caller = caller,
        Subject = new SubjectReference { Bsn = ValidRequests.Bsn },
        Grounds = grounds,
        CaseConsultationId = caseConsultation,
        Categories = categories ?? [],
    };

    private static CaseScreening Screen(CaseQuery query) => CaseViewAssembler.Screen(Policy, query);

    private static CaseAssembly Assemble(CaseQuery query, IReadOnlyList<CaseEntry> entries) =>
        CaseViewAssembler.Assemble(Policy, CaseConsultations, query, Screen(query), entries, Find);

    private static CaseEntryOrigin Origin(string messageId, Partner sender) => new()
    {
        MessageId = messageId,
        Sender = new PartnerId { Oin = sender.Oin.Value },
        AcceptedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero)),
    };

    private static CaseEntry NoticeEntry(string id)
    {
        var notice = ValidRequests.EndOfDetentionNotice().Notice;
        notice.DetainedInTerroristWing = true;
        notice.HandoverRemarks = "Housing arranged.";
        notice.DetentionInformationPointCaseNumber = "IDV-1";
        return new CaseEntry
        {
            MessageId = id,
            MessageType = MessageType.EndOfDetentionNotice,
            SenderOin = Dji.Oin.Value,
            Category = DataCategory.EndOfDetentionNotice,
            Item = new CaseView { Notices = { new CaseNotice { Origin = Origin(id, Dji), OriginalMessageId = id, Notice = notice } } },
            SubjectMunicipalities = ["GM0599"],
        };
    }

    private static CaseEntry SignalEntry(string id, Partner sender, string? caseConsultation, DataCategory category = DataCategory.Signal) => new()
    {
        MessageId = id,
        MessageType = MessageType.Signal,
        SenderOin = sender.Oin.Value,
        Category = category,
        Item = new CaseView
        {
            Signals =
            {
                new CaseSignal
                {
                    Origin = Origin(id, sender),
                    Signal = new Signal
                    {
                        Subject = new SubjectReference { Bsn = ValidRequests.Bsn },
                        SignalType = SignalType.Radicalisation,
                        Description = id + " described",
                        CaseConsultationId = caseConsultation ?? string.Empty,
                        Municipality = new MunicipalityCode { Code = "GM0599" },
                        Recipients = { new PartnerId { Oin = Police.Oin.Value } },
                        RelatedSignalIds = { "earlier" },
                    },
                },
            },
        },
        SubjectMunicipalities = ["GM0599"],
        CaseConsultationId = caseConsultation,
    };

    private static CaseEntry ReportEntry(string id, Partner addressee) => new()
    {
        MessageId = id,
        MessageType = MessageType.OfficialReport,
        SenderOin = Aivd.Oin.Value,
        Category = DataCategory.OfficialReport,
        Item = new CaseView
        {
            OfficialReports =
            {
                new CaseOfficialReport
                {
                    Origin = Origin(id, Aivd),
                    Report = new OfficialReport { ReferenceNumber = id, Recipient = new PartnerId { Oin = addressee.Oin.Value }, Subject = new SubjectReference { Bsn = ValidRequests.Bsn }, Finding = "finding" },
                },
            },
        },
        AddresseeOin = addressee.Oin.Value,
    };
}
