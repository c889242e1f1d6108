// This file is part of ExchangeHub.

using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Telemetry;
using ExchangeHub.Server.Grpc;
using ExchangeHub.Server.Hosting;
using ExchangeHub.Server.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace ExchangeHub.Server.Authentication;

/// <summary>
/// Steps one and two of the hub's path for gRPC calls: authenticate the connection's certificate as a partner
/// (<see cref="PartnerCertificateHandler"/>), then authorize with an access token that this hub issued, for this
/// hub's audience, still valid, and bound to that same certificate (RFC 8705 section 3). Both are required; either
/// failing gives UNAUTHENTICATED with the reason. The resulting principal is the partner with the token's scopes.
/// </summary>
internal sealed class PartnerAccessHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<TokenOptions> tokens,
    AccessMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        AuthenticateResult certificate;
        using (var authenticate = HubTelemetry.ActivitySource.StartActivity("exchangehub.authenticate"))
        {
            certificate = await Context.AuthenticateAsync(PartnerCertificateDefaults.AuthenticationScheme);
            if (!certificate.Succeeded)
            {
                authenticate?.SetStatus(ActivityStatusCode.Error, HubTelemetry.ReasonId(certificate.Failure?.Message));
                return certificate.Failure is null ? AuthenticateResult.Fail(HubErrors.NoClientCertificate.Format()) : AuthenticateResult.Fail(certificate.Failure);
            }

            authenticate?.SetTag("exchangehub.partner", Context.Features.Get<PartnerFeature>()?.Partner.Oin.Value);
        }

        using var authorize = HubTelemetry.ActivitySource.StartActivity("exchangehub.authorize");
        var partner = (Context.Features.Get<PartnerFeature>() ?? throw new InvalidOperationException("The certificate scheme succeeded without setting the partner.")).Partner;
        var token = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        string? reason = null;
        if (!token.Succeeded)
        {
            reason = DescribeTokenFailure(token);
        }
        else if (!string.Equals(token.Principal.GetClaim(OpenIddictConstants.Claims.Subject), partner.Oin.Value, StringComparison.Ordinal))
        {
            reason = HubErrors.AccessTokenOfAnotherPartner.Format(token.Principal.GetClaim(OpenIddictConstants.Claims.Subject), partner);
        }
        else if (string.IsNullOrEmpty(token.Principal.GetClaim(OpenIddictConstants.Claims.Confirmation)))
        {
            // OpenIddict accepts unbound tokens; this hub issues none and accepts none.
            reason = HubErrors.AccessTokenNotBoundToCertificate.Format();
        }

        if (reason is not null)
        {
            HubLog.AccessTokenRefused(Logger, Request.Path, partner.Oin.Value, reason);
            authorize?.SetStatus(ActivityStatusCode.Error, HubTelemetry.ReasonId(reason));
            return AuthenticateResult.Fail(reason);
        }

        var identity = new ClaimsIdentity(certificate.Principal!.Claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaims(token.Principal!.GetScopes().Select(s => new Claim(PartnerCertificateDefaults.ScopeClaim, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message ?? HubErrors.NoClientCertificate.Format();
        metrics.CallRefused(reason);
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await GrpcStatusResponse.WriteAsync(Context, global::Grpc.Core.StatusCode.Unauthenticated, reason);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        const string reason = "EH1006: This partner may not call this operation.";
        metrics.CallRefused(reason);
        return GrpcStatusResponse.WriteAsync(Context, global::Grpc.Core.StatusCode.PermissionDenied, reason);
    }

    private string DescribeTokenFailure(AuthenticateResult token)
    {
        var endpoint = "/" + TokenDefaults.TokenEndpoint;
        if (token.None)
        {
            return HubErrors.AccessTokenMissing.Format(endpoint);
        }

        var items = token.Properties?.Items;
        string? uri = null, description = null;
        _ = items?.TryGetValue(OpenIddictValidationAspNetCoreConstants.Properties.ErrorUri, out uri);
        _ = items?.TryGetValue(OpenIddictValidationAspNetCoreConstants.Properties.ErrorDescription, out description);
        uri ??= string.Empty;
        description ??= token.Failure?.Message ?? "unknown reason.";

        // OpenIddict names each failure by a stable id at the end of its error_uri.
        return uri[(uri.LastIndexOf('/') + 1)..] switch
        {
            "ID2000" => HubErrors.AccessTokenMissing.Format(endpoint),
            "ID2019" => HubErrors.AccessTokenExpired.Format(endpoint),
            "ID2094" => HubErrors.AccessTokenWrongAudience.Format(tokens.Value.Audience),
            "ID2203" or "ID2204" => HubErrors.AccessTokenNotBoundToCertificate.Format(),
            _ => HubErrors.AccessTokenInvalid.Format(description, endpoint),
        };
    }
}
