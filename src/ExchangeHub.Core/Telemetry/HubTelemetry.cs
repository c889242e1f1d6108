// This file is part of ExchangeHub.

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ExchangeHub.Core.Telemetry;

/// <summary>
/// The names under which the hub's metrics and traces are published, and the rules their tags follow. Tags carry
/// contract enum names, stable error ids and partner OINs (organisations) only: never a BSN, a pseudonym, a
/// justification or any other text a partner wrote, so that what an operator's monitoring stores is not personal
/// data and its cardinality stays bounded.
/// </summary>
public static partial class HubTelemetry
{
    /// <summary>The meter every instrument of the hub belongs to (created per host through IMeterFactory).</summary>
    public const string MeterName = "ExchangeHub";

    /// <summary>The activity source of the hub's spans.</summary>
    public const string ActivitySourceName = "ExchangeHub";

    /// <summary>The tag value for a reason that does not start with a stable error id.</summary>
    public const string OtherReason = "other";

    /// <summary>
    /// The hub's spans. An ActivitySource has no factory to come from (unlike a meter); it costs nothing while no
    /// listener samples it, and tracing is only switched on with an exporter.
    /// </summary>
    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName, typeof(HubTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// The stable error id a reason starts with (<c>EH3007</c> of <c>"EH3007: the recipient ..."</c>), or
    /// <see cref="OtherReason"/>. The rest of a reason names partners, fields and sometimes what a caller sent, so
    /// only the id may become a tag.
    /// </summary>
    public static string ReasonId(string? reason) =>
        reason is not null && ErrorIdPrefix().Match(reason) is { Success: true } match ? match.Value : OtherReason;

    /// <summary>A boolean tag value as Prometheus users write it.</summary>
    public static string Flag(bool value) => value ? "true" : "false";

    [GeneratedRegex("^EH[0-9]{4}(?=:)", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorIdPrefix();
}
