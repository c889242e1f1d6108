// This file is part of ExchangeHub.

using ExchangeHub.Core.Pki;
using ExchangeHub.Server.Tokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Validation;

#pragma warning disable IDE0130 // Namespace does not match folder: extensions live where AddXyz() users look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the hub's token server and the validation of its tokens on every gRPC call.</summary>
public static class TokenServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the OAuth 2.0 token endpoint (client-credentials grant, RFC 8705 tls_client_auth, certificate-bound access
    /// tokens) with client registrations taken from the partner registry, persisted rotating signing keys, and the
    /// local validation of those tokens. Idempotent.
    /// </summary>
    public static IServiceCollection AddHubTokens(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(TokenSigningKeyRing)))
        {
            return services;
        }

        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenSigningKeyRing>();
        services.TryAddSingleton<TokenMetrics>();
        services.AddHostedService<TokenSigningKeyRotationService>();

        services.AddOpenIddict()
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenDefaults.TokenEndpoint)
                    .SetConfigurationEndpointUris(TokenDefaults.ConfigurationEndpoint)
                    .SetJsonWebKeySetEndpointUris(TokenDefaults.JwksEndpoint);
                server.AllowClientCredentialsFlow();

                // Clients are the partners of the registry, not rows of an OpenIddict store: the degraded mode hands
                // client authentication to ValidatePartnerClient, which checks the TLS certificate against the registry.
                server.EnableDegradedMode();
                server.DisableTokenStorage();
                server.DisableAuthorizationStorage();
                server.UseClientCertificateBoundAccessTokens();

                // Tokens carry no personal data, only the partner, its scopes and the certificate binding: signed, not
                // encrypted, so that a partner can read what it was given.
                server.DisableAccessTokenEncryption();

                // OpenIddict insists on an encryption key for the tokens it encrypts by design (codes, refresh tokens).
                // The client-credentials grant issues none of those, so a key that lives and dies with the process will do.
                server.AddEphemeralEncryptionKey();
                server.RegisterScopes([.. AllScopes()]);
                server.AddEventHandler(ValidatePartnerClient.Descriptor);
                server.AddEventHandler(IssuePartnerAccessToken.Descriptor);
                server.AddEventHandler(TokenMetrics.Descriptor);
                server.UseAspNetCore();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });

        // The signing keys and the PKI trust come from the hub's own stores, and are read each time the options are
        // built, so that a key rotation (which raises the ring's change token) reaches both server and validation.
        services.AddOptions<OpenIddictServerOptions>().Configure<TokenSigningKeyRing, ClientCertificateValidator>((options, ring, validator) =>
        {
            foreach (var key in ring.Keys)
            {
                options.SigningCredentials.Add(new SigningCredentials(new X509SecurityKey(key), SecurityAlgorithms.RsaSha256));
            }

            // Advertised as tls_client_auth in the metadata; the certificate itself was validated in the handshake.
            options.PublicKeyInfrastructureTlsClientAuthenticationPolicy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
            {
                TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            };
            options.PublicKeyInfrastructureTlsClientAuthenticationPolicy.CustomTrustStore.AddRange(validator.TrustedAuthorities);
            // No shared secrets and no client assertions: the certificate is the only way in, and the metadata says so.
            options.ClientAuthenticationMethods.Clear();
            options.ClientAuthenticationMethods.Add(OpenIddict.Abstractions.OpenIddictConstants.ClientAuthenticationMethods.TlsClientAuth);
        });
        services.AddOptions<OpenIddictValidationOptions>().Configure<TokenSigningKeyRing, IOptions<TokenOptions>>((options, ring, tokens) =>
        {
            // Runs after the server integration copied the server's keys: take them from the ring itself, so that the
            // order in which the two option caches are rebuilt after a rotation does not matter.
            options.Configuration?.SigningKeys.Clear();
            foreach (var key in ring.Keys)
            {
                options.Configuration?.SigningKeys.Add(new X509SecurityKey(key));
            }

            options.Audiences.Add(tokens.Value.Audience);
        });
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>, SigningKeyChangeTokenSource<OpenIddictServerOptions>>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictValidationOptions>, SigningKeyChangeTokenSource<OpenIddictValidationOptions>>();
        return services;
    }

    private static IEnumerable<string> AllScopes() =>
        ExchangeHub.Core.Access.HubScopes.OperationScopes.Concat(
            Enum.GetValues<ExchangeHub.Contracts.V1.Purpose>().Where(p => p != ExchangeHub.Contracts.V1.Purpose.Unspecified).Select(ExchangeHub.Core.Access.HubScopes.ForPurpose));
}
