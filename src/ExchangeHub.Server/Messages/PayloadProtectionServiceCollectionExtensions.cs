// This file is part of ExchangeHub.

using ExchangeHub.Core.Messages;
using ExchangeHub.Server.Messages;
using ExchangeHub.Server.Tls;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Namespace does not match folder: extensions live where AddXyz() users look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers payload encryption at rest.</summary>
public static class PayloadProtectionServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IPayloadProtector"/>: envelope encryption with an ASP.NET Core Data Protection key ring,
    /// bound to <c>ExchangeHub:DataProtection</c> and validated at start-up. The hub does not start without a
    /// usable RSA certificate for the key ring (the development PKI provides one in Development), nor on a key
    /// ring it cannot read. Idempotent.
    /// </summary>
    public static IServiceCollection AddPayloadProtection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHubStorage();
        services.AddOptions<DevPkiOptions>().BindConfiguration(DevPkiOptions.SectionName);
        services.AddOptions<PayloadProtectionOptions>().BindConfiguration(PayloadProtectionOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<PayloadProtectionOptions>, PayloadProtectionPathsPostConfiguration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PayloadProtectionOptions>, PayloadProtectionOptionsValidator>());
        services.TryAddSingleton<DataProtectionPayloadProtector>();
        services.TryAddSingleton<IPayloadProtector>(sp => sp.GetRequiredService<DataProtectionPayloadProtector>());
        services.AddHostedService<PayloadKeyRingStartupCheck>();
        return services;
    }
}
