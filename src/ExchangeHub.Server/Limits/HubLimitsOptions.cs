// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Limits;

/// <summary>
/// What one partner may ask of the hub at once and over time, and how long a call may take, from configuration
/// section <c>ExchangeHub:Limits</c>. The limits apply to the calls of the hub's contract (exchangehub.v1), per
/// partner, so one partner's mistake or flood cannot starve the others. Refusals are RESOURCE_EXHAUSTED (EH6xxx).
/// </summary>
public sealed class HubLimitsOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:Limits";

    /// <summary>
    /// The largest request message accepted, in bytes (after decompression). Defaults to 1,048,576 (1 MiB): the
    /// largest legitimate request, a signal or report with its free text, is a few kilobytes.
    /// </summary>
    public int MaxRequestMessageSize { get; set; } = 1024 * 1024;

    /// <summary>How many calls one partner may have in progress at once, open subscriptions included. Defaults to 32.</summary>
    public int MaxConcurrentCallsPerPartner { get; set; } = 32;

    /// <summary>
    /// How many calls one partner may make in a burst: the size of its token bucket. Defaults to 1000, enough for a
    /// partner that checks the inclusion proof of each of its records in a loop.
    /// </summary>
    public int CallBurstPerPartner { get; set; } = 1000;

    /// <summary>How many calls a partner's bucket regains every <see cref="CallRatePeriod"/>. Defaults to 200.</summary>
    public int CallsPerPeriodPerPartner { get; set; } = 200;

    /// <summary>The period in which a partner regains <see cref="CallsPerPeriodPerPartner"/> calls. Defaults to 1 second.</summary>
    public TimeSpan CallRatePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The deadline of a unary call that names none. Defaults to 30 seconds. Every call ends by its deadline, so a
    /// stuck call cannot hold a partner's slot (or the hub's resources) for ever.
    /// </summary>
    public TimeSpan DefaultCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest deadline a unary call gets; a client's longer deadline is cut to it. Defaults to 2 minutes.</summary>
    public TimeSpan MaxCallTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The deadline of a server stream other than a subscription (an export of the disclosure log), and the longest
    /// it gets. Defaults to 30 minutes. A subscription (<c>InboxService.Subscribe</c>) gets no deadline of the hub's:
    /// a recipient keeps one open to hear of new messages. It counts against
    /// <see cref="MaxConcurrentCallsPerPartner"/> and ends when the client cancels it or the hub stops.
    /// </summary>
    public TimeSpan MaxStreamTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
