// This file is part of ExchangeHub.

using System.Security.Claims;
using ExchangeHub.Core.Access;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Pki;
using ExchangeHub.Core.Policy;
using ExchangeHub.Server.Hosting;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ExchangeHub.Server.Tokens;

/// <summary>
/// The token server's client authentication, against the partner registry instead of a client store: the client
/// is the partner whose certificate opened the TLS connection (RFC 8705 tls_client_auth). The certificate was
/// already validated in the handshake (chain, usage, revocation); here its OIN must equal the client_id, the
/// partner must be registered and enabled, and every requested scope must be one the partner may hold.
/// </summary>
internal sealed class ValidatePartnerClient(IPartnerRegistry registry, IDisclosurePolicy policy, ILogger<ValidatePartnerClient> logger)
    : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<ValidatePartnerClient>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.IsClientCredentialsGrantType())
        {
            Reject(context, OpenIddictConstants.Errors.UnsupportedGrantType, "EH1010: only the client_credentials grant is offered; authenticate with your partner certificate (tls_client_auth).");
            return default;
        }

        var certificate = context.Transaction.RemoteCertificate;
        if (certificate is null)
        {
            Reject(context, OpenIddictConstants.Errors.InvalidClient, Core.Errors.HubErrors.NoClientCertificate.Format());
            return default;
        }

        if (!OinCertificateReader.TryRead(certificate, out var oin))
        {
            Reject(context, OpenIddictConstants.Errors.InvalidClient, Core.Errors.HubErrors.CertificateWithoutOin.Format(certificate.Subject));
            return default;
        }

        if (!string.Equals(context.ClientId, oin.Value, StringComparison.Ordinal))
        {
            Reject(context, OpenIddictConstants.Errors.InvalidClient, $"EH1011: client_id '{context.ClientId}' is not the OIN of the certificate this connection was opened with ({oin}). Use your own OIN as client_id.");
            return default;
        }

        switch (registry.Find(oin, out var partner))
        {
            case PartnerLookup.Found when partner is not null:
                break;
            case PartnerLookup.Disabled:
                Reject(context, OpenIddictConstants.Errors.InvalidClient, Core.Errors.HubErrors.PartnerDisabled.Format(oin, certificate.Subject));
                return default;
            default:
                Reject(context, OpenIddictConstants.Errors.InvalidClient, Core.Errors.HubErrors.UnregisteredPartner.Format(oin));
                return default;
        }

        var allowed = HubScopes.Allowed(partner.Roles, policy.Current);
        var refused = context.Request.GetScopes().Where(s => !allowed.Contains(s)).ToList();
        if (refused.Count > 0)
        {
            Reject(context, OpenIddictConstants.Errors.InvalidScope, $"EH1012: partner {partner} may not hold scope(s) {string.Join(", ", refused)}. Its registration allows: {string.Join(' ', allowed)}.");
            return default;
        }

        return default;
    }

    private void Reject(ValidateTokenRequestContext context, string error, string description)
    {
        HubLog.TokenRequestRefused(logger, context.ClientId, description);
        context.Reject(error, description);
    }
}

/// <summary>
/// Issues the access token: subject and client are the partner's OIN, the scopes are what was asked for (everything
/// the partner may hold when nothing was asked for), the audience is this hub, and OpenIddict binds the token to the
/// connection's certificate (<c>cnf.x5t#S256</c>, RFC 8705 section 3).
/// </summary>
internal sealed class IssuePartnerAccessToken(IPartnerRegistry registry, IDisclosurePolicy policy, IOptions<TokenOptions> options, ILogger<IssuePartnerAccessToken> logger)
    : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseScopedHandler<IssuePartnerAccessToken>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // ValidatePartnerClient ran first; look the partner up again rather than trusting state carried between events.
        if (!Oin.TryParse(context.Request.ClientId, out var oin, out _) || registry.Find(oin, out var partner) != PartnerLookup.Found || partner is null)
        {
            context.Reject(OpenIddictConstants.Errors.InvalidClient, Core.Errors.HubErrors.UnregisteredPartner.Format(context.Request.ClientId ?? "(none)"));
            return default;
        }

        var requested = context.Request.GetScopes();
        var scopes = requested.IsDefaultOrEmpty ? HubScopes.Allowed(partner.Roles, policy.Current).ToArray() : [.. requested];

        var identity = new ClaimsIdentity(OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, OpenIddictConstants.Claims.Name, TokenDefaults.RoleClaim);
        identity.SetClaim(OpenIddictConstants.Claims.Subject, partner.Oin.Value)
            .SetClaim(OpenIddictConstants.Claims.Name, partner.Name)
            .SetClaims(TokenDefaults.RoleClaim, [.. partner.Roles.Select(ContractEnums.Name).Order(StringComparer.Ordinal)]);
        identity.SetScopes(scopes).SetResources(options.Value.Audience);
        identity.SetAccessTokenLifetime(options.Value.AccessTokenLifetime);
        identity.SetDestinations(static _ => [OpenIddictConstants.Destinations.AccessToken]);

        context.SignIn(new ClaimsPrincipal(identity));
        var granted = string.Join(' ', scopes);
        HubLog.TokenIssued(logger, partner.Oin.Value, partner.Name, granted);
        return default;
    }
}
