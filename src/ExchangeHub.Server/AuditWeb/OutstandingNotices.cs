// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Storage;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>
/// The outstanding end-of-detention notices: the open missed-notice alarms of notices, as <c>hubctl notices
/// outstanding</c> lists them (through the audit API's ListAlarms, from <see cref="Alarms"/>).
/// </summary>
internal sealed class OutstandingNotices(SqliteHubDatabase database, PartnerNames names)
{
    private const int PageSize = 500;

    private static readonly HashSet<MessageType> NoticeTypes =
        [MessageType.EndOfDetentionNotice, MessageType.EndOfDetentionNoticeCorrection, MessageType.EndOfDetentionNoticeWithdrawal];

    private static readonly EnumDescriptor AlarmKinds = AuditReflection.Descriptor.FindTypeByName<EnumDescriptor>("AlarmKind");

    /// <summary>Every open alarm of a notice, oldest first, and how many alarms are open in all.</summary>
    public async Task<OutstandingNoticesView> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var open = new List<Alarm>();
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await Alarms.ListAsync(connection, null, [AlarmState.Open], [], offset, PageSize, cancellationToken);
            open.AddRange(page);
            if (page.Count < PageSize)
            {
                break;
            }
        }

        var notices = open
            .Where(a => NoticeTypes.Contains(a.MessageType))
            .OrderBy(a => a.RaisedAt)
            .Select(a => new NoticeAlarmView(
                a.RaisedAt.ToDateTimeOffset(),
                ProtoEnumNames.ShortName(AlarmKinds, a.Kind),
                a.MessageId,
                ContractEnums.Name(a.MessageType),
                names.View(a.Sender?.Oin),
                a.Recipient is null ? null : names.View(a.Recipient.Oin),
                a.Deadline?.ToDateTimeOffset(),
                a.Detail))
            .ToList();
        return new(notices, open.Count);
    }
}

/// <summary>The outstanding notices on the page.</summary>
/// <param name="Notices">The open alarms of end-of-detention notices, oldest first.</param>
/// <param name="OpenAlarms">How many alarms are open in all, of every message type.</param>
internal sealed record OutstandingNoticesView(IReadOnlyList<NoticeAlarmView> Notices, int OpenAlarms);

/// <summary>One open alarm of a notice.</summary>
internal sealed record NoticeAlarmView(
    DateTimeOffset RaisedAt,
    string Kind,
    string MessageId,
    string MessageType,
    PartnerView Sender,
    PartnerView? Recipient,
    DateTimeOffset? Deadline,
    string Detail);
