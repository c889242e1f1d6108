// This file is part of ExchangeHub.

using System.Globalization;

namespace ExchangeHub.Core.Errors;

/// <summary>
/// A client-facing error with a stable identifier. The identifier (EHxxxx) is what tests, partner systems
/// and operators match on; the text is what a person reads and may be improved without breaking anyone.
/// </summary>
/// <param name="Id">The stable identifier, e.g. <c>EH1003</c>.</param>
/// <param name="Template">A composite format string for the human-readable reason.</param>
public sealed record HubError(string Id, string Template)
{
    /// <summary>The reason as sent to the caller: identifier first, so it survives truncation.</summary>
    public string Format(params object?[] args) =>
        $"{Id}: {string.Format(CultureInfo.InvariantCulture, Template, args)}";
}
