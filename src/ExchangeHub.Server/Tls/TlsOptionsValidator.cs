// This file is part of ExchangeHub.

using ExchangeHub.Core.Pki;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tls;

/// <summary>Refuses to start without a server certificate and at least one partner CA. Fail closed.</summary>
internal sealed class TlsOptionsValidator : IValidateOptions<ServerCertificateOptions>, IValidateOptions<ClientCertificateOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerCertificateOptions options)
    {
        var failures = new List<string>();
        CheckFile(failures, "EH9204", $"{ServerCertificateOptions.SectionName}:CertificatePath", options.CertificatePath);
        CheckFile(failures, "EH9205", $"{ServerCertificateOptions.SectionName}:KeyPath", options.KeyPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, ClientCertificateOptions options)
    {
        var failures = new List<string>();
        if (options.TrustedCaCertificatePaths.Count == 0)
        {
            failures.Add($"EH9206: {ClientCertificateOptions.SectionName}:TrustedCaCertificatePaths names no partner CA; the hub would trust no client.");
        }

        for (var i = 0; i < options.TrustedCaCertificatePaths.Count; i++)
        {
            CheckFile(failures, "EH9207", $"{ClientCertificateOptions.SectionName}:TrustedCaCertificatePaths:{i}", options.TrustedCaCertificatePaths[i]);
        }

        if (options.RequireRevocationList && options.RevocationListPaths.Count == 0)
        {
            failures.Add($"EH9208: {ClientCertificateOptions.SectionName}:RevocationListPaths is empty while RequireRevocationList is true; every client would be refused. Configure the CAs' revocation lists, or set RequireRevocationList to false (not recommended in production environments).");
        }

        if (options.RevocationListRefreshInterval <= TimeSpan.Zero)
        {
            failures.Add($"EH9209: {ClientCertificateOptions.SectionName}:RevocationListRefreshInterval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckFile(List<string> failures, string id, string setting, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{id}: {setting} is required.");
        }
        else if (!File.Exists(path))
        {
            failures.Add($"{id}: {setting} names '{path}', which does not exist.");
        }
    }
}
