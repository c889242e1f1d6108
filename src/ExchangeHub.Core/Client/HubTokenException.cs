// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Client;

/// <summary>The hub's token endpoint refused a token; <see cref="Error"/> is the OAuth error code.</summary>
public sealed class HubTokenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HubTokenException(string message, string? error, string? description)
        : base(message)
    {
        Error = error;
        Description = description;
    }

    /// <summary>Creates the exception.</summary>
    public HubTokenException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public HubTokenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public HubTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The OAuth error code, e.g. <c>invalid_scope</c>.</summary>
    public string? Error { get; }

    /// <summary>The hub's explanation (with its EH error id).</summary>
    public string? Description { get; }
}
