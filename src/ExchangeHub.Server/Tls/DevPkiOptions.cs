// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Tls;

/// <summary>
/// The development PKI, from configuration section <c>ExchangeHub:DevPki</c>. When enabled, the hub creates a
/// dev CA, its own certificate and one for every registered partner on first start, and uses them in place
/// of <see cref="ServerCertificateOptions"/> and the client CA settings. Only honoured in the Development
/// environment: not recommended in production environments, and refused there.
/// </summary>
public sealed class DevPkiOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:DevPki";

    /// <summary>Whether to create and use the dev PKI. Defaults to false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The directory that holds the dev PKI. Relative paths are relative to the content root.</summary>
    public string? Directory { get; set; }
}
