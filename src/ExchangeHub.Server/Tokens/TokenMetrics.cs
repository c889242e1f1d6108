// This file is part of ExchangeHub.

using System.Diagnostics.Metrics;
using ExchangeHub.Core.Telemetry;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ExchangeHub.Server.Tokens;

/// <summary>
/// Counts every answer of the token endpoint as it goes out: a token issued (per partner OIN, an organisation), or a
/// refusal (per OAuth error and reason id), whether this hub's handlers refused or OpenIddict's own checks did.
/// A refused client_id is not a tag: anyone may send any text there.
/// </summary>
internal sealed class TokenMetrics : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    private readonly Counter<long> _issued;
    private readonly Counter<long> _refused;

    public TokenMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(HubTelemetry.MeterName);
        _issued = meter.CreateCounter<long>("exchangehub.tokens.issued", "{token}", "Access tokens issued, by partner (OIN).");
        _refused = meter.CreateCounter<long>("exchangehub.tokens.refused", "{request}", "Token requests refused, by OAuth error and reason id (EH10xx).");
    }

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<TokenMetrics>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.IsNullOrEmpty(context.Response.AccessToken))
        {
            _issued.Add(1, new KeyValuePair<string, object?>("partner", context.Request?.ClientId));
        }
        else
        {
            _refused.Add(
                1,
                new KeyValuePair<string, object?>("error", context.Response.Error ?? HubTelemetry.OtherReason),
                new KeyValuePair<string, object?>("reason", HubTelemetry.ReasonId(context.Response.ErrorDescription)));
        }

        return default;
    }
}
