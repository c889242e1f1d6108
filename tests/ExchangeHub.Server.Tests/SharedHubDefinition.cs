// This file is part of ExchangeHub.

using ExchangeHub.Tests.Support.Hub;

namespace ExchangeHub.Server.Tests;

/// <summary>The tests that share one running hub (starting Kestrel and a PKI per test would only cost time).</summary>
[CollectionDefinition(Name)]
public sealed class SharedHubDefinition : ICollectionFixture<HubTestServer>
{
    public const string Name = "Hub";
}
