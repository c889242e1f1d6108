// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Policy;

/// <summary>Conditions a rule can set on top of roles, basis, purpose and message type.</summary>
[Flags]
public enum PolicyCondition
{
    /// <summary>No condition.</summary>
    None = 0,

    /// <summary>
    /// <c>justification_required</c>: the request must carry a justification text. Required on every rule whose
    /// basis rests on a weighty public interest (zwaarwegend algemeen belang: Wpg art. 18(2), 19, 20; Wjsg art. 39f).
    /// </summary>
    JustificationRequired = 1,

    /// <summary>
    /// <c>recipient_is_subject_municipality</c>: a municipality receives only about its own residents: its CBS
    /// code must be one of the subject's municipalities (residence, or place of release). Other recipients pass.
    /// </summary>
    RecipientIsSubjectMunicipality = 2,

    /// <summary>
    /// <c>recipient_in_case_consultation</c>: the request names a case consultation (casusoverleg) and the
    /// recipient is a member of it.
    /// </summary>
    RecipientInCaseConsultation = 4,

    /// <summary>
    /// <c>recipient_is_subject_municipality_or_in_case_consultation</c>: the recipient is a municipality whose CBS
    /// code is one of the subject's municipalities, or it is a member of the case consultation the data names.
    /// For case queries, where a municipality may see what was delivered about its own residents and what was
    /// delivered for a case consultation it takes part in. Unlike <see cref="RecipientIsSubjectMunicipality"/>,
    /// a recipient that is not a municipality passes only as a member.
    /// </summary>
    RecipientIsSubjectMunicipalityOrInCaseConsultation = 8,
}
