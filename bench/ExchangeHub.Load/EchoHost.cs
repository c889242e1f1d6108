// This file is part of ExchangeHub.

using ExchangeHub.Load.V1;
using Grpc.Core;

namespace ExchangeHub.Load;

/// <summary>
/// The ceiling: the hub's Kestrel endpoint (same TLS, same client-certificate validation in the handshake, same
/// HTTP/2 settings) serving one unary echo, with no authentication handler, token, policy, log or outbox behind it.
/// </summary>
internal static class EchoHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHubMutualTls();
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<EchoImplementation>();
        await app.RunAsync();
        return 0;
    }

    private sealed class EchoImplementation : EchoService.EchoServiceBase
    {
        public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) =>
            Task.FromResult(new EchoResponse { Payload = request.Payload });
    }
}
