// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>Why a signed checkpoint was refused by <see cref="Checkpoint.OpenCheckpoint"/>.</summary>
public enum CheckpointFailure
{
    /// <summary>The signed note or its checkpoint body is not well-formed (c2sp.org/signed-note, c2sp.org/tlog-checkpoint).</summary>
    Malformed = 1,

    /// <summary>No signature line carries the log key's name and key hash.</summary>
    NotSignedByLog = 2,

    /// <summary>A signature line carries the log key's name and key hash but does not verify: tampering or a forged key ID.</summary>
    InvalidSignature = 3,

    /// <summary>The checkpoint is validly signed but names another log in its origin line.</summary>
    WrongOrigin = 4,
}

/// <summary>
/// A signed checkpoint that must not be trusted, with the <see cref="Reason"/> as data, so callers (the log,
/// hubctl, an auditor) can report or count refusals without parsing messages.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>A refusal for <see cref="CheckpointFailure.Malformed"/>.</summary>
    public CheckpointException()
        : this(CheckpointFailure.Malformed, "The checkpoint was refused.")
    {
    }

    /// <summary>A refusal for <see cref="CheckpointFailure.Malformed"/> with a message.</summary>
    public CheckpointException(string message)
        : this(CheckpointFailure.Malformed, message)
    {
    }

    /// <summary>A refusal for <see cref="CheckpointFailure.Malformed"/> caused by <paramref name="innerException"/>.</summary>
    public CheckpointException(string message, Exception innerException)
        : this(CheckpointFailure.Malformed, message, innerException)
    {
    }

    /// <summary>A refusal for <paramref name="reason"/>.</summary>
    public CheckpointException(CheckpointFailure reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>A refusal for <paramref name="reason"/> caused by <paramref name="innerException"/>.</summary>
    public CheckpointException(CheckpointFailure reason, string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the checkpoint was refused.</summary>
    public CheckpointFailure Reason { get; }
}
