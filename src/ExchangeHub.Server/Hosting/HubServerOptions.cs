// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Hosting;

/// <summary>Where and how the hub listens, from configuration section <c>ExchangeHub:Server</c>.</summary>
public sealed class HubServerOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:Server";

    /// <summary>The IP address to listen on. Defaults to 127.0.0.1; use 0.0.0.0 or :: to serve other hosts.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The TCP port for HTTPS (gRPC over HTTP/2). Defaults to 7443; 0 picks a free port.</summary>
    public int Port { get; set; } = 7443;

    /// <summary>
    /// How long a shutdown waits for calls in flight (and open streams) to finish before they are cut.
    /// Defaults to 30 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
