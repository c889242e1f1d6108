// This file is part of ExchangeHub.

using System.CommandLine;
using System.Globalization;
using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// <c>hubctl notices outstanding</c>: every end-of-detention notice that has not reached a mandatory recipient,
/// has not been acknowledged in time, arrived late or was rejected (the open missed-notice alarms). A privacy
/// officer sees all of them; a partner those of the notices it sent or should have received.
/// </summary>
internal static class NoticesCommand
{
    /// <summary>Exit code when notices are outstanding, so a monitoring job can alert on it.</summary>
    public const int Outstanding = 3;

    private static readonly HashSet<MessageType> NoticeTypes =
        [MessageType.EndOfDetentionNotice, MessageType.EndOfDetentionNoticeCorrection, MessageType.EndOfDetentionNoticeWithdrawal];

    public static Command Create()
    {
        var outstanding = new Command("outstanding", "List end-of-detention notices with open missed-notice alarms.");
        HubConnectionSettings.AddOptionsTo(outstanding);
        outstanding.SetAction(async (parse, cancellationToken) =>
        {
            var settings = HubConnectionSettings.FromParseResult(parse);
            using var certificate = settings.LoadCertificate();
            using var channel = settings.OpenChannel(certificate);
            return await OutstandingAsync(new AuditService.AuditServiceClient(channel), parse.InvocationConfiguration.Output, cancellationToken);
        });
        var command = new Command("notices", "End-of-detention notices.");
        command.Subcommands.Add(outstanding);
        return command;
    }

    /// <summary>Prints the open alarms of notices; returns 0 when there are none, <see cref="Outstanding"/> otherwise.</summary>
    public static async Task<int> OutstandingAsync(AuditService.AuditServiceClient audit, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(output);
        var alarms = new List<Alarm>();
        var token = string.Empty;
        do
        {
            var page = await audit.ListAlarmsAsync(new ListAlarmsRequest { States = { AlarmState.Open }, PageSize = 500, PageToken = token }, cancellationToken: cancellationToken);
            alarms.AddRange(page.Alarms.Where(a => NoticeTypes.Contains(a.MessageType)));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        if (alarms.Count == 0)
        {
            output.WriteLine("No outstanding end-of-detention notices.");
            return 0;
        }

        output.WriteLine($"{alarms.Count} outstanding:");
        output.WriteLine($"{"raised (UTC)",-17} {"kind",-28} {"message",-37} {"recipient",-21} {"due (UTC)",-17} detail");
        foreach (var a in alarms.OrderBy(a => a.RaisedAt))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{a.RaisedAt.ToDateTimeOffset():yyyy-MM-dd HH:mm} {a.Kind,-28} {a.MessageId,-37} {a.Recipient?.Oin ?? "-",-21} {(a.Deadline is null ? "-" : a.Deadline.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),-17} {a.Detail}"));
        }

        return Outstanding;
    }
}
