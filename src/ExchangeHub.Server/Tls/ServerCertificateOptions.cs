// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Tls;

/// <summary>The hub's own TLS certificate, from configuration section <c>ExchangeHub:Tls:ServerCertificate</c>.</summary>
public sealed class ServerCertificateOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:Tls:ServerCertificate";

    /// <summary>PEM file with the server certificate (and optionally its chain). Required.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file with the server certificate's private key. Required.</summary>
    public string? KeyPath { get; set; }
}
