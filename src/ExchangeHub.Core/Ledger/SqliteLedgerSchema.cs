// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// The disclosure log's tables in SQLite. Leaves and tree nodes are append-only, guarded by triggers; the
/// guards are a seatbelt against mistakes, not the protection: an attacker with the database file drops them,
/// which is why every change is found by verification against signed checkpoints, not prevented here.
/// </summary>
internal static class SqliteLedgerSchema
{
    /// <summary>Schema migration 2.</summary>
    public const string Version2 = """
        -- One row per leaf. entry is the canonical leaf data (LogEntryCodec); the other columns are derived from
        -- it for searching and hold no personal data (the subject is a keyed pseudonym).
        CREATE TABLE log_leaves (
            seq               INTEGER NOT NULL PRIMARY KEY,
            leaf_hash         BLOB    NOT NULL CHECK (length(leaf_hash) = 32),
            entry             BLOB    NOT NULL,
            recorded_at       TEXT    NOT NULL,
            kind              INTEGER NOT NULL,
            message_id        TEXT    NOT NULL,
            sender_oin        TEXT,
            recipient_oin     TEXT,
            legal_basis       INTEGER,
            purpose           INTEGER,
            decision          INTEGER,
            category          INTEGER,
            message_type      INTEGER,
            subject_pseudonym TEXT
        ) STRICT;
        CREATE INDEX log_leaves_subject ON log_leaves (subject_pseudonym) WHERE subject_pseudonym IS NOT NULL;
        CREATE INDEX log_leaves_message ON log_leaves (message_id);

        -- The hashes of every complete perfect subtree (RFC 9162), level 0 being the leaf hashes, so that a proof
        -- reads O(log n) stored hashes and never recomputes the tree.
        CREATE TABLE log_nodes (
            level INTEGER NOT NULL,
            idx   INTEGER NOT NULL,
            hash  BLOB    NOT NULL CHECK (length(hash) = 32),
            PRIMARY KEY (level, idx)
        ) STRICT, WITHOUT ROWID;

        -- Signed checkpoints (C2SP tlog-checkpoint, signed note), never smaller than or inconsistent with the last.
        CREATE TABLE log_checkpoints (
            tree_size  INTEGER NOT NULL PRIMARY KEY,
            root_hash  BLOB    NOT NULL CHECK (length(root_hash) = 32),
            note       TEXT    NOT NULL,
            created_at TEXT    NOT NULL
        ) STRICT;

        -- Witness cosignatures (C2SP tlog-cosignature) of stored checkpoints, one per witness key.
        CREATE TABLE log_cosignatures (
            tree_size   INTEGER NOT NULL REFERENCES log_checkpoints (tree_size),
            witness_key TEXT    NOT NULL,
            line        TEXT    NOT NULL,
            added_at    TEXT    NOT NULL,
            PRIMARY KEY (tree_size, witness_key)
        ) STRICT;

        CREATE TRIGGER log_leaves_no_update BEFORE UPDATE ON log_leaves
            BEGIN SELECT RAISE(ABORT, 'EH4001: the disclosure log is append-only'); END;
        CREATE TRIGGER log_leaves_no_delete BEFORE DELETE ON log_leaves
            BEGIN SELECT RAISE(ABORT, 'EH4001: the disclosure log is append-only'); END;
        CREATE TRIGGER log_nodes_no_update BEFORE UPDATE ON log_nodes
            BEGIN SELECT RAISE(ABORT, 'EH4001: the disclosure log is append-only'); END;
        CREATE TRIGGER log_nodes_no_delete BEFORE DELETE ON log_nodes
            BEGIN SELECT RAISE(ABORT, 'EH4001: the disclosure log is append-only'); END;
        CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints
            BEGIN SELECT RAISE(ABORT, 'EH4001: the disclosure log is append-only'); END;
        CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints
            BEGIN SELECT RAISE(ABORT, 'EH4001: the disclosure log is append-only'); END;
        """;

    /// <summary>
    /// Schema migration 4: indexes for the privacy officer's searches (DisclosureSearch) by partner, message type
    /// and period. Every index ends in seq (the rowid), so candidates come out per value in log order.
    /// </summary>
    public const string Version4 = """
        CREATE INDEX log_leaves_sender ON log_leaves (sender_oin) WHERE sender_oin IS NOT NULL;
        CREATE INDEX log_leaves_recipient ON log_leaves (recipient_oin) WHERE recipient_oin IS NOT NULL;
        CREATE INDEX log_leaves_message_type ON log_leaves (message_type) WHERE message_type IS NOT NULL;
        CREATE INDEX log_leaves_recorded_at ON log_leaves (recorded_at);
        """;
}
