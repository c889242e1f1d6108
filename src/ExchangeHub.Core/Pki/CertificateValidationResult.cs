// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Pki;

/// <summary>Why a client certificate was refused.</summary>
public enum CertificateRejection
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The certificate does not chain to a configured partner CA.</summary>
    UntrustedIssuer = 1,

    /// <summary>The certificate (or one above it) is past its notAfter.</summary>
    Expired = 2,

    /// <summary>The certificate is before its notBefore.</summary>
    NotYetValid = 3,

    /// <summary>The certificate may not be used for TLS client authentication (key usage / extended key usage).</summary>
    WrongKeyUsage = 4,

    /// <summary>The issuer's revocation list names the certificate.</summary>
    Revoked = 5,

    /// <summary>No current, correctly signed revocation list is available for the issuer.</summary>
    RevocationStatusUnknown = 6,

    /// <summary>The chain is otherwise invalid (bad signature, bad constraints).</summary>
    InvalidChain = 7,

    /// <summary>No certificate was presented at all.</summary>
    NoCertificate = 8,
}

/// <summary>The outcome of validating a client certificate.</summary>
/// <param name="Rejection">Why it was refused, or <see cref="CertificateRejection.None"/>.</param>
/// <param name="Detail">A sentence for the operator's log.</param>
public readonly record struct CertificateValidationResult(CertificateRejection Rejection, string Detail)
{
    /// <summary>A certificate that passed every check.</summary>
    public static CertificateValidationResult Valid { get; } = new(CertificateRejection.None, "valid");

    /// <summary>Whether the certificate passed every check.</summary>
    public bool IsValid => Rejection == CertificateRejection.None;
}
