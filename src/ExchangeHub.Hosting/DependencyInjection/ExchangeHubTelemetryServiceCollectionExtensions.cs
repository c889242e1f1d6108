// This file is part of ExchangeHub.

using System.Reflection;
using ExchangeHub.Core.Telemetry;
using ExchangeHub.Hosting.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

#pragma warning disable IDE0130 // Namespace does not match folder: extensions live where AddXyz() users look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the metrics and traces of an ExchangeHub host (the hub, the partner node).</summary>
public static class ExchangeHubTelemetryServiceCollectionExtensions
{
    private const string OtlpExporterName = "exchangehub-traces";

    /// <summary>
    /// Adds metrics and traces, bound to <c>ExchangeHub:Telemetry</c> and validated at start-up. Metrics (the
    /// <c>ExchangeHub</c> meter, ASP.NET Core's and Kestrel's, the runtime's) are always collected, and exposed in
    /// Prometheus format on a loopback-only listener once <see cref="TelemetryOptions.MetricsPort"/> is set. Spans of
    /// the <c>ExchangeHub</c> activity source and ASP.NET Core are recorded and exported only when
    /// <see cref="TelemetryOptions.OtlpEndpoint"/> is set. Idempotent.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="serviceName">The <c>service.name</c> the host reports, e.g. <c>exchangehub</c>.</param>
    public static IServiceCollection AddExchangeHubTelemetry(this IServiceCollection services, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        if (services.Any(d => d.ImplementationType == typeof(TelemetryStartupFilter)))
        {
            return services;
        }

        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, MetricsListenerConfiguration>());
        services.AddSingleton<IStartupFilter, TelemetryStartupFilter>();

        // Meters are enabled here rather than with AddMeter, and for the local scope: only the instruments created
        // through this host's IMeterFactory are collected, not those of another host in the same process (as the
        // integration tests run several hubs), which would otherwise be summed into this one's figures.
        services.AddMetrics(metrics =>
        {
            metrics.EnableMetrics(HubTelemetry.MeterName, scopes: MeterScope.Local);
            foreach (var meter in TelemetryDefaults.AspNetCoreMeters)
            {
                metrics.EnableMetrics(meter, scopes: MeterScope.Local);
            }

            metrics.EnableMetrics(TelemetryDefaults.RuntimeMeter, scopes: MeterScope.Global);
        });

        services.AddOptions<OtlpExporterOptions>(OtlpExporterName).Configure<IOptions<TelemetryOptions>>((otlp, telemetry) =>
        {
            if (telemetry.Value.OtlpEndpoint is { } endpoint)
            {
                otlp.Endpoint = endpoint;
            }
        });

        var version = Assembly.GetEntryAssembly()?.GetName().Version?.ToString();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version))
            .WithMetrics(metrics => metrics.AddPrometheusExporter(prometheus =>
            {
                // Every scrape sees the figures of that moment (the default caches an answer for 300 ms).
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
            }))
            .WithTracing(tracing => tracing
                .AddSource(HubTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => context.Features.Get<MetricsConnectionFeature>() is null)

                // Without an endpoint nothing is sampled, so no span is even created; the exporter then stays idle.
                .SetSampler(provider => provider.GetRequiredService<IOptions<TelemetryOptions>>().Value.OtlpEndpoint is null
                    ? new AlwaysOffSampler()
                    : new ParentBasedSampler(new AlwaysOnSampler()))
                .AddOtlpExporter(OtlpExporterName, configure: null));
        return services;
    }
}
