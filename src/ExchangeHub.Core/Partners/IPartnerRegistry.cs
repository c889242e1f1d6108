// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Partners;

/// <summary>Resolves an OIN to the partner it belongs to.</summary>
public interface IPartnerRegistry
{
    /// <summary>Finds the registered and enabled partner with <paramref name="oin"/>.</summary>
    /// <returns>The lookup outcome: found, unknown or disabled.</returns>
    PartnerLookup Find(Oin oin, [NotNullWhen(true)] out Partner? partner);

    /// <summary>All registered partners, enabled or not, in registry order.</summary>
    IReadOnlyList<Partner> All { get; }
}

/// <summary>The outcome of a registry lookup.</summary>
public enum PartnerLookup
{
    /// <summary>The OIN belongs to an enabled partner.</summary>
    Found = 1,

    /// <summary>The OIN is not in the registry.</summary>
    Unknown = 2,

    /// <summary>The OIN is registered but the partner is disabled.</summary>
    Disabled = 3,
}
