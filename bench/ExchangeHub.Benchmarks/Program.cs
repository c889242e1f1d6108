// This file is part of ExchangeHub.

using System.Globalization;
using ExchangeHub.Benchmarks;

// Usage: dotnet run -c Release --project bench/ExchangeHub.Benchmarks -- policy [seconds-per-case]
//        dotnet run -c Release --project bench/ExchangeHub.Benchmarks -- log [--sizes 1M,10M] [--seconds 5] [--callers 1,16,64] [--proofs 1000] [--dir path] [--seed n]
var what = args.Length > 0 ? args[0] : "policy";
switch (what)
{
    case "policy":
        PolicyBenchmark.Run(TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3), FindDefaultPolicy());
        return 0;
    case "log":
        return await LogBenchmark.RunAsync(args[1..]);
    default:
        await Console.Error.WriteLineAsync($"unknown benchmark '{what}'; known: policy, log");
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
