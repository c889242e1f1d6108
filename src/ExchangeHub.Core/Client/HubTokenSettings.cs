// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Client;

/// <summary>How a channel obtains its access tokens.</summary>
public sealed record HubTokenSettings
{
    /// <summary>The default: obtain tokens with every scope the registration allows, cached in memory only.</summary>
    public static HubTokenSettings Default { get; } = new();

    /// <summary>No tokens at all (the hub refuses every call but health): for tests and diagnostics.</summary>
    public static HubTokenSettings None { get; } = new() { Enabled = false };

    /// <summary>Whether the channel obtains and sends access tokens.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The scopes to ask for; empty asks for everything the partner's registration allows.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Where tokens are kept between processes (hubctl), or null for memory only.</summary>
    public IAccessTokenCache? Cache { get; init; }
}
