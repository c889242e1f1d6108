// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Policy;

/// <summary>
/// The case consultations (casusoverleggen) and their members, from configuration key
/// <c>ExchangeHub:CaseConsultations</c>. A municipality directs each one; members are the partners that sit at
/// the table. Defaults to none, in which case no rule with <c>recipient_in_case_consultation</c> ever allows.
/// </summary>
public sealed class CaseConsultationOptions
{
    /// <summary>The configuration section this binds to; the list is its <c>CaseConsultations</c> key.</summary>
    public const string SectionName = "ExchangeHub";

    /// <summary>The case consultations.</summary>
    public IList<CaseConsultationRegistration> CaseConsultations { get; } = [];
}

/// <summary>One case consultation.</summary>
public sealed class CaseConsultationRegistration
{
    /// <summary>Its id, as partners give it in <c>case_consultation_id</c>. Required, unique.</summary>
    public string? Id { get; set; }

    /// <summary>The directing municipality's CBS code. Required.</summary>
    public string? MunicipalityCode { get; set; }

    /// <summary>The members' OINs, the directing municipality included. At least one.</summary>
    public IList<string> Members { get; } = [];
}
