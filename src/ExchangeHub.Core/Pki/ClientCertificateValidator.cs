// This file is part of ExchangeHub.

using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Pki;

/// <summary>
/// Decides whether a TLS client certificate comes from a partner CA and may be used now: chain to a configured
/// trust anchor, validity period, key usage (digitalSignature) and extended key usage (clientAuth), and the
/// issuer's revocation list (RFC 5280 §6 and §6.3). The hub calls it during the TLS handshake, so a refused
/// certificate never reaches a service.
/// </summary>
public sealed class ClientCertificateValidator : IDisposable
{
    private readonly X509Certificate2Collection _anchors = [];
    private readonly X509Certificate2Collection _intermediates = [];
    private readonly RevocationListStore _revocationLists;
    private readonly bool _requireRevocationList;
    private readonly TimeProvider _time;

    /// <summary>Loads the trust anchors named by <paramref name="options"/>; throws if any cannot be read.</summary>
    public ClientCertificateValidator(IOptions<ClientCertificateOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _requireRevocationList = settings.RequireRevocationList;
        var authorities = new X509Certificate2Collection();
        foreach (var path in settings.TrustedCaCertificatePaths)
        {
            foreach (var certificate in PemFiles.LoadCertificates(path))
            {
                authorities.Add(certificate);
                (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? _anchors : _intermediates).Add(certificate);
            }
        }

        if (_anchors.Count == 0)
        {
            throw new InvalidOperationException("EH9201: no self-signed partner CA certificate is configured; the hub would trust no client.");
        }

        _revocationLists = new RevocationListStore([.. settings.RevocationListPaths], authorities, time, settings.RevocationListRefreshInterval);
    }

    /// <summary>The partner CAs (roots and intermediates) this validator trusts, for components that must agree with it.</summary>
    public X509Certificate2Collection TrustedAuthorities => [.. _anchors, .. _intermediates];

    /// <summary>Validates <paramref name="certificate"/> at the current time.</summary>
    public CertificateValidationResult Validate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var now = _time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            return new(CertificateRejection.NotYetValid, $"certificate '{certificate.Subject}' is not valid before {certificate.NotBefore.ToUniversalTime():O}");
        }

        if (now > certificate.NotAfter.ToUniversalTime())
        {
            return new(CertificateRejection.Expired, $"certificate '{certificate.Subject}' expired at {certificate.NotAfter.ToUniversalTime():O}");
        }

        var usage = CheckKeyUsage(certificate);
        if (!usage.IsValid)
        {
            return usage;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        chain.ChainPolicy.ExtraStore.AddRange(_intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // revocation is checked below, from configured lists
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(new(DevCertificateAuthority.ClientAuthenticationOid));
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(certificate))
        {
            return ChainFailure(certificate, chain);
        }

        return CheckRevocation(chain);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var certificate in _anchors.Concat(_intermediates))
        {
            certificate.Dispose();
        }
    }

    private static CertificateValidationResult CheckKeyUsage(X509Certificate2 certificate)
    {
        var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is null || !keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            return new(CertificateRejection.WrongKeyUsage, $"certificate '{certificate.Subject}' lacks the digitalSignature key usage");
        }

        // An absent EKU would mean "any purpose"; a partner certificate must say clientAuth explicitly.
        var extendedUsage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (extendedUsage is null || !extendedUsage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == DevCertificateAuthority.ClientAuthenticationOid))
        {
            return new(CertificateRejection.WrongKeyUsage, $"certificate '{certificate.Subject}' lacks the clientAuth extended key usage");
        }

        return CertificateValidationResult.Valid;
    }

    private static CertificateValidationResult ChainFailure(X509Certificate2 certificate, X509Chain chain)
    {
        var statuses = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        var detail = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        if (statuses.HasFlag(X509ChainStatusFlags.UntrustedRoot) || statuses.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return new(CertificateRejection.UntrustedIssuer, $"certificate '{certificate.Subject}' issued by '{certificate.Issuer}' does not chain to a partner CA ({detail})");
        }

        if (statuses.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return new(CertificateRejection.Expired, $"a certificate in the chain of '{certificate.Subject}' is outside its validity period ({detail})");
        }

        if (statuses.HasFlag(X509ChainStatusFlags.NotValidForUsage))
        {
            return new(CertificateRejection.WrongKeyUsage, $"the chain of '{certificate.Subject}' does not allow client authentication ({detail})");
        }

        return new(CertificateRejection.InvalidChain, $"the chain of '{certificate.Subject}' is invalid ({detail})");
    }

    private CertificateValidationResult CheckRevocation(X509Chain chain)
    {
        // Every certificate below the trust anchor is checked against its issuer's list.
        for (var i = 0; i < chain.ChainElements.Count - 1; i++)
        {
            var subject = chain.ChainElements[i].Certificate;
            var issuer = chain.ChainElements[i + 1].Certificate;
            switch (_revocationLists.IsRevoked(subject, issuer))
            {
                case true:
                    return new(CertificateRejection.Revoked, $"certificate '{subject.Subject}' (serial {subject.SerialNumber}) is revoked by '{issuer.Subject}'");
                case null when _requireRevocationList:
                    return new(CertificateRejection.RevocationStatusUnknown, $"no current, valid revocation list from '{issuer.Subject}' is available");
            }
        }

        return CertificateValidationResult.Valid;
    }
}
