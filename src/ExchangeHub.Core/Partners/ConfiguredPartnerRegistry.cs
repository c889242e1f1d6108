// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Partners;

/// <summary>
/// The partner registry read from configuration. The snapshot is rebuilt when configuration reloads, so a
/// partner can be added or suspended without restarting the hub; each lookup sees one whole snapshot.
/// </summary>
public sealed class ConfiguredPartnerRegistry : IPartnerRegistry, IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile Snapshot _snapshot;

    /// <summary>Builds the registry from validated options.</summary>
    public ConfiguredPartnerRegistry(IOptionsMonitor<PartnerRegistryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _snapshot = Build(options.CurrentValue);
        _subscription = options.OnChange(o => _snapshot = Build(o));
    }

    /// <inheritdoc />
    public IReadOnlyList<Partner> All => _snapshot.All;

    /// <inheritdoc />
    public PartnerLookup Find(Oin oin, [NotNullWhen(true)] out Partner? partner)
    {
        var snapshot = _snapshot;
        if (snapshot.Enabled.TryGetValue(oin.Value, out partner))
        {
            return PartnerLookup.Found;
        }

        return snapshot.Disabled.Contains(oin.Value) ? PartnerLookup.Disabled : PartnerLookup.Unknown;
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    /// <summary>The partners that validated <paramref name="options"/> describe, enabled or not, in order.</summary>
    public static IReadOnlyList<Partner> ToPartners(PartnerRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Options are validated at start-up; Parse throws (fail closed) should a reload bring in a bad entry.
        return [.. options.Partners.Select(entry => new Partner(Oin.Parse(entry.Oin!), entry.Name!, entry.Roles.ToFrozenSet(), entry.MunicipalityCode))];
    }

    private static Snapshot Build(PartnerRegistryOptions options)
    {
        var all = ToPartners(options);
        var enabled = new Dictionary<string, Partner>(StringComparer.Ordinal);
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < all.Count; i++)
        {
            if (options.Partners[i].Enabled)
            {
                enabled[all[i].Oin.Value] = all[i];
            }
            else
            {
                disabled.Add(all[i].Oin.Value);
            }
        }

        return new Snapshot(all, enabled.ToFrozenDictionary(StringComparer.Ordinal), disabled.ToFrozenSet(StringComparer.Ordinal));
    }

    private sealed record Snapshot(
        IReadOnlyList<Partner> All,
        FrozenDictionary<string, Partner> Enabled,
        FrozenSet<string> Disabled);
}
