// This file is part of ExchangeHub.

using ExchangeHub.Load;

// Usage (bench/load.sh runs all of it and prints the comparison):
//   exchangehub-load echo-host [--ExchangeHub:Server:Port=N --ExchangeHub:Tls:... as for the hub]
//   exchangehub-load run --target echo|submit|query --hub https://127.0.0.1:N --pki DIR
//                        [--concurrency 64] [--connections 4] [--seconds 30] [--warmup 5] [--server-pid PID] [--results FILE]
return args.Length > 0 && args[0] == "echo-host"
    ? await EchoHost.RunAsync(args[1..])
    : args.Length > 0 && args[0] == "run"
        ? await LoadRun.RunAsync(LoadSettings.Parse(args[1..]))
        : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: exchangehub-load echo-host [config...] | run --target echo|submit|query --hub URL --pki DIR [options]");
    return 64;
}
