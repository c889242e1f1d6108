// This file is part of ExchangeHub.

namespace ExchangeHub.Hosting.Telemetry;

/// <summary>
/// Marks a connection accepted by the metrics listener. Requests are told apart by this, set by the listener
/// itself, never by the Host header or the path, which a client chooses.
/// </summary>
internal sealed class MetricsConnectionFeature
{
    public static MetricsConnectionFeature Instance { get; } = new();

    private MetricsConnectionFeature()
    {
    }
}
