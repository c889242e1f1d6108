// This file is part of ExchangeHub.

using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Partners;

namespace ExchangeHub.Core.Pki;

/// <summary>
/// Makes sure a development PKI exists: a CA, its (empty) revocation list, the hub's server certificate, the
/// certificate that protects the payload key ring, and a client certificate for every registered partner.
/// What exists is kept; only what is missing, or expires within 30 days, is created, so running it again is
/// harmless and keys already handed to a local partner system stay valid.
/// Not recommended in production environments.
/// </summary>
public static class DevPkiGenerator
{
    /// <summary>Creates whatever is missing below <paramref name="layout"/> and returns the paths it wrote.</summary>
    public static IReadOnlyList<string> Ensure(
        DevPkiLayout layout,
        IEnumerable<Partner> partners,
        IEnumerable<string> serverDnsNames,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(partners);
        var written = new List<string>();
        Directory.CreateDirectory(layout.Directory);

        var caIsNew = !File.Exists(layout.CaCertificate) || !File.Exists(layout.CaKey);
        using var ca = caIsNew
            ? DevCertificateAuthority.Create("ExchangeHub Dev CA", time)
            : DevCertificateAuthority.FromCertificate(PemFiles.LoadCertificateWithKey(layout.CaCertificate, layout.CaKey), time);
        if (caIsNew)
        {
            // A new CA invalidates every certificate the old one issued: reissue all of them.
            PemFiles.WritePrivateKey(layout.CaKey, ca.Certificate);
            PemFiles.WriteCertificate(layout.CaCertificate, ca.Certificate);
            written.Add(layout.CaCertificate);
        }

        if (caIsNew || !File.Exists(layout.RevocationList))
        {
            PemFiles.WriteRevocationList(layout.RevocationList, ca.CreateRevocationList([], BigInteger.One, (time ?? TimeProvider.System).GetUtcNow().AddYears(1)));
            written.Add(layout.RevocationList);
        }

        var renewBefore = (time ?? TimeProvider.System).GetUtcNow().AddDays(30);
        if (caIsNew || !File.Exists(layout.HubKey) || !IsCurrent(layout.HubCertificate, renewBefore, oin: null))
        {
            using var hub = ca.IssueServerCertificate("ExchangeHub (development)", serverDnsNames);
            PemFiles.WritePrivateKey(layout.HubKey, hub);
            PemFiles.WriteCertificate(layout.HubCertificate, hub);
            written.Add(layout.HubCertificate);
        }

        if (EnsureDataProtectionCertificate(layout, time))
        {
            written.Add(layout.DataProtectionCertificate);
        }

        foreach (var partner in partners)
        {
            var certificatePath = layout.PartnerCertificate(partner.Name);
            var keyPath = layout.PartnerKey(partner.Name);
            if (!caIsNew && File.Exists(keyPath) && IsCurrent(certificatePath, renewBefore, partner.Oin))
            {
                continue;
            }

            using var certificate = ca.IssuePartnerCertificate(partner.Name, partner.Name, partner.Oin);
            PemFiles.WritePrivateKey(keyPath, certificate);
            PemFiles.WriteCertificate(certificatePath, certificate);
            written.Add(certificatePath);
        }

        return written;
    }

    /// <summary>
    /// Creates the data-protection certificate (self-signed RSA-3072) below <paramref name="layout"/> unless it
    /// exists, and tells whether it did. Unlike the TLS certificates it is never reissued, not for a new CA nor
    /// near expiry: the key ring it protects wraps every stored payload's key, so a new certificate would make
    /// all stored payloads unreadable, and Data Protection does not check its validity dates anyway.
    /// </summary>
    public static bool EnsureDataProtectionCertificate(DevPkiLayout layout, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (File.Exists(layout.DataProtectionCertificate) && File.Exists(layout.DataProtectionKey))
        {
            return false;
        }

        Directory.CreateDirectory(layout.Directory);
        using var key = RSA.Create(3072);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("NL");
        subject.AddOrganizationName("ExchangeHub development");
        subject.AddCommonName("ExchangeHub data protection (development)");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        PemFiles.WritePrivateKey(layout.DataProtectionKey, certificate);
        PemFiles.WriteCertificate(layout.DataProtectionCertificate, certificate);
        return true;
    }

    // A certificate is kept while it exists, is valid for another 30 days and (for a partner) names its OIN.
    private static bool IsCurrent(string certificatePath, DateTimeOffset renewBefore, Oin? oin)
    {
        if (!File.Exists(certificatePath))
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        return certificate.NotAfter.ToUniversalTime() > renewBefore.UtcDateTime
            && (oin is null || (OinCertificateReader.TryRead(certificate, out var found) && found == oin));
    }
}
