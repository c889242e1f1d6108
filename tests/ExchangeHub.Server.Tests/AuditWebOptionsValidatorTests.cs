// This file is part of ExchangeHub.

using ExchangeHub.Server.AuditWeb;

namespace ExchangeHub.Server.Tests;

/// <summary>Settings of the privacy officer's page that make no sense stop the hub at start-up, naming the setting.</summary>
public sealed class AuditWebOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(new AuditWebOptionsValidator().Validate(null, new AuditWebOptions()).Succeeded);

    [Theory]
    [InlineData(-1, 12, 50, "EH9401: ExchangeHub:AuditWeb:VerificationMaxAge must not be negative.")]
    [InlineData(0, 0, 50, "EH9402: ExchangeHub:AuditWeb:Months must be between 1 and 120.")]
    [InlineData(0, 12, 0, "EH9403: ExchangeHub:AuditWeb:LatestDenials must be between 1 and 1000.")]
    public void Validate_OutOfRange_FailsNamingTheSetting(int maxAgeSeconds, int months, int latestDenials, string failure)
    {
        var options = new AuditWebOptions { VerificationMaxAge = TimeSpan.FromSeconds(maxAgeSeconds), Months = months, LatestDenials = latestDenials };

        var result = new AuditWebOptionsValidator().Validate(null, options);

        Assert.Equal([failure], result.Failures);
    }
}
