// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Tokens;

/// <summary>The token server: lifetimes, audience and signing key rotation (section <c>ExchangeHub:Tokens</c>).</summary>
public sealed class TokenOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ExchangeHub:Tokens";

    /// <summary>
    /// The audience (resource) every access token is issued for and every gRPC call must carry. A token for another
    /// audience, even one signed by this hub, is refused.
    /// </summary>
    public string Audience { get; set; } = "exchangehub";

    /// <summary>How long an access token lives. Short, so that a disabled partner or a revoked certificate loses access soon.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The folder holding the token signing keys; relative paths are under the data directory.</summary>
    public string SigningKeyDirectory { get; set; } = "token-signing-keys";

    /// <summary>How long one signing key signs before a new one takes over.</summary>
    public TimeSpan SigningKeyRotation { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the hub checks whether the signing key is due for rotation.</summary>
    public TimeSpan RotationCheckInterval { get; set; } = TimeSpan.FromHours(1);
}
