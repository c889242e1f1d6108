// This file is part of ExchangeHub.

using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Pki;
using ExchangeHub.Server.Authentication;
using ExchangeHub.Server.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tls;

/// <summary>
/// Puts Kestrel on one HTTPS endpoint that requires a client certificate and validates it during the TLS
/// handshake with <see cref="ClientCertificateValidator"/>. A connection without a certificate, or with one
/// the validator refuses, fails the handshake and never reaches ASP.NET Core, let alone a service. Only TLS 1.3
/// and TLS 1.2 with forward-secret AEAD suites are spoken (<see cref="HubTlsPolicy"/>).
/// </summary>
internal sealed class KestrelMutualTlsConfiguration(
    IOptions<HubServerOptions> server,
    IOptions<ServerCertificateOptions> serverCertificate,
    ClientCertificateValidator validator,
    AccessMetrics metrics,
    ILogger<KestrelMutualTlsConfiguration> logger) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(server.Value.Address), server.Value.Port);
        var certificatePath = serverCertificate.Value.CertificatePath!;
        var certificate = PemFiles.LoadCertificateWithKey(certificatePath, serverCertificate.Value.KeyPath!);
        var chain = PemFiles.LoadCertificates(certificatePath);
        var serverContext = SslStreamCertificateContext.Create(certificate, chain, offline: true);
        var cipherSuites = HubTlsPolicy.CreateCipherSuitesPolicy();
        options.AddServerHeader = false;
        options.Listen(endpoint, listen =>
        {
            // HTTP/2 for gRPC; HTTP/1.1 stays for browsers (the privacy officer's pages) through ALPN.
            listen.Protocols = HttpProtocols.Http1AndHttp2;

            // The per-connection callback (rather than HttpsConnectionAdapterOptions) lets a refusal be logged
            // with the address it came from.
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                HandshakeTimeout = TimeSpan.FromSeconds(10),
                OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = serverContext,
                    EnabledSslProtocols = HubTlsPolicy.Protocols,
                    CipherSuitesPolicy = cipherSuites,
                    ClientCertificateRequired = true,

                    // The platform completes the handshake, session ticket included, before the client certificate is
                    // validated, so a resumed session would never see the certificate checked again (a revocation
                    // since then included). Every connection proves its certificate afresh; gRPC connections are
                    // long-lived, so the cost is a handshake per connection, not per call.
                    AllowTlsResume = false,
                    AllowRenegotiation = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck, // the validator checks the configured CRLs itself
                    RemoteCertificateValidationCallback = (_, presented, _, _) => Accept(presented, context.Connection.RemoteEndPoint),
                }),
            });
        });
    }

    private bool Accept(X509Certificate? presented, EndPoint? remote)
    {
        // The platform's verdict (against the OS trust store) is ignored: partners are trusted through the
        // configured partner CAs only.
        if (presented is null)
        {
            HubLog.ClientCertificateRejected(logger, remote?.ToString(), CertificateRejection.NoCertificate, "no client certificate was presented");
            metrics.HandshakeRefused(CertificateRejection.NoCertificate);
            return false;
        }

        using var copy = presented is X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        var result = validator.Validate(copy ?? (X509Certificate2)presented);
        if (!result.IsValid)
        {
            HubLog.ClientCertificateRejected(logger, remote?.ToString(), result.Rejection, result.Detail);
            metrics.HandshakeRefused(result.Rejection);
        }

        return result.IsValid;
    }
}
