// This file is part of ExchangeHub.

using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// A position in one recipient's inbox, opaque to the recipient: it names the recipient, so a cursor of another
/// inbox is refused rather than read as a position in this one.
/// </summary>
public static class InboxCursor
{
    private const string Prefix = "ehc1:";

    /// <summary>The cursor after position <paramref name="position"/> of <paramref name="recipientOin"/>'s inbox.</summary>
    public static string Format(string recipientOin, long position) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{recipientOin}:{position}")));

    /// <summary>Reads a cursor of <paramref name="recipientOin"/>'s inbox; empty means the start.</summary>
    public static bool TryParse(string? cursor, string recipientOin, out long position)
    {
        position = 0;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        if (cursor.Length > 256)
        {
            return false;
        }

        string text;
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = $"{Prefix}{recipientOin}:";
        return text.StartsWith(expected, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(expected.Length), NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }
}
