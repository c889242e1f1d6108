// This file is part of ExchangeHub.

using System.Diagnostics;

namespace ExchangeHub.Load;

/// <summary>
/// Latencies of one worker, in stopwatch ticks, kept whole (not bucketed) so that p99.9 is exact: a 30-second run at
/// tens of thousands of calls per second is a few megabytes.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly List<long> _ticks = new(1 << 16);

    public int Count => _ticks.Count;

    public void Record(long startTimestamp) => _ticks.Add(Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>The percentiles of every recorder together, in milliseconds.</summary>
    public static (double P50, double P99, double P999, double Max) Percentiles(IEnumerable<LatencyRecorder> recorders)
    {
        var all = recorders.SelectMany(r => r._ticks).ToArray();
        if (all.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(all);
        double At(double quantile) => all[Math.Min(all.Length - 1, (int)Math.Ceiling(quantile * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        return (At(0.50), At(0.99), At(0.999), all[^1] * 1000.0 / Stopwatch.Frequency);
    }
}
