// This file is part of ExchangeHub.

using System.Diagnostics.Metrics;

namespace ExchangeHub.Tests.Support;

/// <summary>
/// A meter factory for parts built by hand, outside a host. Its meters carry it as their scope, so an
/// <c>InstrumentRecorder</c> given this factory sees their measurements only, not those of other tests running at
/// the same time.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];
    private readonly Lock _gate = new();

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Scope = this;
        var meter = new Meter(options);
        lock (_gate)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
