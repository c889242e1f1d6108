// This file is part of ExchangeHub.

using System.Collections.Frozen;
using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Partners;

/// <summary>
/// A chain partner as the hub knows it: resolved from the client certificate's OIN through the partner
/// registry. Inside a service the caller is always a <see cref="Partner"/>, never a raw certificate.
/// </summary>
/// <param name="Oin">The organisation's OIN, as in its certificate.</param>
/// <param name="Name">The organisation's name, for people reading logs and reports.</param>
/// <param name="Roles">What the organisation is in the chain; the policy grants by role. Frozen, so that the policy engine can enumerate it without allocating.</param>
/// <param name="MunicipalityCode">For a municipality: its CBS code (GM + 4 digits); otherwise null.</param>
public sealed record Partner(Oin Oin, string Name, FrozenSet<PartnerRole> Roles, string? MunicipalityCode)
{
    /// <summary>Whether the partner holds <paramref name="role"/>.</summary>
    public bool HasRole(PartnerRole role) => Roles.Contains(role);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Oin})";
}
