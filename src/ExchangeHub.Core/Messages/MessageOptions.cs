// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Messages;

/// <summary>How messages are delivered and watched, from configuration section <c>ExchangeHub:Messages</c>.</summary>
public sealed class MessageOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:Messages";

    /// <summary>
    /// How long a recipient has to acknowledge a delivery (at least RECEIVED) before the missed-notice alarm is
    /// raised. For an end-of-detention notice the deadline is also never later than the release moment.
    /// Defaults to 4 hours: a missing notice must be noticed within hours, not months.
    /// </summary>
    public TimeSpan AcknowledgeWithin { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// The minimum time between an end-of-detention notice and the release it announces; a later notice is
    /// still delivered and raises a LATE_NOTICE alarm. Defaults to 14 days.
    /// </summary>
    public TimeSpan MinimumNoticeLeadTime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a delivery handed to a recipient stays invisible before it is offered again unacknowledged. Defaults to 5 minutes.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// OINs of the partners that receive every alarm as a message in their inbox (for example the operator's
    /// monitoring desk or the chain's privacy officer). Defaults to none: alarms are then logged, counted and listed
    /// by the audit API only.
    /// </summary>
    public IList<string> AlarmRecipients { get; } = [];

    /// <summary>How often the alarm watchdog and the retention sweeper run. Defaults to 30 seconds.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}
