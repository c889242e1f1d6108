// This file is part of ExchangeHub.

namespace ExchangeHub.Server.AuditWeb;

/// <summary>Names used by the privacy officer's page.</summary>
public static class AuditWebDefaults
{
    /// <summary>Where the page lives; its data is under <c>/audit/api/</c>.</summary>
    public const string Path = "/audit";

    /// <summary>
    /// The authorization policy of the page: the TLS client certificate of a registered partner with role
    /// PrivacyOfficer. The page stays on the certificate, whatever else gRPC calls need: a browser holds no token.
    /// </summary>
    public const string PolicyName = "PrivacyOfficerPage";
}
