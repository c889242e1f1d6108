// This file is part of ExchangeHub.

using ExchangeHub.Core.Validation;
using ExchangeHub.Server.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// Validates every request against the contract before a service sees it (see <see cref="ContractValidator"/>),
/// so that no service can forget a required field or accept an UNSPECIFIED enum. It also turns the bare
/// UNIMPLEMENTED of a contract method that this hub does not serve yet into a status with a reason.
/// </summary>
internal sealed class ContractValidationInterceptor(ILogger<ContractValidationInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Validate(request, context);
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException ex) when (IsBareUnimplemented(ex))
        {
            HubRpcExceptions.ThrowUnimplemented(context.Method);
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Validate(request, context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException ex) when (IsBareUnimplemented(ex))
        {
            HubRpcExceptions.ThrowUnimplemented(context.Method);
            throw;
        }
    }

    private void Validate<TRequest>(TRequest request, ServerCallContext context)
    {
        if (request is not IMessage message)
        {
            return;
        }

        var violations = ContractValidator.Validate(message);
        if (violations.Count > 0)
        {
            HubLog.RequestInvalid(logger, context.Method, context.GetPartnerOrNull()?.Oin.Value ?? "(none)", violations);
            HubRpcExceptions.ThrowInvalidArgument(violations);
        }
    }

    // The generated service base classes throw UNIMPLEMENTED with an empty detail for methods not overridden.
    private static bool IsBareUnimplemented(RpcException ex) =>
        ex.StatusCode == StatusCode.Unimplemented && string.IsNullOrEmpty(ex.Status.Detail);
}
