// This file is part of ExchangeHub.

using System.Text;

namespace ExchangeHub.Core.Pki;

/// <summary>Where the development PKI keeps its files, below one directory.</summary>
/// <param name="Directory">The directory that holds the dev PKI.</param>
public sealed record DevPkiLayout(string Directory)
{
    /// <summary>The CA certificate (PEM), which the hub trusts for client certificates and clients trust for the hub.</summary>
    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    /// <summary>The CA private key (PEM, PKCS#8).</summary>
    public string CaKey => Path.Combine(Directory, "ca.key");

    /// <summary>The CA's revocation list (PEM).</summary>
    public string RevocationList => Path.Combine(Directory, "ca.crl");

    /// <summary>The hub's TLS server certificate (PEM).</summary>
    public string HubCertificate => Path.Combine(Directory, "hub.crt");

    /// <summary>The hub's TLS server key (PEM, PKCS#8).</summary>
    public string HubKey => Path.Combine(Directory, "hub.key");

    /// <summary>
    /// The certificate (PEM, RSA) that protects the hub's Data Protection key ring, which wraps the keys of
    /// stored payloads. RSA because the key ring is encrypted with XML Encryption, which takes no ECDSA key.
    /// </summary>
    public string DataProtectionCertificate => Path.Combine(Directory, "data-protection.crt");

    /// <summary>The data-protection certificate's private key (PEM, PKCS#8).</summary>
    public string DataProtectionKey => Path.Combine(Directory, "data-protection.key");

    /// <summary>The directory of partner certificates and keys.</summary>
    public string PartnersDirectory => Path.Combine(Directory, "partners");

    /// <summary>A partner's certificate path, from its name.</summary>
    public string PartnerCertificate(string partnerName) => Path.Combine(PartnersDirectory, Slug(partnerName) + ".crt");

    /// <summary>A partner's key path, from its name.</summary>
    public string PartnerKey(string partnerName) => Path.Combine(PartnersDirectory, Slug(partnerName) + ".key");

    /// <summary>A file-name-safe form of a partner name: "Gemeente Rotterdam" becomes "gemeente-rotterdam".</summary>
    public static string Slug(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var plain = char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : WithoutDiacritic(c);
            if (plain != '\0')
            {
                builder.Append(plain);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-');
    }

    // The hub runs with invariant globalization (no ICU), so Unicode normalisation is not available; the
    // Latin-1 letters that Dutch organisation names use are folded by hand.
    private static char WithoutDiacritic(char c) => char.ToLowerInvariant(c) switch
    {
        'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' => 'a',
        'ç' => 'c',
        'è' or 'é' or 'ê' or 'ë' => 'e',
        'ì' or 'í' or 'î' or 'ï' => 'i',
        'ñ' => 'n',
        'ò' or 'ó' or 'ô' or 'õ' or 'ö' => 'o',
        'ù' or 'ú' or 'û' or 'ü' => 'u',
        'ý' or 'ÿ' => 'y',
        _ => '\0',
    };
}
