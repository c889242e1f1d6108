// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Storage;
using Google.Protobuf;

namespace ExchangeHub.Core.Cases;

/// <summary>
/// Reads what partners delivered about a subject from the message store: the payloads as submitted (kept per
/// message, sealed under the message's id), found by the subject's keyed pseudonym. A notice is read with its
/// whole chain of corrections and its withdrawal, also where a correction changed the subject.
/// </summary>
public sealed class CaseEntryReader(SqliteHubDatabase database, IPayloadProtector protector)
{
    /// <summary>The items of the case of <paramref name="subjectPseudonym"/>, oldest first (<see cref="CaseFile.Collect"/>).</summary>
    public async Task<IReadOnlyList<CaseEntry>> ReadAsync(string subjectPseudonym, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjectPseudonym);
        var messages = new List<StoredMessage>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            // One statement, so one consistent snapshot. The chains are the subject's notices, and the notices a
            // correction about the subject refers to.
            command.CommandText = $"""
                WITH chains (id) AS (
                    SELECT message_id FROM messages WHERE subject_pseudonym = $subject AND message_type = {(int)MessageType.EndOfDetentionNotice}
                    UNION
                    SELECT original_message_id FROM messages WHERE subject_pseudonym = $subject AND message_type = {(int)MessageType.EndOfDetentionNoticeCorrection})
                SELECT message_id, sender_oin, message_type, category, subject_pseudonym, original_message_id, accepted_at, payload_key, payload
                FROM messages
                WHERE (subject_pseudonym = $subject AND message_type IN ({(int)MessageType.Signal}, {(int)MessageType.OfficialReport}, {(int)MessageType.ReintegrationData}))
                   OR (message_type = {(int)MessageType.EndOfDetentionNotice} AND message_id IN (SELECT id FROM chains))
                   OR (message_type IN ({(int)MessageType.EndOfDetentionNoticeCorrection}, {(int)MessageType.EndOfDetentionNoticeWithdrawal}) AND original_message_id IN (SELECT id FROM chains))
                ORDER BY accepted_at, rowid
                """;
            command.Parameters.AddWithValue("$subject", subjectPseudonym);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                messages.Add(new StoredMessage(
                    reader.GetString(0),
                    reader.GetString(1),
                    (MessageType)reader.GetInt32(2),
                    (DataCategory)reader.GetInt32(3),
                    reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    Sql.ParseTime(reader.GetString(6)),
                    reader.IsDBNull(7) || reader.IsDBNull(8) ? null : new ProtectedPayload((byte[])reader[7], (byte[])reader[8])));
            }
        }

        return CaseFile.Collect(messages, subjectPseudonym, Open);
    }

    /// <summary>Unseals a payload; null when it was destroyed at the end of its retention (never pieced together otherwise).</summary>
    private IMessage? Open(StoredMessage message)
    {
        if (message.Payload is null)
        {
            return null;
        }

        byte[] payload;
        try
        {
            payload = protector.Unprotect(message.MessageType, message.MessageId, message.Payload);
        }
        catch (PayloadDestroyedException)
        {
            return null;
        }

        var descriptor = PayloadTypes.For(message.MessageType) ?? throw new InvalidDataException($"message {message.MessageId} has type {message.MessageType}, which has no payload");
        return descriptor.Parser.ParseFrom(payload);
    }
}
