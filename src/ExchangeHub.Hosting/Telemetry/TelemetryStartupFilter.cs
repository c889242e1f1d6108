// This file is part of ExchangeHub.

using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ExchangeHub.Hosting.Telemetry;

/// <summary>
/// Puts the telemetry in front of the host's own pipeline. A request on the metrics listener gets
/// <see cref="TelemetryDefaults.ScrapePath"/> or a 404, and never reaches authentication, gRPC or any page: that
/// listener has no TLS, so nothing else may be served on it. A startup filter rather than a call in the host's
/// Program, so that the listener cannot exist without this guard. Every other request's
/// <c>http.server.request.duration</c> gets its gRPC status code.
/// </summary>
internal sealed class TelemetryStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(
            context => context.Features.Get<MetricsConnectionFeature>() is not null,
            metrics =>
            {
                // Exactly the path (the exporter's own path matching would also answer below it), and only GET.
                metrics.UseOpenTelemetryPrometheusScrapingEndpoint(
                    meterProvider: null,
                    predicate: context => HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Equals(TelemetryDefaults.ScrapePath, StringComparison.Ordinal),
                    path: null,
                    configureBranchedPipeline: null,
                    optionsName: null);
                metrics.Run(context =>
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                });
            });
        app.Use(TagGrpcStatusAsync);
        next(app);
    };

    // The OpenTelemetry name (rpc.grpc.status_code); an error sent before any message is in the headers
    // (trailers-only response), otherwise in the trailers.
    private static async Task TagGrpcStatusAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        var status = context.Response.Headers["grpc-status"];
        if (status.Count == 0 && context.Features.Get<IHttpResponseTrailersFeature>() is { } trailers)
        {
            status = trailers.Trailers["grpc-status"];
        }

        if (status.Count == 1
            && int.TryParse(status[0], NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            && context.Features.Get<IHttpMetricsTagsFeature>() is { } tags)
        {
            tags.Tags.Add(new("rpc.grpc.status_code", code));
        }
    }
}
