// This file is part of ExchangeHub.

using System.Globalization;

namespace ExchangeHub.Server.Limits;

/// <summary>
/// The <c>grpc-timeout</c> request header: at most eight digits and a unit (H, M, S, m, u, n), see "gRPC over HTTP2",
/// https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md.
/// </summary>
internal static class GrpcTimeout
{
    /// <summary>The header's name.</summary>
    public const string Header = "grpc-timeout";

    /// <summary>The timeout a header value states, or null when it states none in the protocol's form.</summary>
    public static TimeSpan? Parse(string? value)
    {
        if (value is not { Length: >= 2 and <= 9 } || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        return value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
    }

    /// <summary>The header value for <paramref name="timeout"/>, in whole milliseconds (at least one).</summary>
    public static string Format(TimeSpan timeout)
    {
        var milliseconds = Math.Clamp((long)Math.Ceiling(timeout.TotalMilliseconds), 1, 99_999_999);
        return milliseconds.ToString(CultureInfo.InvariantCulture) + "m";
    }
}
