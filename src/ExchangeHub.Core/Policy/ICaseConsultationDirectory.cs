// This file is part of ExchangeHub.

using ExchangeHub.Core.Partners;

namespace ExchangeHub.Core.Policy;

/// <summary>Knows which partners take part in which case consultation (casusoverleg).</summary>
public interface ICaseConsultationDirectory
{
    /// <summary>Whether <paramref name="partner"/> is a member of case consultation <paramref name="caseConsultationId"/>.</summary>
    bool IsMember(string caseConsultationId, Oin partner);
}
