// This file is part of ExchangeHub.

using System.Collections.Concurrent;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// Wakes a recipient's open inbox streams when something arrives for it, so a subscriber does not poll. Losing a
/// signal loses nothing: streams also look again at a fixed interval, and the inbox itself is in the database.
/// </summary>
public sealed class InboxSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    /// <summary>Something new may be in the inbox of <paramref name="recipientOin"/>.</summary>
    public void Notify(string recipientOin)
    {
        if (_waiting.TryRemove(recipientOin, out var signal))
        {
            signal.TrySetResult();
        }
    }

    /// <summary>Waits until <see cref="Notify"/> for this recipient, <paramref name="timeout"/> passes, or cancellation.</summary>
    public async Task WaitAsync(string recipientOin, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = _waiting.GetOrAdd(recipientOin, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await signal.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Time to look again anyway (redeliveries become visible by time, not by signal).
        }
    }
}
