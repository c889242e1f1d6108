// This file is part of ExchangeHub.

using System.Globalization;

namespace ExchangeHub.Load;

/// <summary>One load run: what to call, how hard and how long.</summary>
internal sealed record LoadSettings(
    string Target,
    Uri Hub,
    string PkiDirectory,
    int Concurrency,
    int Connections,
    TimeSpan Duration,
    TimeSpan Warmup,
    int? ServerProcessId,
    string? ResultsFile)
{
    public static LoadSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new LoadSettings(
            Get("target", "echo"),
            new Uri(Get("hub", "https://127.0.0.1:7443")),
            Get("pki", "certs-dev/pki"),
            Int("concurrency", 64),
            Int("connections", 4),
            TimeSpan.FromSeconds(Int("seconds", 30)),
            TimeSpan.FromSeconds(Int("warmup", 5)),
            values.TryGetValue("server-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            values.GetValueOrDefault("results"));
    }
}
