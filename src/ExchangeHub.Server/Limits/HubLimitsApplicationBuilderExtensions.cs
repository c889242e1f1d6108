// This file is part of ExchangeHub.

using ExchangeHub.Server.Limits;

#pragma warning disable IDE0130 // Namespace does not match folder: extensions live where UseXyz() users look for them.
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Puts the limits on contract calls into the request pipeline.</summary>
public static class HubLimitsApplicationBuilderExtensions
{
    /// <summary>
    /// Adds, in this order: the partner's call rate and calls in progress (cheapest, and before anything is read), the
    /// call's deadline, and the check of the request message. Call it after authentication and authorization, so that
    /// the partner is known and outsiders learn nothing about the limits.
    /// </summary>
    public static IApplicationBuilder UseHubLimits(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (ContractMethods.All.Values.FirstOrDefault(m => m.IsClientStreaming) is { } streaming)
        {
            // The request message check reads one message per call; a method that streams requests needs its own.
            throw new InvalidOperationException($"{streaming.FullName} streams requests, and the hub checks single request messages only.");
        }

        return app.UseMiddleware<PartnerCallLimitsMiddleware>()
            .UseMiddleware<CallDeadlineMiddleware>()
            .UseMiddleware<RequestMessageCheckMiddleware>();
    }
}
