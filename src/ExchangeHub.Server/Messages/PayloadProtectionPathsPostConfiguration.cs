// This file is part of ExchangeHub.

using ExchangeHub.Core.Pki;
using ExchangeHub.Core.Storage;
using ExchangeHub.Server.Tls;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Messages;

/// <summary>
/// Fills in the defaults that depend on other settings: the key ring below the data directory and, when the
/// development PKI is on (Development only), its data-protection certificate, the way
/// <see cref="TlsPathsPostConfiguration"/> does for TLS. Resolves relative paths against the content root.
/// No I/O happens here.
/// </summary>
internal sealed class PayloadProtectionPathsPostConfiguration(
    IHostEnvironment environment,
    IOptions<DevPkiOptions> devPki,
    IOptions<StorageOptions> storage) : IPostConfigureOptions<PayloadProtectionOptions>
{
    public void PostConfigure(string? name, PayloadProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The development PKI is refused outside Development (DevPkiBootstrapper); checking here as well keeps
        // its certificate from standing in for a missing production one in any other environment.
        if (environment.IsDevelopment() && devPki.Value is { Enabled: true, Directory: { } directory } && !string.IsNullOrWhiteSpace(directory))
        {
            var layout = new DevPkiLayout(Resolve(directory));
            if (string.IsNullOrWhiteSpace(options.CertificatePath))
            {
                options.CertificatePath = layout.DataProtectionCertificate;
                options.KeyPath = string.IsNullOrWhiteSpace(options.KeyPath) ? layout.DataProtectionKey : options.KeyPath;
            }
        }

        if (string.IsNullOrWhiteSpace(options.KeysDirectory) && storage.Value.DataDirectory is { } dataDirectory && !string.IsNullOrWhiteSpace(dataDirectory))
        {
            options.KeysDirectory = Path.Combine(dataDirectory, "keys", "data-protection");
        }

        options.KeysDirectory = ResolveOrNull(options.KeysDirectory);
        options.CertificatePath = ResolveOrNull(options.CertificatePath);
        options.KeyPath = ResolveOrNull(options.KeyPath);
        foreach (var previous in options.PreviousCertificates)
        {
            previous.CertificatePath = ResolveOrNull(previous.CertificatePath);
            previous.KeyPath = ResolveOrNull(previous.KeyPath);
        }
    }

    private string? ResolveOrNull(string? path) => string.IsNullOrWhiteSpace(path) ? null : Resolve(path);

    private string Resolve(string path) => Path.GetFullPath(path, environment.ContentRootPath);
}
