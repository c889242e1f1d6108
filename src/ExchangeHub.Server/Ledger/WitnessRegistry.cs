// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Notes;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Ledger;

/// <summary>The witnesses configured in <c>ExchangeHub:Ledger:WitnessKeys</c>; a malformed key stops the start.</summary>
internal sealed class WitnessRegistry
{
    private readonly Dictionary<(string Name, uint KeyHash), CosignatureVerifierKey> _keys = [];

    public WitnessRegistry(IOptions<LedgerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (var i = 0; i < options.Value.WitnessKeys.Count; i++)
        {
            if (!CosignatureVerifierKey.TryParse(options.Value.WitnessKeys[i], out var key))
            {
                throw new InvalidOperationException($"EH9139: {LedgerOptions.SectionName}:WitnessKeys:{i} is not a cosignature verifier key (name+hash+base64 of type 0x04).");
            }

            _keys[(key.Name, key.KeyHash)] = key;
        }
    }

    /// <summary>The configured witness key with this name and key hash, or null.</summary>
    public CosignatureVerifierKey? Find(string name, uint keyHash) => _keys.GetValueOrDefault((name, keyHash));
}
