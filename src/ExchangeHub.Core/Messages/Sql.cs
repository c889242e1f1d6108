// This file is part of ExchangeHub.

using System.Globalization;

namespace ExchangeHub.Core.Messages;

/// <summary>How times are stored: UTC round-trip text, which sorts in time order so range queries compare text.</summary>
internal static class Sql
{
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
