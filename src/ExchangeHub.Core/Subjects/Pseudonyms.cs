// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Subjects;

/// <summary>
/// Chain pseudonyms that a sender may use instead of a BSN: opaque, 16 to 128 characters of the URL-safe
/// alphabet (A-Z, a-z, 0-9, '-', '_'), long enough that guessing one is not a way to find a person.
/// </summary>
public static class Pseudonyms
{
    /// <summary>Whether <paramref name="pseudonym"/> has the form of a chain pseudonym.</summary>
    public static bool IsValid([NotNullWhen(true)] string? pseudonym)
    {
        if (pseudonym is null || pseudonym.Length is < 16 or > 128)
        {
            return false;
        }

        foreach (var c in pseudonym)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
