// This file is part of ExchangeHub.

using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using ExchangeHub.Core.Errors;
using ExchangeHub.Server.Authentication;
using ExchangeHub.Server.Grpc;
using ExchangeHub.Server.Hosting;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Limits;

/// <summary>
/// Reads the request of a contract call before the gRPC server does and checks that it is what the method takes:
/// exactly one gRPC message (uncompressed or gzip), of at most <see cref="HubLimitsOptions.MaxRequestMessageSize"/>
/// bytes, that parses as the method's request type. A larger message is RESOURCE_EXHAUSTED (EH6001), refused from its
/// length prefix before it is read; anything else that is not such a message is INVALID_ARGUMENT (EH2002). Left to the
/// gRPC server, bytes that do not parse end in UNKNOWN ("Exception was thrown by handler") and an error in the log,
/// which says the hub failed rather than the request. Every method of the contract takes a single request message
/// (<see cref="HubLimitsApplicationBuilderExtensions.UseHubLimits"/> refuses to start otherwise), so the whole request
/// is small and read here; the server then reads the same bytes from memory.
/// </summary>
internal sealed class RequestMessageCheckMiddleware(RequestDelegate next, IOptions<HubLimitsOptions> options, ILogger<RequestMessageCheckMiddleware> logger)
{
    private const int HeaderLength = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        var method = ContractMethods.Of(context);
        if (method is null)
        {
            await next(context);
            return;
        }

        var path = context.Request.Path.ToString();
        var oin = context.Features.Get<PartnerFeature>()?.Partner.Oin.Value ?? "(none)";
        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        if (encoding.Length > 0 && encoding != "identity" && encoding != "gzip")
        {
            context.Response.Headers["grpc-accept-encoding"] = "identity,gzip";
            var reason = HubErrors.UnsupportedCompression.Format(encoding);
            HubLog.RequestMalformed(logger, path, oin, reason);
            await RefuseAsync(context, Code.Unimplemented, HubErrors.UnsupportedCompression, reason, method);
            return;
        }

