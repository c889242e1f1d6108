// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Ledger;

/// <summary>
/// Runs the disclosure log in the host: opens it before the hub takes requests (so the first request finds a
/// working log, or the hub does not start), signs a checkpoint at every interval in which the log grew, and
/// drains the writer on shutdown so that every append that was accepted is committed.
/// </summary>
internal sealed partial class LedgerHostedService(
    LedgerWriter writer,
    CheckpointPublisher publisher,
    LedgerKeys keys,
    IOptions<LedgerOptions> options,
    TimeProvider time,
    ILogger<LedgerHostedService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await writer.StartAsync(cancellationToken);
        LogVerifierKey(logger, keys.Origin, keys.VerifierKey);
        await publisher.PublishAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await writer.DisposeAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await publisher.PublishAsync(stoppingToken);
            }
            catch (LogIntegrityException)
            {
                // Already logged as critical by the publisher; keep refusing to sign until an operator acts.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPublishFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 4122, EventName = "LogVerifierKey", Level = LogLevel.Information, Message = "Disclosure log {Origin}: verifier key {VerifierKey} (publish it to every privacy officer; hubctl audit --log-key)")]
    private static partial void LogVerifierKey(ILogger logger, string origin, ExchangeHub.Core.Ledger.Notes.NoteVerifierKey verifierKey);

    [LoggerMessage(EventId = 4121, EventName = "CheckpointPublishFailed", Level = LogLevel.Error, Message = "Signing a checkpoint failed; retrying at the next interval")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
