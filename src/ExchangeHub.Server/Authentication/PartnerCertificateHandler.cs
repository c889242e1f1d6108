// This file is part of ExchangeHub.

using System.Security.Claims;
using System.Text.Encodings.Web;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Pki;
using ExchangeHub.Server.Grpc;
using ExchangeHub.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Authentication;

/// <summary>
/// Step one of the hub's path, authenticate: the TLS client certificate (already validated against the partner
/// CAs during the handshake) is turned into a registered <see cref="Partner"/> through its OIN. A certificate
/// that is CA-valid but whose OIN is not registered is refused with UNAUTHENTICATED and a reason.
/// </summary>
internal sealed class PartnerCertificateHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IPartnerRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var certificate = await Context.Connection.GetClientCertificateAsync(Context.RequestAborted);
        string reason;
        if (certificate is null)
        {
            reason = HubErrors.NoClientCertificate.Format();
        }
        else if (!OinCertificateReader.TryRead(certificate, out var oin))
        {
            reason = HubErrors.CertificateWithoutOin.Format(certificate.Subject);
        }
        else
        {
            switch (registry.Find(oin, out var partner))
            {
                case PartnerLookup.Found when partner is not null:
                    Context.Features.Set(new PartnerFeature(partner));
                    HubLog.PartnerAuthenticated(Logger, oin.Value, partner.Name, Context.Connection.Id);
                    return AuthenticateResult.Success(new AuthenticationTicket(CreatePrincipal(partner), Scheme.Name));
                case PartnerLookup.Disabled:
                    reason = HubErrors.PartnerDisabled.Format(oin, certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
                    break;
                default:
                    reason = HubErrors.UnregisteredPartner.Format(oin);
                    break;
            }
        }

        HubLog.PartnerAuthenticationFailed(Logger, Request.Path, Context.Connection.RemoteIpAddress?.ToString(), reason);
        return AuthenticateResult.Fail(reason);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message ?? HubErrors.NoClientCertificate.Format();
        await GrpcStatusResponse.WriteAsync(Context, global::Grpc.Core.StatusCode.Unauthenticated, reason);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        GrpcStatusResponse.WriteAsync(Context, global::Grpc.Core.StatusCode.PermissionDenied, "EH1006: This partner may not call this operation.");

    private ClaimsPrincipal CreatePrincipal(Partner partner)
    {
        var claims = new List<Claim>
        {
            new(PartnerCertificateDefaults.OinClaim, partner.Oin.Value),
            new(ClaimTypes.NameIdentifier, partner.Oin.Value),
            new(ClaimTypes.Name, partner.Name),
        };
        claims.AddRange(partner.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role));
    }
}
