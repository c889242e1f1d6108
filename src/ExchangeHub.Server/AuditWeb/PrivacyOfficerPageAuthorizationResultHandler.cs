// This file is part of ExchangeHub.

using ExchangeHub.Core.Errors;
using ExchangeHub.Server.Authentication;
using ExchangeHub.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>
/// Answers a refusal on the privacy officer's page for the browser: 403 with a readable page (or JSON for the
/// page's script) naming the partner and the reason, and 401 with the reason why the certificate is not a
/// partner's. Every other endpoint is answered as before, by <see cref="AuthorizationMiddlewareResultHandler"/>
/// (for gRPC, a status from the partner certificate handler).
/// </summary>
internal sealed class PrivacyOfficerPageAuthorizationResultHandler(ILogger<PrivacyOfficerPageAuthorizationResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<PrivacyOfficerPageMetadata>() is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (authorizeResult.Forbidden && context.Features.Get<PartnerFeature>() is { } feature)
        {
            HubLog.PrivacyOfficerPageRefused(logger, context.Request.Path, feature.Partner.ToString());
            await AuditWebResponses.WriteRefusalAsync(context, StatusCodes.Status403Forbidden, HubErrors.PrivacyOfficerOnly.Format("The privacy officer's page", feature.Partner));
            return;
        }

        // Not a partner: the certificate handler has the reason (and has logged it).
        var authentication = await context.AuthenticateAsync(PartnerCertificateDefaults.AuthenticationScheme);
        await AuditWebResponses.WriteRefusalAsync(context, StatusCodes.Status401Unauthorized, authentication.Failure?.Message ?? HubErrors.NoClientCertificate.Format());
    }
}
