// This file is part of ExchangeHub.

using System.Net;
using System.Security.Authentication;
using ExchangeHub.Core.Pki;
using ExchangeHub.Server.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tls;

/// <summary>
/// Puts Kestrel on one HTTPS endpoint that requires a client certificate and validates it during the TLS
/// handshake with <see cref="ClientCertificateValidator"/>. A connection without a certificate, or with one
/// the validator refuses, fails the handshake and never reaches ASP.NET Core, let alone a service.
/// </summary>
internal sealed class KestrelMutualTlsConfiguration(
    IOptions<HubServerOptions> server,
    IOptions<ServerCertificateOptions> serverCertificate,
    ClientCertificateValidator validator,
    ILogger<KestrelMutualTlsConfiguration> logger) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(server.Value.Address), server.Value.Port);
        var certificatePath = serverCertificate.Value.CertificatePath!;
        var certificate = PemFiles.LoadCertificateWithKey(certificatePath, serverCertificate.Value.KeyPath!);
        var chain = PemFiles.LoadCertificates(certificatePath);
        options.AddServerHeader = false;
        options.Listen(endpoint, listen =>
        {
            // HTTP/2 for gRPC; HTTP/1.1 stays for browsers (the privacy officer's pages) through ALPN.
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = certificate,
                ServerCertificateChain = chain,
                SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                CheckCertificateRevocation = false, // the validator checks the configured revocation lists itself
                ClientCertificateValidation = (clientCertificate, _, _) =>
                {
                    // The platform's verdict (against the OS trust store) is ignored: partners are trusted
                    // through the configured partner CAs only.
                    var result = validator.Validate(clientCertificate);
                    if (!result.IsValid)
                    {
                        HubLog.ClientCertificateRejected(logger, null, result.Rejection, result.Detail);
                    }

                    return result.IsValid;
                },
            });
        });
    }
}
