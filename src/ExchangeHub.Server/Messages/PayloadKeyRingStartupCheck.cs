// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Messages;

/// <summary>
/// Opens the payload key ring when the hub starts, so that a certificate that cannot decrypt it, or a key
/// directory that cannot be written, stops the start instead of the first message (fail closed).
/// </summary>
internal sealed partial class PayloadKeyRingStartupCheck(
    DataProtectionPayloadProtector protector,
    ILogger<PayloadKeyRingStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var keys = protector.VerifyKeyRing();
        KeyRingReady(logger, protector.KeysDirectory, keys, protector.CertificateThumbprint);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5220, EventName = "PayloadKeyRingReady", Level = LogLevel.Information,
        Message = "Payload key ring {Directory} ready with {KeyCount} keys, encrypted to certificate {Thumbprint}")]
    private static partial void KeyRingReady(ILogger logger, string directory, int keyCount, string thumbprint);
}
