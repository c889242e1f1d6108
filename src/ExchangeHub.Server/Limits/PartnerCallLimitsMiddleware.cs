// This file is part of ExchangeHub.

using System.Globalization;
using System.Threading.RateLimiting;
using ExchangeHub.Core.Errors;
using ExchangeHub.Server.Authentication;
using ExchangeHub.Server.Grpc;
using ExchangeHub.Server.Hosting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Limits;

/// <summary>
/// Holds each partner to its call rate and its number of calls in progress (<see cref="PartnerCallLimiter"/>). A call
/// over a limit is answered RESOURCE_EXHAUSTED with an ErrorInfo (EH6002 or EH6003), a QuotaFailure naming the
/// partner and the limit, and a RetryInfo saying when to try again, and is logged; no service sees it. Runs after
/// authentication, so the partner is known, and before the request message is read.
/// </summary>
internal sealed class PartnerCallLimitsMiddleware(
    RequestDelegate next,
    PartnerCallLimiter limiter,
    IOptions<HubLimitsOptions> options,
    ILogger<PartnerCallLimitsMiddleware> logger)
{
    // A slot frees when a call ends; calls last milliseconds to seconds.
    private static readonly TimeSpan SlotRetryDelay = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        var partner = context.Features.Get<PartnerFeature>()?.Partner;
        if (ContractMethods.Of(context) is null || partner is null)
        {
            // Not a contract call, or one that authorization has already refused.
            await next(context);
            return;
        }

        var oin = partner.Oin.Value;
        var limits = options.Value;
        using (var call = limiter.TakeCall(oin))
        {
            if (!call.IsAcquired)
            {
                var retryAfter = call.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : limits.CallRatePeriod;
                var reason = HubErrors.CallRateExceeded.Format(
                    oin, limits.CallsPerPeriodPerPartner, limits.CallRatePeriod, limits.CallBurstPerPartner, Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));
                HubLog.CallRateExceeded(logger, context.Request.Path.ToString(), oin, limits.CallsPerPeriodPerPartner, limits.CallRatePeriod);
                await RefuseAsync(context, HubErrors.CallRateExceeded, reason, oin, $"at most {limits.CallsPerPeriodPerPartner} calls per {limits.CallRatePeriod}, bursts of {limits.CallBurstPerPartner}", retryAfter);
                return;
            }
        }

        using var slot = limiter.TakeSlot(oin);
        if (!slot.IsAcquired)
        {
            HubLog.TooManyConcurrentCalls(logger, context.Request.Path.ToString(), oin, limits.MaxConcurrentCallsPerPartner);
            var reason = HubErrors.TooManyConcurrentCalls.Format(oin, limits.MaxConcurrentCallsPerPartner);
            await RefuseAsync(context, HubErrors.TooManyConcurrentCalls, reason, oin, $"at most {limits.MaxConcurrentCallsPerPartner} calls in progress", SlotRetryDelay);
            return;
        }

        await next(context);
    }

    private static Task RefuseAsync(HttpContext context, HubError error, string reason, string oin, string limit, TimeSpan retryAfter)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = reason,
            Details =
            {
                Any.Pack(new ErrorInfo { Domain = HubRpcExceptions.ErrorDomain, Reason = error.Id, Metadata = { ["partner_oin"] = oin, ["limit"] = limit } }),
                Any.Pack(new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = $"partner:{oin}", Description = limit } } }),
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }),
            },
        };

        // gRPC clients with a retry policy wait this long before they try again ("gRPC Retry Design", server pushback).
        context.Response.Headers["grpc-retry-pushback-ms"] = ((long)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        return GrpcStatusResponse.WriteAsync(context, status);
    }
}
