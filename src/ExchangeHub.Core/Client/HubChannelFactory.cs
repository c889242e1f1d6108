// This file is part of ExchangeHub.

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace ExchangeHub.Core.Client;

/// <summary>
/// Opens gRPC channels to a hub over mutual TLS: the partner's certificate goes out, and the hub's certificate
/// must chain to one of the given CAs and match the host name. Used by hubctl, the partner node and the tests,
/// so that every client checks the hub the same way. Unless told otherwise, the channel obtains access tokens from the
/// hub with the same certificate and sends them with every call (<see cref="HubTokenClient"/>).
/// </summary>
public static class HubChannelFactory
{
    /// <summary>Creates a channel to <paramref name="hub"/>. The channel owns its HTTP handler.</summary>
    /// <param name="hub">The hub's https address.</param>
    /// <param name="clientCertificate">The partner certificate with its private key; null connects without one (the hub refuses that).</param>
    /// <param name="hubCertificateAuthorities">The CAs the hub's TLS certificate must chain to.</param>
    /// <param name="tokens">How to obtain access tokens; <see cref="HubTokenSettings.Default"/> when null.</param>
    public static GrpcChannel Create(Uri hub, X509Certificate2? clientCertificate, X509Certificate2Collection hubCertificateAuthorities, HubTokenSettings? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(hubCertificateAuthorities);
        if (hub.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"The hub is only reachable over https, not '{hub.Scheme}'.", nameof(hub));
        }

        var handler = CreateTransport(clientCertificate, hubCertificateAuthorities);
        // Without a certificate, or one without an OIN, there is no client to issue a token to: the call goes out bare and
        // the hub answers with the reason, which is what the caller needs to hear.
        tokens ??= HubTokenSettings.Default;
        if (clientCertificate is null || !tokens.Enabled || !Pki.OinCertificateReader.TryRead(clientCertificate, out _))
        {
            return GrpcChannel.ForAddress(hub, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        }

        // Token requests present the same certificate as the calls they authorize, over a handler of their own: the
        // channel's handler belongs to gRPC's load balancer, which only lets its own calls connect.
        var transport = new HttpMessageInvoker(CreateTransport(clientCertificate, hubCertificateAuthorities), disposeHandler: true);
        var tokenClient = new HubTokenClient(hub, clientCertificate, transport, tokens);
        return GrpcChannel.ForAddress(hub, new GrpcChannelOptions { HttpHandler = new AccessTokenHandler(tokenClient, handler), DisposeHttpClient = true });
    }

    /// <summary>
    /// A token client for <paramref name="hub"/> on its own connections, for tools that show or hand on the token
    /// itself (hubctl token). Channels from <see cref="Create"/> need none of this: they obtain tokens themselves.
    /// </summary>
    public static HubTokenClient CreateTokenClient(Uri hub, X509Certificate2 clientCertificate, X509Certificate2Collection hubCertificateAuthorities, HubTokenSettings? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(clientCertificate);
        ArgumentNullException.ThrowIfNull(hubCertificateAuthorities);
        return new HubTokenClient(hub, clientCertificate, new HttpMessageInvoker(CreateTransport(clientCertificate, hubCertificateAuthorities), disposeHandler: true), tokens ?? HubTokenSettings.Default);
    }

    private static SocketsHttpHandler CreateTransport(X509Certificate2? clientCertificate, X509Certificate2Collection hubCertificateAuthorities) =>
        new()
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    IsTrustedHubCertificate(certificate, errors, hubCertificateAuthorities),
            },
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };

    private static bool IsTrustedHubCertificate(X509Certificate? presented, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        // The name check SslStream made still counts; only the chain is judged against our own CAs.
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new(Pki.DevCertificateAuthority.ServerAuthenticationOid));
        return chain.Build(certificate);
    }
}
