// This file is part of ExchangeHub.

using ExchangeHub.Core.Partners;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>Names partners by OIN for the page, from the partner registry as it is now.</summary>
internal sealed class PartnerNames(IPartnerRegistry registry)
{
    /// <summary>The partner with <paramref name="oin"/>, named; an OIN the registry no longer knows is shown as such.</summary>
    public PartnerView View(string? oin)
    {
        if (string.IsNullOrEmpty(oin))
        {
            return new(string.Empty, "(none)");
        }

        var partner = registry.All.FirstOrDefault(p => p.Oin.Value == oin);
        return new(oin, partner?.Name ?? $"unregistered OIN {oin}");
    }
}

/// <summary>A partner on the page.</summary>
/// <param name="Oin">Its OIN (empty when there is none, e.g. a recipient routing could not resolve).</param>
/// <param name="Name">Its name in the registry.</param>
internal sealed record PartnerView(string Oin, string Name);
