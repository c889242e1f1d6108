// This file is part of ExchangeHub.

using ExchangeHub.Core.Messages;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Messages;

/// <summary>
/// Runs the missed-notice watchdog and the retention sweeper at every sweep interval, and the reconciliation
/// of outstanding notices once a day (and once at start, so a restart never hides an old gap). After each sweep it
/// reads the inboxes' backlog for the metrics.
/// </summary>
internal sealed partial class MessageSweepService(
    AlarmWatchdog watchdog,
    RetentionSweeper retention,
    DeliveryBacklog backlog,
    IOptions<MessageOptions> options,
    TimeProvider time,
    ILogger<MessageSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextReconciliation = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await watchdog.SweepAsync(stoppingToken);
                await retention.SweepAsync(stoppingToken);
                await backlog.RefreshAsync(stoppingToken);
                if (time.GetUtcNow() >= nextReconciliation)
                {
                    await watchdog.ReconcileAsync(stoppingToken);
                    nextReconciliation = time.GetUtcNow().AddDays(1);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 5204, EventName = "SweepFailed", Level = LogLevel.Error, Message = "The alarm and retention sweep failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
