// This file is part of ExchangeHub.

using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Partners;

namespace ExchangeHub.Core.Pki;

/// <summary>
/// A certificate authority for development and tests: it issues the hub's server certificate and partner
/// client certificates shaped like PKIoverheid ones (OIN in the subject serialNumber, clientAuth usage), and
/// signs revocation lists. Keys are ECDSA P-256. Not recommended in production environments: there the
/// partners' certificates come from PKIoverheid or the chain's own CA.
/// </summary>
public sealed class DevCertificateAuthority : IDisposable
{
    /// <summary>The id-kp-serverAuth extended key usage (RFC 5280 §4.2.1.12).</summary>
    public const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>The id-kp-clientAuth extended key usage (RFC 5280 §4.2.1.12).</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private readonly TimeProvider _time;

    private DevCertificateAuthority(X509Certificate2 certificate, TimeProvider time)
    {
        Certificate = certificate;
        _time = time;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// Creates a new self-signed CA named <paramref name="name"/>, valid from about a year ago (so that tests can
    /// issue certificates that have already expired) until ten years from now.
    /// </summary>
    public static DevCertificateAuthority Create(string name, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("NL");
        subject.AddOrganizationName("ExchangeHub development");
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        var certificate = request.CreateSelfSigned(now.AddDays(-400), now.AddYears(10));
        return new DevCertificateAuthority(certificate, time);
    }

    /// <summary>Wraps an existing CA certificate that carries its private key.</summary>
    public static DevCertificateAuthority FromCertificate(X509Certificate2 certificate, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("A CA needs its private key to issue certificates.", nameof(certificate));
        }

        return new DevCertificateAuthority(certificate, time ?? TimeProvider.System);
    }

    /// <summary>Issues the hub's TLS server certificate for <paramref name="dnsNames"/> and loopback.</summary>
    public X509Certificate2 IssueServerCertificate(string commonName, IEnumerable<string> dnsNames)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("NL");
        subject.AddOrganizationName("ExchangeHub development");
        subject.AddCommonName(commonName);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            names.AddDnsName(dns);
        }

        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        var now = _time.GetUtcNow();
        return Issue(subject.Build(), ServerAuthenticationOid, names.Build(), now.AddMinutes(-5), now.AddYears(2));
    }

    /// <summary>
    /// Issues a partner's client certificate carrying <paramref name="oin"/>. The validity window can be moved to
    /// the past or future, which tests use to make expired and not-yet-valid certificates.
    /// </summary>
    public X509Certificate2 IssuePartnerCertificate(
        string commonName,
        string organization,
        Oin oin,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        var now = _time.GetUtcNow();
        return Issue(
            OinCertificateReader.BuildSubject(commonName, organization, oin),
            ClientAuthenticationOid,
            subjectAlternativeName: null,
            notBefore ?? now.AddMinutes(-5),
            notAfter ?? now.AddYears(1));
    }

    /// <summary>
    /// Signs a revocation list naming <paramref name="revoked"/>, valid until <paramref name="nextUpdate"/>
    /// (defaults to 30 days from now). Returns DER.
    /// </summary>
    public byte[] CreateRevocationList(IEnumerable<X509Certificate2> revoked, BigInteger crlNumber, DateTimeOffset? nextUpdate = null)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        var now = _time.GetUtcNow();
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, now.AddMinutes(-1), X509RevocationReason.KeyCompromise);
        }

        return builder.Build(Certificate, crlNumber, nextUpdate ?? now.AddDays(30), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-1));
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    private X509Certificate2 Issue(
        X500DistinguishedName subject,
        string extendedKeyUsage,
        X509Extension? subjectAlternativeName,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (subjectAlternativeName is not null)
        {
            request.CertificateExtensions.Add(subjectAlternativeName);
        }

        // A certificate may not outlive its issuer (RFC 5280 §6.1.3 would reject it anyway).
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // a positive INTEGER, as RFC 5280 §4.1.2.2 requires
        using var issued = request.Create(Certificate, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
