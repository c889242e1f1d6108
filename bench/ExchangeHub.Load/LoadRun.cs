// This file is part of ExchangeHub.

using System.Diagnostics;
using System.Globalization;
using Grpc.Core;

namespace ExchangeHub.Load;

/// <summary>
/// A closed-loop run: <see cref="LoadSettings.Concurrency"/> callers, each making its next call as soon as the last
/// one returned, over <see cref="LoadSettings.Connections"/> channels, first for the warm-up (not counted), then for
/// the measured duration. Prints requests per second, latency percentiles, errors and the server's memory.
/// </summary>
internal static class LoadRun
{
    public static async Task<int> RunAsync(LoadSettings settings)
    {
        using var target = LoadTarget.Create(settings);
        await target.PrepareAsync(CancellationToken.None);

        // Warm-up: JIT, connections, tokens, caches. Then the measured run, with fresh recorders.
        await DriveAsync(target, settings.Concurrency, settings.Warmup, record: false);
        await using var memory = settings.ServerProcessId is { } pid ? new MemorySampler(pid) : null;
        memory?.Start();
        var (recorders, errors, elapsed) = await DriveAsync(target, settings.Concurrency, settings.Duration, record: true);

        var calls = recorders.Sum(r => r.Count);
        var (p50, p99, p999, max) = LatencyRecorder.Percentiles(recorders);
        var rate = calls / elapsed.TotalSeconds;
        var peak = memory?.PeakBytes ?? 0;
        var (first, last) = memory?.Trend() ?? (0, 0);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{settings.Target}\t{rate:0}\t{p50:0.00}\t{p99:0.00}\t{p999:0.00}\t{max:0.00}\t{peak / 1048576.0:0}\t{first / 1048576.0:0}\t{last / 1048576.0:0}\t{errors.Values.Sum()}\t{settings.Concurrency}\t{settings.Connections}\t{settings.Duration.TotalSeconds:0}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Target,-7} {rate,10:N0} req/s   p50 {p50,7:0.00} ms   p99 {p99,7:0.00} ms   p99.9 {p999,7:0.00} ms   max {max,8:0.00} ms   peak RSS {peak / 1048576.0,6:0} MiB (first fifth {first / 1048576.0:0}, last fifth {last / 1048576.0:0})   errors {errors.Values.Sum()}"));
        foreach (var (status, count) in errors)
        {
            Console.WriteLine($"        {count} x {status}");
        }

        if (settings.ResultsFile is { } results)
        {
            await File.AppendAllTextAsync(results, line + Environment.NewLine);
        }

        return errors.Count == 0 ? 0 : 1;
    }

    private static async Task<(LatencyRecorder[] Recorders, Dictionary<string, int> Errors, TimeSpan Elapsed)> DriveAsync(
        LoadTarget target, int concurrency, TimeSpan duration, bool record)
    {
        var recorders = Enumerable.Range(0, concurrency).Select(_ => new LatencyRecorder()).ToArray();
        var errors = new Dictionary<string, int>(StringComparer.Ordinal);
        long next = 0;
        var started = Stopwatch.StartNew();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = recorders.Select(recorder => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var n = Interlocked.Increment(ref next);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await target.CallAsync(n, CancellationToken.None);
                    if (record)
                    {
                        recorder.Record(start);
                    }
                }
                catch (RpcException ex)
                {
                    lock (errors)
                    {
                        var key = $"{ex.StatusCode}: {ex.Status.Detail[..Math.Min(ex.Status.Detail.Length, 120)]}";
                        errors[key] = errors.GetValueOrDefault(key) + 1;
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (recorders, errors, started.Elapsed);
    }
}
