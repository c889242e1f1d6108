// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Partners;

/// <summary>
/// The partners this hub serves, from configuration section <c>ExchangeHub:Partners</c>. A certificate from a
/// trusted CA is not enough to be served: its OIN must be listed here. There is no default: a hub without
/// partners refuses to start.
/// </summary>
public sealed class PartnerRegistryOptions
{
    /// <summary>The configuration section this binds to; the list itself is its <c>Partners</c> key.</summary>
    public const string SectionName = "ExchangeHub";

    /// <summary>The configuration path of the list, for messages that point at an entry.</summary>
    public const string ListPath = "ExchangeHub:Partners";

    /// <summary>The registered partners. Defaults to none (and then start-up fails).</summary>
    public IList<PartnerRegistration> Partners { get; } = [];
}

/// <summary>One partner's entry in the registry.</summary>
public sealed class PartnerRegistration
{
    /// <summary>The 20-digit OIN that the partner's certificates carry. Required.</summary>
    public string? Oin { get; set; }

    /// <summary>The organisation's name. Required.</summary>
    public string? Name { get; set; }

    /// <summary>The partner's roles (names of <see cref="PartnerRole"/>, e.g. <c>PrisonService</c>). At least one.</summary>
    public IList<PartnerRole> Roles { get; } = [];

    /// <summary>For a municipality: its CBS code, <c>GM</c> and four digits. Required for, and only for, municipalities.</summary>
    public string? MunicipalityCode { get; set; }

    /// <summary>Whether the partner may connect. Defaults to true; set false to suspend a partner without losing its entry.</summary>
    public bool Enabled { get; set; } = true;
}
