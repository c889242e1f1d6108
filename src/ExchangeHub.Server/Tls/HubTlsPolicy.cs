// This file is part of ExchangeHub.

using System.Net.Security;
using System.Security.Authentication;

namespace ExchangeHub.Server.Tls;

/// <summary>
/// The TLS the hub speaks: TLS 1.3, and TLS 1.2 with forward-secret AEAD cipher suites only (ECDHE key exchange
/// with AES-GCM or ChaCha20-Poly1305), as the NCSC's ICT-beveiligingsrichtlijnen voor TLS rate "good". No CBC, no
/// static RSA key exchange, no finite-field DHE (its groups cannot be negotiated in TLS 1.2), no SHA-1. Both ECDSA and
/// RSA server certificates are served.
/// </summary>
internal static class HubTlsPolicy
{
    /// <summary>The protocol versions offered.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls13 | SslProtocols.Tls12;

    /// <summary>The cipher suites offered, in the server's order of preference.</summary>
    public static IReadOnlyList<TlsCipherSuite> CipherSuites { get; } =
    [
        // TLS 1.3: every suite the protocol defines for general use is AEAD with an ephemeral key exchange.
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,

        // TLS 1.2: ECDHE with an AEAD cipher only.
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ];

    /// <summary>
    /// The suites as a policy for <see cref="SslServerAuthenticationOptions"/>. Only a platform that lets the suites be
    /// chosen (Linux, through OpenSSL) can run the hub: elsewhere the operating system's defaults would apply, CBC
    /// suites included, so the hub refuses to start there (EH9210) rather than serve weaker TLS.
    /// </summary>
    public static CipherSuitesPolicy CreateCipherSuitesPolicy()
    {
        const string Refusal = "EH9210: this platform does not let the hub choose its TLS cipher suites; run the hub on Linux, where TLS 1.2 is restricted to forward-secret AEAD suites.";
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException(Refusal);
        }

        try
        {
            return new CipherSuitesPolicy(CipherSuites);
        }
        catch (PlatformNotSupportedException ex)
        {
            throw new PlatformNotSupportedException(Refusal, ex);
        }
    }
}
