// This file is part of ExchangeHub.

using ExchangeHub.Tests.Support.Hub;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ExchangeHub.Server.Tests;

/// <summary>A hub configured without telemetry settings listens as it always did: its one mutual-TLS endpoint.</summary>
[Collection(SharedHubDefinition.Name)]
public sealed class TelemetryDefaultsTests(HubTestServer hub)
{
    [Fact]
    public void Hub_WithoutTelemetrySettings_OpensNoMetricsListener()
    {
        var addresses = hub.Service<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;

        Assert.Null(hub.MetricsAddress);
        Assert.StartsWith("https://", Assert.Single(addresses), StringComparison.Ordinal);
    }
}
