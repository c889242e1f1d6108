// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Authentication;

/// <summary>Names used by partner certificate authentication.</summary>
public static class PartnerCertificateDefaults
{
    /// <summary>The authentication scheme: the TLS client certificate, resolved to a registered partner.</summary>
    public const string AuthenticationScheme = "PartnerCertificate";

    /// <summary>The authorization policy every partner-facing service requires.</summary>
    public const string PartnerPolicy = "Partner";

    /// <summary>The claim that carries the partner's OIN.</summary>
    public const string OinClaim = "oin";
}
