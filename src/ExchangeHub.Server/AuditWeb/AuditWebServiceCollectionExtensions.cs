// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Server.AuditWeb;
using ExchangeHub.Server.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Namespace does not match folder: extensions live where AddXyz() users look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the privacy officer's page.</summary>
public static class AuditWebServiceCollectionExtensions
{
    /// <summary>
    /// Adds the privacy officer's page: its authorization policy (the partner certificate, role PrivacyOfficer),
    /// its refusals for browsers, its options (<c>ExchangeHub:AuditWeb</c>, validated at start-up) and the services
    /// behind its data. Map it with <c>MapPrivacyOfficerPage</c>. Idempotent.
    /// </summary>
    public static IServiceCollection AddPrivacyOfficerPage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AuditWebOptions>().BindConfiguration(AuditWebOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditWebOptions>, AuditWebOptionsValidator>());
        services.AddAuthorizationBuilder().AddPolicy(AuditWebDefaults.PolicyName, policy => policy
            .AddAuthenticationSchemes(PartnerCertificateDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireRole(nameof(PartnerRole.PrivacyOfficer)));
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, PrivacyOfficerPageAuthorizationResultHandler>());
        services.TryAddSingleton<PartnerNames>();
        services.TryAddSingleton<OutstandingNotices>();
        services.TryAddSingleton<LogSelfVerification>();
        services.TryAddSingleton<LogStatus>();
        services.TryAddSingleton<DisclosureFigures>();
        return services;
    }
}
