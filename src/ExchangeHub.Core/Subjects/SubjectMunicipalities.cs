// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Subjects;

/// <summary>The municipalities a message states for its subject, which decide jurisdiction.</summary>
public static class SubjectMunicipalities
{
    /// <summary>The subject's municipalities a notice states: residence, and place of release where given.</summary>
    public static string[] Of(EndOfDetentionNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return [.. new[] { notice.MunicipalityOfResidence?.Code, notice.PlaceOfRelease?.Code }.OfType<string>().Where(c => c.Length > 0).Distinct()];
    }
}
