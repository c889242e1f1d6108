// This file is part of ExchangeHub.

using ExchangeHub.Core.Access;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Telemetry;
using ExchangeHub.Server.Authentication;
using ExchangeHub.Server.Hosting;
using ExchangeHub.Server.Tokens;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// The token's part of step two, authorize: the access token must carry the operation scope of the method called
/// and a purpose scope for every purpose the request states. What the token allows is only what the partner may
/// ask for; the policy still decides each disclosure afterwards. Methods of other packages (health, reflection)
/// are outside the hub's contract and need no scope.
/// </summary>
internal sealed class AccessScopeInterceptor(AccessMetrics metrics, ILogger<AccessScopeInterceptor> logger) : Interceptor
{
    private const string ContractPrefix = "/exchangehub.v1.";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(request, context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(request, context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize<TRequest>(default, context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize<TRequest>(default, context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize<TRequest>(TRequest? request, ServerCallContext context)
    {
        if (!context.Method.StartsWith(ContractPrefix, StringComparison.Ordinal))
        {
            return;
        }

        using var activity = HubTelemetry.ActivitySource.StartActivity("exchangehub.authorize.scopes");
        var user = context.GetHttpContext().User;
        var granted = user.FindAll(PartnerCertificateDefaults.ScopeClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var partner = context.GetPartner();
        if (!HubScopes.TryGetMethodScope(context.Method, out var scope))
        {
            Refuse(context, HubErrors.MethodWithoutScope, HubErrors.MethodWithoutScope.Format(context.Method), partner.Oin.Value);
        }

        var hint = $" at /{TokenDefaults.TokenEndpoint} (omit the scope parameter to receive every scope your registration allows)";
        if (!granted.Contains(scope))
        {
            Refuse(context, HubErrors.OperationScopeMissing, HubErrors.OperationScopeMissing.Format(scope, context.Method, hint), partner.Oin.Value);
        }

        if (request is IMessage message)
        {
            foreach (var purpose in RequestPurposes.Of(message))
            {
                var purposeScope = HubScopes.ForPurpose(purpose);
                if (!granted.Contains(purposeScope))
                {
                    Refuse(context, HubErrors.PurposeScopeMissing, HubErrors.PurposeScopeMissing.Format(Core.Policy.ContractEnums.Name(purpose), purposeScope, hint), partner.Oin.Value);
                }
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Refuse(ServerCallContext context, HubError error, string reason, string oin)
    {
        HubLog.AccessTokenRefused(logger, context.Method, oin, reason);
        metrics.CallRefused(reason);
        System.Diagnostics.Activity.Current?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.Id);
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.PermissionDenied,
            Message = reason,
            Details = { Any.Pack(new ErrorInfo { Domain = HubRpcExceptions.ErrorDomain, Reason = error.Id }) },
        };
        throw status.ToRpcException();
    }
}
