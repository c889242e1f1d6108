// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Tests.Support.Hub;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// A hub of its own for the privacy officer's page, so that its figures are exactly what is seeded here, through
/// real submissions, and nothing the other tests do. Acknowledgements are due only after an hour, so no alarm but the
/// seeded one is raised while the tests look. Each test class that uses it gets a hub of its own (a class fixture).
/// <list type="bullet">
/// <item>Allowed, 5: the mayor of Rotterdam (AVG art. 6(1)(e)) and the IDV (6(1)(c)) from DJI's first notice; the IDV
/// (6(1)(c)) from the second; Rotterdam from the police (Wpg art. 20); and the alarm message the hub sends the privacy
/// officer (an AlarmRecipient) about the second notice, without a legal basis.</item>
/// <item>Denied, 1: the police's signal without a justification (EH3006). The mayor of GM0014 is no partner, so
/// that notice raises an alarm (MANDATORY_RECIPIENT_DENIED) instead of a denial record.</item>
/// </list>
/// </summary>
public class AuditWebHub : HubTestServer
{
    /// <summary>DJI's notice about a resident of Rotterdam: to the mayor (AVG art. 6(1)(e)) and the IDV (AVG art. 6(1)(c)).</summary>
    public SubmissionReceipt RotterdamNotice { get; private set; } = null!;

    /// <summary>DJI's notice about a resident of GM0014, whose mayor is no partner: to the IDV only, and an outstanding-notice alarm.</summary>
    public SubmissionReceipt UnroutableNotice { get; private set; } = null!;

    /// <summary>The police's signal under Wpg art. 20 with a justification, to Rotterdam's case consultation.</summary>
    public SubmissionReceipt PoliceSignal { get; private set; } = null!;

    /// <summary>The message id of the police's signal under Wpg art. 20 without a justification, denied (EH3006).</summary>
    public string DeniedSignalId { get; private set; } = null!;

    /// <summary>The page's address.</summary>
    public Uri Page => new(Address, "/audit/");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var dji = CreateChannel(Pki.Dji);
        var notices = new NoticeService.NoticeServiceClient(dji);
        RotterdamNotice = (await notices.SubmitEndOfDetentionNoticeAsync(HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30)))).Receipt;
        UnroutableNotice = (await notices.SubmitEndOfDetentionNoticeAsync(HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30), residence: "GM0014"))).Receipt;

        using var police = CreateChannel(Pki.Police);
        var signals = new SignalService.SignalServiceClient(police);
        PoliceSignal = (await signals.SubmitSignalAsync(HubMessages.Signal("GM0599", PoliceGrounds("Recruits minors for travel to a conflict zone."), "Seen recruiting outside a school.", CaseConsultationId))).Receipt;
        var denied = await Assert.ThrowsAsync<RpcException>(() => signals.SubmitSignalAsync(HubMessages.Signal("GM0599", PoliceGrounds(null), "Seen again.", CaseConsultationId)).ResponseAsync);
        DeniedSignalId = HubMessages.ErrorInfo(denied).Metadata["message_id"];
    }

    protected override void Configure(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["ExchangeHub:Messages:AcknowledgeWithin"] = "01:00:00";
    }

    /// <summary>The seeded hub, verifying its log anew at every look at the page.</summary>
    public sealed class Reverifying : AuditWebHub
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            base.Configure(settings);
            settings["ExchangeHub:AuditWeb:VerificationMaxAge"] = "00:00:00";
        }
    }

    private static ProcessingGrounds PoliceGrounds(string? justification) => new()
    {
        Purpose = Purpose.PersonCentredApproach,
        LegalBasis = LegalBasis.WpgArt20,
        Justification = justification ?? string.Empty,
    };
}
