// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Tests.Support.Hub;
using Google.Rpc;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// A partner's call rate: a hub of its own whose partners may make three calls and then one an hour, so that no
/// clock decides the outcome.
/// </summary>
public sealed class PartnerRateLimitTests(PartnerRateLimitTests.SlowRateHub hub) : IClassFixture<PartnerRateLimitTests.SlowRateHub>
{
    [Fact]
    public async Task GetCheckpoint_FourthCallOfABurstOfThree_ResourceExhaustedEh6003WithRetryInfo()
    {
        using var channel = hub.CreateChannel(hub.Pki.Justid);
        var audit = new AuditService.AuditServiceClient(channel);
        for (var i = 0; i < 3; i++)
        {
            await audit.GetCheckpointAsync(new GetCheckpointRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => audit.GetCheckpointAsync(new GetCheckpointRequest(), deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.StartsWith($"EH6003: Partner {TestPki.JustidOin} has made more calls than this hub allows (1 per 01:00:00, bursts of up to 3). Retry after ", ex.Status.Detail, StringComparison.Ordinal);
        var status = ex.GetRpcStatus()!;
        Assert.Equal("EH6003", status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal($"partner:{TestPki.JustidOin}", status.GetDetail<QuotaFailure>()!.Violations.Single().Subject);
        var retryAfter = status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan();
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.True(await hub.Logs.WaitForAsync(r => r.EventId.Id == 6003 && r.Message.Contains(TestPki.JustidOin, StringComparison.Ordinal)));

        // The rate is the partner's own: another partner is served.
        using var other = hub.CreateChannel(hub.Pki.Rotterdam);
        await new AuditService.AuditServiceClient(other).GetCheckpointAsync(new GetCheckpointRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
    }

    /// <summary>A hub whose partners may make three calls in a burst, and regain one an hour.</summary>
    public sealed class SlowRateHub : HubTestServer
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            ArgumentNullException.ThrowIfNull(settings);
            settings["ExchangeHub:Limits:CallBurstPerPartner"] = "3";
            settings["ExchangeHub:Limits:CallsPerPeriodPerPartner"] = "1";
            settings["ExchangeHub:Limits:CallRatePeriod"] = "01:00:00";
        }
    }
}
