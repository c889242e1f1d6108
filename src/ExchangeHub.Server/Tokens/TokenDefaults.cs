// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Tokens;

/// <summary>Paths and names of the token server.</summary>
public static class TokenDefaults
{
    /// <summary>The OAuth 2.0 token endpoint (client-credentials grant, RFC 8705 tls_client_auth).</summary>
    public const string TokenEndpoint = "connect/token";

    /// <summary>The authorization server metadata (RFC 8414, served at the OpenID discovery address).</summary>
    public const string ConfigurationEndpoint = ".well-known/openid-configuration";

    /// <summary>The public signing keys (JWKS), for anyone who wants to check a token.</summary>
    public const string JwksEndpoint = ".well-known/jwks";

    /// <summary>The claim naming the partner's roles in the token, for the partner's own diagnostics.</summary>
    public const string RoleClaim = "role";
}
