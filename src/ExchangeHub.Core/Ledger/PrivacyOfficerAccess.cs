// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Who may audit the disclosure log: partners with role PRIVACY_OFFICER, and, for anything that returns records
/// (personal data, if pseudonymised), only when they state purpose PRIVACY_AUDIT. One rule for every host, so the
/// audit API and any other front end refuse the same callers. A refusal is error <c>EH1007</c>.
/// </summary>
public static class PrivacyOfficerAccess
{
    /// <summary>Whether <paramref name="partner"/> may read disclosure records on <paramref name="grounds"/>.</summary>
    public static bool MayReadRecords(Partner partner, ProcessingGrounds? grounds)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return MayReadFigures(partner) && grounds?.Purpose == Purpose.PrivacyAudit;
    }

    /// <summary>Whether <paramref name="partner"/> may read figures (counts), which hold no personal data.</summary>
    public static bool MayReadFigures(Partner partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return partner.HasRole(PartnerRole.PrivacyOfficer);
    }
}
