// This file is part of ExchangeHub.

using System.Globalization;
using ExchangeHub.Benchmarks;

// Usage: dotnet run -c Release --project bench/ExchangeHub.Benchmarks -- policy [seconds-per-case]
var what = args.Length > 0 ? args[0] : "policy";
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
switch (what)
{
    case "policy":
        PolicyBenchmark.Run(TimeSpan.FromSeconds(seconds), FindDefaultPolicy());
        return 0;
    default:
        await Console.Error.WriteLineAsync($"unknown benchmark '{what}'; known: policy");
        return 64;
}

static string? FindDefaultPolicy()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        var candidate = Path.Combine(directory.FullName, "src", "ExchangeHub.Server", "policy", "default-policy.yaml");
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    return null;
}
