// This file is part of ExchangeHub.

using System.Net.Http.Headers;

namespace ExchangeHub.Core.Client;

/// <summary>
/// Puts the partner's access token on every gRPC request that does not carry one already. When the token endpoint
/// refuses the client itself (an unregistered or disabled partner), the call goes out without a token, so that the
/// hub's answer to the call states the reason as a gRPC status instead of the client failing on its own.
/// </summary>
internal sealed class AccessTokenHandler(HubTokenClient tokens, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null)
        {
            try
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (HubTokenException ex) when (ex.Error == "invalid_client")
            {
                // Deliberately bare: the hub refuses it with UNAUTHENTICATED and the partner-level reason.
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            tokens.Dispose();
        }

        base.Dispose(disposing);
    }
}
