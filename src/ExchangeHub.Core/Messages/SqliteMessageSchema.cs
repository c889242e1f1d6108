// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Messages;

/// <summary>
/// Messages, their deliveries (the outbox: one row per recipient the policy allowed) and alarms. Payloads are
/// stored encrypted per message and per delivery (envelope encryption, <see cref="IPayloadProtector"/>), so that
/// destroying one at the end of its retention period is deleting its wrapped key.
/// </summary>
internal static class SqliteMessageSchema
{
    /// <summary>Schema migration 3.</summary>
    public const string Version3 = """
        CREATE TABLE messages (
            message_id          TEXT    NOT NULL PRIMARY KEY,
            sender_oin          TEXT    NOT NULL,
            operation           TEXT    NOT NULL,
            idempotency_key     TEXT    NOT NULL,
            request_sha256      BLOB    NOT NULL,
            message_type        INTEGER NOT NULL,
            category            INTEGER NOT NULL,
            subject_pseudonym   TEXT    NOT NULL,
            original_message_id TEXT,
            accepted_at         TEXT    NOT NULL,
            receipt             BLOB    NOT NULL,
            payload_key         BLOB,
            payload             BLOB,
            retain_until        TEXT    NOT NULL,
            destroyed_at        TEXT,
            UNIQUE (sender_oin, operation, idempotency_key)
        ) STRICT;
        CREATE INDEX messages_subject ON messages (subject_pseudonym);
        CREATE INDEX messages_original ON messages (original_message_id) WHERE original_message_id IS NOT NULL;
        CREATE INDEX messages_retention ON messages (retain_until) WHERE destroyed_at IS NULL;

        CREATE TABLE deliveries (
            delivery_id        TEXT    NOT NULL PRIMARY KEY,
            message_id         TEXT    NOT NULL REFERENCES messages (message_id),
            recipient_oin      TEXT    NOT NULL,
            inbox_position     INTEGER NOT NULL,
            log_sequence       INTEGER NOT NULL,
            purpose            INTEGER NOT NULL,
            legal_basis        INTEGER NOT NULL,
            justification      TEXT,
            rule_id            TEXT    NOT NULL,
            disclosed_fields   TEXT    NOT NULL,
            mandatory          INTEGER NOT NULL,
            payload_key        BLOB,
            payload            BLOB,
            available_at       TEXT    NOT NULL,
            visible_after      TEXT    NOT NULL,
            attempts           INTEGER NOT NULL DEFAULT 0,
            first_fetched_at   TEXT,
            acknowledge_before TEXT    NOT NULL,
            ack_outcome        INTEGER,
            ack_reason         TEXT,
            acknowledged_at    TEXT,
            retain_until       TEXT    NOT NULL,
            destroyed_at       TEXT,
            UNIQUE (recipient_oin, inbox_position)
        ) STRICT;
        CREATE INDEX deliveries_message ON deliveries (message_id);
        CREATE INDEX deliveries_unacknowledged ON deliveries (acknowledge_before) WHERE ack_outcome IS NULL;
        CREATE INDEX deliveries_retention ON deliveries (retain_until) WHERE destroyed_at IS NULL;

        CREATE TABLE alarms (
            alarm_id      TEXT    NOT NULL PRIMARY KEY,
            kind          INTEGER NOT NULL,
            state         INTEGER NOT NULL,
            message_id    TEXT    NOT NULL,
            delivery_id   TEXT    NOT NULL DEFAULT '',
            sender_oin    TEXT    NOT NULL,
            recipient_oin TEXT    NOT NULL DEFAULT '',
            message_type  INTEGER NOT NULL,
            raised_at     TEXT    NOT NULL,
            deadline      TEXT,
            cleared_at    TEXT,
            detail        TEXT    NOT NULL,
            UNIQUE (kind, message_id, delivery_id, recipient_oin)
        ) STRICT;
        CREATE INDEX alarms_open ON alarms (state, raised_at);
        """;
}
