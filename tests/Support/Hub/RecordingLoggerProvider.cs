// This file is part of ExchangeHub.

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ExchangeHub.Tests.Support.Hub;

/// <summary>Keeps every log event the hub writes, so tests can assert on event ids and their text.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyCollection<LogRecord> Records => _records;

    /// <summary>
    /// Waits until a record matches, for events that the hub writes on its side of a connection while the
    /// client may already have seen the outcome. Gives up after <paramref name="timeout"/> (default 5 s).
    /// </summary>
    public async Task<bool> WaitForAsync(Func<LogRecord, bool> match, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!_records.Any(match))
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(25);
        }

        return true;
    }

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, _records);

    public void Dispose()
    {
    }

    public sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception = null);

    private sealed class RecordingLogger(string category, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
