// This file is part of ExchangeHub.

using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Limits;

/// <summary>
/// One token bucket and one concurrency limit per partner (by OIN). The registry bounds the number of partitions, so
/// they are kept for the hub's lifetime. Neither queues: a call over a limit is refused at once, with when to retry.
/// </summary>
internal sealed class PartnerCallLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _rate;
    private readonly PartitionedRateLimiter<string> _concurrency;
    private readonly int _slots;

    public PartnerCallLimiter(IOptions<HubLimitsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value;
        _slots = limits.MaxConcurrentCallsPerPartner;
        _rate = PartitionedRateLimiter.Create<string, string>(oin => RateLimitPartition.GetTokenBucketLimiter(oin, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.CallBurstPerPartner,
            TokensPerPeriod = limits.CallsPerPeriodPerPartner,
            ReplenishmentPeriod = limits.CallRatePeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        _concurrency = PartitionedRateLimiter.Create<string, string>(oin => RateLimitPartition.GetConcurrencyLimiter(oin, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.MaxConcurrentCallsPerPartner,
            QueueLimit = 0,
        }));
    }

    /// <summary>Takes a call from the partner's bucket; a failed lease says when the bucket has one again.</summary>
    public RateLimitLease TakeCall(string oin) => _rate.AttemptAcquire(oin);

    /// <summary>Takes one of the partner's slots for calls in progress, until the lease is disposed.</summary>
    public RateLimitLease TakeSlot(string oin) => _concurrency.AttemptAcquire(oin);

    /// <summary>How many calls of the partner are in progress.</summary>
    public long CallsInProgress(string oin) => _slots - (_concurrency.GetStatistics(oin)?.CurrentAvailablePermits ?? _slots);

    public void Dispose()
    {
        _rate.Dispose();
        _concurrency.Dispose();
    }
}
