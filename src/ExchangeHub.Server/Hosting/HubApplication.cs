// This file is part of ExchangeHub.

using ExchangeHub.Core.Policy;
using ExchangeHub.Server.AuditWeb;
using ExchangeHub.Core.Storage;
using ExchangeHub.Server.Grpc;
using ExchangeHub.Server.Tls;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Hosting;

/// <summary>
/// Builds the hub. Program.cs and the integration tests share this, so that what the tests start is the hub,
/// not a look-alike.
/// </summary>
public static class HubApplication
{
    /// <summary>Creates the builder with the hub's services registered.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddExchangeHubServer();
        return builder;
    }

    /// <summary>
    /// Builds the application and prepares what must exist before Kestrel starts: the development PKI (when
    /// enabled) and the database schema.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var devPkiWritten = EnsureDevPki(builder);
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HubApplication));
        foreach (var path in devPkiWritten)
        {
            HubLog.DevPkiWritten(logger, path);
        }

        // The policy is loaded now, so that an invalid one stops the start instead of the first request.
        _ = app.Services.GetRequiredService<IDisclosurePolicy>();

        // Likewise the token server's options (signing keys, endpoints): a mistake there fails the start, not the first token request.
        _ = app.Services.GetRequiredService<IOptionsMonitor<OpenIddict.Server.OpenIddictServerOptions>>().CurrentValue;
        _ = app.Services.GetRequiredService<IOptionsMonitor<OpenIddict.Validation.OpenIddictValidationOptions>>().CurrentValue;

        var database = app.Services.GetRequiredService<SqliteHubDatabase>();
        var version = await database.EnsureCreatedAsync(cancellationToken);
        HubLog.DatabaseReady(logger, database.DatabasePath, version);
        var timeout = app.Services.GetRequiredService<IOptions<HubServerOptions>>().Value.ShutdownTimeout;
        app.Lifetime.ApplicationStopping.Register(() => HubLog.HubStopping(logger, timeout));

        // The path every request travels: authenticate (certificate -> partner), authorize, hold the partner to its
        // limits and check the request message, then the service.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseHubLimits();
        app.MapHubServices();
        return app;
    }

    /// <summary>Creates the development PKI when it is enabled (Development only); see <c>certs-dev/README.md</c>.</summary>
    public static IReadOnlyList<string> EnsureDevPki(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return DevPkiBootstrapper.EnsureCreated(builder.Configuration, builder.Environment);
    }

    private static void MapHubServices(this WebApplication app)
    {
        app.MapGrpcService<NoticeGrpcService>();
        app.MapGrpcService<SignalGrpcService>();
        app.MapGrpcService<OfficialReportGrpcService>();
        app.MapGrpcService<InboxGrpcService>();
        app.MapGrpcService<CaseGrpcService>();
        app.MapGrpcService<AuditGrpcService>();
        app.MapGrpcReflectionService();

        // The privacy officer's page, for a browser presenting a privacy officer's partner certificate.
        app.MapPrivacyOfficerPage();

        // Health answers any client with a certificate from a partner CA (load balancers, monitoring); the TLS
        // handshake has already refused everyone else.
        app.MapGrpcHealthChecksService().AllowAnonymous();
    }
}
