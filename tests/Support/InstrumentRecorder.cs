// This file is part of ExchangeHub.

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ExchangeHub.Tests.Support;

/// <summary>
/// Records the measurements of one instrument, created through one meter factory: instruments of the same name
/// made by other tests (other factories) running at the same time are not listened to.
/// </summary>
public sealed class InstrumentRecorder<T> : IDisposable
    where T : struct
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(T Value, IReadOnlyDictionary<string, object?> Tags)> _measurements = new();

    public InstrumentRecorder(IMeterFactory factory, string meterName, string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == meterName && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
            _measurements.Enqueue((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    public IReadOnlyList<(T Value, IReadOnlyDictionary<string, object?> Tags)> Measurements => [.. _measurements];

    /// <summary>Asks observable instruments for their values now.</summary>
    public void RecordObservableInstruments() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();
}
