// This file is part of ExchangeHub.

using ExchangeHub.Core.Pki;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Storage;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tls;

/// <summary>
/// Resolves relative paths (TLS files, data directory, policy file) against the content root and, when the
/// development PKI is on, points the TLS settings at its files. No I/O happens here; <see cref="DevPkiBootstrapper"/> creates the files.
/// </summary>
internal sealed class TlsPathsPostConfiguration(IHostEnvironment environment, IOptions<DevPkiOptions> devPki)
    : IPostConfigureOptions<ServerCertificateOptions>,
      IPostConfigureOptions<ClientCertificateOptions>,
      IPostConfigureOptions<StorageOptions>,
      IPostConfigureOptions<PolicyOptions>
{
    public void PostConfigure(string? name, ServerCertificateOptions options)
    {
        if (DevLayout() is { } layout)
        {
            options.CertificatePath ??= layout.HubCertificate;
            options.KeyPath ??= layout.HubKey;
        }

        options.CertificatePath = ResolveOrNull(options.CertificatePath);
        options.KeyPath = ResolveOrNull(options.KeyPath);
    }

    public void PostConfigure(string? name, ClientCertificateOptions options)
    {
        if (DevLayout() is { } layout)
        {
            if (options.TrustedCaCertificatePaths.Count == 0)
            {
                options.TrustedCaCertificatePaths.Add(layout.CaCertificate);
            }

            if (options.RevocationListPaths.Count == 0)
            {
                options.RevocationListPaths.Add(layout.RevocationList);
            }
        }

        ResolveAll(options.TrustedCaCertificatePaths);
        ResolveAll(options.RevocationListPaths);
    }

    public void PostConfigure(string? name, StorageOptions options) =>
        options.DataDirectory = ResolveOrNull(options.DataDirectory);

    public void PostConfigure(string? name, PolicyOptions options) =>
        options.Path = ResolveOrNull(options.Path);

    private DevPkiLayout? DevLayout() =>
        devPki.Value is { Enabled: true, Directory: { } directory } ? new DevPkiLayout(Resolve(directory)) : null;

    private void ResolveAll(IList<string> paths)
    {
        for (var i = 0; i < paths.Count; i++)
        {
            paths[i] = Resolve(paths[i]);
        }
    }

    private string? ResolveOrNull(string? path) => path is null ? null : Resolve(path);

    private string Resolve(string path) => Path.GetFullPath(path, environment.ContentRootPath);
}
