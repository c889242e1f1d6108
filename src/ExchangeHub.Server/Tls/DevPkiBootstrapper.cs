// This file is part of ExchangeHub.

using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Pki;
using ExchangeHub.Server.Hosting;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tls;

/// <summary>
/// Creates the development PKI before Kestrel loads its certificates, so that the README's run command needs
/// nothing else. Refuses to run outside the Development environment: a production hub must be given real
/// certificates, not make its own.
/// </summary>
internal sealed class DevPkiBootstrapper(
    IOptions<DevPkiOptions> options,
    IHostEnvironment environment,
    IPartnerRegistry partners,
    ILogger<DevPkiBootstrapper> logger)
{
    public IReadOnlyList<string> EnsureCreated()
    {
        var settings = options.Value;
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

        var layout = new DevPkiLayout(Path.GetFullPath(settings.Directory, environment.ContentRootPath));
        var written = DevPkiGenerator.Ensure(layout, partners.All, ["localhost"]);
        foreach (var path in written)
        {
            HubLog.DevPkiWritten(logger, path);
        }

        return written;
    }
}
