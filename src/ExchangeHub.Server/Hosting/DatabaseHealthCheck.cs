// This file is part of ExchangeHub.

using ExchangeHub.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExchangeHub.Server.Hosting;

/// <summary>Reports the hub unhealthy when its database does not answer: without storage nothing can be accepted.</summary>
internal sealed class DatabaseHealthCheck(SqliteHubDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await database.PingAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("the database has no schema");
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", ex);
        }
    }
}
