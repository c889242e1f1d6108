// This file is part of ExchangeHub.

using System.Text.Json;
using ExchangeHub.Cli.Commands;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Tests.Support.Hub;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Cli.Tests;

/// <summary><c>hubctl case query</c> against a real hub over mutual TLS, on a notice DJI submitted there.</summary>
public sealed class CaseCommandTests(HubTestServer hub) : IClassFixture<HubTestServer>
{
    [Fact]
    public async Task Query_SubjectsMunicipality_PrintsEachItemWithItsFieldsAndWhereTheQueryIsLogged()
    {
        var (bsn, notice) = await SubmitNoticeAsync();
        using var channel = hub.CreateChannel(hub.Pki.Rotterdam);

        var (exitCode, text) = await RunAsync(output => CaseCommand.QueryAsync(new CaseService.CaseServiceClient(channel), Request(bsn), json: false, output, CancellationToken.None));

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^ALLOWED: 1 item\(s\); policy exchangehub-default [0-9.]+, rule\(s\) case-query-notices-person-centred; this query is logged as entry \d+", text);
        Assert.Contains("\nEnd-of-detention notices (1)\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"  [1] message {notice.MessageId} from {TestPki.DjiOin}, accepted ", text, StringComparison.Ordinal);
        Assert.Contains($"      subject.bsn: {bsn}", text, StringComparison.Ordinal);
        Assert.Contains("      institution.code: PI-VUGHT", text, StringComparison.Ordinal);
        Assert.Contains("      release_type: RELEASE_TYPE_END_OF_SENTENCE", text, StringComparison.Ordinal);
        Assert.Contains("      detained_in_terrorist_wing: yes", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Housing arranged.", text, StringComparison.Ordinal); // the hand-over remarks are not for this purpose
        Assert.Contains("Disclosed fields: notices.notice.detained_in_terrorist_wing, ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Json_IsTheCaseViewTheHubReturned()
    {
        var (bsn, notice) = await SubmitNoticeAsync();
        using var channel = hub.CreateChannel(hub.Pki.Rotterdam);

        var (exitCode, text) = await RunAsync(output => CaseCommand.QueryAsync(new CaseService.CaseServiceClient(channel), Request(bsn), json: true, output, CancellationToken.None));

        Assert.Equal(0, exitCode);
        var view = JsonParser.Default.Parse<CaseView>(text);
        Assert.Equal((DisclosureDecision.Allowed, notice.MessageId, bsn), (view.Decision, Assert.Single(view.Notices).OriginalMessageId, view.Subject.Bsn));
        Assert.True(view.LogSequence > 0);
    }

    [Fact]
    public async Task Query_OutsideJurisdiction_PrintsTheRefusalTheGroundsThatWouldDoAndWhereItIsLogged_Exit1()
    {
        var (bsn, _) = await SubmitNoticeAsync();
        using var channel = hub.CreateChannel(hub.Pki.Utrecht);
        var cases = new CaseService.CaseServiceClient(channel);

        var (exitCode, text) = await RunAsync(output => CaseCommand.QueryAsync(cases, Request(bsn), json: false, output, CancellationToken.None));
        var (jsonExitCode, json) = await RunAsync(output => CaseCommand.QueryAsync(cases, Request(bsn), json: true, output, CancellationToken.None));

        Assert.Equal((CaseCommand.Denied, CaseCommand.Denied), (exitCode, jsonExitCode));
        Assert.StartsWith($"DENIED: EH3013: The hub shows Gemeente Utrecht ({TestPki.UtrechtOin}) nothing about this subject", text, StringComparison.Ordinal);
        Assert.Contains("Would be allowed under: ", text, StringComparison.Ordinal);
        Assert.Contains("WET_SENB_REINTEGRATION for REINTEGRATION", text, StringComparison.Ordinal);
        Assert.Matches(@"The refusal is logged as entry \d+ \(query [0-9a-f-]{36}\)\.", text);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(("DENIED", "EH3013"), (document.RootElement.GetProperty("decision").GetString(), document.RootElement.GetProperty("errorId").GetString()));
        Assert.Contains("WET_SENB_REINTEGRATION/REINTEGRATION", document.RootElement.GetProperty("allowedAlternatives").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData(null, null, "PERSON_CENTRED_APPROACH", "give the subject: --bsn or --pseudonym")]
    [InlineData("111222333", "a-chain-pseudonym-0001", "PERSON_CENTRED_APPROACH", "give the subject: --bsn or --pseudonym")]
    [InlineData("111222333", null, "GOSSIP", "--purpose 'GOSSIP' is not a Purpose; expected one of: ")]
    public void BuildRequest_UsageMistake_SaysWhat(string? bsn, string? pseudonym, string purpose, string message)
    {
        var ex = Assert.Throws<CommandLineException>(() => CaseCommand.BuildRequest(new CaseQueryArguments(bsn, pseudonym, purpose, "WGPA_RADICALISATION", null, null, [], null)));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildRequest_AllArguments_TheRequestTheyDescribe()
    {
        var request = CaseCommand.BuildRequest(new CaseQueryArguments(null, "a-chain-pseudonym-0001", "reintegration", "WET_SENB_REINTEGRATION", "needed", "cc-1", ["signal", "REINTEGRATION_DATA"], "9b2f6a1e-8f52-4c3b-9d1e-2f6a1e8f524c"));

        Assert.Equal(("a-chain-pseudonym-0001", Purpose.Reintegration, LegalBasis.WetSenbReintegration, "needed"), (request.Subject.Pseudonym, request.Grounds.Purpose, request.Grounds.LegalBasis, request.Grounds.Justification));
        Assert.Equal(("cc-1", "9b2f6a1e-8f52-4c3b-9d1e-2f6a1e8f524c"), (request.CaseConsultationId, request.CorrelationId));
        Assert.Equal([DataCategory.Signal, DataCategory.ReintegrationData], request.Categories);
    }

    private static QueryCaseRequest Request(string bsn) =>
        CaseCommand.BuildRequest(new CaseQueryArguments(bsn, null, "PERSON_CENTRED_APPROACH", "WGPA_RADICALISATION", null, null, [], null));

    /// <summary>DJI's notice about a fresh subject of Rotterdam, acknowledged by the mayor and the IDV.</summary>
    private async Task<(string Bsn, SubmissionReceipt Receipt)> SubmitNoticeAsync()
    {
        var bsn = ValidRequests.NewBsn();
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.Subject = new SubjectReference { Bsn = bsn };
        request.Notice.ExpectedReleaseTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30));
        request.Notice.DetainedInTerroristWing = true;
        request.Notice.HandoverRemarks = "Housing arranged.";
        using var dji = hub.CreateChannel(hub.Pki.Dji);
        var receipt = (await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(request)).Receipt;
        foreach (var (delivery, certificate) in receipt.Deliveries.Select(d => (d, d.Recipient.Oin == TestPki.RotterdamOin ? hub.Pki.Rotterdam : hub.Pki.Idv)))
        {
            using var channel = hub.CreateChannel(certificate);
            await new InboxService.InboxServiceClient(channel).AcknowledgeMessageAsync(new AcknowledgeMessageRequest { DeliveryId = delivery.DeliveryId, Outcome = AcknowledgementOutcome.Processed });
        }

        return (bsn, receipt);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(Func<TextWriter, Task<int>> run)
    {
        using var output = new StringWriter();
        var exitCode = await run(output);
        return (exitCode, output.ToString());
    }
}
