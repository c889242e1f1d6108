// This file is part of ExchangeHub.

using ExchangeHub.Server.Limits;

namespace ExchangeHub.Server.Tests;

/// <summary>Limits that would switch a protection off, or make the hub unusable, stop it at start-up, naming the setting.</summary>
public sealed class HubLimitsOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(new HubLimitsOptionsValidator().Validate(null, new HubLimitsOptions()).Succeeded);

    public static TheoryData<Action<HubLimitsOptions>, string> OutOfRange() => new()
    {
        { o => o.MaxRequestMessageSize = 100, "EH9601: ExchangeHub:Limits:MaxRequestMessageSize must be between 1024 and 16777216 bytes." },
        { o => o.MaxRequestMessageSize = 64 * 1024 * 1024, "EH9601: ExchangeHub:Limits:MaxRequestMessageSize must be between 1024 and 16777216 bytes." },
        { o => o.MaxConcurrentCallsPerPartner = 0, "EH9602: ExchangeHub:Limits:MaxConcurrentCallsPerPartner must be between 1 and 10000." },
        { o => o.CallBurstPerPartner = 0, "EH9603: ExchangeHub:Limits:CallBurstPerPartner and CallsPerPeriodPerPartner must be at least 1, and a period may not regain more calls than a burst holds." },
        { o => o.CallsPerPeriodPerPartner = 5000, "EH9603: ExchangeHub:Limits:CallBurstPerPartner and CallsPerPeriodPerPartner must be at least 1, and a period may not regain more calls than a burst holds." },
        { o => o.CallRatePeriod = TimeSpan.Zero, "EH9604: ExchangeHub:Limits:CallRatePeriod must lie between 1 millisecond and 1 day." },
        { o => o.DefaultCallTimeout = TimeSpan.Zero, "EH9605: ExchangeHub:Limits:DefaultCallTimeout must be positive and not longer than MaxCallTimeout." },
        { o => o.DefaultCallTimeout = TimeSpan.FromMinutes(5), "EH9605: ExchangeHub:Limits:DefaultCallTimeout must be positive and not longer than MaxCallTimeout." },
        { o => (o.MaxCallTimeout, o.DefaultCallTimeout) = (TimeSpan.FromHours(2), TimeSpan.FromSeconds(1)), "EH9606: ExchangeHub:Limits:MaxCallTimeout must be positive and at most 1 hour." },
        { o => o.MaxStreamTimeout = TimeSpan.Zero, "EH9607: ExchangeHub:Limits:MaxStreamTimeout must be positive and at most 1 day." },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Validate_OutOfRange_FailsNamingTheSetting(Action<HubLimitsOptions> change, string failure)
    {
        var options = new HubLimitsOptions();
        change(options);

        var result = new HubLimitsOptionsValidator().Validate(null, options);

        Assert.Equal([failure], result.Failures);
    }
}
