// This file is part of ExchangeHub.

using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Pki;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tls;

/// <summary>
/// Creates the development PKI before the host is built, because Kestrel loads its certificates and the
/// partner CA while the host is being built; so the README's run command needs nothing else. Refuses to run
/// outside the Development environment: a production hub must be given real certificates, not make its own.
/// </summary>
internal static class DevPkiBootstrapper
{
    public static IReadOnlyList<string> EnsureCreated(IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = configuration.GetSection(DevPkiOptions.SectionName).Get<DevPkiOptions>() ?? new DevPkiOptions();
        if (!settings.Enabled)
        {
            return [];
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"EH9202: {DevPkiOptions.SectionName}:Enabled is true in the '{environment.EnvironmentName}' environment. The development PKI is refused outside Development; configure real certificates.");
        }

        if (string.IsNullOrWhiteSpace(settings.Directory))
        {
            throw new InvalidOperationException($"EH9203: {DevPkiOptions.SectionName}:Directory is required when the development PKI is enabled.");
        }

        // The same validation the registry gets at start-up, so a bad registry is reported the same way.
        var registry = new PartnerRegistryOptions();
        configuration.GetSection(PartnerRegistryOptions.SectionName).Bind(registry);
        var validation = new PartnerRegistryOptionsValidator().Validate(null, registry);
        if (validation.Failed)
        {
            throw new OptionsValidationException(PartnerRegistryOptions.SectionName, typeof(PartnerRegistryOptions), validation.Failures);
        }

        var layout = new DevPkiLayout(Path.GetFullPath(settings.Directory, environment.ContentRootPath));
        return DevPkiGenerator.Ensure(layout, ConfiguredPartnerRegistry.ToPartners(registry), ["localhost"]);
    }
}
