// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Validation;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// Turns the domain's refusals into gRPC statuses in one place: a conflicting retry is ALREADY_EXISTS, an unknown
/// message NOT_FOUND, a state conflict FAILED_PRECONDITION, a stopped log UNAVAILABLE, an unreadable leaf DATA_LOSS,
/// and a request that breaks a domain rule INVALID_ARGUMENT with its field violations. The reason travels as is.
/// </summary>
internal sealed class DomainExceptionInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RequestInvalidException ex)
        {
            HubRpcExceptions.ThrowInvalidArgument(ex.Violations);
            throw;
        }
        catch (Exception ex) when (Map(ex) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RequestInvalidException ex)
        {
            HubRpcExceptions.ThrowInvalidArgument(ex.Violations);
            throw;
        }
        catch (Exception ex) when (Map(ex) is { } status)
        {
            throw new RpcException(status);
        }
    }

    private static Status? Map(Exception exception) => exception switch
    {
        IdempotencyConflictException e => new Status(StatusCode.AlreadyExists, e.Message),
        MessageNotFoundException e => new Status(StatusCode.NotFound, e.Message),
        MessageStateException e => new Status(StatusCode.FailedPrecondition, e.Message),
        LogWriterStoppedException e => new Status(StatusCode.Unavailable, e.Message),
        LeafUnreadableException e => new Status(StatusCode.DataLoss, e.Message),
        _ => null,
    };
}
