// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Partners;

/// <summary>CBS municipality codes (gemeentecodes): <c>GM</c> followed by four digits, e.g. GM0599 for Rotterdam.</summary>
public static class MunicipalityCodes
{
    /// <summary>Whether <paramref name="code"/> has the form of a CBS municipality code.</summary>
    public static bool IsValid([NotNullWhen(true)] string? code) =>
        code is { Length: 6 }
        && code.StartsWith("GM", StringComparison.Ordinal)
        && !code.AsSpan(2).ContainsAnyExceptInRange('0', '9');
}
