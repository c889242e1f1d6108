// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Messages;

/// <summary>The same idempotency key was used before for a different request (ALREADY_EXISTS).</summary>
public sealed class IdempotencyConflictException(string message) : Exception(message);

/// <summary>A message referred to does not exist or is not the caller's (NOT_FOUND).</summary>
public sealed class MessageNotFoundException(string message) : Exception(message);

/// <summary>The message is in a state that does not allow the operation (FAILED_PRECONDITION).</summary>
public sealed class MessageStateException(string message) : Exception(message);