        var max = options.Value.MaxRequestMessageSize;
        FrameRead read;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            // The message must arrive within the call's deadline (set by CallDeadlineMiddleware; a subscription's is
            // the client's own, or the longest a unary call gets).
            var within = GrpcTimeout.Parse(context.Request.Headers[GrpcTimeout.Header]) is { } timeout && timeout <= options.Value.MaxCallTimeout ? timeout : options.Value.MaxCallTimeout;
            deadline.CancelAfter(within);
            try
            {
                read = await ReadFrameAsync(context, max, deadline.Token);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                HubLog.RequestMessageLate(logger, path, oin, within);
                await RefuseAsync(context, Code.DeadlineExceeded, HubErrors.RequestMessageLate, HubErrors.RequestMessageLate.Format(within), method);
                return;
            }
        }

        if (read.TooLarge is { } size)
        {
            HubLog.RequestTooLarge(logger, path, oin, size.ToString(CultureInfo.InvariantCulture), max);
            await RefuseAsync(context, Code.ResourceExhausted, HubErrors.MessageTooLarge, HubErrors.MessageTooLarge.Format(size, max), method, MaxBytes(max));
            return;
        }

        var problem = read.Problem;
        if (problem is null && !IsMessage(read.Frame!, encoding == "gzip", method.InputType, max, out problem))
        {
            if (problem is null)
            {
                // Well-formed so far, but it decompresses to more than the hub accepts.
                HubLog.RequestTooLarge(logger, path, oin, $"more than {max} (decompressed)", max);
                await RefuseAsync(context, Code.ResourceExhausted, HubErrors.MessageTooLarge, HubErrors.MessageTooLarge.Format($"more than {max} (decompressed)", max), method, MaxBytes(max));
                return;
            }
        }

        if (problem is not null)
        {
            HubLog.RequestMalformed(logger, path, oin, problem);
            await RefuseAsync(context, Code.InvalidArgument, HubErrors.MalformedRequest, HubErrors.MalformedRequest.Format(method.InputType.FullName, problem), method);
            return;
        }

        // The gRPC server reads the request from here on; the checked bytes are all there is.
        context.Request.Body = new MemoryStream(read.Frame!, writable: false);
        await next(context);
    }

    /// <summary>
    /// Reads the whole request body, which must be one length-prefixed message ("gRPC over HTTP2", Length-Prefixed-Message).
    /// Stops reading as soon as the prefix announces more than <paramref name="max"/> bytes.
    /// </summary>
    private static async Task<FrameRead> ReadFrameAsync(HttpContext context, int max, CancellationToken cancellationToken)
    {
        var reader = context.Request.BodyReader;
        using var frame = new MemoryStream();
        long? declared = null;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            foreach (var segment in result.Buffer)
            {
                frame.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (declared is null && frame.Length >= HeaderLength)
            {
                declared = BinaryPrimitives.ReadUInt32BigEndian(frame.GetBuffer().AsSpan(1, 4));
                if (declared > max)
                {
                    return new FrameRead(null, null, declared);
                }
            }

            if (declared is { } length && frame.Length > HeaderLength + length)
            {
                return new FrameRead(null, "the request holds more than one message, and the method takes one.", null);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                break;
            }
        }

        return frame.Length switch
        {
            0 => new FrameRead(null, "the request holds no message.", null),
            < HeaderLength => new FrameRead(null, "the request ends inside the message's length prefix.", null),
            _ when frame.Length < HeaderLength + declared => new FrameRead(null, $"the request ends after {frame.Length - HeaderLength} of the {declared} bytes its length prefix announces.", null),
            _ => new FrameRead(frame.ToArray(), null, null),
        };
    }

    /// <summary>
    /// Whether <paramref name="frame"/> holds a message of <paramref name="type"/>; if not, <paramref name="problem"/>
    /// says why, or is null when the message decompresses to more than <paramref name="max"/> bytes.
    /// </summary>
    private static bool IsMessage(byte[] frame, bool gzip, MessageDescriptor type, int max, out string? problem)
    {
        problem = null;
        byte[] payload;
        switch (frame[0])
        {
            case 0:
                payload = frame[HeaderLength..];
                break;
            case 1 when !gzip:
                problem = "the message is flagged as compressed, but the request names no compression (grpc-encoding).";
                return false;
            case 1:
                try
                {
                    using var gzipped = new GZipStream(new MemoryStream(frame, HeaderLength, frame.Length - HeaderLength), CompressionMode.Decompress);
                    using var plain = new MemoryStream();
                    var chunk = new byte[16 * 1024];
                    int count;
                    while ((count = gzipped.Read(chunk)) > 0)
                    {
                        plain.Write(chunk, 0, count);
                        if (plain.Length > max)
                        {
                            return false;
                        }
                    }

                    payload = plain.ToArray();
                }
                catch (InvalidDataException)
                {
                    problem = "the message is flagged as gzip-compressed, but is not gzip data.";
                    return false;
                }

                break;
            default:
                problem = $"the message's compressed flag is {frame[0]}, which is neither 0 nor 1.";
                return false;
        }

        try
        {
            type.Parser.ParseFrom(payload);
            return true;
        }
        catch (InvalidProtocolBufferException ex)
        {
            problem = ex.Message;
            return false;
        }
    }

    private static Dictionary<string, string> MaxBytes(int max) => new() { ["max_bytes"] = max.ToString(CultureInfo.InvariantCulture) };

    private static Task RefuseAsync(HttpContext context, Code code, HubError error, string reason, MethodDescriptor method, Dictionary<string, string>? metadata = null)
    {
        var info = new ErrorInfo { Domain = HubRpcExceptions.ErrorDomain, Reason = error.Id, Metadata = { ["message_type"] = method.InputType.FullName } };
        info.Metadata.Add(metadata ?? []);
        return GrpcStatusResponse.WriteAsync(context, new Google.Rpc.Status { Code = (int)code, Message = reason, Details = { Any.Pack(info) } });
    }

    private sealed record FrameRead(byte[]? Frame, string? Problem, long? TooLarge);
}
