// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// The payload can no longer be read because its retention period ended and its data key was destroyed
/// (crypto-shredding). This is the expected outcome for an expired message, not a fault: report that the
/// content is gone, while its disclosure records remain.
/// </summary>
public sealed class PayloadDestroyedException : Exception
{
    /// <summary>A destroyed payload of an unnamed message.</summary>
    public PayloadDestroyedException()
        : base("EH5210: The payload was destroyed when its retention period ended.")
    {
    }

    /// <summary>A destroyed payload, with a message.</summary>
    public PayloadDestroyedException(string message)
        : base(message)
    {
    }

    /// <summary>A destroyed payload, with a message and cause.</summary>
    public PayloadDestroyedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The payload of message <paramref name="messageId"/> (of <paramref name="type"/>) was destroyed.</summary>
    public PayloadDestroyedException(MessageType type, string messageId)
        : base($"EH5210: The payload of {type} message '{messageId}' was destroyed when its retention period ended; its disclosure records remain.")
    {
        MessageType = type;
        MessageId = messageId;
    }

    /// <summary>The message's type, when known.</summary>
    public MessageType? MessageType { get; }

    /// <summary>The message's id, when known.</summary>
    public string? MessageId { get; }
}
