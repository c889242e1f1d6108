// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Pki;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Storage;
using ExchangeHub.Server.Authentication;
using ExchangeHub.Server.Grpc;
using ExchangeHub.Server.Hosting;
using ExchangeHub.Server.Ledger;
using ExchangeHub.Server.Tls;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Namespace does not match folder: extensions live where AddXyz() users look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the hub host: mutual TLS, partner authentication, gRPC with contract validation.</summary>
public static class ExchangeHubServerServiceCollectionExtensions
{
    /// <summary>Adds everything the hub host needs. Idempotent.</summary>
    public static IServiceCollection AddExchangeHubServer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPartnerRegistry().AddClientCertificateValidation().AddHubStorage().AddDisclosurePolicy().AddDisclosureLog().AddMessaging().AddCaseQueries();
        services.AddPayloadProtection();
        services.AddHubMutualTls();

        // Metrics always collected, exposed only on a configured loopback listener; traces only to a configured collector.
        services.AddExchangeHubTelemetry("exchangehub");

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<LedgerOptions>, LedgerPathsPostConfiguration>());
        services.TryAddSingleton<OnDemandCheckpoints>();
        services.TryAddSingleton<WitnessRegistry>();
        services.AddHostedService<LedgerHostedService>();
        services.AddHostedService<ExchangeHub.Server.Messages.MessageSweepService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<StorageOptions>, TlsPathsPostConfiguration>(sp => sp.GetRequiredService<TlsPathsPostConfiguration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<PolicyOptions>, TlsPathsPostConfiguration>(sp => sp.GetRequiredService<TlsPathsPostConfiguration>()));
        services.AddOptions<HostOptions>().Configure<IOptions<HubServerOptions>>((host, hub) => host.ShutdownTimeout = hub.Value.ShutdownTimeout);

        // Authenticate: the client certificate, resolved to a registered partner. Authorize: an access token from the
        // hub's token endpoint, bound to that certificate. gRPC calls need both (the fallback policy); the token
        // endpoint itself is answered by OpenIddict before authorization, on the certificate alone.
        services.AddHubTokens();
        services.AddAuthentication(PartnerCertificateDefaults.AccessScheme)
            .AddScheme<AuthenticationSchemeOptions, PartnerCertificateHandler>(PartnerCertificateDefaults.AuthenticationScheme, null)
            .AddScheme<AuthenticationSchemeOptions, PartnerAccessHandler>(PartnerCertificateDefaults.AccessScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PartnerCertificateDefaults.PartnerPolicy, p => p.AddAuthenticationSchemes(PartnerCertificateDefaults.AccessScheme).RequireAuthenticatedUser())
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(PartnerCertificateDefaults.AccessScheme).RequireAuthenticatedUser().Build());

        services.AddPrivacyOfficerPage();
        services.AddHubLimits();

        services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<ContractValidationInterceptor>();
            options.Interceptors.Add<AccessScopeInterceptor>();
            options.Interceptors.Add<DomainExceptionInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<LedgerHealthCheck>("disclosure-log");
        return services;
    }

    /// <summary>
    /// Adds the hub's Kestrel endpoint alone: HTTPS on <c>ExchangeHub:Server</c>, TLS 1.2/1.3, a client certificate
    /// required and validated against the partner CAs in the handshake. The hub uses it, and so does the load
    /// benchmark's echo host, so that the gRPC ceiling is measured over exactly the hub's TLS. Idempotent.
    /// </summary>
    public static IServiceCollection AddHubMutualTls(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddClientCertificateValidation();
        services.AddMetrics();
        services.TryAddSingleton<AccessMetrics>();
        services.AddOptions<HubServerOptions>().BindConfiguration(HubServerOptions.SectionName);
        services.AddOptions<DevPkiOptions>().BindConfiguration(DevPkiOptions.SectionName);
        services.AddOptions<ServerCertificateOptions>().BindConfiguration(ServerCertificateOptions.SectionName).ValidateOnStart();
        services.AddTlsPathResolution();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServerCertificateOptions>, TlsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClientCertificateOptions>, TlsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, KestrelMutualTlsConfiguration>());
        return services;
    }

    // One resolver instance serves every options type whose relative paths it resolves (see AddExchangeHubServer).
    private static void AddTlsPathResolution(this IServiceCollection services)
    {
        services.TryAddSingleton<TlsPathsPostConfiguration>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ServerCertificateOptions>, TlsPathsPostConfiguration>(sp => sp.GetRequiredService<TlsPathsPostConfiguration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ClientCertificateOptions>, TlsPathsPostConfiguration>(sp => sp.GetRequiredService<TlsPathsPostConfiguration>()));
    }
}
