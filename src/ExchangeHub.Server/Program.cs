// This file is part of ExchangeHub.

using ExchangeHub.Server.Hosting;

// `dotnet run --project src/ExchangeHub.Server -- dev-certs` creates the development PKI and exits.
if (args.Length > 0 && args[0] == "dev-certs")
{
    await using var tools = HubApplication.CreateBuilder(args[1..]).Build();
    foreach (var path in HubApplication.EnsureDevPki(tools))
    {
        Console.WriteLine($"wrote {path}");
    }

    return;
}

await using var app = await HubApplication.BuildAsync(HubApplication.CreateBuilder(args));
await app.RunAsync();
