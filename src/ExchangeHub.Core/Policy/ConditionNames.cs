// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Policy;

/// <summary>The names of <see cref="PolicyCondition"/> values in policy files, and in words.</summary>
public static class ConditionNames
{
    /// <summary>Condition name in a policy file to its value.</summary>
    public static IReadOnlyDictionary<string, PolicyCondition> ByName { get; } = new Dictionary<string, PolicyCondition>(StringComparer.Ordinal)
    {
        ["justification_required"] = PolicyCondition.JustificationRequired,
        ["recipient_is_subject_municipality"] = PolicyCondition.RecipientIsSubjectMunicipality,
        ["recipient_in_case_consultation"] = PolicyCondition.RecipientInCaseConsultation,
        ["recipient_is_subject_municipality_or_in_case_consultation"] = PolicyCondition.RecipientIsSubjectMunicipalityOrInCaseConsultation,
    };

    /// <summary>The conditions in words, e.g. "a justification is given and the recipient is the subject's municipality".</summary>
    public static string Describe(PolicyCondition conditions)
    {
        var parts = new List<string>(4);
        if (conditions.HasFlag(PolicyCondition.JustificationRequired))
        {
            parts.Add("a justification is given");
        }

        if (conditions.HasFlag(PolicyCondition.RecipientIsSubjectMunicipality))
        {
            parts.Add("the recipient is the subject's municipality");
        }

        if (conditions.HasFlag(PolicyCondition.RecipientInCaseConsultation))
        {
            parts.Add("the recipient is in the case consultation");
        }

        if (conditions.HasFlag(PolicyCondition.RecipientIsSubjectMunicipalityOrInCaseConsultation))
        {
            parts.Add("the recipient is the subject's municipality or in the case consultation");
        }

        return string.Join(" and ", parts);
    }

    /// <summary>The policy-file names of the conditions set in <paramref name="conditions"/>.</summary>
    public static IEnumerable<string> Names(PolicyCondition conditions) =>
        ByName.Where(p => conditions.HasFlag(p.Value)).Select(p => p.Key);
}
