// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Authentication;

/// <summary>Names used by partner certificate authentication.</summary>
public static class PartnerCertificateDefaults
{
    /// <summary>The authentication scheme: the TLS client certificate, resolved to a registered partner.</summary>
    public const string AuthenticationScheme = "PartnerCertificate";

    /// <summary>The authorization policy every partner-facing gRPC service requires: certificate and bound token.</summary>
    public const string PartnerPolicy = "Partner";

    /// <summary>The scheme for gRPC calls: the partner certificate plus an access token bound to it.</summary>
    public const string AccessScheme = "PartnerAccess";

    /// <summary>The claim that carries one scope of the partner's access token.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>The claim that carries the partner's OIN.</summary>
    public const string OinClaim = "oin";
}
