// This file is part of ExchangeHub.

using ExchangeHub.Tests.Support.Hub;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// A hub of its own with the metrics listener open on a free loopback port. Its meters are its own (the host
/// collects the instruments of its own meter factory only), so what it reports is what the metrics tests did.
/// Every test of the collection acknowledges what it submits, except where outstanding deliveries are the point.
/// </summary>
public sealed class MetricsHub : HubTestServer
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["ExchangeHub:Telemetry:MetricsPort"] = "0";
    }

    /// <summary>The metrics listener's address (plain HTTP on loopback).</summary>
    public Uri Metrics => MetricsAddress ?? throw new InvalidOperationException("the metrics hub opened no metrics listener");

    internal Task<PrometheusScrape> ScrapeAsync() => PrometheusScrape.GetAsync(Metrics);

    /// <summary>
    /// Scrapes until <paramref name="condition"/> holds, for what the hub updates in the background (the backlog
    /// gauges after each 1 s sweep, alarms after the 3 s acknowledgement window); fails after 20 s.
    /// </summary>
    internal async Task<PrometheusScrape> ScrapeUntilAsync(Func<PrometheusScrape, bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.True(DateTime.UtcNow < until, $"after 20 s the metrics still do not show {what}:{Environment.NewLine}{scrape.Text}");
            await Task.Delay(250);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MetricsHubDefinition : ICollectionFixture<MetricsHub>
{
    public const string Name = "Metrics hub";
}
