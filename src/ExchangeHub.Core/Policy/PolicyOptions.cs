// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Policy;

/// <summary>Where the disclosure policy comes from, from configuration section <c>ExchangeHub:Policy</c>.</summary>
public sealed class PolicyOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:Policy";

    /// <summary>The policy file (YAML). Required. Relative paths are relative to the hub's content root.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// How often the file is checked for a new version, which then replaces the running policy if it is valid.
    /// Defaults to 5 seconds; zero turns reloading off.
    /// </summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(5);
}
