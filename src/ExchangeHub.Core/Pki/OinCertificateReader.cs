// This file is part of ExchangeHub.

using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Partners;

namespace ExchangeHub.Core.Pki;

/// <summary>
/// Reads the OIN from a certificate subject. PKIoverheid puts it in <c>serialNumber</c> (2.5.4.5); eIDAS-style
/// certificates put it in <c>organizationIdentifier</c> (2.5.4.97) as <c>NTRNL-</c> followed by the OIN.
/// </summary>
public static class OinCertificateReader
{
    /// <summary>The subject serialNumber attribute (X.520).</summary>
    public const string SerialNumberOid = "2.5.4.5";

    /// <summary>The subject organizationIdentifier attribute (X.520, ETSI EN 319 412-1).</summary>
    public const string OrganizationIdentifierOid = "2.5.4.97";

    private const string EtsiOinPrefix = "NTRNL-";

    /// <summary>Finds the OIN in <paramref name="certificate"/>'s subject.</summary>
    public static bool TryRead(X509Certificate2 certificate, out Oin oin)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        oin = default;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }

            var value = rdn.GetSingleElementValue();
            switch (rdn.GetSingleElementType().Value)
            {
                case SerialNumberOid when Oin.TryParse(value, out oin, out _):
                    return true;
                case OrganizationIdentifierOid when value is not null
                    && value.StartsWith(EtsiOinPrefix, StringComparison.Ordinal)
                    && Oin.TryParse(value[EtsiOinPrefix.Length..], out oin, out _):
                    return true;
            }
        }

        return false;
    }

    /// <summary>Builds a subject name that carries <paramref name="oin"/> the PKIoverheid way.</summary>
    public static X500DistinguishedName BuildSubject(string commonName, string organization, Oin oin)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion("NL");
        builder.AddOrganizationName(organization);
        builder.Add(SerialNumberOid, oin.Value, UniversalTagNumber.PrintableString);
        builder.AddCommonName(commonName);
        return builder.Build();
    }
}
