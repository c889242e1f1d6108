// This file is part of ExchangeHub.

using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Limits;

/// <summary>
/// Gives every call of the contract a deadline: a unary call without one gets <see cref="HubLimitsOptions.DefaultCallTimeout"/>,
/// and one that asks for longer than <see cref="HubLimitsOptions.MaxCallTimeout"/> gets that; a server stream gets at
/// most <see cref="HubLimitsOptions.MaxStreamTimeout"/>. It does so by setting the request's <c>grpc-timeout</c>, which
/// the gRPC server then enforces as if the client had sent it: the handler's cancellation token fires and the caller
/// gets DEADLINE_EXCEEDED. A subscription is left as the client opened it (see <see cref="HubLimitsOptions.MaxStreamTimeout"/>).
/// </summary>
internal sealed class CallDeadlineMiddleware(RequestDelegate next, IOptions<HubLimitsOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var method = ContractMethods.Of(context);
        if (method is not null && $"/{method.Service.FullName}/{method.Name}" != ContractMethods.Subscribe)
        {
            var limits = options.Value;
            var longest = method.IsServerStreaming ? limits.MaxStreamTimeout : limits.MaxCallTimeout;
            var requested = GrpcTimeout.Parse(context.Request.Headers[GrpcTimeout.Header]);

            // A header that is missing or not in the protocol's form would leave the call without any deadline.
            var granted = requested is { } asked && asked <= longest ? asked : requested is null && !method.IsServerStreaming ? limits.DefaultCallTimeout : longest;
            if (requested != granted)
            {
                context.Request.Headers[GrpcTimeout.Header] = GrpcTimeout.Format(granted);
            }
        }

        return next(context);
    }
}
