// This file is part of ExchangeHub.

using ExchangeHub.Server.Limits;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Namespace does not match folder: extensions live where AddXyz() users look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the limits on contract calls (<see cref="HubLimitsOptions"/>).</summary>
public static class HubLimitsServiceCollectionExtensions
{
    /// <summary>Adds the limits, bound to <c>ExchangeHub:Limits</c> and validated at start-up. Idempotent.</summary>
    public static IServiceCollection AddHubLimits(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<HubLimitsOptions>().BindConfiguration(HubLimitsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubLimitsOptions>, HubLimitsOptionsValidator>());
        services.TryAddSingleton<PartnerCallLimiter>();

        // The gRPC server enforces the same size itself, behind RequestMessageCheckMiddleware, for any call that
        // reaches it some other way.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<GrpcServiceOptions>, GrpcMessageSizeConfiguration>());
        return services;
    }

    /// <summary>Adds the limits with settings from <paramref name="configure"/>.</summary>
    public static IServiceCollection AddHubLimits(this IServiceCollection services, Action<HubLimitsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return services.AddHubLimits();
    }

    private sealed class GrpcMessageSizeConfiguration(IOptions<HubLimitsOptions> limits) : IConfigureOptions<GrpcServiceOptions>
    {
        public void Configure(GrpcServiceOptions options) => options.MaxReceiveMessageSize = limits.Value.MaxRequestMessageSize;
    }
}
