// This file is part of ExchangeHub.

using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Partners;
using ExchangeHub.Server.Authentication;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>Gives a gRPC service the partner that is calling.</summary>
internal static class ServerCallContextExtensions
{
    /// <summary>The authenticated partner; throws UNAUTHENTICATED if there is none (fail closed).</summary>
    public static Partner GetPartner(this ServerCallContext context) =>
        context.GetPartnerOrNull() ?? throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unauthenticated, HubErrors.NoClientCertificate.Format()));

    /// <summary>The authenticated partner, or null for anonymous endpoints such as health.</summary>
    public static Partner? GetPartnerOrNull(this ServerCallContext context) =>
        context.GetHttpContext().Features.Get<PartnerFeature>()?.Partner;
}
