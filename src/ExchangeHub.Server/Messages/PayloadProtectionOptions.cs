// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Messages;

/// <summary>
/// How stored payloads are encrypted, from configuration section <c>ExchangeHub:DataProtection</c>. Payload
/// data keys are wrapped by an ASP.NET Core Data Protection key ring kept in <see cref="KeysDirectory"/>, whose
/// keys are themselves encrypted to the certificate at <see cref="CertificatePath"/>. Losing that certificate's
/// private key loses every stored payload: back it up apart from the data directory.
/// </summary>
public sealed class PayloadProtectionOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:DataProtection";

    /// <summary>
    /// The directory of the key ring. Defaults to <c>keys/data-protection</c> below
    /// <c>ExchangeHub:Storage:DataDirectory</c>. Relative paths are relative to the content root.
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>
    /// PEM file with the RSA certificate that encrypts the key ring. Required, unless the development PKI is
    /// enabled, which provides one. RSA (2048 bits or more) because the key ring is encrypted with XML
    /// Encryption, which takes no ECDSA key.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file with that certificate's private key. Required, as <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Certificates that encrypted the key ring before the current one. After a certificate is replaced, the
    /// keys it encrypted stay in the ring and still unwrap older payloads, so the old certificate must stay
    /// listed here until those payloads are destroyed; the hub refuses to start on a key ring it cannot read.
    /// </summary>
    public IList<CertificateFiles> PreviousCertificates { get; } = [];

    /// <summary>
    /// How long a new key ring key is used for new payloads; then Data Protection creates the next one by
    /// itself. Older keys stay in the ring to unwrap older payloads. Defaults to 90 days; at least 7.
    /// </summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromDays(90);
}

/// <summary>A certificate and its private key, as two PEM files.</summary>
public sealed class CertificateFiles
{
    /// <summary>PEM file with the certificate.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file with its private key.</summary>
    public string? KeyPath { get; set; }
}
