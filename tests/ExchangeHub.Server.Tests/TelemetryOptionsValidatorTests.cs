// This file is part of ExchangeHub.

using ExchangeHub.Hosting.Telemetry;

namespace ExchangeHub.Server.Tests;

public sealed class TelemetryOptionsValidatorTests
{
    [Fact]
    public void Validate_NoSettings_Valid()
    {
        Assert.True(new TelemetryOptionsValidator().Validate(null, new TelemetryOptions()).Succeeded);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.53")]
    [InlineData("::1")]
    public void Validate_LoopbackListener_Valid(string address)
    {
        Assert.True(new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { MetricsAddress = address, MetricsPort = 9464 }).Succeeded);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("10.1.2.3")]
    [InlineData("localhost")]
    public void Validate_ListenerBeyondThisHost_Refused(string address)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { MetricsAddress = address, MetricsPort = 9464 });

        Assert.StartsWith("EH9801:", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonLoopbackAddressWithoutPort_ValidSinceNoListenerOpens()
    {
        Assert.True(new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { MetricsAddress = "0.0.0.0" }).Succeeded);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_Refused(int port)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { MetricsPort = port });

        Assert.StartsWith("EH9802:", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("collector:4317")]
    [InlineData("ftp://collector:4317")]
    public void Validate_OtlpEndpointNotHttp_Refused(string endpoint)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { OtlpEndpoint = new Uri(endpoint, UriKind.RelativeOrAbsolute) });

        Assert.StartsWith("EH9803:", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
