// This file is part of ExchangeHub.

using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tokens;

/// <summary>Refuses a token configuration that would weaken access control, at start rather than at the first request.</summary>
internal sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"EH9501: {TokenOptions.SectionName}:Audience must name this hub's audience (e.g. exchangehub).");
        }

        if (options.AccessTokenLifetime <= TimeSpan.Zero || options.AccessTokenLifetime > TimeSpan.FromHours(1))
        {
            failures.Add($"EH9502: {TokenOptions.SectionName}:AccessTokenLifetime must lie between 0 and 1 hour; access tokens are meant to be short-lived.");
        }

        if (options.SigningKeyRotation < TimeSpan.FromHours(1))
        {
            failures.Add($"EH9503: {TokenOptions.SectionName}:SigningKeyRotation must be at least 1 hour.");
        }

        if (options.RotationCheckInterval <= TimeSpan.Zero || options.RotationCheckInterval > options.SigningKeyRotation)
        {
            failures.Add($"EH9504: {TokenOptions.SectionName}:RotationCheckInterval must be positive and not longer than SigningKeyRotation.");
        }

        if (string.IsNullOrWhiteSpace(options.SigningKeyDirectory))
        {
            failures.Add($"EH9505: {TokenOptions.SectionName}:SigningKeyDirectory is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
