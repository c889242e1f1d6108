// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;

namespace ExchangeHub.Core.Tests.Policy;

/// <summary>Properties of the engine that hold for every request, on the default policy.</summary>
public sealed class PolicyEngineTests
{
    private const int Calls = 1000;

    private static readonly CompiledPolicy Policy = PolicyLoader.Load(RepositoryPaths.DefaultPolicy);

    [Theory]
    [InlineData("official-report-aivd-to-prosecution")] // no conditions
    [InlineData("eod-notice-dji-to-rotterdam-release-preparation")] // jurisdiction
    [InlineData("signal-police-to-rotterdam-wpg20-member")] // justification and case consultation
    [InlineData("eod-notice-justid-to-prosecution-with-idv-role")] // a recipient with two roles
    public void Decide_AllowedWithoutPayload_AllocatesNothing(string row)
    {
        var (request, directory) = Request(row);
        var decision = Policy.Decide(request, directory);
        Assert.True(decision.IsAllowed, decision.Explanation);
        Assert.Null(decision.DisclosedPayload);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            decision = Policy.Decide(request, directory);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(decision.IsAllowed);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Decide_Denied_Allocates()
    {
        // The control for the test above: the measurement does see allocations (a denial builds its explanation).
        var (request, directory) = Request("signal-police-wpg20-without-justification");
        Policy.Decide(request, directory);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            Assert.False(Policy.Decide(request, directory).IsAllowed);
        }

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0);
    }

    [Fact]
    public void Decide_PayloadOfAnotherContractType_ThrowsInsteadOfDisclosing()
    {
        var (request, directory) = Request("eod-notice-dji-to-idv-victim-information");
        var wrong = new DisclosureRequest
        {
            Sender = request.Sender,
            Recipient = request.Recipient,
            MessageType = request.MessageType,
            Category = request.Category,
            Purpose = request.Purpose,
            LegalBasis = request.LegalBasis,
            Payload = Payloads.Full(Signal.Descriptor),
        };

        Assert.Throws<ArgumentException>(() => Policy.Decide(wrong, directory));
    }

    [Theory]
    [InlineData(Purpose.Unspecified, LegalBasis.AvgArt61C)]
    [InlineData(Purpose.VictimInformation, LegalBasis.Unspecified)]
    public void Decide_WithoutPurposeOrBasis_Throws(Purpose purpose, LegalBasis basis)
    {
        var (request, directory) = Request("eod-notice-dji-to-idv-victim-information");
        var incomplete = new DisclosureRequest
        {
            Sender = request.Sender,
            Recipient = request.Recipient,
            MessageType = request.MessageType,
            Category = request.Category,
            Purpose = purpose,
            LegalBasis = basis,
        };

        Assert.Throws<ArgumentException>(() => Policy.Decide(incomplete, directory));
    }

    private static (DisclosureRequest Request, ICaseConsultationDirectory Directory) Request(string row)
    {
        var table = ScenarioTable.Default;
        return (table.ByName[row].ToRequest(payload: null), new FixedCaseConsultationDirectory(table.CaseConsultations));
    }
}
