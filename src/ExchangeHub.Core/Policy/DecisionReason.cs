// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Policy;

/// <summary>Why the policy allowed or denied a disclosure. Each denial has its own error id (EH3xxx).</summary>
public enum DecisionReason
{
    /// <summary>A rule allows the disclosure and its conditions hold.</summary>
    Allowed = 0,

    /// <summary>No rule gives a sender with these roles the stated legal basis.</summary>
    BasisNotAvailableToSender = 1,

    /// <summary>The basis is available to the sender, but not for this message type or data category.</summary>
    MessageNotCoveredByBasis = 2,

    /// <summary>The basis covers the message, but not for a recipient with these roles.</summary>
    RecipientOutsideScope = 3,

    /// <summary>A rule covers sender, recipient, message and basis, but not the stated purpose.</summary>
    PurposeNotPermitted = 4,

    /// <summary>The rule requires a justification (weighty public interest) and none was given.</summary>
    JustificationMissing = 5,

    /// <summary>The recipient municipality is not the subject's municipality.</summary>
    OutsideJurisdiction = 6,

    /// <summary>The rule requires membership of the case consultation, and the recipient is not a member (or none was named).</summary>
    NotInCaseConsultation = 7,

    /// <summary>The recipient is neither the subject's municipality nor a member of the case consultation the data names.</summary>
    OutsideJurisdictionAndCaseConsultation = 8,

    /// <summary>
    /// A case query on valid grounds finds nothing about the subject that the caller may see. Decided over the
    /// stored data as a whole, never for one request; it deliberately does not say whether the hub holds anything.
    /// </summary>
    NothingDisclosable = 9,
}
