// This file is part of ExchangeHub.

using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Limits;

/// <summary>Refuses limits that would switch a protection off or make the hub unusable, at start-up.</summary>
internal sealed class HubLimitsOptionsValidator : IValidateOptions<HubLimitsOptions>
{
    /// <summary>The largest message size that may be configured: 16 MiB.</summary>
    public const int MaxConfigurableMessageSize = 16 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, HubLimitsOptions options)
    {
        var section = HubLimitsOptions.SectionName;
        var failures = new List<string>();
        if (options.MaxRequestMessageSize is < 1024 or > MaxConfigurableMessageSize)
        {
            failures.Add($"EH9601: {section}:MaxRequestMessageSize must be between 1024 and {MaxConfigurableMessageSize} bytes.");
        }

        if (options.MaxConcurrentCallsPerPartner is < 1 or > 10_000)
        {
            failures.Add($"EH9602: {section}:MaxConcurrentCallsPerPartner must be between 1 and 10000.");
        }

        if (options.CallBurstPerPartner < 1 || options.CallsPerPeriodPerPartner < 1 || options.CallsPerPeriodPerPartner > options.CallBurstPerPartner)
        {
            failures.Add($"EH9603: {section}:CallBurstPerPartner and CallsPerPeriodPerPartner must be at least 1, and a period may not regain more calls than a burst holds.");
        }

        if (options.CallRatePeriod < TimeSpan.FromMilliseconds(1) || options.CallRatePeriod > TimeSpan.FromDays(1))
        {
            failures.Add($"EH9604: {section}:CallRatePeriod must lie between 1 millisecond and 1 day.");
        }

        if (options.DefaultCallTimeout <= TimeSpan.Zero || options.DefaultCallTimeout > options.MaxCallTimeout)
        {
            failures.Add($"EH9605: {section}:DefaultCallTimeout must be positive and not longer than MaxCallTimeout.");
        }

        if (options.MaxCallTimeout <= TimeSpan.Zero || options.MaxCallTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"EH9606: {section}:MaxCallTimeout must be positive and at most 1 hour.");
        }

        if (options.MaxStreamTimeout <= TimeSpan.Zero || options.MaxStreamTimeout > TimeSpan.FromDays(1))
        {
            failures.Add($"EH9607: {section}:MaxStreamTimeout must be positive and at most 1 day.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
