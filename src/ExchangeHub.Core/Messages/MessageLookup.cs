// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Storage;

namespace ExchangeHub.Core.Messages;

/// <summary>Reads what corrections, withdrawals and follow-ups need to know about the message they refer to.</summary>
public sealed class MessageLookup(SqliteHubDatabase database)
{
    /// <summary>
    /// The original message sent by <paramref name="senderOin"/> (or, with <paramref name="recipientOin"/>, delivered to it),
    /// its type, its recipients and the message that withdrew it, if any. Throws <see cref="MessageNotFoundException"/>.
    /// </summary>
    public async Task<OriginalMessage> FindAsync(string messageId, string? senderOin, string? recipientOin, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT m.sender_oin, m.message_type, m.subject_pseudonym,
                   (SELECT group_concat(recipient_oin, ' ') FROM deliveries WHERE message_id = m.message_id),
                   (SELECT w.message_id FROM messages w WHERE w.original_message_id = m.message_id AND w.message_type = $withdrawal LIMIT 1)
            FROM messages m WHERE m.message_id = $id
            """;
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$withdrawal", (int)MessageType.EndOfDetentionNoticeWithdrawal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new MessageNotFoundException(HubErrors.MessageNotFound.Format(messageId, senderOin ?? recipientOin));
        }

        var recipients = reader.IsDBNull(3) ? [] : reader.GetString(3).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var original = new OriginalMessage(messageId, reader.GetString(0), (MessageType)reader.GetInt32(1), reader.GetString(2), recipients, reader.IsDBNull(4) ? null : reader.GetString(4));
        if ((senderOin is not null && original.SenderOin != senderOin) || (recipientOin is not null && !recipients.Contains(recipientOin)))
        {
            throw new MessageNotFoundException(HubErrors.MessageNotFound.Format(messageId, senderOin ?? recipientOin));
        }

        return original;
    }
}

/// <summary>What is known of an earlier message.</summary>
public sealed record OriginalMessage(string MessageId, string SenderOin, MessageType MessageType, string SubjectPseudonym, IReadOnlyList<string> RecipientOins, string? WithdrawnBy);
