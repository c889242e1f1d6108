// This file is part of ExchangeHub.

using System.Globalization;
using System.Text;
using Google.Protobuf;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// Answers a request that is refused before it reaches a gRPC service (authentication, authorization) with a
/// proper gRPC status, so the caller sees UNAUTHENTICATED or PERMISSION_DENIED with a reason instead of a bare
/// HTTP 401/403. gRPC calls get a trailers-only response (status in the headers, no body), as the gRPC over
/// HTTP/2 protocol describes; other requests get the HTTP status and the reason as text.
/// </summary>
internal static class GrpcStatusResponse
{
    public static async Task WriteAsync(HttpContext context, StatusCode status, string reason)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)status).ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = PercentEncode(reason);
            return;
        }

        response.StatusCode = status == StatusCode.PermissionDenied ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(reason, context.RequestAborted);
    }

    /// <summary>
    /// Answers a gRPC call with <paramref name="status"/> before any service has seen it: a trailers-only response whose
    /// headers carry the code, the message and the google.rpc.Status with its details (<c>grpc-status-details-bin</c>),
    /// as a service's RpcException would.
    /// </summary>
    public static Task WriteAsync(HttpContext context, Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(status);
        var response = context.Response;
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = PercentEncode(status.Message);

            // Binary headers are base64; the protocol asks senders to leave the padding off.
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Percent-encodes a grpc-message value: every byte of the UTF-8 form outside printable ASCII, and '%' itself
    /// (gRPC over HTTP/2, "Responses").
    /// </summary>
    internal static string PercentEncode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
