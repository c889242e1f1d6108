// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExchangeHub.Server.Ledger;

/// <summary>Unhealthy once the log writer has stopped (fail-stop): the hub then accepts no disclosures.</summary>
internal sealed class LedgerHealthCheck(LedgerWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.StoppedBy is { } cause
            ? HealthCheckResult.Unhealthy("the disclosure log writer stopped", cause)
            : HealthCheckResult.Healthy($"disclosure log at {writer.Committed.Size} leaves"));
}
