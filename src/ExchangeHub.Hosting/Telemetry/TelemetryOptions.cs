// This file is part of ExchangeHub.

namespace ExchangeHub.Hosting.Telemetry;

/// <summary>
/// Where the host's metrics and traces go, from configuration section <c>ExchangeHub:Telemetry</c>. Metrics are
/// always collected; without settings nothing is exposed and nothing is sent anywhere.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:Telemetry";

    /// <summary>
    /// The loopback address of the Prometheus scraping listener (plain HTTP, <c>/metrics</c> only). Defaults to
    /// 127.0.0.1; only loopback addresses (127.0.0.0/8, ::1) are accepted, since the listener asks for no credentials.
    /// </summary>
    public string MetricsAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The TCP port of the scraping listener. Defaults to none: no listener, and the metrics are not exposed. 0 picks a
    /// free port. 9464 is the port conventionally used for OpenTelemetry's Prometheus exporter.
    /// </summary>
    public int? MetricsPort { get; set; }

    /// <summary>
    /// The OTLP endpoint traces are exported to (for example <c>http://127.0.0.1:4317</c>, an OpenTelemetry collector;
    /// the protocol follows <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, gRPC by default). Defaults to none: no spans are
    /// recorded or sent.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }
}
