// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Pki;

/// <summary>
/// Which client certificates the hub accepts, from configuration section <c>ExchangeHub:Tls:ClientCertificates</c>.
/// Secure by default: revocation lists are required for every issuing CA unless explicitly switched off.
/// </summary>
public sealed class ClientCertificateOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:Tls:ClientCertificates";

    /// <summary>
    /// PEM files with the partner CA certificates: self-signed roots become trust anchors, the others are used
    /// as intermediates. Required: at least one. Relative paths are relative to the hub's content root.
    /// </summary>
    public IList<string> TrustedCaCertificatePaths { get; } = [];

    /// <summary>PEM or DER revocation lists (CRLs), one file per issuing CA. Re-read when the file changes.</summary>
    public IList<string> RevocationListPaths { get; } = [];

    /// <summary>
    /// Whether a certificate is refused when its issuer has no current, correctly signed revocation list.
    /// Defaults to true. Setting it false accepts certificates whose revocation status is unknown, which is
    /// not recommended in production environments.
    /// </summary>
    public bool RequireRevocationList { get; set; } = true;

    /// <summary>How often a revocation list file is checked for changes. Defaults to 30 seconds.</summary>
    public TimeSpan RevocationListRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
