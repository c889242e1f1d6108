// This file is part of ExchangeHub.

using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace ExchangeHub.Core.Pki;

/// <summary>
/// Holds the configured revocation lists, each checked once against the CA that signed it, and re-reads a
/// file when it changes so that a revocation takes effect without a restart. A list that cannot be read or
/// whose signature no configured CA made counts as absent, which refuses that CA's certificates when lists
/// are required: fail closed.
/// </summary>
public sealed class RevocationListStore
{
    private readonly IReadOnlyList<string> _paths;
    private readonly X509Certificate2Collection _authorities;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly Lock _gate = new();
    private Dictionary<string, LoadedList> _loaded = new(StringComparer.Ordinal);
    private DateTimeOffset _lastChecked = DateTimeOffset.MinValue;

    /// <summary>Creates a store over <paramref name="paths"/>; lists are read on first use.</summary>
    public RevocationListStore(IReadOnlyList<string> paths, X509Certificate2Collection authorities, TimeProvider time, TimeSpan refreshInterval)
    {
        _paths = paths;
        _authorities = authorities;
        _time = time;
        _refreshInterval = refreshInterval;
    }

    /// <summary>
    /// Looks up <paramref name="certificate"/> in the list that <paramref name="issuer"/> signed.
    /// Returns null when there is no current, verified list for that issuer.
    /// </summary>
    public bool? IsRevoked(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        var now = _time.GetUtcNow();
        foreach (var loaded in Current(now))
        {
            if (loaded.List is null || !string.Equals(loaded.IssuerThumbprint, issuer.Thumbprint, StringComparison.Ordinal))
            {
                continue;
            }

            if (loaded.List.NextUpdate is { } nextUpdate && nextUpdate < now.UtcDateTime)
            {
                // A stale list says nothing about revocations made since: treat it as absent.
                continue;
            }

            var serial = new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.ToArray());
            return loaded.List.GetRevokedCertificate(serial) is not null;
        }

        return null;
    }

    private Dictionary<string, LoadedList>.ValueCollection Current(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now - _lastChecked >= _refreshInterval)
            {
                _lastChecked = now;
                var next = new Dictionary<string, LoadedList>(StringComparer.Ordinal);
                foreach (var path in _paths)
                {
                    var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
                    next[path] = _loaded.TryGetValue(path, out var known) && known.Written == written ? known : Read(path, written);
                }

                _loaded = next;
            }

            return _loaded.Values;
        }
    }

    private LoadedList Read(string path, DateTime written)
    {
        try
        {
            var list = new X509CrlParser().ReadCrl(File.ReadAllBytes(path));
            foreach (var authority in _authorities)
            {
                if (SignedBy(list, new BcCertificate(authority.RawData)))
                {
                    return new LoadedList(written, list, authority.Thumbprint);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException
            or Org.BouncyCastle.Security.Certificates.CrlException)
        {
            // Unreadable: absent, see the class remarks.
        }

        return new LoadedList(written, null, null);
    }

    private static bool SignedBy(X509Crl list, BcCertificate issuer)
    {
        if (!list.IssuerDN.Equivalent(issuer.SubjectDN, true))
        {
            return false;
        }

        try
        {
            list.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Security.InvalidKeyException
            or Org.BouncyCastle.Security.SignatureException
            or Org.BouncyCastle.Security.Certificates.CrlException
            or InvalidOperationException)
        {
            return false;
        }
    }

    private sealed record LoadedList(DateTime Written, X509Crl? List, string? IssuerThumbprint);
}
