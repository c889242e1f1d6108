// This file is part of ExchangeHub.

using System.Net;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Hosting.Telemetry;

/// <summary>Refuses telemetry settings that would expose the metrics beyond the host, or that cannot work.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MetricsPort is { } port)
        {
            // The listener answers anyone who can reach it, without TLS or credentials: only processes on this host
            // (or in this pod) may.
            if (!IPAddress.TryParse(options.MetricsAddress, out var address) || !IPAddress.IsLoopback(address))
            {
                failures.Add($"EH9801: {TelemetryOptions.SectionName}:MetricsAddress must be a loopback address (127.0.0.1 or ::1), not '{options.MetricsAddress}': the metrics listener has no TLS and asks for no credentials. Scrape from this host, or through a collector beside the hub.");
            }

            if (port is < 0 or > IPEndPoint.MaxPort)
            {
                failures.Add($"EH9802: {TelemetryOptions.SectionName}:MetricsPort must be a TCP port (0 picks a free one), not {port}.");
            }
        }

        if (options.OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"EH9803: {TelemetryOptions.SectionName}:OtlpEndpoint must be an absolute http or https URI, not '{endpoint}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
