// This file is part of ExchangeHub.

namespace ExchangeHub.Hosting.Telemetry;

/// <summary>Fixed names of the host's telemetry.</summary>
public static class TelemetryDefaults
{
    /// <summary>The path Prometheus scrapes on the metrics listener.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>
    /// The meters of ASP.NET Core and Kestrel the host exports beside its own (requests with their gRPC status,
    /// connections, TLS handshakes, authentication and authorization).
    /// </summary>
    public static IReadOnlyList<string> AspNetCoreMeters { get; } =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
    ];

    /// <summary>The process-wide runtime meter (garbage collection, thread pool, CPU, memory).</summary>
    public const string RuntimeMeter = "System.Runtime";
}
