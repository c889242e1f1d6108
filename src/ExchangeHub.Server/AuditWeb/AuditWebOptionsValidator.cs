// This file is part of ExchangeHub.

using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>Refuses settings of the privacy officer's page that make no sense, at start-up.</summary>
internal sealed class AuditWebOptionsValidator : IValidateOptions<AuditWebOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditWebOptions options)
    {
        var failures = new List<string>();
        if (options.VerificationMaxAge < TimeSpan.Zero)
        {
            failures.Add($"EH9401: {AuditWebOptions.SectionName}:VerificationMaxAge must not be negative.");
        }

        if (options.Months is < 1 or > 120)
        {
            failures.Add($"EH9402: {AuditWebOptions.SectionName}:Months must be between 1 and 120.");
        }

        if (options.LatestDenials is < 1 or > 1000)
        {
            failures.Add($"EH9403: {AuditWebOptions.SectionName}:LatestDenials must be between 1 and 1000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
