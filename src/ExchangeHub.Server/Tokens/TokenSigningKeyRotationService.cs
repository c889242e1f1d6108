// This file is part of ExchangeHub.

using ExchangeHub.Server.Hosting;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tokens;

/// <summary>Rotates the token signing key when it is due, and picks up keys another instance made.</summary>
internal sealed class TokenSigningKeyRotationService(
    TokenSigningKeyRing ring, IOptions<TokenOptions> options, TimeProvider time, ILogger<TokenSigningKeyRotationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Report();
        using var timer = new PeriodicTimer(options.Value.RotationCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (ring.RotateIfDue())
            {
                Report();
            }
        }
    }

    private void Report()
    {
        var keys = ring.Keys;
        HubLog.TokenSigningKeyRotated(logger, keys.Count, keys.Count > 0 ? keys[0].Thumbprint : "(none)");
    }
}
