// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Errors;

/// <summary>
/// The table of client-facing errors. Ranges: EH1xxx authentication and partners, EH2xxx request validation,
/// EH3xxx purpose binding and policy, EH4xxx disclosure log, EH5xxx messages and delivery, EH6xxx limits on calls,
/// EH9xxx the hub itself.
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

    /// <summary>A gRPC call without an access token.</summary>
    public static readonly HubError AccessTokenMissing = new(
        "EH1013",
        "No access token was presented. Obtain one at the hub's token endpoint ({0}) with the client_credentials grant over your partner certificate (tls_client_auth), and send it as 'authorization: Bearer <token>'.");

    /// <summary>An access token past its expiry.</summary>
    public static readonly HubError AccessTokenExpired = new(
        "EH1014",
        "The access token has expired. Obtain a new one at the hub's token endpoint ({0}); tokens live for minutes, not hours.");

    /// <summary>An access token issued for another audience.</summary>
    public static readonly HubError AccessTokenWrongAudience = new(
        "EH1015",
        "The access token was not issued for this hub (audience '{0}' is required). Request a token from this hub's token endpoint.");

    /// <summary>An access token presented over a connection with another certificate than the one it is bound to.</summary>
    public static readonly HubError AccessTokenNotBoundToCertificate = new(
        "EH1016",
        "The access token is bound to another client certificate (cnf x5t#S256) than the one this connection presents, or to none. A token can only be used with the certificate it was issued to: obtain your own token over your own certificate.");

    /// <summary>An access token that does not validate for another reason (signature, issuer, format).</summary>
    public static readonly HubError AccessTokenInvalid = new(
        "EH1017",
        "The access token is not valid here: {0} Obtain a new one at the hub's token endpoint ({1}).");

    /// <summary>A token issued to one partner, presented with another partner's certificate.</summary>
    public static readonly HubError AccessTokenOfAnotherPartner = new(
        "EH1018",
        "The access token was issued to {0}, not to {1}, whose certificate this connection presents.");

    /// <summary>The token lacks the operation scope a method needs.</summary>
    public static readonly HubError OperationScopeMissing = new(
        "EH1019",
        "The access token does not carry scope '{0}', which {1} requires. Request a token with that scope{2}.");

    /// <summary>The token lacks the purpose scope for grounds stated in the request.</summary>
    public static readonly HubError PurposeScopeMissing = new(
        "EH1020",
        "The request states purpose {0}, but the access token does not carry scope '{1}'. Request a token with that scope{2}.");

    /// <summary>A method that has no scope assigned (fail closed).</summary>
    public static readonly HubError MethodWithoutScope = new(
        "EH1021",
        "{0} has no access scope assigned in this hub and cannot be called.");

    /// <summary>A request failed contract validation; the details list each field.</summary>
    public static readonly HubError InvalidRequest = new(
        "EH2001",
        "The request is invalid: {0}");

    /// <summary>A request whose bytes are not a message of the method's request type (or not one gRPC message).</summary>
    public static readonly HubError MalformedRequest = new(
        "EH2002",
        "The request is not a well-formed {0} message: {1} Nothing was read from it and nothing was stored.");

    /// <summary>A request compressed with an encoding the hub does not accept.</summary>
    public static readonly HubError UnsupportedCompression = new(
        "EH2003",
        "The request is compressed with '{0}', which this hub does not accept; send it uncompressed or with gzip.");

    /// <summary>No rule gives a sender with these roles the stated basis.</summary>
    public static readonly HubError BasisNotAvailableToSender = new(
        "EH3002",
        "Legal basis {0} is not available to {1} (roles {2}) for any message in policy {3} {4}.{5}");

    /// <summary>The basis is available to the sender, but not for this message.</summary>
    public static readonly HubError MessageNotCoveredByBasis = new(
        "EH3003",
        "Legal basis {0} does not cover {1} from {2} in policy {3} {4}.{5}");

    /// <summary>The basis covers the message, but not for this recipient.</summary>
    public static readonly HubError RecipientOutsideScope = new(
        "EH3004",
        "{0} (roles {1}) is not a recipient that legal basis {2} allows for {3} from {4} in policy {5} {6}.{7}");

    /// <summary>A rule covers everything but the purpose.</summary>
    public static readonly HubError PurposeNotPermitted = new(
        "EH3005",
        "Purpose {0} is not permitted under {1} (rule {2}), which permits {3}.{4}");

    /// <summary>The rule requires a justification text.</summary>
    public static readonly HubError JustificationMissing = new(
        "EH3006",
        "{0} (rule {1}) allows this only for a weighty public interest (zwaarwegend algemeen belang), and the request records no justification. State in 'justification' why disclosure is necessary in this case.");

    /// <summary>The recipient municipality is not the subject's.</summary>
    public static readonly HubError OutsideJurisdiction = new(
        "EH3007",
        "{0} ({1}) is not the subject's municipality ({2}); rule {3} discloses to a municipality only about its own residents.");

    /// <summary>The recipient is not in the named case consultation.</summary>
    public static readonly HubError NotInCaseConsultation = new(
        "EH3008",
        "{0} is not a member of case consultation '{1}'; rule {2} ({3}) discloses only within the case consultation.");

    /// <summary>The rule requires a case consultation and the request names none.</summary>
    public static readonly HubError NoCaseConsultation = new(
        "EH3009",
        "Rule {0} ({1}) discloses only within a case consultation, and the request names none. Give the case consultation id.");

    /// <summary>The recipient is neither the subject's municipality nor in the case consultation the data names.</summary>
    public static readonly HubError OutsideJurisdictionAndCaseConsultation = new(
        "EH3010",
        "{0} ({1}) is neither the subject's municipality ({2}) nor a member of the case consultation the data was delivered for ({3}); rule {4} discloses only to either.");

    /// <summary>No rule lets a partner with the caller's roles receive what a query asks for.</summary>
    public static readonly HubError QueryNotForRecipient = new(
        "EH3011",
        "{0} (roles {1}) may not receive {2} disclosures: no rule of policy {3} {4} gives them to a partner with these roles.");

    /// <summary>Rules let the caller query, but not on the stated basis.</summary>
    public static readonly HubError QueryNotCoveredByBasis = new(
        "EH3012",
        "Legal basis {0} does not cover {1} by {2} (roles {3}) in policy {4} {5}.{6}");

    /// <summary>A case query on valid grounds with nothing the caller may see; says nothing about what the hub holds.</summary>
    public static readonly HubError NothingDisclosable = new(
        "EH3013",
        "The hub shows {0} nothing about this subject for {1} under {2}: a case view holds only what partners delivered about the caller's own residents, or for a case consultation the caller is a member of, in the categories these grounds cover (rules {3}). Whether the hub holds anything else about the subject is not disclosed.{4}");

    /// <summary>None of the categories a case query asks for is covered by its grounds.</summary>
    public static readonly HubError CategoriesNotCovered = new(
        "EH3014",
        "{0} for {1} does not cover the requested categories ({2}) for {3}; these grounds cover {4}.{5}");

    /// <summary>A size or index beyond the latest signed checkpoint.</summary>
    public static readonly HubError BeyondCheckpoint = new(
        "EH4010",
        "{0} is beyond the latest signed checkpoint, which has {1} leaves. Fetch a newer checkpoint first.");

    /// <summary>An inconsistent proof request.</summary>
    public static readonly HubError InvalidProofRequest = new(
        "EH4011",
        "{0}");

    /// <summary>A cosignature for a checkpoint the hub did not sign.</summary>
    public static readonly HubError UnknownCheckpoint = new(
        "EH4012",
        "The note is not a checkpoint this hub signed: {0}");

    /// <summary>A cosignature from a witness the hub does not know.</summary>
    public static readonly HubError UnknownWitness = new(
        "EH4013",
        "Witness '{0}' (key hash {1}) is not configured in this hub; ask the hub operator to add its cosignature verifier key.");

    /// <summary>A cosignature that does not verify.</summary>
    public static readonly HubError BadCosignature = new(
        "EH4014",
        "The cosignature of witness '{0}' does not verify over this checkpoint.");

    /// <summary>A leaf that cannot be read as the record its search columns say it is.</summary>
    public static readonly HubError LeafUnreadable = new(
        "EH4015",
        "Leaf {0} of the disclosure log cannot be read: {1}. The log may have been changed; run 'hubctl audit verify' and tell the hub operator.");

    /// <summary>An audit operation for privacy officers only.</summary>
    public static readonly HubError PrivacyOfficerOnly = new(
        "EH1007",
        "{0} is for privacy officers (role PRIVACY_OFFICER) acting for purpose PRIVACY_AUDIT; partner {1} may not use it.");

    /// <summary>The disclosure log stopped.</summary>
    public static readonly HubError LogStopped = new(
        "EH4003",
        "The disclosure log stopped after an unexpected storage error and accepts no disclosures until the hub is restarted and the log verifies.");

    /// <summary>A recipient named in a message is not a registered partner.</summary>
    public static readonly HubError RecipientNotRegistered = new(
        "EH5001",
        "{0} is not a registered partner of this hub ({1}); nothing was sent to it.");

    /// <summary>An idempotency key reused for another request.</summary>
    public static readonly HubError IdempotencyConflict = new(
        "EH5002",
        "Idempotency key '{0}' was used before by {1} for {2} with a different request (message {3}). Use a new key for a new request; a retry must repeat the request exactly.");

    /// <summary>A referenced message that does not exist or is another sender's.</summary>
    public static readonly HubError MessageNotFound = new(
        "EH5003",
        "Message {0} does not exist, or it is not one of the messages {1} sent or received.");

    /// <summary>A notice that was withdrawn cannot be corrected or withdrawn again.</summary>
    public static readonly HubError NoticeWithdrawn = new(
        "EH5004",
        "Notice {0} was withdrawn (message {1}); it can no longer be corrected or withdrawn.");

    /// <summary>A mandatory recipient could not be determined.</summary>
    public static readonly HubError NoMandatoryRecipient = new(
        "EH5005",
        "No registered partner is {0}; the notice cannot reach a mandatory recipient. The hub operator must register it.");

    /// <summary>No recipient may receive the message.</summary>
    public static readonly HubError NoRecipientAllowed = new(
        "EH5006",
        "No recipient may receive this message; every decision is in the receipt and logged. First: {0}");

    /// <summary>A delivery acknowledged that is not the caller's.</summary>
    public static readonly HubError DeliveryNotFound = new(
        "EH5007",
        "Delivery {0} is not in the inbox of {1}.");

    /// <summary>An acknowledgement that would change a final outcome.</summary>
    public static readonly HubError AcknowledgementFinal = new(
        "EH5008",
        "Delivery {0} was already acknowledged as {1}, which is final.");

    /// <summary>A malformed inbox cursor.</summary>
    public static readonly HubError BadCursor = new(
        "EH5009",
        "The cursor '{0}' is not a cursor of this inbox. Pass back a cursor exactly as the hub gave it, or none to start at the oldest unfinished message.");

    /// <summary>A REJECTED acknowledgement without a reason.</summary>
    public static readonly HubError RejectionNeedsReason = new(
        "EH5010",
        "A REJECTED acknowledgement needs a reason (at most 2000 characters), so the sender can act on it.");

    /// <summary>A request message larger than the hub accepts.</summary>
    public static readonly HubError MessageTooLarge = new(
        "EH6001",
        "The request message is {0} bytes; this hub accepts at most {1} bytes per message. Nothing was read from it and nothing was stored.");

    /// <summary>A partner with as many calls in progress as it may have.</summary>
    public static readonly HubError TooManyConcurrentCalls = new(
        "EH6002",
        "Partner {0} already has {1} calls in progress, as many as this hub allows a partner at once. Retry when one has finished; open subscriptions count too.");

    /// <summary>A partner that called more often than its rate allows.</summary>
    public static readonly HubError CallRateExceeded = new(
        "EH6003",
        "Partner {0} has made more calls than this hub allows ({1} per {2}, bursts of up to {3}). Retry after {4} seconds.");

    /// <summary>A request message that did not arrive within the call's deadline.</summary>
    public static readonly HubError RequestMessageLate = new(
        "EH6004",
        "The request message did not arrive within the call's deadline ({0}). Send the whole request at once.");

    /// <summary>A service that the contract defines but this hub version does not carry out yet.</summary>
    public static readonly HubError NotImplemented = new(
        "EH9001",
        "{0} is part of the v1 contract but not yet available on this hub. The request was valid and nothing was stored.");
}
