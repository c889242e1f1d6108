// This file is part of ExchangeHub.

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Messages;

/// <summary>
/// Refuses to start without a usable key ring certificate: without one, payloads could only be stored in the
/// clear or not at all. Fail closed. Loads the certificates, so that a wrong key or an ECDSA certificate is
/// reported at start and not at the first message.
/// </summary>
internal sealed class PayloadProtectionOptionsValidator : IValidateOptions<PayloadProtectionOptions>
{
    /// <summary>XML Encryption wraps with RSA; below 2048 bits that is no longer considered safe.</summary>
    internal const int MinimumRsaKeySize = 2048;

    public ValidateOptionsResult Validate(string? name, PayloadProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = PayloadProtectionOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeysDirectory))
        {
            failures.Add($"EH5204: {section}:KeysDirectory is required; it defaults to keys/data-protection below ExchangeHub:Storage:DataDirectory.");
        }

        var hasCertificate = CheckFile(
            failures,
            "EH5201",
            $"{section}:CertificatePath",
            options.CertificatePath,
            "the RSA certificate that encrypts the payload key ring; the development PKI provides one in Development only");
        var hasKey = CheckFile(failures, "EH5202", $"{section}:KeyPath", options.KeyPath, "the private key of that certificate");
        if (hasCertificate && hasKey)
        {
            CheckCertificate(failures, "EH5203", section, options.CertificatePath!, options.KeyPath!);
        }

        for (var i = 0; i < options.PreviousCertificates.Count; i++)
        {
            var previous = options.PreviousCertificates[i];
            var setting = $"{section}:PreviousCertificates:{i}";
            if (CheckFile(failures, "EH5206", $"{setting}:CertificatePath", previous.CertificatePath, "a certificate that encrypted the key ring before")
                & CheckFile(failures, "EH5206", $"{setting}:KeyPath", previous.KeyPath, "its private key"))
            {
                CheckCertificate(failures, "EH5206", setting, previous.CertificatePath!, previous.KeyPath!);
            }
        }

        if (options.KeyLifetime < TimeSpan.FromDays(7))
        {
            // Data Protection itself refuses shorter lifetimes, and only at the first payload.
            failures.Add($"EH5205: {section}:KeyLifetime is {options.KeyLifetime}; it must be at least 7 days.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool CheckFile(List<string> failures, string id, string setting, string? path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{id}: {setting} is required: {what}. Stored payloads cannot be protected without it, so the hub does not start.");
            return false;
        }

        if (!File.Exists(path))
        {
            failures.Add($"{id}: {setting} names '{path}', which does not exist.");
            return false;
        }

        return true;
    }

    private static void CheckCertificate(List<string> failures, string id, string setting, string certificatePath, string keyPath)
    {
        try
        {
            using var certificate = DataProtectionPayloadProtector.LoadCertificate(certificatePath, keyPath);
            using var rsa = certificate.GetRSAPrivateKey();
            if (rsa is null || rsa.KeySize < MinimumRsaKeySize)
            {
                failures.Add($"{id}: {setting} names '{certificatePath}', which is not an RSA certificate of {MinimumRsaKeySize} bits or more with its private key. The key ring is encrypted with XML Encryption, which takes RSA keys only.");
            }
        }
        catch (CryptographicException ex)
        {
            failures.Add($"{id}: {setting}: '{certificatePath}' with key '{keyPath}' does not load as a certificate with its private key: {ex.Message}");
        }
    }
}
