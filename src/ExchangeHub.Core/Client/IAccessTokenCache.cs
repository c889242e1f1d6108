// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Client;

/// <summary>A place to keep an access token between uses, keyed by hub, certificate and scopes.</summary>
public interface IAccessTokenCache
{
    /// <summary>The cached token for <paramref name="key"/>, or null.</summary>
    AccessToken? Read(string key);

    /// <summary>Stores <paramref name="token"/> under <paramref name="key"/>.</summary>
    void Write(string key, AccessToken token);
}

/// <summary>An access token and when it expires.</summary>
/// <param name="Value">The token as sent in the authorization header.</param>
/// <param name="ExpiresAt">When the hub stops accepting it.</param>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt);
