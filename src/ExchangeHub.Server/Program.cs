// This file is part of ExchangeHub.

using ExchangeHub.Server.Hosting;

// `dotnet run --project src/ExchangeHub.Server -- dev-certs` creates the development PKI and exits.
if (args.Length > 0 && args[0] == "dev-certs")
{
    foreach (var path in HubApplication.EnsureDevPki(HubApplication.CreateBuilder(args[1..])))
    {
        Console.WriteLine($"wrote {path}");
    }

    return;
}

await using var app = await HubApplication.BuildAsync(HubApplication.CreateBuilder(args));
await app.RunAsync();
