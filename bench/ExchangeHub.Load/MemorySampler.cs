// This file is part of ExchangeHub.

using System.Globalization;

namespace ExchangeHub.Load;

/// <summary>
/// Samples a server process's resident memory once a second from /proc, so that a run reports its peak and whether
/// memory stayed flat (the average of the first and the last fifth of the run).
/// </summary>
internal sealed class MemorySampler(int processId) : IAsyncDisposable
{
    private readonly List<long> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = LoopAsync();

    public long PeakBytes => Math.Max(ReadKilobytes("VmHWM:") * 1024, _samples.Count == 0 ? 0 : _samples.Max());

    public (long FirstFifth, long LastFifth) Trend()
    {
        if (_samples.Count < 5)
        {
            return (0, 0);
        }

        var fifth = _samples.Count / 5;
        return ((long)_samples.Take(fifth).Average(), (long)_samples.TakeLast(fifth).Average());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                _samples.Add(ReadKilobytes("VmRSS:") * 1024);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private long ReadKilobytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process is gone; the samples so far stand.
        }

        return 0;
    }
}
