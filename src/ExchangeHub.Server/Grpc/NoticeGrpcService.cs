// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// The gRPC face of end-of-detention notices. Requests are authenticated and validated against the contract before they
/// arrive here; methods not yet carried out answer UNIMPLEMENTED with a reason (see ContractValidationInterceptor).
/// </summary>
internal sealed class NoticeGrpcService : NoticeService.NoticeServiceBase
{
}
