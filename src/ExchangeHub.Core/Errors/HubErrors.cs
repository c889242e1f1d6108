// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Errors;

/// <summary>
/// The table of client-facing errors. Ranges: EH1xxx authentication and partners, EH2xxx request validation,
/// EH3xxx purpose binding and policy, EH4xxx disclosure log, EH5xxx messages and delivery, EH9xxx the hub itself.
/// An identifier is never reused for another meaning.
/// </summary>
public static class HubErrors
{
    /// <summary>The TLS connection carries no client certificate (only reachable when TLS terminates elsewhere).</summary>
    public static readonly HubError NoClientCertificate = new(
        "EH1001",
        "No client certificate was presented. Connect with the partner certificate issued to your organisation.");

    /// <summary>The client certificate's subject has no OIN.</summary>
    public static readonly HubError CertificateWithoutOin = new(
        "EH1002",
        "The client certificate '{0}' carries no OIN in its subject serialNumber. Ask your certificate authority for a certificate that names your organisation's OIN.");

    /// <summary>A CA-valid certificate whose OIN is not in the partner registry.</summary>
    public static readonly HubError UnregisteredPartner = new(
        "EH1003",
        "The client certificate is valid, but OIN {0} is not registered as a partner of this hub. Ask the hub operator to add your organisation to the partner registry.");

    /// <summary>The partner is registered but switched off by the operator.</summary>
    public static readonly HubError PartnerDisabled = new(
        "EH1004",
        "Partner {0} ({1}) is registered but disabled on this hub. Contact the hub operator.");

    /// <summary>The caller is a partner but lacks the role an operation needs.</summary>
    public static readonly HubError RoleRequired = new(
        "EH1005",
        "Partner {0} lacks the role {1}, which this operation requires.");

    /// <summary>A request failed contract validation; the details list each field.</summary>
    public static readonly HubError InvalidRequest = new(
        "EH2001",
        "The request is invalid: {0}");

    /// <summary>A service that the contract defines but this hub version does not carry out yet.</summary>
    public static readonly HubError NotImplemented = new(
        "EH9001",
        "{0} is part of the v1 contract but not yet available on this hub. The request was valid and nothing was stored.");
}
