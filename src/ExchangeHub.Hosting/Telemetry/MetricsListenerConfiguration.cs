// This file is part of ExchangeHub.

using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Hosting.Telemetry;

/// <summary>
/// Adds the metrics listener to Kestrel when <see cref="TelemetryOptions.MetricsPort"/> is set: plain HTTP/1.1 on a
/// loopback address, beside the host's own endpoints. Every connection it accepts is marked, so that the pipeline
/// answers it with the scrape and nothing else (<see cref="TelemetryStartupFilter"/>).
/// </summary>
internal sealed class MetricsListenerConfiguration(IOptions<TelemetryOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        if (options.Value.MetricsPort is not { } port)
        {
            return;
        }

        kestrel.Listen(new IPEndPoint(IPAddress.Parse(options.Value.MetricsAddress), port), listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => connection =>
            {
                connection.Features.Set(MetricsConnectionFeature.Instance);
                return next(connection);
            });
        });
    }
}
