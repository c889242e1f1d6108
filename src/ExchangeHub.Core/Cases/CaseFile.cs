// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Subjects;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Core.Cases;

/// <summary>
/// Turns the stored messages about a subject into the items of its case, oldest first, without inventing
/// anything: a notice appears in its latest corrected form only, a withdrawn notice not at all, and an item whose
/// payload is gone (retention ended) is left out rather than pieced together from older versions.
/// </summary>
public static class CaseFile
{
    /// <summary>
    /// The items about <paramref name="subjectPseudonym"/> among <paramref name="messages"/>. A notice chain (the
    /// original, its corrections and its withdrawal) is judged by its latest version: a correction may have changed
    /// the subject, so the chain belongs to whoever that version names. <paramref name="open"/> unseals a payload, or
    /// returns null when it can no longer be read.
    /// </summary>
    public static IReadOnlyList<CaseEntry> Collect(IEnumerable<StoredMessage> messages, string subjectPseudonym, Func<StoredMessage, IMessage?> open)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(subjectPseudonym);
        ArgumentNullException.ThrowIfNull(open);

        // Acceptance order; ties keep the storage order.
        var ordered = messages.Select((m, i) => (Message: m, Position: i)).OrderBy(x => x.Message.AcceptedAt).ThenBy(x => x.Position).Select(x => x.Message).ToList();
        var chains = new Dictionary<string, NoticeChain>(StringComparer.Ordinal);
        NoticeChain Chain(string id) => chains.TryGetValue(id, out var chain) ? chain : chains[id] = new NoticeChain();
        foreach (var message in ordered)
        {
            switch (message.MessageType)
            {
                case MessageType.EndOfDetentionNotice:
                    Chain(message.MessageId).Original = message;
                    break;
                case MessageType.EndOfDetentionNoticeCorrection when message.OriginalMessageId is { } original:
                    Chain(original).Latest = message; // each correction replaces the one before as a whole
                    break;
                case MessageType.EndOfDetentionNoticeWithdrawal when message.OriginalMessageId is { } original:
                    Chain(original).Withdrawn = true;
                    break;
            }
        }

        var items = new List<(int Order, CaseEntry Entry)>();
        foreach (var (originalId, chain) in chains)
        {
            var latest = chain.Latest ?? chain.Original;
            if (chain.Withdrawn || latest is null || latest.SubjectPseudonym != subjectPseudonym || open(latest) is not { } payload)
            {
                continue;
            }

            var notice = payload as EndOfDetentionNotice ?? ((EndOfDetentionNoticeCorrection)payload).Notice;
            var draft = Entry(latest, new CaseView
            {
                Notices = { new CaseNotice { Origin = Origin(latest), OriginalMessageId = originalId, Notice = notice } },
            }) with { SubjectMunicipalities = SubjectMunicipalities.Of(notice) };
            items.Add((ordered.IndexOf(chain.Original ?? latest), draft.Build()));
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            var message = ordered[i];
            if (message.SubjectPseudonym != subjectPseudonym
                || message.MessageType is not (MessageType.Signal or MessageType.OfficialReport or MessageType.ReintegrationData)
                || open(message) is not { } payload)
            {
                continue;
            }

            var entry = payload switch
            {
                Signal signal => Entry(message, new CaseView { Signals = { new CaseSignal { Origin = Origin(message), Signal = signal } } }) with
                {
                    SubjectMunicipalities = [signal.Municipality?.Code ?? string.Empty],
                    CaseConsultationId = string.IsNullOrEmpty(signal.CaseConsultationId) ? null : signal.CaseConsultationId,
                },
                OfficialReport report => Entry(message, new CaseView { OfficialReports = { new CaseOfficialReport { Origin = Origin(message), Report = report } } }) with
                {
                    AddresseeOin = report.Recipient?.Oin,
                },
                ReintegrationData data => Entry(message, new CaseView { ReintegrationData = { new CaseReintegrationData { Origin = Origin(message), Data = data } } }) with
                {
                    SubjectMunicipalities = [data.Municipality?.Code ?? string.Empty],
                },
                _ => throw new InvalidDataException($"message {message.MessageId} of type {message.MessageType} holds a {payload.Descriptor.Name}"),
            };
            items.Add((i, entry.Build()));
        }

        return [.. items.OrderBy(x => x.Order).Select(x => x.Entry)];
    }

    private static EntryDraft Entry(StoredMessage message, CaseView item) => new(message, item);

    private static CaseEntryOrigin Origin(StoredMessage message) => new()
    {
        MessageId = message.MessageId,
        Sender = new PartnerId { Oin = message.SenderOin },
        AcceptedAt = Timestamp.FromDateTimeOffset(message.AcceptedAt),
    };

    /// <summary>An item being put together: the message it comes from and what the payload says about jurisdiction.</summary>
    private sealed record EntryDraft(StoredMessage Message, CaseView Item)
    {
        public IReadOnlyCollection<string> SubjectMunicipalities { get; init; } = [];

        public string? CaseConsultationId { get; init; }

        public string? AddresseeOin { get; init; }

        public CaseEntry Build() => new()
        {
            MessageId = Message.MessageId,
            MessageType = Message.MessageType,
            SenderOin = Message.SenderOin,
            Category = Message.Category,
            Item = Item,
            SubjectMunicipalities = SubjectMunicipalities,
            CaseConsultationId = CaseConsultationId,
            AddresseeOin = AddresseeOin,
        };
    }

    /// <summary>A notice with its corrections and withdrawal, keyed by the original's message id.</summary>
    private sealed class NoticeChain
    {
        public StoredMessage? Original { get; set; }

        public StoredMessage? Latest { get; set; }

        public bool Withdrawn { get; set; }
    }
}
