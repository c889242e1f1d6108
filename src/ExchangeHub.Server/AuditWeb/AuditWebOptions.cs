// This file is part of ExchangeHub.

namespace ExchangeHub.Server.AuditWeb;

/// <summary>The privacy officer's page, from configuration section <c>ExchangeHub:AuditWeb</c>.</summary>
public sealed class AuditWebOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:AuditWeb";

    /// <summary>
    /// How long the result of verifying the log is shown before the page's next look starts a new verification.
    /// A verification reads every leaf of the log once (linear in its size), so this bounds that cost to one run per
    /// interval, and only while someone looks. Defaults to 5 minutes; zero verifies on every look that finds no
    /// verification running.
    /// </summary>
    public TimeSpan VerificationMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many months the charts cover, ending with the current month. Defaults to 12.</summary>
    public int Months { get; set; } = 12;

    /// <summary>How many of the latest denials the page lists (the count covers all). Defaults to 50.</summary>
    public int LatestDenials { get; set; } = 50;
}
